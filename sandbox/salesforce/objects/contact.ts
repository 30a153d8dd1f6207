/**
 * Contact at API v62.0 in an org without optional features. Field list, describe order, labels, nillable and
 * filter/group/sort flags and picklist values as two real v62 orgs describe Contact (the describe results the
 * Salesforce VS Code extension stored in `.sfdx/tools/soqlMetadata/standardObjects/Contact.json` of
 * https://github.com/derickporter1993/CloudCode101 and https://github.com/Sandilenkosie/InternTracking, both
 * sourceApiVersion 62.0; 61 standard fields, identical), plus HasOptedOutOfEmail, HasOptedOutOfFax and
 * DoNotCall: standard in every org per the Object Reference but hidden by field-level security from those new
 * orgs' admin (see sandbox/salesforce/README.md). Create/update properties from the Object Reference,
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contact.htm
 * and lengths from https://developer.salesforce.com/docs/atlas.en-us.sfFieldRef.meta/sfFieldRef/salesforce_field_reference_Contact.htm
 * No RecordTypeId: the org defines no Contact record types.
 */
import {
  addressFields,
  auditFields,
  bool,
  date,
  dateTime,
  email,
  idFields,
  lastActivityFields,
  multiPicklist,
  ownerField,
  personName,
  phone,
  picklist,
  priorityRecordField,
  ref,
  str,
  textArea,
  url,
  viewedFields,
} from './fields';
import { CLEAN_STATUS, CONTACT_SOURCE, GEOCODE_ACCURACY, LEAD_SOURCE, SALUTATION } from './picklists';
import type { SObjectDef } from './types';

export const CONTACT: SObjectDef = {
  name: 'Contact',
  label: 'Contact',
  labelPlural: 'Contacts',
  keyPrefix: '003',
  changeEvents: true,
  recordTypes: [
    {
      name: 'Master',
      developerName: 'Master',
      recordTypeId: '012000000000000AAA',
      master: true,
      default: true,
    },
  ],
  fields: [
    ...idFields('Contact ID'),
    ref('MasterRecordId', 'Master Record ID', 'Contact', 'MasterRecord', { readOnly: true }),
    // Deleting an account deletes its contacts (describe: childRelationships Contacts, cascadeDelete true).
    ref('AccountId', 'Account ID', 'Account', 'Account', {
      childRelationshipName: 'Contacts',
      childCascadeDelete: true,
    }),
    bool('IsPersonAccount', 'Is Person Account', { readOnly: true, personAccountOnly: true }),
    ...personName(SALUTATION),
    ...addressFields('Other', 'Other', GEOCODE_ACCURACY),
    ...addressFields('Mailing', 'Mailing', GEOCODE_ACCURACY),
    phone('Phone', 'Business Phone'),
    phone('Fax', 'Business Fax'),
    phone('MobilePhone', 'Mobile Phone'),
    phone('HomePhone', 'Home Phone'),
    phone('OtherPhone', 'Other Phone'),
    phone('AssistantPhone', 'Asst. Phone'),
    ref('ReportsToId', 'Reports To ID', 'Contact', 'ReportsTo'),
    email('Email', 'Email', { idLookup: true }),
    str('Title', 'Title', 128),
    str('Department', 'Department', 80),
    str('AssistantName', "Assistant's Name", 40),
    picklist('LeadSource', 'Lead Source', LEAD_SOURCE),
    date('Birthdate', 'Birthdate'),
    textArea('Description', 'Contact Description', 32000),
    ownerField(),
    bool('HasOptedOutOfEmail', 'Email Opt Out'),
    bool('HasOptedOutOfFax', 'Fax Opt Out'),
    bool('DoNotCall', 'Do Not Call'),
    ...auditFields(),
    ...lastActivityFields(),
    dateTime('LastCURequestDate', 'Last Stay-in-Touch Request Date', { readOnly: true }),
    dateTime('LastCUUpdateDate', 'Last Stay-in-Touch Save Date', { readOnly: true }),
    ...viewedFields(),
    str('EmailBouncedReason', 'Email Bounced Reason', 255),
    dateTime('EmailBouncedDate', 'Email Bounced Date'),
    bool('IsEmailBounced', 'Is Email Bounced', { readOnly: true }),
    url('PhotoUrl', 'Photo URL', { readOnly: true, extraTypeInfo: 'imageurl' }),
    str('Jigsaw', 'Data.com Key', 20),
    str('JigsawContactId', 'Jigsaw Contact ID', 20, { readOnly: true }),
    picklist('CleanStatus', 'Clean Status', CLEAN_STATUS, { restricted: true, length: 40 }),
    ref('IndividualId', 'Individual ID', 'Individual', 'Individual'),
    priorityRecordField(),
    // Set by automatic contact creation; served read-only (inferred, as for IsPriorityRecord). Length 40 per the
    // Field Reference.
    picklist('ContactSource', 'Creation Source', CONTACT_SOURCE, { readOnly: true, length: 40 }),
    // The demo org's custom fields.
    multiPicklist('Languages__c', 'Languages', [
      { value: 'en', label: 'English' },
      { value: 'fr', label: 'French' },
      { value: 'de', label: 'German' },
      { value: 'es', label: 'Spanish' },
      { value: 'ja', label: 'Japanese' },
      { value: 'zh', label: 'Chinese' },
      { value: 'ar', label: 'Arabic' },
      { value: 'he', label: 'Hebrew' },
      { value: 'pt', label: 'Portuguese' },
    ]),
    bool('Do_Not_Sync__c', 'Do Not Sync'),
    str('Zendesk_User_Id__c', 'Zendesk User ID', 255),
    date('Customer_Since__c', 'Customer Since'),
  ],
};
