/**
 * Custom organization/user field definitions and the validation Zendesk applies to values written into
 * `organization_fields` / `user_fields`. Unknown keys are ignored (Zendesk drops them silently); `null`
 * clears a value.
 */
import { DetailCollector, fieldError } from './errors';
import type { ZendeskStore } from './store';
import {
  FIELD_TYPES,
  type FieldDefinition,
  type FieldOption,
  type FieldOwner,
  type FieldType,
  type FieldValue,
} from './types';

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
  const options =
    type === 'dropdown' || type === 'multiselect'
      ? readOptions(store, type, input.custom_field_options, [], problems)
      : [];
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

/**
 * A dropdown/multiselect option list as sent on create or update. An entry whose `id` names one of
 * `existing` updates that option; any other entry (a null or unknown id) is a new option, as the
 * options endpoint's "If an option exists for the given ID, the option will be updated. Otherwise, a
 * new option will be created" (OAS CreateOrUpdateUserFieldOption). Positions follow the list order.
 */
function readOptions(
  store: ZendeskStore,
  type: FieldType,
  raw: unknown,
  existing: FieldOption[],
  problems: DetailCollector,
): FieldOption[] {
  const list = Array.isArray(raw) ? raw : [];
  if (list.length === 0)
    problems.add(
      'custom_field_options',
      'BlankValue',
      `Custom field options: a ${type} field needs at least one option`,
    );
  const seen = new Set<string>();
  const options: FieldOption[] = [];
  list.forEach((opt, position) => {
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
    const id = isRecord(opt) && typeof opt.id === 'number' ? opt.id : undefined;
    const kept = id === undefined ? undefined : existing.find((o) => o.id === id);
    options.push({ id: kept?.id ?? store.nextId('option'), name, value, position });
  });
  return options;
}

/** Looks a field up by id or by key, as Zendesk's `{organization,user}_field_id` path parameter allows (OAS). */
export function findFieldDefinition(
  store: ZendeskStore,
  owner: FieldOwner,
  idOrKey: string,
): FieldDefinition | undefined {
  if (/^\d+$/.test(idOrKey)) {
    const byId = store.fields.get(Number(idOrKey));
    return byId?.owner === owner ? byId : undefined;
  }
  return store.fieldsOf(owner).find((f) => f.key === idOrKey);
}

/**
 * After an option list changed: values of removed options are removed from every organization/user
 * ("Options that are not passed will be removed. As a result, these values will be removed from any
 * organizations", OAS UpdateOrganizationField / UpdateUserField); an option whose value was edited
 * (same id) carries its records along.
 */
function reconcileOptionValues(store: ZendeskStore, def: FieldDefinition, before: FieldOption[]): void {
  const renamed = new Map<string, string>();
  for (const old of before) {
    const now = def.custom_field_options.find((o) => o.id === old.id);
    if (now && now.value !== old.value) renamed.set(old.value, now.value);
  }
  const kept = new Set(def.custom_field_options.map((o) => o.value));
  const fix = (v: string): string | undefined => {
    const next = renamed.get(v) ?? v;
    return kept.has(next) ? next : undefined;
  };
  const records =
    def.owner === 'organization'
      ? [...store.organizations.values()].map((r) => r.organization_fields)
      : [...store.users.values()].map((r) => r.user_fields);
  for (const values of records) {
    const current = values[def.key];
    if (typeof current === 'string') values[def.key] = fix(current) ?? null;
    else if (Array.isArray(current))
      values[def.key] = current.flatMap((v) => {
        const next = fix(v);
        return next === undefined ? [] : [next];
      });
  }
}

/**
 * `PUT /{organization,user}_fields/{id}`: title, description, active, position, the checkbox tag, the
 * regexp and the option list change; key and type never do ("Everything about a custom field is
 * editable except the field type and key", support.zendesk.com/hc/en-us/articles/4410715696410), so
 * they are ignored. `custom_field_options` replaces the whole list (OAS UpdateOrganizationField: "All
 * options must be passed on update. Options that are not passed will be removed").
 */
export function updateFieldDefinition(
  store: ZendeskStore,
  def: FieldDefinition,
  input: FieldInput,
): FieldDefinition {
  const problems = new DetailCollector();
  const next: FieldDefinition = { ...def };
  if (input.title !== undefined) {
    const title = typeof input.title === 'string' ? input.title : '';
    if (title.trim() === '') problems.add('title', 'BlankValue', 'Title: cannot be blank');
    next.title = title;
  }
  if (typeof input.description === 'string') next.description = input.description;
  if (typeof input.active === 'boolean') next.active = input.active;
  if (typeof input.position === 'number') next.position = input.position;
  if (def.type === 'checkbox' && (typeof input.tag === 'string' || input.tag === null)) next.tag = input.tag;
  if (def.type === 'regexp' && typeof input.regexp_for_validation === 'string') {
    try {
      new RegExp(input.regexp_for_validation);
      next.regexp_for_validation = input.regexp_for_validation;
    } catch {
      problems.add(
        'regexp_for_validation',
        'InvalidValue',
        `Regexp for validation: ${input.regexp_for_validation} is not a valid regular expression`,
      );
    }
  }
  const hasOptions = def.type === 'dropdown' || def.type === 'multiselect';
  if (hasOptions && input.custom_field_options !== undefined)
    next.custom_field_options = readOptions(
      store,
      def.type,
      input.custom_field_options,
      def.custom_field_options,
      problems,
    );
  problems.throwIfAny();
  next.updated_at = store.timestamp();
  store.fields.set(next.id, next);
  if (hasOptions) reconcileOptionValues(store, next, def.custom_field_options);
  store.changed();
  return next;
}

/** `DELETE /{organization,user}_fields/{id}`: the field and its values on every record go. */
export function deleteFieldDefinition(store: ZendeskStore, def: FieldDefinition): void {
  store.fields.delete(def.id);
  const records =
    def.owner === 'organization'
      ? [...store.organizations.values()].map((r) => r.organization_fields)
      : [...store.users.values()].map((r) => r.user_fields);
  for (const values of records) delete values[def.key];
  store.changed();
}

/**
 * `POST /user_fields/{id}/options` (OAS CreateOrUpdateUserFieldOption): with the id of one of the
 * field's options it updates that option, otherwise it adds one at the end. `created` says which
 * (201 or 200).
 */
export function upsertFieldOption(
  store: ZendeskStore,
  def: FieldDefinition,
  input: Record<string, unknown>,
): { option: FieldOption; created: boolean } {
  const existing =
    typeof input.id === 'number' ? def.custom_field_options.find((o) => o.id === input.id) : undefined;
  const list = existing
    ? def.custom_field_options.map((o) => (o.id === existing.id ? { ...o, ...pickOption(input, o) } : o))
    : [...def.custom_field_options, pickOption(input, undefined)];
  const updated = updateFieldDefinition(store, def, { custom_field_options: list });
  const option = existing
    ? updated.custom_field_options.find((o) => o.id === existing.id)!
    : updated.custom_field_options[updated.custom_field_options.length - 1]!;
  return { option, created: !existing };
}

function pickOption(input: Record<string, unknown>, base: FieldOption | undefined): Record<string, unknown> {
  return {
    ...(base ? { id: base.id } : {}),
    name: input.name ?? base?.name,
    value: input.value ?? base?.value,
  };
}

/** `DELETE /user_fields/{id}/options/{option_id}` (OAS DeleteUserFieldOption): its value leaves every user. */
export function deleteFieldOption(store: ZendeskStore, def: FieldDefinition, optionId: number): boolean {
  if (!def.custom_field_options.some((o) => o.id === optionId)) return false;
  const rest = def.custom_field_options.filter((o) => o.id !== optionId);
  if (rest.length === 0) {
    // The list endpoint refuses an empty list for a dropdown; deleting the last option empties it here.
    const next = { ...def, custom_field_options: [], updated_at: store.timestamp() };
    store.fields.set(def.id, next);
    reconcileOptionValues(store, next, def.custom_field_options);
    store.changed();
    return true;
  }
  updateFieldDefinition(store, def, { custom_field_options: rest });
  return true;
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
