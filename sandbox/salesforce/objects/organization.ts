/**
 * Organization: one read-only row describing the org (supported calls: describeSObjects(), query(),
 * retrieve()). Fields and properties from the Object Reference,
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_organization.htm
 */
import {
  addressFields,
  bool,
  dateTime,
  idFields,
  int,
  phone,
  picklist,
  ref,
  str,
  options,
  REFERENCE_DATA,
} from './fields';
import { GEOCODE_ACCURACY } from './picklists';
import type { FieldDef, SObjectDef } from './types';

const RO = { readOnly: true } as const;

/** Default sharing access picklists (Organization.Default*Access). */
const access = (name: string, label: string, values: string[]): FieldDef =>
  picklist(name, label, options(...values), { ...RO, restricted: true, length: 40, nillable: false });

export const ORGANIZATION: SObjectDef = {
  name: 'Organization',
  label: 'Organization',
  labelPlural: 'Organizations',
  keyPrefix: '00D',
  ...REFERENCE_DATA,
  recordTypes: [],
  fields: [
    { ...idFields('Organization ID')[0]!, idLookup: true },
    str('Name', 'Name', 80, { ...RO, nillable: false, nameField: true }),
    str('Division', 'Division', 80, RO),
    ...addressFields('', '', GEOCODE_ACCURACY, { readOnly: true }),
    phone('Phone', 'Phone', RO),
    phone('Fax', 'Fax', RO),
    str('PrimaryContact', 'Primary Contact', 80, RO),
    picklist('DefaultLocaleSidKey', 'Locale', options('en_US', 'en_GB', 'fr_FR', 'de_DE', 'ja_JP'), {
      ...RO,
      restricted: true,
      nillable: false,
      length: 40,
    }),
    picklist(
      'TimeZoneSidKey',
      'Time Zone',
      options('America/Los_Angeles', 'America/New_York', 'Europe/London', 'GMT'),
      {
        ...RO,
        restricted: true,
        nillable: false,
        length: 40,
      },
    ),
    picklist('LanguageLocaleKey', 'Language', options('en_US', 'de', 'fr', 'ja', 'es'), {
      ...RO,
      restricted: true,
      nillable: false,
      length: 40,
    }),
    bool('ReceivesInfoEmails', 'Info Emails', RO),
    bool('ReceivesAdminInfoEmails', 'Info Emails Admin', RO),
    bool('PreferencesRequireOpportunityProducts', 'RequireOpportunityProducts', RO),
    bool('PreferencesConsentManagementEnabled', 'ConsentManagementEnabled', RO),
    bool('PreferencesAutoSelectIndividualOnMerge', 'AutoSelectIndividualOnMerge', RO),
    bool('PreferencesLightningLoginEnabled', 'LightningLoginEnabled', RO),
    bool('PreferencesOnlyLLPermUserAllowed', 'OnlyLLPermUserAllowed', RO),
    int('FiscalYearStartMonth', 'Fiscal Year Starts In', 9, RO),
    bool('UsesStartDateAsFiscalYearName', 'Fiscal Year Name by Start', RO),
    access('DefaultAccountAccess', 'Default Account Access', ['None', 'Read', 'Edit', 'ControlledByParent']),
    access('DefaultContactAccess', 'Default Contact Access', ['None', 'Read', 'Edit', 'ControlledByParent']),
    access('DefaultOpportunityAccess', 'Default Opportunity Access', [
      'None',
      'Read',
      'Edit',
      'ControlledByParent',
    ]),
    access('DefaultLeadAccess', 'Default Lead Access', ['None', 'Read', 'Edit', 'ReadEditTransfer']),
    access('DefaultCaseAccess', 'Default Case Access', ['None', 'Read', 'Edit', 'ReadEditTransfer']),
    access('DefaultCalendarAccess', 'Default Calendar Access', [
      'HideDetails',
      'HideDetailsInsert',
      'ShowDetails',
      'ShowDetailsInsert',
      'AllowEdits',
    ]),
    access('DefaultPricebookAccess', 'Default Price Book Access', ['None', 'Read', 'ReadSelect']),
    access('DefaultCampaignAccess', 'Default Campaign Access', ['None', 'Read', 'Edit', 'All']),
    dateTime('SystemModstamp', 'System Modstamp', { ...RO, nillable: false }),
    str('ComplianceBccEmail', 'Compliance BCC Email', 80, RO),
    picklist(
      'UiSkin',
      'UI Skin',
      [
        { value: 'Theme1', label: 'Salesforce Classic 2005' },
        { value: 'Theme2', label: 'Salesforce Classic 2010' },
        { value: 'Theme3', label: 'Salesforce' },
      ],
      { ...RO, restricted: true, length: 40 },
    ),
    str('SignupCountryIsoCode', 'Signup Country', 2, RO),
    dateTime('TrialExpirationDate', 'Trial Expiration Date', RO),
    int('NumKnowledgeService', 'Knowledge Licenses', 9, RO),
    picklist(
      'OrganizationType',
      'Edition',
      options(
        'Team Edition',
        'Professional Edition',
        'Enterprise Edition',
        'Developer Edition',
        'Personal Edition',
        'Unlimited Edition',
        'Contact Manager Edition',
        'Base Edition',
      ),
      { ...RO, restricted: true, length: 40 },
    ),
    str('NamespacePrefix', 'Namespace Prefix', 15, RO),
    str('InstanceName', 'Instance Name', 5, RO),
    bool('IsSandbox', 'Is Sandbox', RO),
    str('WebToCaseDefaultOrigin', 'Web to Cases Default Origin', 40, RO),
    int('MonthlyPageViewsUsed', 'Monthly Page Views Used', 9, RO),
    int('MonthlyPageViewsEntitlement', 'Monthly Page Views Allowed', 9, RO),
    bool('IsReadOnly', 'Is Read Only', RO),
    dateTime('CreatedDate', 'Created Date', { ...RO, nillable: false }),
    ref('CreatedById', 'Created By ID', 'User', 'CreatedBy', { ...RO, nillable: false }),
    dateTime('LastModifiedDate', 'Last Modified Date', { ...RO, nillable: false }),
    ref('LastModifiedById', 'Last Modified By ID', 'User', 'LastModifiedBy', { ...RO, nillable: false }),
  ],
};
