/**
 * The sandbox org's object metadata: every field of Account, Contact and Lead with the attributes that
 * describe() reports and that validation enforces. This is the single source the store, describe, SOQL and
 * the seed generator read, so a field added here shows up everywhere at once.
 */

export type SObjectName = 'Account' | 'Contact' | 'Lead';
export const SOBJECT_NAMES: readonly SObjectName[] = ['Account', 'Contact', 'Lead'];

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'reference'
  | 'boolean'
  | 'currency'
  | 'double'
  | 'int'
  | 'date'
  | 'datetime'
  | 'phone'
  | 'email'
  | 'url'
  | 'encryptedstring';

export interface PicklistOption {
  /** The API name stored on records. */
  value: string;
  /** The display text (may differ from the API name). */
  label: string;
  defaultValue?: boolean;
}

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length?: number;
  precision?: number;
  scale?: number;
  digits?: number;
  /** false = required on create (validation rejects a missing or null value). Default true. */
  nillable?: boolean;
  /** Written by the platform only (Id, audit fields, compound Name, formulas). */
  readOnly?: boolean;
  /** Has a platform default when omitted on create (OwnerId, checkboxes...), so it is not "required". */
  defaultedOnCreate?: boolean;
  picklist?: { values: PicklistOption[]; restricted: boolean };
  referenceTo?: string[];
  relationshipName?: string;
  /**
   * Reference fields: the name the referenced (parent) object uses for these children in SOQL
   * subqueries and describe's `childRelationships` (Contact.AccountId: `Contacts`).
   */
  childRelationshipName?: string;
  externalId?: boolean;
  unique?: boolean;
  idLookup?: boolean;
  nameField?: boolean;
  extraTypeInfo?: 'plaintextarea' | 'richtextarea' | 'personname' | 'imageurl';
  htmlFormatted?: boolean;
  compoundFieldName?: string;
  /** Formula fields: the formula text describe() shows, and how the sandbox computes it on read. */
  formula?: { expression: string; compute(record: Readonly<Record<string, unknown>>): unknown };
}

export interface SObjectDef {
  name: SObjectName;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  fields: FieldDef[];
  recordTypes: {
    name: string;
    developerName: string;
    recordTypeId: string;
    master: boolean;
    default: boolean;
  }[];
}

export const USER_KEY_PREFIX = '005';
export const RECORD_TYPE_KEY_PREFIX = '012';

const str = (name: string, label: string, length = 255, extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  label,
  type: 'string',
  length,
  ...extra,
});
const longText = (name: string, label: string, length: number): FieldDef => ({
  name,
  label,
  type: 'textarea',
  length,
  extraTypeInfo: 'plaintextarea',
});
const picklist = (
  name: string,
  label: string,
  values: (string | [string, string])[],
  restricted: boolean,
  type: 'picklist' | 'multipicklist' = 'picklist',
  defaultValue?: string,
): FieldDef => ({
  name,
  label,
  type,
  length: type === 'multipicklist' ? 4099 : 255,
  picklist: {
    restricted,
    values: values.map((v) => {
      const [value, optLabel] = typeof v === 'string' ? [v, v] : v;
      return { value, label: optLabel, ...(value === defaultValue ? { defaultValue: true } : {}) };
    }),
  },
});
const ref = (
  name: string,
  label: string,
  referenceTo: string,
  relationshipName: string,
  extra: Partial<FieldDef> = {},
): FieldDef => ({
  name,
  label,
  type: 'reference',
  length: 18,
  referenceTo: [referenceTo],
  relationshipName,
  ...extra,
});

/** Fields every object shares: the Id, the owner and the audit fields the platform maintains. */
const systemFields = (): FieldDef[] => [
  {
    name: 'Id',
    label: 'Record ID',
    type: 'id',
    length: 18,
    nillable: false,
    readOnly: true,
    idLookup: true,
    defaultedOnCreate: true,
  },
  {
    name: 'IsDeleted',
    label: 'Deleted',
    type: 'boolean',
    nillable: false,
    readOnly: true,
    defaultedOnCreate: true,
  },
  ref('OwnerId', 'Owner ID', 'User', 'Owner', { nillable: false, defaultedOnCreate: true }),
  {
    name: 'CreatedDate',
    label: 'Created Date',
    type: 'datetime',
    nillable: false,
    readOnly: true,
    defaultedOnCreate: true,
  },
  ref('CreatedById', 'Created By ID', 'User', 'CreatedBy', {
    nillable: false,
    readOnly: true,
    defaultedOnCreate: true,
  }),
  {
    name: 'LastModifiedDate',
    label: 'Last Modified Date',
    type: 'datetime',
    nillable: false,
    readOnly: true,
    defaultedOnCreate: true,
  },
  ref('LastModifiedById', 'Last Modified By ID', 'User', 'LastModifiedBy', {
    nillable: false,
    readOnly: true,
    defaultedOnCreate: true,
  }),
  {
    name: 'SystemModstamp',
    label: 'System Modstamp',
    type: 'datetime',
    nillable: false,
    readOnly: true,
    defaultedOnCreate: true,
  },
];

const INDUSTRIES = [
  'Agriculture',
  'Apparel',
  'Banking',
  'Biotechnology',
  'Chemicals',
  'Communications',
  'Construction',
  'Consulting',
  'Education',
  'Electronics',
  'Energy',
  'Engineering',
  'Entertainment',
  'Finance',
  'Government',
  'Healthcare',
  'Hospitality',
  'Insurance',
  'Manufacturing',
  'Media',
  'Not For Profit',
  'Retail',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
  'Other',
];
const RATINGS = ['Hot', 'Warm', 'Cold'];
const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];

const AMER = new Set([
  'us',
  'usa',
  'united states',
  'canada',
  'ca',
  'mexico',
  'mx',
  'brazil',
  'br',
  'argentina',
]);
const EMEA = new Set([
  'uk',
  'gb',
  'united kingdom',
  'france',
  'fr',
  'germany',
  'de',
  'deutschland',
  'spain',
  'es',
  'israel',
  'il',
  'egypt',
  'eg',
  'saudi arabia',
  'sa',
  'uae',
  'ae',
  'south africa',
  'za',
]);
const APAC = new Set([
  'japan',
  'jp',
  'china',
  'cn',
  'india',
  'in',
  'australia',
  'au',
  'singapore',
  'sg',
  'korea',
  'kr',
]);

/** Region_Formula__c: a text formula over Country__c, as an admin would write it with CASE(). */
function regionOf(record: Readonly<Record<string, unknown>>): string | null {
  const country = record.Country__c;
  if (typeof country !== 'string' || country.trim() === '') return null;
  const key = country.trim().toLowerCase();
  if (AMER.has(key)) return 'AMER';
  if (EMEA.has(key)) return 'EMEA';
  if (APAC.has(key)) return 'APAC';
  return 'Other';
}

const ACCOUNT: SObjectDef = {
  name: 'Account',
  label: 'Account',
  labelPlural: 'Accounts',
  keyPrefix: '001',
  recordTypes: [
    {
      name: 'Master',
      developerName: 'Master',
      recordTypeId: '012000000000000AAA',
      master: true,
      default: false,
    },
    {
      name: 'Customer',
      developerName: 'Customer',
      recordTypeId: '0128d000000CuStAAC',
      master: false,
      default: true,
    },
    {
      name: 'Partner',
      developerName: 'Partner',
      recordTypeId: '0128d000000PaRtAAC',
      master: false,
      default: false,
    },
  ],
  fields: [
    ...systemFields(),
    str('Name', 'Account Name', 255, { nillable: false, nameField: true }),
    picklist(
      'Type',
      'Account Type',
      [
        'Prospect',
        ['Customer_Direct', 'Customer - Direct'],
        ['Customer_Channel', 'Customer - Channel'],
        ['Channel_Partner_Reseller', 'Channel Partner / Reseller'],
        ['Installation_Partner', 'Installation Partner'],
        ['Technology_Partner', 'Technology Partner'],
        'Other',
      ],
      false,
    ),
    picklist('Industry', 'Industry', INDUSTRIES, false),
    picklist('Rating', 'Account Rating', RATINGS, false),
    { name: 'Phone', label: 'Account Phone', type: 'phone', length: 40 },
    { name: 'Website', label: 'Website', type: 'url', length: 255 },
    { name: 'AnnualRevenue', label: 'Annual Revenue', type: 'currency', precision: 18, scale: 0 },
    { name: 'NumberOfEmployees', label: 'Employees', type: 'int', digits: 8 },
    longText('Description', 'Account Description', 32000),
    ref('ParentId', 'Parent Account ID', 'Account', 'Parent'),
    ref('RecordTypeId', 'Record Type ID', 'RecordType', 'RecordType', { defaultedOnCreate: true }),
    picklist(
      'Segment__c',
      'Segment',
      [
        ['SMB', 'Small Business'],
        ['Mid_Market', 'Mid-Market'],
        'Enterprise',
        ['Public_Sector', 'Public Sector'],
        'Strategic',
      ],
      true,
      'multipicklist',
    ),
    picklist(
      'Tier__c',
      'Tier',
      [
        ['Tier_1', 'Tier 1 (Strategic)'],
        ['Tier_2', 'Tier 2 (Growth)'],
        ['Tier_3', 'Tier 3 (Long Tail)'],
      ],
      true,
    ),
    { name: 'Active__c', label: 'Active', type: 'boolean', nillable: false, defaultedOnCreate: true },
    { name: 'Health_Score__c', label: 'Health Score', type: 'double', precision: 5, scale: 2 },
    { name: 'Renewal_Date__c', label: 'Renewal Date', type: 'date' },
    { name: 'Contract_Start__c', label: 'Contract Start', type: 'datetime' },
    str('Country__c', 'Country', 80),
    {
      name: 'Region_Formula__c',
      label: 'Region',
      type: 'string',
      length: 1300,
      readOnly: true,
      formula: {
        expression:
          'IF(ISBLANK(Country__c), NULL, CASE(LOWER(Country__c), "us", "AMER", "usa", "AMER", "canada", "AMER", "uk", "EMEA", "france", "EMEA", "germany", "EMEA", "japan", "APAC", "china", "APAC", "india", "APAC", "Other"))',
        compute: regionOf,
      },
    },
    longText('Notes__c', 'Notes', 32768),
    {
      name: 'Rich_Notes__c',
      label: 'Rich Notes',
      type: 'textarea',
      length: 32768,
      extraTypeInfo: 'richtextarea',
      htmlFormatted: true,
    },
    { name: 'Tax_Id__c', label: 'Tax ID', type: 'encryptedstring', length: 175 },
    str('Zendesk_Organization_Id__c', 'Zendesk Organization ID', 255),
    str('External_Key__c', 'External Key', 80, { externalId: true, unique: true, idLookup: true }),
  ],
};

const CONTACT: SObjectDef = {
  name: 'Contact',
  label: 'Contact',
  labelPlural: 'Contacts',
  keyPrefix: '003',
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
    ...systemFields(),
    ref('AccountId', 'Account ID', 'Account', 'Account', { childRelationshipName: 'Contacts' }),
    str('FirstName', 'First Name', 40, { compoundFieldName: 'Name' }),
    str('LastName', 'Last Name', 80, { nillable: false, compoundFieldName: 'Name' }),
    str('Name', 'Full Name', 121, {
      readOnly: true,
      nameField: true,
      extraTypeInfo: 'personname',
      nillable: false,
    }),
    { name: 'Email', label: 'Email', type: 'email', length: 80, idLookup: true },
    { name: 'Phone', label: 'Business Phone', type: 'phone', length: 40 },
    { name: 'MobilePhone', label: 'Mobile Phone', type: 'phone', length: 40 },
    str('Title', 'Title', 128),
    str('Department', 'Department', 80),
    picklist('LeadSource', 'Lead Source', LEAD_SOURCES, false),
    { name: 'Birthdate', label: 'Birthdate', type: 'date' },
    longText('Description', 'Contact Description', 32000),
    picklist(
      'Languages__c',
      'Languages',
      [
        ['en', 'English'],
        ['fr', 'French'],
        ['de', 'German'],
        ['es', 'Spanish'],
        ['ja', 'Japanese'],
        ['zh', 'Chinese'],
        ['ar', 'Arabic'],
        ['he', 'Hebrew'],
        ['pt', 'Portuguese'],
      ],
      false,
      'multipicklist',
    ),
    {
      name: 'Do_Not_Sync__c',
      label: 'Do Not Sync',
      type: 'boolean',
      nillable: false,
      defaultedOnCreate: true,
    },
    str('Zendesk_User_Id__c', 'Zendesk User ID', 255),
    { name: 'Customer_Since__c', label: 'Customer Since', type: 'date' },
  ],
};

const LEAD: SObjectDef = {
  name: 'Lead',
  label: 'Lead',
  labelPlural: 'Leads',
  keyPrefix: '00Q',
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
    ...systemFields(),
    str('FirstName', 'First Name', 40, { compoundFieldName: 'Name' }),
    str('LastName', 'Last Name', 80, { nillable: false, compoundFieldName: 'Name' }),
    str('Name', 'Full Name', 121, {
      readOnly: true,
      nameField: true,
      extraTypeInfo: 'personname',
      nillable: false,
    }),
    str('Company', 'Company', 255, { nillable: false }),
    {
      ...picklist(
        'Status',
        'Status',
        [
          ['Open_Not_Contacted', 'Open - Not Contacted'],
          ['Working_Contacted', 'Working - Contacted'],
          ['Closed_Converted', 'Closed - Converted'],
          ['Closed_Not_Converted', 'Closed - Not Converted'],
        ],
        true,
        'picklist',
        'Open_Not_Contacted',
      ),
      nillable: false,
      defaultedOnCreate: true,
    },
    { name: 'Email', label: 'Email', type: 'email', length: 80, idLookup: true },
    { name: 'Phone', label: 'Phone', type: 'phone', length: 40 },
    picklist('LeadSource', 'Lead Source', LEAD_SOURCES, false),
    picklist('Industry', 'Industry', INDUSTRIES, false),
    picklist('Rating', 'Rating', RATINGS, false),
    longText('Description', 'Description', 32000),
    str('Zendesk_User_Id__c', 'Zendesk User ID', 255),
  ],
};

export const SOBJECTS: Readonly<Record<SObjectName, SObjectDef>> = {
  Account: ACCOUNT,
  Contact: CONTACT,
  Lead: LEAD,
};

/** Object names are case-insensitive in URLs and SOQL; this returns the canonical spelling. */
export function resolveSObjectName(name: string): SObjectName | undefined {
  const lower = name.toLowerCase();
  return SOBJECT_NAMES.find((n) => n.toLowerCase() === lower);
}

const fieldIndex = new Map<SObjectName, Map<string, FieldDef>>(
  SOBJECT_NAMES.map((o) => [o, new Map(SOBJECTS[o].fields.map((f) => [f.name.toLowerCase(), f]))]),
);

/** Field names are case-insensitive in Salesforce; lookups here follow that. */
export function findField(objectName: SObjectName, fieldName: string): FieldDef | undefined {
  return fieldIndex.get(objectName)?.get(fieldName.toLowerCase());
}

export const isCustomField = (f: FieldDef): boolean => f.name.endsWith('__c');
export const isCalculated = (f: FieldDef): boolean => f.formula !== undefined;
export const isCreateable = (f: FieldDef): boolean => f.readOnly !== true;
export const isUpdateable = (f: FieldDef): boolean => f.readOnly !== true;
/** Required on create: not nillable and not filled in by the platform. */
export const isRequired = (f: FieldDef): boolean =>
  f.nillable === false && f.defaultedOnCreate !== true && f.readOnly !== true;
