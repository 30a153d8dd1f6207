// Matching criteria and the field lists the sync reads. Only one criterion exists per sync (default
// Account Name -> organization name, Email -> email). Matching runs only for records not yet linked.
import type { MatchCriterion, SyncConfig } from './config/schema';
import { parseMatchTarget, type SyncKind } from './config/targets';
import { getFieldValue, type SalesforceRecord } from './record';
import type { SalesforceObject } from './salesforce-object';

export type MatchLookup =
  | { kind: 'organization_by_name'; value: string }
  | { kind: 'organization_by_external_id'; value: string }
  | { kind: 'user_by_email'; value: string }
  | { kind: 'user_by_external_id'; value: string }
  | { kind: 'user_by_custom_field'; key: string; value: string };

export type MatchPlan =
  | { ok: true; lookup: MatchLookup }
  /**
   * The record has no usable value for the match field (e.g. a contact without email): the caller decides
   * whether to create without matching (upsert) or skip (update-only).
   */
  | {
      ok: false;
      reason: 'NO_MATCH_KEY' | 'INVALID_MATCH_KEY';
      field: string;
      /** Names the field, never its value (messages are not encrypted). */
      message: string;
      /** The refused value, for the failure's details (payloads) only. */
      value?: string;
    };

// Deliberately loose: Zendesk validates addresses itself; this only rejects values that cannot be one.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;

function matchText(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** Which Zendesk lookup finds the record's counterpart, with the normalised value to look up. */
export function planMatch(kind: SyncKind, match: MatchCriterion, record: SalesforceRecord): MatchPlan {
  const target = parseMatchTarget(kind, match.zendesk);
  if ('error' in target) {
    return { ok: false, reason: 'INVALID_MATCH_KEY', field: match.salesforce, message: target.error };
  }
  let value = matchText(getFieldValue(record, match.salesforce));
  if (value === '') {
    return {
      ok: false,
      reason: 'NO_MATCH_KEY',
      field: match.salesforce,
      message: `no match key: ${match.salesforce} is empty, so the record cannot be matched on ${match.zendesk}`,
    };
  }
  switch (target.kind) {
    case 'name':
      return { ok: true, lookup: { kind: 'organization_by_name', value } };
    case 'external_id':
      return {
        ok: true,
        lookup: {
          kind: kind === 'organization' ? 'organization_by_external_id' : 'user_by_external_id',
          value,
        },
      };
    case 'email':
      // Zendesk email identities are case-insensitive
      value = value.toLowerCase();
      if (!EMAIL_SHAPE.test(value)) {
        return {
          ok: false,
          reason: 'INVALID_MATCH_KEY',
          field: match.salesforce,
          message: `${match.salesforce} is not an email address, so the record cannot be matched on ${match.zendesk}`,
          value,
        };
      }
      return { ok: true, lookup: { kind: 'user_by_email', value } };
    case 'custom':
      return { ok: true, lookup: { kind: 'user_by_custom_field', key: target.key, value } };
  }
}

function sectionFor(config: SyncConfig, object: SalesforceObject) {
  return object === 'Account' ? config.accounts : config.users;
}

function uniqueCaseInsensitive(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => {
    const lower = n.toLowerCase();
    if (seen.has(lower)) return false;
    seen.add(lower);
    return true;
  });
}

/**
 * The Salesforce fields a sync of `object` must read: Id, the match field, mapped fields, filter fields,
 * AccountId (Contacts, for organization membership) and the synced-ID field (to write the ID back once).
 */
export function fieldsToFetch(config: SyncConfig, object: SalesforceObject): string[] {
  const section = sectionFor(config, object);
  const names = [
    'Id',
    section.match.salesforce,
    ...section.fields.map((f) => f.salesforce),
    ...section.filters.all.map((c) => c.field),
    ...section.filters.any.map((c) => c.field),
  ];
  if (object === 'Contact' && config.users.organizationMembership) names.push('AccountId');
  if (section.syncedIdField) names.push(section.syncedIdField);
  return uniqueCaseInsensitive(names);
}

// Contact/Lead Name is a compound of these; a change to any of them changes Name.
const NAME_PARTS = ['firstname', 'lastname', 'middlename', 'suffix', 'salutation'];

/**
 * The field names a changed field stands for. CDC names a compound's component by its path: "Name.LastName",
 * and for addresses "BillingAddress.City" (Account.BillingCity), "MailingAddress.Street" (Contact.MailingStreet)
 * or "Address.City" (Lead.City): https://developer.salesforce.com/docs/platform/apex-ref/references/apex-ref/apex-class-eventbus-changeeventheader.html
 */
function changeAliases(object: SalesforceObject, changed: string): string[] {
  const lower = changed.toLowerCase();
  const parts = lower.split('.');
  const aliases = [lower, ...parts];
  if (object !== 'Account' && parts.some((p) => NAME_PARTS.includes(p))) aliases.push('name');
  const [compound, component] = parts;
  if (parts.length === 2 && compound!.endsWith('address'))
    aliases.push(`${compound!.slice(0, -'address'.length)}${component}`);
  return aliases;
}

/**
 * Whether a change to `changedFields` should start a sync: the native sync triggers only on mapped
 * fields; filter fields and the match field are included so a record entering scope or gaining a match
 * key syncs. The synced-ID field is excluded (writing it back must not re-trigger the sync). A Contact's
 * AccountId counts when organization membership is on: the account decides the user's organization, so
 * a contact moving to another account is a change the sync writes (as the fingerprint already says).
 */
export function isMappedChange(
  config: SyncConfig,
  object: SalesforceObject,
  changedFields: readonly string[],
): boolean {
  const section = sectionFor(config, object);
  const relevant = new Set(
    [
      section.match.salesforce,
      ...section.fields.map((f) => f.salesforce),
      ...section.filters.all.map((c) => c.field),
      ...section.filters.any.map((c) => c.field),
      ...(object === 'Contact' && config.users.organizationMembership ? ['AccountId'] : []),
    ].map((n) => n.toLowerCase()),
  );
  return changedFields.some((changed) => changeAliases(object, changed).some((alias) => relevant.has(alias)));
}
