// Field mapping: turns a Salesforce record into the Zendesk changes for one organization or user.
// Salesforce is the source of truth: mapped Zendesk fields are overwritten (an empty Salesforce value
// clears them with null), except tags, email and phone, which are only appended (emails become secondary
// identities), so they are returned as lists to add rather than as field values.
import type { FieldMapping, ObjectSyncConfig } from './config/schema';
import type { ZendeskFieldDef } from './config/check-schemas';
import { customFieldsProperty, parseZendeskTarget, type SyncKind } from './config/targets';
import {
  getFieldValue,
  isEmptyValue,
  parseSalesforceTime,
  splitMultiPicklist,
  toBoolean,
  toNumber,
  type SalesforceRecord,
} from './record';
import { normaliseTag, normaliseTags } from './tags';

export type ZendeskValue = string | number | boolean | string[] | null;

export interface ZendeskChanges {
  /** Standard fields plus `organization_fields` / `user_fields` (custom field key -> value). */
  fields: Record<string, ZendeskValue | Record<string, ZendeskValue>>;
  tagsToAdd: string[];
  emailsToAdd: string[];
  phonesToAdd: string[];
  /** The Salesforce record Id when `externalId: true`. */
  externalId?: string;
  /** Values that could not be converted (the field is left out of `fields`). */
  warnings: string[];
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function textOf(value: unknown): string | null {
  if (isEmptyValue(value)) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Selected multi-picklist values, translated through `values:` when given (unmapped values are dropped). */
function mappedValues(m: FieldMapping, value: unknown): string[] {
  const selected = splitMultiPicklist(value);
  if (!m.values) return selected;
  const values = m.values;
  return selected.flatMap((v) => (v in values ? [values[v] as string] : []));
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

type Converted = { value: ZendeskValue } | { warning: string };

function toDropdown(def: ZendeskFieldDef, m: FieldMapping, value: unknown): Converted {
  if (m.values) {
    // multi-picklist -> dropdown: a dropdown holds one option, so the last mapped selected value wins
    const mapped = mappedValues(m, value);
    return { value: mapped.length ? (mapped[mapped.length - 1] as string) : null };
  }
  const text = textOf(value);
  if (text === null) return { value: null };
  const options = def.custom_field_options ?? [];
  // The picklist API name may equal the option's tag (value), its display name, or its normalised tag.
  const option =
    options.find((o) => o.value === text) ??
    options.find((o) => o.name === text) ??
    options.find((o) => o.value === normaliseTag(text));
  if (!option) return { warning: `'${text}' matches no option of Zendesk dropdown '${def.key}'` };
  return { value: option.value };
}

function toDate(value: unknown): Converted {
  if (isEmptyValue(value)) return { value: null };
  if (typeof value === 'string' && DATE_ONLY.test(value.trim())) return { value: value.trim() };
  const ms = parseSalesforceTime(value);
  // a datetime becomes its UTC calendar date: Salesforce stores datetimes in UTC
  if (ms === undefined) return { warning: `'${textOf(value)}' is not a date` };
  return { value: new Date(ms).toISOString().slice(0, 10) };
}

function convertCustom(def: ZendeskFieldDef, m: FieldMapping, value: unknown): Converted {
  switch (def.type) {
    case 'dropdown':
      return toDropdown(def, m, value);
    case 'multiselect': {
      if (isEmptyValue(value)) return { value: null };
      return { value: [...new Set(mappedValues(m, value))] };
    }
    case 'decimal':
    case 'integer': {
      if (isEmptyValue(value)) return { value: null };
      const n = toNumber(value);
      if (n === undefined) return { warning: `'${textOf(value)}' is not a number` };
      if (def.type === 'integer' && !Number.isInteger(n)) return { warning: `${n} is not an integer` };
      return { value: n };
    }
    case 'checkbox': {
      if (value === null || value === undefined) return { value: null };
      const b = toBoolean(value);
      return b === undefined ? { warning: `'${textOf(value)}' is not true or false` } : { value: b };
    }
    case 'date':
      return toDate(value);
    default: {
      if (m.values && typeof value === 'string') {
        const mapped = mappedValues(m, value);
        return { value: mapped.length ? mapped.join(';') : null };
      }
      return { value: textOf(value) };
    }
  }
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
): ZendeskChanges {
  const fields: ZendeskChanges['fields'] = {};
  const custom: Record<string, ZendeskValue> = {};
  const tags: string[] = [];
  const emails: string[] = [];
  const phones: string[] = [];
  const warnings: string[] = [];

  for (const m of config.fields) {
    const value = getFieldValue(record, m.salesforce);
    const target = parseZendeskTarget(kind, m.zendesk);
    if ('error' in target) {
      warnings.push(`${m.salesforce} -> ${m.zendesk}: ${target.error}`);
      continue;
    }
    if (target.kind === 'custom') {
      const def = zendeskFieldDefs.find((d) => d.key === target.key);
      if (!def) {
        warnings.push(`${m.salesforce} -> ${m.zendesk}: Zendesk field '${target.key}' does not exist`);
        continue;
      }
      const converted = convertCustom(def, m, value);
      if ('warning' in converted) warnings.push(`${m.salesforce} -> ${m.zendesk}: ${converted.warning}`);
      else custom[target.key] = converted.value;
      continue;
    }
    switch (target.field) {
      case 'tags':
        // a multi-picklist gives one tag per selected value; ';' cannot appear in other tags meaningfully
        tags.push(...(m.values ? mappedValues(m, value) : splitMultiPicklist(textOf(value) ?? '')));
        break;
      case 'email': {
        const email = textOf(value)?.trim().toLowerCase();
        if (email && !emails.includes(email)) emails.push(email);
        break;
      }
      case 'phone': {
        const phone = textOf(value)?.trim();
        if (phone && !phones.includes(phone)) phones.push(phone);
        break;
      }
      case 'domain_names':
        fields.domain_names = domainNames(value);
        break;
      case 'name': {
        // Zendesk rejects a null name, so an empty name is left unchanged rather than cleared
        const name = textOf(value);
        if (name === null) warnings.push(`${m.salesforce} -> name: empty name is not sent`);
        else fields.name = name;
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
    warnings,
  };
  if (config.externalId) {
    const id = getFieldValue(record, 'Id');
    if (typeof id === 'string' && id !== '') changes.externalId = id;
  }
  return changes;
}
