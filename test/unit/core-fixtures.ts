// Shared describe()/field-definition fixtures for the core-* unit tests.
import type { FieldDescribe, ZendeskFieldDef } from '../../core';

const picklist = (values: Array<[string, string]>) =>
  values.map(([value, label]) => ({ value, label, active: true }));

export const ACCOUNT_FIELDS: FieldDescribe[] = [
  { name: 'Id', type: 'id' },
  { name: 'Name', type: 'string', length: 255 },
  { name: 'Text__c', type: 'string', length: 80 },
  {
    // Account.Type as a new org ships it: each API name is the value itself.
    name: 'Type',
    type: 'picklist',
    picklistValues: picklist([
      ['Prospect', 'Prospect'],
      ['Customer - Direct', 'Customer - Direct'],
      ['Customer - Channel', 'Customer - Channel'],
      ['Technology Partner', 'Technology Partner'],
    ]),
  },
  {
    // A custom picklist whose API names differ from their labels.
    name: 'Tier__c',
    type: 'picklist',
    picklistValues: picklist([
      ['Tier_1', 'Tier 1 (Strategic)'],
      ['Tier_2', 'Tier 2 (Growth)'],
      ['Tier_3', 'Tier 3 (Long Tail)'],
    ]),
  },
  {
    name: 'Industry',
    type: 'picklist',
    picklistValues: picklist([
      ['Technology', 'Technology'],
      ['Retail', 'Retail'],
    ]),
  },
  {
    name: 'Segment__c',
    type: 'multipicklist',
    picklistValues: picklist([
      ['Enterprise', 'Enterprise'],
      ['SMB', 'SMB'],
      ['Mid Market', 'Mid Market'],
    ]),
  },
  { name: 'Description', type: 'textarea', length: 32000, extraTypeInfo: 'plaintextarea' },
  { name: 'Short__c', type: 'textarea', length: 255, extraTypeInfo: 'plaintextarea' },
  { name: 'Rich__c', type: 'textarea', length: 32768, extraTypeInfo: 'richtextarea', htmlFormatted: true },
  { name: 'Secret__c', type: 'encryptedstring', length: 100 },
  { name: 'ParentId', type: 'reference', referenceTo: ['Account'] },
  { name: 'RecordTypeId', type: 'reference', referenceTo: ['RecordType'] },
  {
    name: 'Score__c',
    type: 'double',
    scale: 2,
    calculated: true,
    calculatedFormula: 'NumberOfEmployees * 2',
  },
  { name: 'AnnualRevenue', type: 'currency', scale: 2 },
  { name: 'NumberOfEmployees', type: 'int' },
  { name: 'Rating__c', type: 'double', scale: 2 },
  { name: 'Count__c', type: 'double', scale: 0 },
  { name: 'Pct__c', type: 'percent', scale: 2 },
  { name: 'Active__c', type: 'boolean' },
  { name: 'Since__c', type: 'date' },
  { name: 'LastSeen__c', type: 'datetime' },
  { name: 'Phone', type: 'phone' },
  { name: 'Website', type: 'url' },
  { name: 'Email__c', type: 'email' },
  { name: 'Location__c', type: 'location' },
  { name: 'Zendesk_Organization_Id__c', type: 'string', length: 40, updateable: true },
  { name: 'Locked_Id__c', type: 'string', length: 40, updateable: false },
  { name: 'Auto__c', type: 'string', autoNumber: true },
];

const PERSON_FIELDS: FieldDescribe[] = [
  { name: 'Id', type: 'id' },
  { name: 'Name', type: 'string' },
  { name: 'FirstName', type: 'string' },
  { name: 'LastName', type: 'string' },
  { name: 'Email', type: 'email' },
  { name: 'Phone', type: 'phone' },
  { name: 'MobilePhone', type: 'phone' },
  { name: 'Title', type: 'string' },
  { name: 'Birthdate', type: 'date' },
  { name: 'Zendesk_User_Id__c', type: 'string', length: 40 },
  { name: 'Support_Key__c', type: 'string', length: 40 },
  {
    name: 'Plan__c',
    type: 'picklist',
    picklistValues: picklist([
      ['Gold', 'Gold'],
      ['Silver', 'Silver'],
    ]),
  },
];

export const CONTACT_FIELDS: FieldDescribe[] = [
  ...PERSON_FIELDS,
  { name: 'AccountId', type: 'reference', referenceTo: ['Account'] },
];
export const LEAD_FIELDS: FieldDescribe[] = [...PERSON_FIELDS, { name: 'Company', type: 'string' }];

export const ORGANIZATION_FIELDS: ZendeskFieldDef[] = [
  { key: 'tier_text', type: 'text' },
  { key: 'notes_area', type: 'textarea' },
  { key: 'code', type: 'regexp' },
  {
    key: 'industry',
    type: 'dropdown',
    custom_field_options: [
      { name: 'Technology', value: 'technology' },
      { name: 'Retail', value: 'retail_shops' },
    ],
  },
  { key: 'revenue', type: 'decimal' },
  { key: 'employees', type: 'integer' },
  { key: 'active', type: 'checkbox' },
  { key: 'since', type: 'date' },
  {
    key: 'segments',
    type: 'multiselect',
    custom_field_options: [
      { name: 'Enterprise', value: 'seg_enterprise' },
      { name: 'SMB', value: 'seg_smb' },
    ],
  },
  { key: 'related', type: 'lookup' },
  { key: 'retired', type: 'text', active: false },
];

export const USER_FIELDS: ZendeskFieldDef[] = [
  { key: 'support_key', type: 'text' },
  { key: 'plan', type: 'dropdown', custom_field_options: [{ name: 'Gold', value: 'gold' }] },
  { key: 'birthday', type: 'date' },
];

export const SCHEMAS = {
  salesforce: { Account: ACCOUNT_FIELDS, Contact: CONTACT_FIELDS, Lead: LEAD_FIELDS },
  zendesk: { organizationFields: ORGANIZATION_FIELDS, userFields: USER_FIELDS },
};
