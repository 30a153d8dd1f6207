/**
 * Custom organization/user field definitions and the validation Zendesk applies to values written into
 * `organization_fields` / `user_fields`. Unknown keys are ignored (Zendesk drops them silently); `null`
 * clears a value.
 */
import { DetailCollector, fieldError } from './errors';
import type { ZendeskStore } from './store';
import { FIELD_TYPES, type FieldDefinition, type FieldOwner, type FieldType, type FieldValue } from './types';

const KEY_PATTERN = /^[A-Za-z0-9_]+$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface FieldInput {
  key?: unknown;
  type?: unknown;
  title?: unknown;
  description?: unknown;
  active?: unknown;
  position?: unknown;
  regexp_for_validation?: unknown;
  tag?: unknown;
  custom_field_options?: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Creates a field definition, with the checks Zendesk makes on key, type and options. */
export function createFieldDefinition(
  store: ZendeskStore,
  owner: FieldOwner,
  input: FieldInput,
): FieldDefinition {
  const problems = new DetailCollector();
  const key = typeof input.key === 'string' ? input.key : '';
  const type = (input.type ?? 'text') as FieldType;
  const title = typeof input.title === 'string' ? input.title : '';
  if (!KEY_PATTERN.test(key) || /^\d+$/.test(key))
    problems.add(
      'key',
      'InvalidValue',
      'Key: must contain only letters, numbers and underscores, and cannot be only numbers',
    );
  else if (store.fieldsOf(owner).some((f) => f.key === key))
    problems.add('key', 'DuplicateValue', 'Key: has already been taken');
  if (!FIELD_TYPES.includes(type))
    problems.add(
      'type',
      'InvalidValue',
      `Type: ${String(input.type)} is not a valid field type (${FIELD_TYPES.join(', ')})`,
    );
  if (title.trim() === '') problems.add('title', 'BlankValue', 'Title: cannot be blank');
  const options: FieldDefinition['custom_field_options'] = [];
  if (type === 'dropdown' || type === 'multiselect') {
    const raw = Array.isArray(input.custom_field_options) ? input.custom_field_options : [];
    if (raw.length === 0)
      problems.add(
        'custom_field_options',
        'BlankValue',
        `Custom field options: a ${type} field needs at least one option`,
      );
    const seen = new Set<string>();
    raw.forEach((opt, position) => {
      const name = isRecord(opt) && typeof opt.name === 'string' ? opt.name : '';
      const value = isRecord(opt) && typeof opt.value === 'string' ? opt.value : '';
      if (name === '' || value === '')
        problems.add(
          'custom_field_options',
          'InvalidValue',
          `Custom field options: option ${position} needs a name and a value`,
        );
      else if (seen.has(value))
        problems.add(
          'custom_field_options',
          'DuplicateValue',
          `Custom field options: value ${value} is used twice`,
        );
      seen.add(value);
      options.push({ id: store.nextId('option'), name, value, position });
    });
  }
  let regexp: string | null = null;
  if (type === 'regexp') {
    regexp = typeof input.regexp_for_validation === 'string' ? input.regexp_for_validation : '';
    try {
      new RegExp(regexp);
    } catch {
      problems.add(
        'regexp_for_validation',
        'InvalidValue',
        `Regexp for validation: ${regexp} is not a valid regular expression`,
      );
    }
    if (regexp === '')
      problems.add(
        'regexp_for_validation',
        'BlankValue',
        'Regexp for validation: cannot be blank for a regexp field',
      );
  }
  problems.throwIfAny();
  const now = store.timestamp();
  const existing = store.fieldsOf(owner);
  const definition: FieldDefinition = {
    id: store.nextId('field'),
    owner,
    key,
    type,
    title,
    description: typeof input.description === 'string' ? input.description : '',
    active: input.active !== false,
    position: typeof input.position === 'number' ? input.position : existing.length,
    regexp_for_validation: regexp,
    tag: type === 'checkbox' && typeof input.tag === 'string' ? input.tag : null,
    custom_field_options: options,
    created_at: now,
    updated_at: now,
  };
  store.fields.set(definition.id, definition);
  store.changed();
  return definition;
}

function isValidDate(text: string): boolean {
  const m = DATE_PATTERN.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Returns the normalised value or a human description of why it is invalid. */
function coerce(
  def: FieldDefinition,
  value: unknown,
): { ok: true; value: FieldValue } | { ok: false; why: string } {
  if (value === null) return { ok: true, value: null };
  const shown = JSON.stringify(value);
  switch (def.type) {
    case 'text':
    case 'textarea':
      if (typeof value === 'string') return { ok: true, value };
      if (typeof value === 'number' || typeof value === 'boolean') return { ok: true, value: String(value) };
      return { ok: false, why: `${shown} is not text` };
    case 'checkbox':
      return typeof value === 'boolean'
        ? { ok: true, value }
        : { ok: false, why: `${shown} is not true or false` };
    case 'date':
      return typeof value === 'string' && isValidDate(value)
        ? { ok: true, value }
        : { ok: false, why: `${shown} is not a date in YYYY-MM-DD format` };
    case 'integer': {
      const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      return typeof n === 'number' && Number.isSafeInteger(n)
        ? { ok: true, value: n }
        : { ok: false, why: `${shown} is not an integer` };
    }
    case 'decimal': {
      const n = typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n)
        ? { ok: true, value: n }
        : { ok: false, why: `${shown} is not a decimal number` };
    }
    case 'regexp':
      return typeof value === 'string' && new RegExp(def.regexp_for_validation ?? '').test(value)
        ? { ok: true, value }
        : { ok: false, why: `${shown} does not match ${def.regexp_for_validation ?? ''}` };
    case 'dropdown': {
      if (value === '') return { ok: true, value: null };
      const allowed = def.custom_field_options.map((o) => o.value);
      return typeof value === 'string' && allowed.includes(value)
        ? { ok: true, value }
        : { ok: false, why: `${shown} is not one of the option values (${allowed.join(', ')})` };
    }
    case 'multiselect': {
      const allowed = def.custom_field_options.map((o) => o.value);
      if (!Array.isArray(value)) return { ok: false, why: `${shown} is not an array of option values` };
      const bad = value.filter((v) => typeof v !== 'string' || !allowed.includes(v));
      return bad.length === 0
        ? { ok: true, value: [...new Set(value as string[])] }
        : { ok: false, why: `${JSON.stringify(bad)} are not option values (${allowed.join(', ')})` };
    }
  }
}

/**
 * Merges `incoming` into `current`, validating each known key against its definition. Throws one 422
 * RecordInvalid listing every bad value.
 */
export function applyFieldValues(
  store: ZendeskStore,
  owner: FieldOwner,
  current: Record<string, FieldValue>,
  incoming: unknown,
): Record<string, FieldValue> {
  if (incoming === undefined) return current;
  const property = owner === 'organization' ? 'organization_fields' : 'user_fields';
  if (!isRecord(incoming))
    throw fieldError(property, 'InvalidValue', `${property} must be an object keyed by field key`);
  const byKey = new Map(store.fieldsOf(owner).map((f) => [f.key, f]));
  const next = { ...current };
  const problems = new DetailCollector();
  for (const [key, value] of Object.entries(incoming)) {
    const def = byKey.get(key);
    if (!def) continue;
    const result = coerce(def, value);
    if (result.ok) next[key] = result.value;
    else problems.add(key, 'InvalidValue', `${def.title}: ${result.why}`);
  }
  problems.throwIfAny();
  return next;
}

/** The value map Zendesk returns: every defined field, `null` (checkbox: false) where nothing is set. */
export function renderFieldValues(
  store: ZendeskStore,
  owner: FieldOwner,
  values: Record<string, FieldValue>,
): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const def of store.fieldsOf(owner))
    out[def.key] = values[def.key] ?? (def.type === 'checkbox' ? false : null);
  return out;
}
