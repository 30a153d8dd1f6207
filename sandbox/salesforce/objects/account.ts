/**
 * Account, as a new Enterprise Edition org describes it at API v62.0: the 58 standard fields two real v62 orgs
 * describe (`.sfdx/tools/soqlMetadata/standardObjects/Account.json` of
 * https://github.com/derickporter1993/CloudCode101 and https://github.com/Sandilenkosie/InternTracking,
 * sourceApiVersion 62.0; identical), with labels, lengths and create/update/filter/sort flags as in a real
 * scratch org's object info
 * (https://github.com/trailheadapps/lwc-recipes/blob/main/force-app/main/default/lwc/wireGetObjectInfo/__tests__/data/getObjectInfo.json,
 * 2019, which also has OperatingHoursId: that field comes with Field Service / Scheduler and is left out here),
 * plus RecordTypeId (present because this org defines Account record types), the person-account fields while
 * that org option is on, and the demo org's custom fields. Properties per field:
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_account.htm
 * Lengths/precision: https://developer.salesforce.com/docs/atlas.en-us.sfFieldRef.meta/sfFieldRef/salesforce_field_reference_Account.htm
 */
import {
  addressFields,
  auditFields,
  bool,
  currency,
  date,
  dateTime,
  double,
  email,
  idFields,
  int,
  lastActivityFields,
  multiPicklist,
  ownerField,
  phone,
  picklist,
  ref,
  str,
  textArea,
  url,
  viewedFields,
} from './fields';
import {
  ACCOUNT_TYPE,
  CLEAN_STATUS,
  GEOCODE_ACCURACY,
  INDUSTRY,
  LEAD_SOURCE,
  OWNERSHIP,
  RATING,
  SALUTATION,
} from './picklists';
import { to18 } from '../ids';
import type { FieldDef, SObjectDef } from './types';

/** The record type person accounts use (RecordType.IsPersonType = true). */
export const PERSON_ACCOUNT_RECORD_TYPE_ID = to18('0128d000000PeRs');

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

const PA = { personAccountOnly: true } as const;

/** Name parts of a person account; they also make Account.Name a compound (FirstName + LastName). */
const personNameFields = (): FieldDef[] => [
  str('LastName', 'Last Name', 80, { ...PA, compoundFieldName: 'Name', extraTypeInfo: 'personname' }),
  str('FirstName', 'First Name', 40, { ...PA, compoundFieldName: 'Name', extraTypeInfo: 'personname' }),
  picklist('Salutation', 'Salutation', SALUTATION, {
    ...PA,
    compoundFieldName: 'Name',
    extraTypeInfo: 'personname',
    length: 40,
  }),
];

/**
 * The contact fields a person account carries, prefixed `Person` (Object Reference, "Person Account Fields"):
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_account.htm
 * Each mirrors a field of the person's hidden Contact (`contactField`).
 */
export const PERSON_FIELD_MAP: Readonly<Record<string, string>> = {
  FirstName: 'FirstName',
  LastName: 'LastName',
  Salutation: 'Salutation',
  PersonMailingStreet: 'MailingStreet',
  PersonMailingCity: 'MailingCity',
  PersonMailingState: 'MailingState',
  PersonMailingPostalCode: 'MailingPostalCode',
  PersonMailingCountry: 'MailingCountry',
  PersonMailingLatitude: 'MailingLatitude',
  PersonMailingLongitude: 'MailingLongitude',
  PersonMailingGeocodeAccuracy: 'MailingGeocodeAccuracy',
  PersonOtherStreet: 'OtherStreet',
  PersonOtherCity: 'OtherCity',
  PersonOtherState: 'OtherState',
  PersonOtherPostalCode: 'OtherPostalCode',
  PersonOtherCountry: 'OtherCountry',
  PersonOtherLatitude: 'OtherLatitude',
  PersonOtherLongitude: 'OtherLongitude',
  PersonOtherGeocodeAccuracy: 'OtherGeocodeAccuracy',
  Phone: 'Phone',
  Fax: 'Fax',
  PersonMobilePhone: 'MobilePhone',
  PersonHomePhone: 'HomePhone',
  PersonOtherPhone: 'OtherPhone',
  PersonAssistantPhone: 'AssistantPhone',
  PersonEmail: 'Email',
  PersonTitle: 'Title',
  PersonDepartment: 'Department',
  PersonAssistantName: 'AssistantName',
  PersonLeadSource: 'LeadSource',
  PersonBirthdate: 'Birthdate',
  PersonHasOptedOutOfEmail: 'HasOptedOutOfEmail',
  PersonHasOptedOutOfFax: 'HasOptedOutOfFax',
  PersonDoNotCall: 'DoNotCall',
  Description: 'Description',
  OwnerId: 'OwnerId',
};

const personContactFields = (): FieldDef[] => [
  ref('PersonContactId', 'Contact ID', 'Contact', 'PersonContact', { ...PA, readOnly: true }),
  bool('IsPersonAccount', 'Is Person Account', { ...PA, readOnly: true }),
  ...addressFields('PersonMailing', 'Mailing', GEOCODE_ACCURACY, PA),
  ...addressFields('PersonOther', 'Other', GEOCODE_ACCURACY, PA),
  phone('PersonMobilePhone', 'Mobile', PA),
  phone('PersonHomePhone', 'Home Phone', PA),
  phone('PersonOtherPhone', 'Other Phone', PA),
  phone('PersonAssistantPhone', 'Asst. Phone', PA),
  email('PersonEmail', 'Email', PA),
  str('PersonTitle', 'Title', 80, PA),
  str('PersonDepartment', 'Department', 80, PA),
  str('PersonAssistantName', 'Assistant', 40, PA),
  picklist('PersonLeadSource', 'Lead Source', LEAD_SOURCE, PA),
  date('PersonBirthdate', 'Birthdate', PA),
  bool('PersonHasOptedOutOfEmail', 'Email Opt Out', PA),
  bool('PersonHasOptedOutOfFax', 'Fax Opt Out', PA),
  bool('PersonDoNotCall', 'Do Not Call', PA),
  dateTime('PersonLastCURequestDate', 'Last Stay-in-Touch Request Date', { ...PA, readOnly: true }),
  dateTime('PersonLastCUUpdateDate', 'Last Stay-in-Touch Save Date', { ...PA, readOnly: true }),
  str('PersonEmailBouncedReason', 'Email Bounced Reason', 255, PA),
  dateTime('PersonEmailBouncedDate', 'Email Bounced Date', PA),
  ref('PersonIndividualId', 'Individual ID', 'Individual', 'PersonIndividual', PA),
];

/** The demo org's custom fields (not standard; kept for the sync's tests). */
const customFields = (): FieldDef[] => [
  multiPicklist(
    'Segment__c',
    'Segment',
    [
      { value: 'SMB', label: 'Small Business' },
      { value: 'Mid_Market', label: 'Mid-Market' },
      { value: 'Enterprise', label: 'Enterprise' },
      { value: 'Public_Sector', label: 'Public Sector' },
      { value: 'Strategic', label: 'Strategic' },
    ],
    { restricted: true },
  ),
  picklist(
    'Tier__c',
    'Tier',
    [
      { value: 'Tier_1', label: 'Tier 1 (Strategic)' },
      { value: 'Tier_2', label: 'Tier 2 (Growth)' },
      { value: 'Tier_3', label: 'Tier 3 (Long Tail)' },
    ],
    { restricted: true },
  ),
  bool('Active__c', 'Active'),
  double('Health_Score__c', 'Health Score', 5, 2),
  date('Renewal_Date__c', 'Renewal Date'),
  dateTime('Contract_Start__c', 'Contract Start'),
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
  textArea('Notes__c', 'Notes', 32768),
  textArea('Rich_Notes__c', 'Rich Notes', 32768, { extraTypeInfo: 'richtextarea', htmlFormatted: true }),
  { name: 'Tax_Id__c', label: 'Tax ID', type: 'encryptedstring', length: 175 },
  str('Zendesk_Organization_Id__c', 'Zendesk Organization ID', 255),
  str('External_Key__c', 'External Key', 80, { externalId: true, unique: true, idLookup: true }),
];

export const ACCOUNT: SObjectDef = {
  name: 'Account',
  label: 'Account',
  labelPlural: 'Accounts',
  keyPrefix: '001',
  changeEvents: true,
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
      recordTypeId: to18('0128d000000CuSt'),
      master: false,
      default: true,
    },
    {
      name: 'Partner',
      developerName: 'Partner',
      recordTypeId: to18('0128d000000PaRt'),
      master: false,
      default: false,
    },
    {
      name: 'Person Account',
      developerName: 'PersonAccount',
      recordTypeId: PERSON_ACCOUNT_RECORD_TYPE_ID,
      master: false,
      default: false,
      personType: true,
      personAccountOnly: true,
    },
  ],
  fields: [
    ...idFields('Account ID'),
    ref('MasterRecordId', 'Master Record ID', 'Account', 'MasterRecord', { readOnly: true }),
    str('Name', 'Account Name', 255, {
      nillable: false,
      nameField: true,
      extraTypeInfo: 'switchablepersonname',
    }),
    ...personNameFields(),
    picklist('Type', 'Account Type', ACCOUNT_TYPE),
    ref('RecordTypeId', 'Record Type ID', 'RecordType', 'RecordType', { defaultedOnCreate: true }),
    ref('ParentId', 'Parent Account ID', 'Account', 'Parent', { childRelationshipName: 'ChildAccounts' }),
    ...addressFields('Billing', 'Billing', GEOCODE_ACCURACY),
    ...addressFields('Shipping', 'Shipping', GEOCODE_ACCURACY),
    phone('Phone', 'Account Phone'),
    phone('Fax', 'Account Fax'),
    str('AccountNumber', 'Account Number', 40),
    url('Website', 'Website'),
    url('PhotoUrl', 'Photo URL', { readOnly: true, extraTypeInfo: 'imageurl' }),
    str('Sic', 'SIC Code', 20),
    picklist('Industry', 'Industry', INDUSTRY),
    currency('AnnualRevenue', 'Annual Revenue'),
    int('NumberOfEmployees', 'Employees', 8),
    picklist('Ownership', 'Ownership', OWNERSHIP),
    str('TickerSymbol', 'Ticker Symbol', 20),
    textArea('Description', 'Account Description', 32000),
    picklist('Rating', 'Account Rating', RATING),
    str('Site', 'Account Site', 80),
    ownerField(),
    ...auditFields(),
    ...lastActivityFields(),
    ...viewedFields(),
    ...personContactFields(),
    str('Jigsaw', 'Data.com Key', 20),
    str('JigsawCompanyId', 'Jigsaw Company ID', 20, { readOnly: true }),
    picklist('CleanStatus', 'Clean Status', CLEAN_STATUS, { restricted: true, length: 40 }),
    picklist('AccountSource', 'Account Source', LEAD_SOURCE),
    str('DunsNumber', 'D-U-N-S Number', 9),
    str('Tradestyle', 'Tradestyle', 255),
    str('NaicsCode', 'NAICS Code', 8),
    str('NaicsDesc', 'NAICS Description', 120),
    str('YearStarted', 'Year Started', 4),
    str('SicDesc', 'SIC Description', 80),
    ref('DandbCompanyId', 'D&B Company ID', 'DandBCompany', 'DandbCompany'),
    ...customFields(),
  ],
};
