/**
 * Lead at API v62.0 in an org without optional features. Field list, describe order, labels, nillable and
 * filter/group/sort flags and picklist values as two real v62 orgs describe Lead (`.sfdx/tools/soqlMetadata/
 * standardObjects/Lead.json` of https://github.com/derickporter1993/CloudCode101 and
 * https://github.com/Sandilenkosie/InternTracking, sourceApiVersion 62.0; 55 standard fields, identical), plus
 * HasOptedOutOfEmail, DoNotCall, HasOptedOutOfFax and LastTransferDate, which the Object Reference lists but
 * field-level security hides from those new orgs' admin (see sandbox/salesforce/README.md). Properties from
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_lead.htm
 * and lengths from https://developer.salesforce.com/docs/atlas.en-us.sfFieldRef.meta/sfFieldRef/salesforce_field_reference_Lead.htm
 * Status is the restricted LeadStatus set (default `Open - Not Contacted`). Conversion sets IsConverted,
 * ConvertedDate and Converted*Id, which the API cannot write (see lead-convert.ts).
 */
import {
  addressFields,
  auditFields,
  bool,
  currency,
  date,
  dateTime,
  email,
  idFields,
  int,
  lastActivityFields,
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
import {
  CLEAN_STATUS,
  GEOCODE_ACCURACY,
  INDUSTRY,
  LEAD_SOURCE,
  LEAD_STATUS,
  RATING,
  SALUTATION,
} from './picklists';
import type { SObjectDef } from './types';

export const LEAD: SObjectDef = {
  name: 'Lead',
  label: 'Lead',
  labelPlural: 'Leads',
  keyPrefix: '00Q',
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
    ...idFields('Lead ID'),
    ref('MasterRecordId', 'Master Record ID', 'Lead', 'MasterRecord', { readOnly: true }),
    ...personName(SALUTATION),
    str('Title', 'Title', 128),
    str('Company', 'Company', 255, { nillable: false }),
    ...addressFields('', '', GEOCODE_ACCURACY),
    phone('Phone', 'Phone'),
    phone('MobilePhone', 'Mobile Phone'),
    phone('Fax', 'Fax'),
    email('Email', 'Email', { idLookup: true }),
    url('Website', 'Website'),
    url('PhotoUrl', 'Photo URL', { readOnly: true, extraTypeInfo: 'imageurl' }),
    textArea('Description', 'Description', 32000),
    picklist('LeadSource', 'Lead Source', LEAD_SOURCE),
    picklist('Status', 'Status', LEAD_STATUS, {
      restricted: true,
      length: 40,
      nillable: false,
      defaultedOnCreate: true,
      defaultValue: 'Open - Not Contacted',
    }),
    picklist('Industry', 'Industry', INDUSTRY),
    picklist('Rating', 'Rating', RATING),
    currency('AnnualRevenue', 'Annual Revenue'),
    int('NumberOfEmployees', 'Employees', 8),
    ownerField(),
    bool('HasOptedOutOfEmail', 'Email Opt Out'),
    // IsConverted: "Create, Defaulted on create, Filter, Group, Sort" (not Update): only conversion changes it.
    bool('IsConverted', 'Converted', { createable: true, updateable: false }),
    date('ConvertedDate', 'Converted Date', { readOnly: true }),
    ref('ConvertedAccountId', 'Converted Account ID', 'Account', 'ConvertedAccount', { readOnly: true }),
    ref('ConvertedContactId', 'Converted Contact ID', 'Contact', 'ConvertedContact', { readOnly: true }),
    ref('ConvertedOpportunityId', 'Converted Opportunity ID', 'Opportunity', 'ConvertedOpportunity', {
      readOnly: true,
    }),
    bool('IsUnreadByOwner', 'Unread By Owner'),
    ...auditFields(),
    ...lastActivityFields(),
    bool('DoNotCall', 'Do Not Call'),
    bool('HasOptedOutOfFax', 'Fax Opt Out'),
    ...viewedFields(),
    dateTime('LastTransferDate', 'Last Transfer Date', { readOnly: true }),
    str('Jigsaw', 'Data.com Key', 20),
    str('JigsawContactId', 'Jigsaw Contact ID', 20, { readOnly: true }),
    picklist('CleanStatus', 'Clean Status', CLEAN_STATUS, { restricted: true, length: 40 }),
    str('CompanyDunsNumber', 'Company D-U-N-S Number', 9),
    ref('DandbCompanyId', 'D&B Company ID', 'DandBCompany', 'DandbCompany'),
    str('EmailBouncedReason', 'Email Bounced Reason', 255),
    dateTime('EmailBouncedDate', 'Email Bounced Date'),
    ref('IndividualId', 'Individual ID', 'Individual', 'Individual'),
    priorityRecordField(),
    // The demo org's custom field.
    str('Zendesk_User_Id__c', 'Zendesk User ID', 255),
  ],
};
