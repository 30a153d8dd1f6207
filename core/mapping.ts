// Field mapping: turns a Salesforce record into the Zendesk changes for one organization or user.
// Salesforce is the source of truth: mapped Zendesk fields are overwritten (an empty Salesforce value
// clears them with null), except tags, email and phone, which are only appended (emails become secondary
// identities), so they are returned as lists to add rather than as field values.
//
// No value is dropped: a value Zendesk cannot hold (a picklist value without a dropdown option, a
// multi-picklist value the values: map does not cover, a phone Zendesk would refuse, a name that is too
// long, …) becomes a `problem`, and a pass with any problem fails before its first write
// (ValueNotRepresentable, activities/sync/fetch-and-plan.ts).
import type { FieldMapping, ObjectSyncConfig, PhoneRule, PickRule } from './config/schema';
import type { ZendeskFieldDef } from './config/check-schemas';
import { customFieldsProperty, parseZendeskTarget, type SyncKind } from './config/targets';
import { describeOptions, findOption } from './options';
import { isE164, toE164 } from './phone';
import {
  getFieldValue,
  isEmptyValue,
  parseSalesforceTime,
  splitMultiPicklist,
  toBoolean,
  toNumber,
  type SalesforceRecord,
} from './record';
import { normaliseTags } from './tags';

export type ZendeskValue = string | number | boolean | string[] | null;

/** Why a value has no place in Zendesk. A stable vocabulary: it is in failure details and metrics. */
export type UnrepresentableReason =
  | 'no-option'
  | 'unmapped-value'
  | 'no-pick'
  | 'not-a-number'
  | 'not-an-integer'
  | 'not-a-boolean'
  | 'not-a-date'
  | 'required'
  | 'too-long'
  | 'phone-unparseable'
  | 'phone-not-e164'
  | 'no-field'
  | 'bad-target';

/**
 * A mapped value Zendesk cannot hold. Everything but `value` names fields, rules and Zendesk's schema
 * (option values, limits), never record data, so it may go into failure messages; `value` (which can
 * be a phone or a name) goes only into failure details, which are payloads and get encrypted.
 */
export interface UnrepresentableValue {
  /** The Salesforce field, as configured (`Industry`). */
  salesforce: string;
  /** The Zendesk target, as configured (`organization_fields.industry`, `phone`). */
  zendesk: string;
  reason: UnrepresentableReason;
  /** What Zendesk (or the configured rule) accepts there, e.g. the dropdown's options. */
  accepts: string;
  /** The offending value (for a multi-picklist, the selected values that have no place). */
  value: unknown;
}

export interface ZendeskChanges {
  /** Standard fields plus `organization_fields` / `user_fields` (custom field key -> value). */
  fields: Record<string, ZendeskValue | Record<string, ZendeskValue>>;
  tagsToAdd: string[];
  emailsToAdd: string[];
  phonesToAdd: string[];
  /** The Salesforce record Id when `externalId: true`. */
  externalId?: string;
  /** Values with no place in Zendesk (their fields are left out of `fields`); a pass with any fails. */
  problems: UnrepresentableValue[];
}

/** What mapping needs beyond the field list: the phone rule and what Zendesk's settings allow. */
export interface MappingOptions {
  /** `users.phone`: send phones as they are, or normalised to E.164. */
  phone?: PhoneRule;
  /** Zendesk's "Validate user phone numbers" is on: it refuses any phone that is not E.164. */
  zendeskValidatesPhones?: boolean;
}

/**
 * Longest values Zendesk accepts, where a source documents one. A user's name: Zendesk answers 422
 * RecordInvalid for 256 characters or more (seen by GOV.UK's support app, which now drops such
 * requests: https://github.com/alphagov/support/pull/323). No public limit was found for organization
 * names or custom text fields (Salesforce's own Account.Name is at most 255 characters), so none is
 * enforced there.
 */
export const ZENDESK_MAX_LENGTH: Readonly<Partial<Record<`${SyncKind}.${string}`, number>>> = {
  'user.name': 255,
};

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

type Problem = Pick<UnrepresentableValue, 'reason' | 'accepts' | 'value'>;
type Converted = { value: ZendeskValue } | { problem: Problem };

const problem = (reason: UnrepresentableReason, accepts: string, value: unknown): { problem: Problem } => ({
  problem: { reason, accepts, value },
});

function textOf(value: unknown): string | null {
  if (isEmptyValue(value)) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A selected multi-picklist value and where `values:` sends it (null: left out on purpose; undefined: not in the map). */
interface Selected {
  from: string;
  to: string | null | undefined;
}

function selectedValues(m: FieldMapping, value: unknown): Selected[] {
  const values = m.values ?? {};
  return splitMultiPicklist(value).map((from) => ({
    from,
    to: Object.prototype.hasOwnProperty.call(values, from) ? values[from] : undefined,
  }));
}

/** The problem of selected values the values: map does not cover, if any. */
function unmappedProblem(m: FieldMapping, selected: Selected[]): { problem: Problem } | undefined {
  const unmapped = selected.filter((s) => s.to === undefined).map((s) => s.from);
  if (unmapped.length === 0) return undefined;
  const keys = Object.keys(m.values ?? {});
  return problem(
    'unmapped-value',
    `a value listed in its values: map (${keys.join(', ') || 'empty'}); map the others, or to null to leave them out`,
    unmapped,
  );
}

/** The value a dropdown takes from several selected ones, by the mapping's pick: rule. */
function pickOne(pick: PickRule | undefined, candidates: Selected[]): Selected | undefined {
  if (candidates.length === 1) return candidates[0];
  if (pick === 'first') return candidates[0];
  if (pick === 'last') return candidates[candidates.length - 1];
  if (Array.isArray(pick)) {
    for (const wanted of pick) {
      const hit = candidates.find((c) => c.from === wanted);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** Multi-picklist values mapped to `tags` or a text field: every selected value, translated when mapped. */
function mappedTexts(m: FieldMapping, value: unknown): { values: string[] } | { problem: Problem } {
  if (!m.values) return { values: splitMultiPicklist(value) };
  const selected = selectedValues(m, value);
  const unmapped = unmappedProblem(m, selected);
  if (unmapped) return unmapped;
  return { values: selected.flatMap((s) => (typeof s.to === 'string' ? [s.to] : [])) };
}

/** Zendesk `domain_names` from a website/domain text: bare host names, lowercase. */
function domainNames(value: unknown): string[] {
  const text = textOf(value);
  if (text === null) return [];
  const out: string[] = [];
  for (const part of text.split(/[\s,;]+/)) {
    const host = part
      .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
      .replace(/[/?#].*$/, '')
      .replace(/:\d+$/, '')
      .toLowerCase();
    if (host !== '' && !out.includes(host)) out.push(host);
  }
  return out;
}

function optionsText(def: ZendeskFieldDef): string {
  return `an option of Zendesk ${def.type} '${def.key}': ${describeOptions(def)}`;
}

function toDropdown(def: ZendeskFieldDef, m: FieldMapping, value: unknown): Converted {
  if (m.values) {
    // A multi-picklist: the dropdown holds one option, chosen by the mapping's pick: rule.
    const selected = selectedValues(m, value);
    const unmapped = unmappedProblem(m, selected);
    if (unmapped) return unmapped;
    const candidates = selected.filter((s) => s.to !== null);
    if (candidates.length === 0) return { value: null };
    const chosen = pickOne(m.pick, candidates);
    if (!chosen) {
      return problem(
        'no-pick',
        Array.isArray(m.pick)
          ? `one of the values its pick: list names (${m.pick.join(', ')})`
          : 'one value, or a pick: rule that says which of several wins',
        candidates.map((c) => c.from),
      );
    }
    const option = (def.custom_field_options ?? []).find((o) => o.value === chosen.to);
    return option ? { value: option.value } : problem('no-option', optionsText(def), chosen.from);
  }
  const text = textOf(value);
  if (text === null) return { value: null };
  const option = findOption(def, text);
  return option ? { value: option.value } : problem('no-option', optionsText(def), text);
}

function toMultiselect(def: ZendeskFieldDef, m: FieldMapping, value: unknown): Converted {
  if (isEmptyValue(value)) return { value: null };
  const selected = selectedValues(m, value);
  const unmapped = unmappedProblem(m, selected);
  if (unmapped) return unmapped;
  const options = def.custom_field_options ?? [];
  const out: string[] = [];
  for (const s of selected) {
    if (typeof s.to !== 'string') continue;
    // The option may have been removed in Zendesk since the configuration was checked.
    if (!options.some((o) => o.value === s.to)) return problem('no-option', optionsText(def), s.from);
    if (!out.includes(s.to)) out.push(s.to);
  }
  return { value: out };
}

function toDate(value: unknown): Converted {
  if (isEmptyValue(value)) return { value: null };
  if (typeof value === 'string' && DATE_ONLY.test(value.trim())) return { value: value.trim() };
  const ms = parseSalesforceTime(value);
  // a datetime becomes its UTC calendar date: Salesforce stores datetimes in UTC
  if (ms === undefined) return problem('not-a-date', 'a date (YYYY-MM-DD)', value);
  return { value: new Date(ms).toISOString().slice(0, 10) };
}

function convertCustom(def: ZendeskFieldDef, m: FieldMapping, value: unknown): Converted {
  switch (def.type) {
    case 'dropdown':
      return toDropdown(def, m, value);
    case 'multiselect':
      return toMultiselect(def, m, value);
    case 'decimal':
    case 'integer': {
      if (isEmptyValue(value)) return { value: null };
      const n = toNumber(value);
      if (n === undefined) return problem('not-a-number', `a number (${def.type} field)`, value);
      if (def.type === 'integer' && !Number.isInteger(n))
        return problem('not-an-integer', 'a whole number (integer field)', value);
      return { value: n };
    }
    case 'checkbox': {
      if (value === null || value === undefined) return { value: null };
      const b = toBoolean(value);
      return b === undefined
        ? problem('not-a-boolean', 'true or false (checkbox field)', value)
        : { value: b };
    }
    case 'date':
      return toDate(value);
    default: {
      if (m.values) {
        const mapped = mappedTexts(m, value);
        if ('problem' in mapped) return mapped;
        return { value: mapped.values.length ? mapped.values.join(';') : null };
      }
      return { value: textOf(value) };
    }
  }
}

/** Checks a phone against the configured rule and Zendesk's validation; returns what to send. */
function convertPhone(text: string, options: MappingOptions): { phone: string } | { problem: Problem } {
  let phone = text;
  const rule = options.phone;
  if (rule?.normalise === 'e164') {
    const e164 = toE164(text, rule.defaultRegion);
    if (e164 === undefined) {
      const region = rule.defaultRegion
        ? `numbers without a country code are read as ${rule.defaultRegion}`
        : 'no users.phone.defaultRegion is set, so a number needs its +country code';
      return problem(
        'phone-unparseable',
        `a valid phone number for rule users.phone.normalise: e164 (${region})`,
        text,
      );
    }
    phone = e164;
  }
  if (options.zendeskValidatesPhones && !isE164(phone)) {
    return problem(
      'phone-not-e164',
      `E.164 only (+, country code, at most 15 digits), because "Validate user phone numbers" is on in Zendesk; set users.phone.normalise: e164 to convert`,
      text,
    );
  }
  return { phone };
}

/**
 * The Zendesk changes for one Salesforce record. `zendeskFieldDefs` are the custom field definitions of
 * the target object (organization_fields or user_fields), needed to convert values to each field's type.
 */
export function buildZendeskChanges(
  kind: SyncKind,
  config: Pick<ObjectSyncConfig, 'fields' | 'externalId'>,
  record: SalesforceRecord,
  zendeskFieldDefs: readonly ZendeskFieldDef[],
  options: MappingOptions = {},
): ZendeskChanges {
  const fields: ZendeskChanges['fields'] = {};
  const custom: Record<string, ZendeskValue> = {};
  const tags: string[] = [];
  const emails: string[] = [];
  const phones: string[] = [];
  const problems: UnrepresentableValue[] = [];

  for (const m of config.fields) {
    const value = getFieldValue(record, m.salesforce);
    const fail = (p: Problem) => problems.push({ salesforce: m.salesforce, zendesk: m.zendesk, ...p });
    const target = parseZendeskTarget(kind, m.zendesk);
    if ('error' in target) {
      fail({ reason: 'bad-target', accepts: target.error, value });
      continue;
    }
    if (target.kind === 'checkboxes') {
      // One checkbox per value: checked when the value is selected, cleared when it is not.
      const selected = selectedValues(m, value);
      const unmapped = unmappedProblem(m, selected);
      if (unmapped) {
        fail(unmapped.problem);
        continue;
      }
      const chosen = new Set(selected.map((s) => s.from));
      const prefix = `${customFieldsProperty(kind)}.`;
      for (const [from, to] of Object.entries(m.values ?? {})) {
        if (typeof to !== 'string' || !to.startsWith(prefix)) continue;
        const key = to.slice(prefix.length);
        if (!zendeskFieldDefs.some((d) => d.key === key)) {
          fail({
            reason: 'no-field',
            accepts: `an existing field: Zendesk has no ${kind} field '${key}'`,
            value: from,
          });
          continue;
        }
        custom[key] = chosen.has(from);
      }
      continue;
    }
    if (target.kind === 'custom') {
      const def = zendeskFieldDefs.find((d) => d.key === target.key);
      if (!def) {
        fail({
          reason: 'no-field',
          accepts: `an existing field: Zendesk has no ${kind} field '${target.key}'`,
          value,
        });
        continue;
      }
      const converted = convertCustom(def, m, value);
      if ('problem' in converted) fail(converted.problem);
      else custom[target.key] = converted.value;
      continue;
    }
    switch (target.field) {
      case 'tags': {
        // a multi-picklist gives one tag per selected value; ';' cannot appear in other tags meaningfully
        const mapped = m.values ? mappedTexts(m, value) : { values: splitMultiPicklist(textOf(value) ?? '') };
        if ('problem' in mapped) fail(mapped.problem);
        else tags.push(...mapped.values);
        break;
      }
      case 'email': {
        const email = textOf(value)?.trim().toLowerCase();
        if (email && !emails.includes(email)) emails.push(email);
        break;
      }
      case 'phone': {
        const text = textOf(value)?.trim();
        if (!text) break;
        const converted = convertPhone(text, options);
        if ('problem' in converted) fail(converted.problem);
        else if (!phones.includes(converted.phone)) phones.push(converted.phone);
        break;
      }
      case 'domain_names':
        fields.domain_names = domainNames(value);
        break;
      case 'name': {
        // Zendesk has no nameless organization or user: an empty name cannot be sent (nor left stale silently)
        const name = textOf(value);
        const max = ZENDESK_MAX_LENGTH[`${kind}.name`];
        if (name === null)
          fail({ reason: 'required', accepts: `a non-empty name (every Zendesk ${kind} has one)`, value });
        else if (max !== undefined && [...name].length > max)
          fail({
            reason: 'too-long',
            accepts: `at most ${max} characters (the value has ${[...name].length})`,
            value,
          });
        else fields.name = name;
        break;
      }
      case 'external_id': {
        // Zendesk compares external ids trimmed and case-insensitively; an empty value clears the field
        // (Salesforce is the source), and a taken one fails the pass (write-zendesk.ts, ExternalIdTaken).
        const text = textOf(value)?.trim();
        fields.external_id = text ? text : null;
        break;
      }
      default:
        fields[target.field] = textOf(value);
    }
  }

  if (Object.keys(custom).length > 0) fields[customFieldsProperty(kind)] = custom;
  const changes: ZendeskChanges = {
    fields,
    tagsToAdd: normaliseTags(tags),
    emailsToAdd: emails,
    phonesToAdd: phones,
    problems,
  };
  if (config.externalId) {
    const id = getFieldValue(record, 'Id');
    if (typeof id === 'string' && id !== '') changes.externalId = id;
  }
  return changes;
}

const REASON_TEXT: Record<UnrepresentableReason, string> = {
  'no-option': 'the value matches no option',
  'unmapped-value': 'a selected value is not in the values: map',
  'no-pick': 'several values are selected and no pick: rule chooses one',
  'not-a-number': 'the value is not a number',
  'not-an-integer': 'the value is not a whole number',
  'not-a-boolean': 'the value is not true or false',
  'not-a-date': 'the value is not a date',
  required: 'the value is empty',
  'too-long': 'the value is too long',
  'phone-unparseable': 'the number cannot be read as a phone number',
  'phone-not-e164': 'the number is not in E.164 format',
  'no-field': 'the Zendesk field does not exist',
  'bad-target': 'the mapping target is invalid',
};

/**
 * One line per problem for failure messages and logs: field names, the reason and what Zendesk
 * accepts, never the value (`Industry → organization_fields.industry: the value matches no option;
 * Zendesk accepts an option of …`).
 */
export function describeProblem(
  p: Pick<UnrepresentableValue, 'salesforce' | 'zendesk' | 'reason' | 'accepts'>,
): string {
  return `${p.salesforce} → ${p.zendesk}: ${REASON_TEXT[p.reason]}; Zendesk accepts ${p.accepts}`;
}
