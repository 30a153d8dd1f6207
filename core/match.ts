// Matching criteria and the field lists the sync reads. Only one criterion exists per sync (default
// Account Name -> organization name, Email -> email). Matching runs only for records not yet linked.
import type { MatchCriterion, PhoneRule, SyncConfig } from './config/schema';
import { parseMatchTarget, type SyncKind } from './config/targets';
import { toE164 } from './phone';
import { getFieldValue, type SalesforceRecord } from './record';
import type { SalesforceObject } from './salesforce-object';

/**
 * A Zendesk lookup for one record's counterpart. Name and external_id have exact-lookup endpoints; the
 * others go through Zendesk's Search API and every candidate is checked with `holdsMatchValue`.
 */
export type MatchLookup =
  | { kind: 'organization_by_name'; value: string }
  | { kind: 'organization_by_external_id'; value: string }
  | { kind: 'organization_by_domain'; value: string }
  | { kind: 'organization_by_custom_field'; key: string; value: string }
  | { kind: 'user_by_email'; value: string }
  | { kind: 'user_by_external_id'; value: string }
  | { kind: 'user_by_phone'; value: string }
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

// A host name: labels of letters, digits and hyphens, at least one dot (Zendesk's domain_names hold hosts).
const DOMAIN_SHAPE = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

/**
 * The host a domain_names match looks for: a Website such as `https://www.Acme.com/about` becomes
 * `acme.com` (scheme, path, port and a leading `www.` removed, lower case), as Zendesk stores domains.
 */
export function matchDomain(value: string): string {
  let host = value.trim().toLowerCase();
  host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  host = host.replace(/[/?#].*$/s, '').replace(/:\d+$/, '');
  if (host.startsWith('www.')) host = host.slice(4);
  return host.replace(/\.$/, '');
}

/** A phone number as matching compares it: the digits and a leading +, no spaces or punctuation. */
export function matchPhone(value: string): string {
  const trimmed = value.trim();
  return (trimmed.startsWith('+') ? '+' : '') + trimmed.replace(/\D/g, '');
}

export interface PlanMatchOptions {
  /** `users.phone`: with `normalise: e164`, a phone match looks for the E.164 form the sync writes. */
  phone?: PhoneRule;
}

/** A match value that cannot be a key of its kind: the message names the field, the value stays in details. */
function notAKey(match: MatchCriterion, what: string, value: string): MatchPlan {
  return {
    ok: false,
    reason: 'INVALID_MATCH_KEY',
    field: match.salesforce,
    message: `${match.salesforce} is not ${what}, so the record cannot be matched on ${match.zendesk}`,
    value,
  };
}

/** Which Zendesk lookup finds the record's counterpart, with the normalised value to look up. */
export function planMatch(
  kind: SyncKind,
  match: MatchCriterion,
  record: SalesforceRecord,
  options: PlanMatchOptions = {},
): MatchPlan {
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
        return notAKey(match, 'an email address', value);
      }
      return { ok: true, lookup: { kind: 'user_by_email', value } };
    case 'domain_names': {
      const domain = matchDomain(value);
      if (!DOMAIN_SHAPE.test(domain)) {
        return notAKey(match, 'a domain name', value);
      }
      return { ok: true, lookup: { kind: 'organization_by_domain', value: domain } };
    }
    case 'phone': {
      // The form the sync writes (users.phone.normalise), so a user it created is found again.
      const e164 =
        options.phone?.normalise === 'e164' ? toE164(value, options.phone.defaultRegion) : undefined;
      const phone = e164 ?? matchPhone(value);
      if (phone.replace('+', '').length < 3) {
        return notAKey(match, 'a phone number', value);
      }
      return { ok: true, lookup: { kind: 'user_by_phone', value: phone } };
    }
    case 'custom':
      return {
        ok: true,
        lookup: {
          kind: kind === 'organization' ? 'organization_by_custom_field' : 'user_by_custom_field',
          key: target.key,
          value,
        },
      };
  }
}

/** What of a Zendesk organization or user the exact check reads (the API's own shapes). */
export interface MatchCandidate {
  name?: string | null;
  external_id?: string | null;
  domain_names?: string[] | null;
  email?: string | null;
  phone?: string | null;
  organization_fields?: Record<string, unknown> | null;
  user_fields?: Record<string, unknown> | null;
}

/** A user's identities (`GET users/{id}/identities`): every email and phone the user holds. */
export interface MatchIdentity {
  type: string;
  value: string;
}

const sameText = (have: unknown, want: string): boolean =>
  typeof have === 'string' && have.trim().toLowerCase() === want.trim().toLowerCase();

/**
 * Whether a custom field value equals the match value. Text compares whole and case-insensitively (as
 * Zendesk compares names and external_ids); numbers by value; checkboxes as true/false; dates by day;
 * a multi-select holds the value among its options.
 */
export function sameFieldValue(have: unknown, want: string): boolean {
  if (Array.isArray(have)) return have.some((v) => sameFieldValue(v, want));
  if (typeof have === 'number') return want.trim() !== '' && Number(want) === have;
  if (typeof have === 'boolean') return String(have) === want.trim().toLowerCase();
  if (typeof have !== 'string') return false;
  const day = /^\d{4}-\d{2}-\d{2}/;
  if (day.test(have) && day.test(want.trim())) return have.slice(0, 10) === want.trim().slice(0, 10);
  return sameText(have, want);
}

/**
 * Whether a search candidate really holds the match value: search is tokenised, case-insensitive and
 * matches word prefixes, so "Acme" finds "Acme Corp" and a phrase finds any value containing it. Emails
 * and phones count when they are the user's primary one or any of its identities.
 */
export function holdsMatchValue(
  lookup: MatchLookup,
  candidate: MatchCandidate,
  identities: readonly MatchIdentity[] = [],
): boolean {
  switch (lookup.kind) {
    case 'organization_by_name':
      return sameText(candidate.name, lookup.value);
    case 'organization_by_external_id':
    case 'user_by_external_id':
      // Zendesk external_ids are case-insensitive ("company1" and "Company1" are the same, OAS).
      return sameText(candidate.external_id, lookup.value);
    case 'organization_by_domain':
      return (candidate.domain_names ?? []).some((d) => matchDomain(d) === lookup.value);
    case 'organization_by_custom_field':
      return sameFieldValue(candidate.organization_fields?.[lookup.key], lookup.value);
    case 'user_by_custom_field':
      return sameFieldValue(candidate.user_fields?.[lookup.key], lookup.value);
    case 'user_by_email':
      return (
        sameText(candidate.email, lookup.value) ||
        identities.some((i) => i.type === 'email' && sameText(i.value, lookup.value))
      );
    case 'user_by_phone': {
      const want = matchPhone(lookup.value);
      const same = (p: unknown) => typeof p === 'string' && matchPhone(p) === want;
      return same(candidate.phone) || identities.some((i) => i.type === 'phone_number' && same(i.value));
    }
  }
}

/** Lookups answered by Zendesk's Search API, which can lag a fresh write by minutes. */
export function isSearchLookup(lookup: MatchLookup): boolean {
  return !['organization_by_name', 'organization_by_external_id', 'user_by_external_id'].includes(
    lookup.kind,
  );
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
