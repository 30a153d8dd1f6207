/**
 * AccountContactRelation ("Contacts to Multiple Accounts"): the contact's primary account is its direct
 * relationship (IsDirect = true, created and moved by the org when Contact.AccountId is set or changed);
 * other accounts are indirect relationships created through the API.
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_accountcontactrelation.htm
 * https://help.salesforce.com/s/articleView?id=sales.shared_contacts_considerations.htm
 * 14 fields: https://developer.salesforce.com/docs/atlas.en-us.sfFieldRef.meta/sfFieldRef/salesforce_field_reference_AccountContactRelation.htm
 */
import { auditFields, bool, date, idFields, multiPicklist, ref } from './fields';
import { CONTACT_ROLES } from './picklists';
import type { SObjectDef } from './types';

export const ACCOUNT_CONTACT_RELATION: SObjectDef = {
  name: 'AccountContactRelation',
  label: 'Account Contact Relationship',
  labelPlural: 'Account Contact Relationships',
  keyPrefix: '07k',
  mergeable: false,
  undeletable: false,
  recordTypes: [],
  fields: [
    ...idFields('Account Contact Relationship ID'),
    // "Create, Filter, Group, Sort": required, and not updateable once the relationship exists.
    ref('AccountId', 'Account ID', 'Account', 'Account', {
      nillable: false,
      updateable: false,
      childRelationshipName: 'AccountContactRelations',
      childCascadeDelete: true,
    }),
    ref('ContactId', 'Contact ID', 'Contact', 'Contact', {
      nillable: false,
      updateable: false,
      childRelationshipName: 'AccountContactRelations',
      childCascadeDelete: true,
    }),
    multiPicklist('Roles', 'Roles', CONTACT_ROLES),
    // "Defaulted on create, Filter, Group, Sort": only the org sets IsDirect.
    bool('IsDirect', 'Direct', { readOnly: true }),
    bool('IsActive', 'Active', { defaultValue: true }),
    date('StartDate', 'Start Date'),
    date('EndDate', 'End Date'),
    ...auditFields(),
  ],
};
