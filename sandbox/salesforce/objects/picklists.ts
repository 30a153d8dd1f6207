/**
 * The standard picklist value sets a new org ships with. For standard picklists the API name is the value
 * itself (what records store and SOQL compares), e.g. `Customer - Direct`, not an invented `Customer_Direct`.
 *
 * Sources:
 * - AccountType, Industry, LeadStatus: the org defaults retrieved as StandardValueSet metadata in Salesforce's
 *   own sample app, https://github.com/trailheadapps/dreamhouse-lwc/tree/main/force-app/main/default/standardValueSets
 *   (Industry.standardValueSet-meta.xml, AccountType..., LeadStatus... with `<converted>` and `<default>`).
 * - AccountSource/LeadSource: https://developer.salesforce.com/docs/atlas.en-us.250.0.retail_api.meta/retail_api/sforce_api_objects_account.htm
 *   ("Possible values: Other, Partner Referral, Phone Inquiry, Purchased List, Web").
 * - Salutation: two real API v62.0 orgs' Contact and Lead describes (Mr., Ms., Mrs., Dr., Prof., Mx.), stored by the
 *   Salesforce VS Code extension in `.sfdx/tools/soqlMetadata/standardObjects/Contact.json` of
 *   https://github.com/derickporter1993/CloudCode101 and https://github.com/Sandilenkosie/InternTracking (an older
 *   describe, https://pastebin.com/DSf12cjm, has the first five only).
 * - Contact.ContactSource (Creation Source): the same v62 describes (one value, Auto Create).
 * - Ownership (Public, Private, Subsidiary, Other) and Rating (Hot, Warm, Cold): the Account Object Reference,
 *   https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_account.htm
 * - CleanStatus (restricted): values and labels in the Account/Contact/Lead Object Reference (CleanStatus:
 *   "Values include: Matched, Different, Acknowledged, NotFound, Inactive, Pending, SelectMatch, Skipped").
 * - GeocodeAccuracy (restricted): https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/compound_fields_geolocation.htm
 * - AccountContactRelation.Roles: https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_accountcontactrelation.htm
 */
import { options } from './fields';
import type { PicklistOption } from './types';

export const ACCOUNT_TYPE: readonly PicklistOption[] = options(
  'Prospect',
  'Customer - Direct',
  'Customer - Channel',
  'Channel Partner / Reseller',
  'Installation Partner',
  'Technology Partner',
  'Other',
);

export const INDUSTRY: readonly PicklistOption[] = options(
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
  'Environmental',
  'Finance',
  'Food & Beverage',
  'Government',
  'Healthcare',
  'Hospitality',
  'Insurance',
  'Machinery',
  'Manufacturing',
  'Media',
  'Not For Profit',
  'Recreation',
  'Retail',
  'Shipping',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
  'Other',
);

export const RATING: readonly PicklistOption[] = options('Hot', 'Warm', 'Cold');

export const OWNERSHIP: readonly PicklistOption[] = options('Public', 'Private', 'Subsidiary', 'Other');

/** One value set backs Account.AccountSource, Contact.LeadSource and Lead.LeadSource. */
export const LEAD_SOURCE: readonly PicklistOption[] = options(
  'Web',
  'Phone Inquiry',
  'Partner Referral',
  'Purchased List',
  'Other',
);

export const SALUTATION: readonly PicklistOption[] = options('Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.');

/** Contact.ContactSource: how the contact was created; automatic contact creation sets `Auto Create`. */
export const CONTACT_SOURCE: readonly PicklistOption[] = options('Auto Create');

/** Lead.Status: restricted; `Open - Not Contacted` is the default and `Closed - Converted` the converted status. */
export const LEAD_STATUS: readonly PicklistOption[] = [
  { value: 'Open - Not Contacted', label: 'Open - Not Contacted', defaultValue: true, converted: false },
  { value: 'Working - Contacted', label: 'Working - Contacted', converted: false },
  { value: 'Closed - Converted', label: 'Closed - Converted', converted: true },
  { value: 'Closed - Not Converted', label: 'Closed - Not Converted', converted: false },
];

export const CLEAN_STATUS: readonly PicklistOption[] = [
  { value: 'Matched', label: 'In Sync' },
  { value: 'Different', label: 'Different' },
  { value: 'Acknowledged', label: 'Reviewed' },
  { value: 'NotFound', label: 'Not Found' },
  { value: 'Inactive', label: 'Inactive' },
  { value: 'Pending', label: 'Not Compared' },
  { value: 'SelectMatch', label: 'Select Match' },
  { value: 'Skipped', label: 'Skipped' },
];

export const GEOCODE_ACCURACY: readonly PicklistOption[] = [
  { value: 'Address', label: 'Address' },
  { value: 'NearAddress', label: 'Near Address' },
  { value: 'Block', label: 'Block' },
  { value: 'Street', label: 'Street' },
  { value: 'ExtendedZip', label: 'Extended Zip' },
  { value: 'Zip', label: 'Zip' },
  { value: 'Neighborhood', label: 'Neighborhood' },
  { value: 'City', label: 'City' },
  { value: 'County', label: 'County' },
  { value: 'State', label: 'State' },
  { value: 'Unknown', label: 'Unknown' },
];

export const CONTACT_ROLES: readonly PicklistOption[] = options(
  'Business User',
  'Decision Maker',
  'Economic Buyer',
  'Economic Decision Maker',
  'Evaluator',
  'Executive Sponsor',
  'Influencer',
  'Technical Buyer',
  'Other',
);
