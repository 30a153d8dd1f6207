/**
 * Lead conversion as the org does it (SOAP convertLead(), Apex Database.convertLead, the Convert button):
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_convertlead.htm
 *
 * - A new account and contact are created from the lead's standard fields, or the given ones are used; data
 *   merged into an existing account or contact only fills its empty fields (LeadSource is overwritten only
 *   with overwriteLeadSource).
 * - The lead gets IsConverted, ConvertedDate (a date, no time), Converted*Id and a converted Status, and is
 *   read-only from then on (updates fail with CANNOT_UPDATE_CONVERTED_LEAD).
 * - One transaction, in this order: account CREATE, contact CREATE, lead UPDATE. The lead's change event
 *   carries Status, IsConverted, ConvertedDate, Converted*Id and not LastModifiedDate:
 *   https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_standard_objects_lead_conversion.htm
 *
 * The sandbox has no Opportunity object, so `doNotCreateOpportunity` must be true.
 */
import { SalesforceApiError } from './errors';
import { formatDateTime } from './field-values';
import { normalizeId } from './ids';
import type { RecordStore, StoredRecord, WriteTransaction } from './store';

/** SOAP LeadConvert (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_convertlead.htm). */
export interface LeadConvert {
  leadId: string;
  convertedStatus: string;
  accountId?: string;
  contactId?: string;
  ownerId?: string;
  overwriteLeadSource?: boolean;
  doNotCreateOpportunity?: boolean;
}

/** SOAP LeadConvertResult. */
export interface LeadConvertResult {
  accountId: string;
  contactId: string;
  leadId: string;
  opportunityId: null;
  success: true;
  errors: [];
}

/**
 * Standard lead fields and where conversion puts them (Salesforce Help, "Lead Conversion Field Mapping":
 * https://help.salesforce.com/s/articleView?id=sales.lead_conversion_mapping.htm). Address covers every
 * component of the compound (Street ... GeocodeAccuracy).
 */
const TO_ACCOUNT: Readonly<Record<string, string>> = {
  Company: 'Name',
  Street: 'BillingStreet',
  City: 'BillingCity',
  State: 'BillingState',
  PostalCode: 'BillingPostalCode',
  Country: 'BillingCountry',
  Latitude: 'BillingLatitude',
  Longitude: 'BillingLongitude',
  GeocodeAccuracy: 'BillingGeocodeAccuracy',
  Phone: 'Phone',
  Fax: 'Fax',
  Website: 'Website',
  Industry: 'Industry',
  AnnualRevenue: 'AnnualRevenue',
  NumberOfEmployees: 'NumberOfEmployees',
  Rating: 'Rating',
};

const TO_CONTACT: Readonly<Record<string, string>> = {
  Salutation: 'Salutation',
  FirstName: 'FirstName',
  LastName: 'LastName',
  Title: 'Title',
  Email: 'Email',
  Phone: 'Phone',
  MobilePhone: 'MobilePhone',
  Fax: 'Fax',
  Street: 'MailingStreet',
  City: 'MailingCity',
  State: 'MailingState',
  PostalCode: 'MailingPostalCode',
  Country: 'MailingCountry',
  Latitude: 'MailingLatitude',
  Longitude: 'MailingLongitude',
  GeocodeAccuracy: 'MailingGeocodeAccuracy',
  LeadSource: 'LeadSource',
  Description: 'Description',
  HasOptedOutOfEmail: 'HasOptedOutOfEmail',
  HasOptedOutOfFax: 'HasOptedOutOfFax',
  DoNotCall: 'DoNotCall',
};

/** "This field isn't updated for leads converted to existing contacts." */
const NOT_FOR_EXISTING_CONTACTS = new Set(['HasOptedOutOfEmail', 'DoNotCall']);

const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || v === false;

/** Values for a new record, or only the empty fields of an existing one. */
function mapped(
  lead: StoredRecord,
  mapping: Readonly<Record<string, string>>,
  target: StoredRecord | undefined,
  overwrite: ReadonlySet<string>,
): StoredRecord {
  const out: StoredRecord = {};
  for (const [from, to] of Object.entries(mapping)) {
    const value = lead[from];
    if (isEmpty(value)) continue;
    if (target && !isEmpty(target[to]) && !overwrite.has(to)) continue;
    if (target && target[to] === value) continue;
    if (target && NOT_FOR_EXISTING_CONTACTS.has(to)) continue;
    out[to] = value;
  }
  return out;
}

const invalid = (message: string) => new SalesforceApiError(400, 'INVALID_CONVERTED_LEAD_REQUEST', message);

export function convertLead(store: RecordStore, req: LeadConvert, tx: WriteTransaction): LeadConvertResult {
  const leadId = normalizeId(req.leadId) ?? req.leadId;
  if (req.doNotCreateOpportunity === false) {
    throw invalid('The sandbox org has no Opportunity object: set doNotCreateOpportunity to true');
  }
  return store.transaction(() => {
    const { id18, record: lead } = store.existing('Lead', leadId);
    if (lead.IsConverted === true) {
      throw new SalesforceApiError(400, 'CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead');
    }
    const status = store.schema
      .findField('Lead', 'Status')!
      .picklist!.values.find((v) => v.value === req.convertedStatus && v.active !== false);
    if (!status?.converted) {
      // convertedStatus must be a LeadStatus whose IsConverted is true.
      throw new SalesforceApiError(400, 'INVALID_STATUS', `invalid convertedStatus: ${req.convertedStatus}`);
    }
    if (req.contactId !== undefined && req.accountId === undefined) {
      // "contactId ... an accountId must be specified" (LeadConvert).
      throw invalid('accountId must be specified when contactId is');
    }
    const ownerId = req.ownerId ?? (lead.OwnerId as string);
    const overwrite = new Set(req.overwriteLeadSource ? ['LeadSource'] : []);

    let accountId: string;
    if (req.accountId !== undefined) {
      const { id18: existingId, record: account } = store.existing('Account', req.accountId);
      accountId = existingId;
      const fill = mapped(lead, TO_ACCOUNT, account, overwrite);
      if (Object.keys(fill).length > 0) store.update('Account', accountId, fill, tx);
    } else {
      accountId = store.create(
        'Account',
        { ...mapped(lead, TO_ACCOUNT, undefined, overwrite), OwnerId: ownerId },
        tx,
      );
    }

    let contactId: string;
    if (req.contactId !== undefined) {
      const { id18: existingId, record: contact } = store.existing('Contact', req.contactId);
      if (contact.AccountId !== accountId) {
        throw invalid('The contact must belong to the account given in accountId');
      }
      contactId = existingId;
      const fill = mapped(lead, TO_CONTACT, contact, overwrite);
      if (Object.keys(fill).length > 0) store.update('Contact', contactId, fill, tx);
    } else {
      contactId = store.create(
        'Contact',
        { ...mapped(lead, TO_CONTACT, undefined, overwrite), AccountId: accountId, OwnerId: ownerId },
        tx,
      );
    }

    store.systemUpdate(
      'Lead',
      id18,
      {
        Status: status.value,
        IsConverted: true,
        ConvertedDate: formatDateTime(store.clock()).slice(0, 10),
        ConvertedAccountId: accountId,
        ConvertedContactId: contactId,
      },
      tx,
      { omitLastModifiedDate: true },
    );
    return { accountId, contactId, leadId: id18, opportunityId: null, success: true, errors: [] };
  });
}
