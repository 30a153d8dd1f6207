/**
 * Organization: one read-only row describing the org (supported calls: describeSObjects(), query(),
 * retrieve()). Field list, describe order, labels, nillable/filterable/groupable/sortable, default values and
 * picklist values (API names and labels) as two real API v62.0 orgs describe it (the describe results the
 * Salesforce VS Code extension stored in `.sfdx/tools/soqlMetadata/standardObjects/Organization.json` of
 * https://github.com/derickporter1993/CloudCode101 and https://github.com/Sandilenkosie/InternTracking, both
 * sourceApiVersion 62.0; identical); properties from the Object Reference,
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_organization.htm
 */
import {
  addressFields,
  bool,
  dateTime,
  email,
  idFields,
  int,
  phone,
  picklist,
  ref,
  str,
  options,
  REFERENCE_DATA,
} from './fields';
import { LANGUAGES, LOCALES, TIME_ZONES } from './locale-picklists';
import { GEOCODE_ACCURACY } from './picklists';
import type { FieldDef, PicklistOption, SObjectDef } from './types';

const RO = { readOnly: true } as const;

/**
 * Default sharing access picklists (Organization.Default*Access): nillable in a real describe, API names with
 * the Setup labels ("None" shows as Private). The values are the describe's, including Account and
 * Opportunity's ControlledByLeadOrContact / ControlledByCampaign.
 */
const access = (
  name: string,
  label: string,
  values: readonly PicklistOption[],
  defaultValue?: string,
): FieldDef =>
  picklist(name, label, values, {
    ...RO,
    restricted: true,
    length: 40,
    ...(defaultValue === undefined ? {} : { defaultValue }),
  });

const PRIVATE = { value: 'None', label: 'Private' } as const;
const READ = { value: 'Read', label: 'Read Only' } as const;
const EDIT = { value: 'Edit', label: 'Read/Write' } as const;
const TRANSFER = { value: 'ReadEditTransfer', label: 'Read/Write/Transfer' } as const;
const BY_LEAD_OR_CONTACT = {
  value: 'ControlledByLeadOrContact',
  label: 'Controlled By Lead Or Contact',
} as const;
const BY_CAMPAIGN = { value: 'ControlledByCampaign', label: 'Controlled By Campaign' } as const;

/** Org preference checkboxes: a real describe reports them with defaultValue null, not groupable or sortable. */
const preference = (name: string): FieldDef =>
  bool(`Preferences${name}`, name, { ...RO, defaultValue: null, groupable: false, sortable: false });

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
    picklist('DefaultLocaleSidKey', 'Locale', LOCALES, {
      ...RO,
      restricted: true,
      nillable: false,
      length: 40,
    }),
    picklist('TimeZoneSidKey', 'Time Zone', TIME_ZONES, {
      ...RO,
      restricted: true,
      nillable: false,
      length: 40,
    }),
    picklist('LanguageLocaleKey', 'Language', LANGUAGES, {
      ...RO,
      restricted: true,
      nillable: false,
      length: 40,
    }),
    bool('ReceivesInfoEmails', 'Info Emails', RO),
    bool('ReceivesAdminInfoEmails', 'Info Emails Admin', RO),
    preference('RequireOpportunityProducts'),
    preference('TransactionSecurityPolicy'),
    preference('ConsentManagementEnabled'),
    preference('AutoSelectIndividualOnMerge'),
    preference('LightningLoginEnabled'),
    preference('OnlyLLPermUserAllowed'),
    int('FiscalYearStartMonth', 'Fiscal Year Starts In', 9, RO),
    bool('UsesStartDateAsFiscalYearName', 'Fiscal Year Name by Start', RO),
    access('DefaultAccountAccess', 'Default Account Access', [
      PRIVATE,
      READ,
      EDIT,
      BY_LEAD_OR_CONTACT,
      BY_CAMPAIGN,
    ]),
    access('DefaultContactAccess', 'Default Contact Access', [
      PRIVATE,
      READ,
      EDIT,
      { value: 'ControlledByParent', label: 'Controlled By Parent' },
    ]),
    access('DefaultOpportunityAccess', 'Default Opportunity Access', [
      PRIVATE,
      READ,
      EDIT,
      BY_LEAD_OR_CONTACT,
      BY_CAMPAIGN,
    ]),
    access('DefaultLeadAccess', 'Default Lead Access', [PRIVATE, READ, EDIT, TRANSFER]),
    access('DefaultCaseAccess', 'Default Case Access', [PRIVATE, READ, EDIT, TRANSFER]),
    access(
      'DefaultCalendarAccess',
      'Default Calendar Access',
      [
        { value: 'HideDetails', label: 'Hide Details' },
        { value: 'HideDetailsInsert', label: 'Hide Details and Add Events', defaultValue: true },
        { value: 'ShowDetails', label: 'Show Details' },
        { value: 'ShowDetailsInsert', label: 'Show Details and Add Events' },
        { value: 'AllowEdits', label: 'Full Access' },
      ],
      'HideDetailsInsert',
    ),
    access('DefaultPricebookAccess', 'Default Price Book Access', [
      { value: 'None', label: 'No Access' },
      { value: 'Read', label: 'View Only' },
      { value: 'ReadSelect', label: 'Use' },
    ]),
    access('DefaultCampaignAccess', 'Default Campaign Access', [
      PRIVATE,
      READ,
      EDIT,
      { value: 'All', label: 'Owner' },
    ]),
    dateTime('SystemModstamp', 'System Modstamp', { ...RO, nillable: false }),
    email('ComplianceBccEmail', 'Compliance BCC Email', RO),
    picklist(
      'UiSkin',
      'UI Skin',
      [
        { value: 'Theme1', label: 'salesforce.com Classic' },
        { value: 'Theme2', label: 'Salesforce' },
        { value: 'PortalDefault', label: 'Portal Default' },
        { value: 'Webstore', label: 'Webstore' },
        { value: 'Theme3', label: 'Aloha', defaultValue: true },
      ],
      { ...RO, restricted: true, length: 40, defaultValue: 'Theme3' },
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
