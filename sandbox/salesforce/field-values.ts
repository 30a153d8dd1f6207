/**
 * Turns the JSON body of a write into stored field values the way Salesforce does: field names are
 * case-insensitive, scalars are coerced like its JSON deserializer (Jackson) would, and every rule that a
 * real org enforces on write (read-only, required, restricted picklists, lengths, references) is checked.
 */
import { SalesforceApiError } from './errors';
import { normalizeId } from './ids';
import {
  isCreateable,
  isRequired,
  isUpdateable,
  RECORD_TYPE_KEY_PREFIX,
  USER_KEY_PREFIX,
  type FieldDef,
  type OrgSchema,
  type SObjectName,
} from './schema';

export type WriteMode = 'insert' | 'update';

/** What validation needs to know about the rest of the org. */
export interface ReferenceResolver {
  /** The id exists and is not deleted. */
  exists(objectName: SObjectName, id18: string): boolean;
  readonly userId: string;
  /** The org's objects under its current settings (person accounts on or off). */
  readonly schema: OrgSchema;
}

const jacksonToken = (value: unknown): string => {
  if (Array.isArray(value)) return 'START_ARRAY';
  if (value !== null && typeof value === 'object') return 'START_OBJECT';
  if (typeof value === 'string') return 'VALUE_STRING';
  if (typeof value === 'boolean') return value ? 'VALUE_TRUE' : 'VALUE_FALSE';
  if (typeof value === 'number') return Number.isInteger(value) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
  return 'VALUE_NULL';
};

const preview = (value: unknown): string => {
  if (Array.isArray(value)) return '[';
  if (value !== null && typeof value === 'object') return '{';
  return String(value);
};

const JAVA_TYPE: Partial<Record<FieldDef['type'], string>> = {
  boolean: 'boolean',
  int: 'int',
  double: 'double',
  percent: 'double',
  currency: 'double',
  date: 'date',
  datetime: 'datetime',
};

function parserError(field: FieldDef, value: unknown): SalesforceApiError {
  const javaType = JAVA_TYPE[field.type] ?? 'string';
  return new SalesforceApiError(
    400,
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${javaType} from ${jacksonToken(value)} value ${preview(value)} or request may be missing a required field`,
  );
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Salesforce's datetime format on the wire: `2024-01-01T00:00:00.000+0000` (UTC). */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

function isRealDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Scalar coercion (the deserialization step). Empty strings become null, as Salesforce stores them. */
function coerce(field: FieldDef, value: unknown): unknown {
  // A compound address is read-only; writing it fails on field-level security (pass 2), whatever the value.
  if (field.type === 'address') return value;
  if (value === null) return field.type === 'boolean' ? false : null;
  if (typeof value === 'object') throw parserError(field, value);
  switch (field.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw parserError(field, value);
    case 'int': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n === 'number' && Number.isInteger(n)) return n;
      throw parserError(field, value);
    }
    case 'double':
    case 'percent':
    case 'currency': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n === 'number' && Number.isFinite(n)) return n;
      throw parserError(field, value);
    }
    case 'date': {
      if (value === '') return null;
      const m = typeof value === 'string' ? DATE.exec(value) : null;
      if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) throw parserError(field, value);
      return value;
    }
    case 'datetime': {
      if (value === '') return null;
      const m = typeof value === 'string' ? DATETIME.exec(value) : null;
      if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) throw parserError(field, value);
      const zone = m[8] ?? 'Z';
      const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}.${(m[7] ?? '0').padEnd(3, '0').slice(0, 3)}${zone}`;
      const ms = Date.parse(iso.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      if (Number.isNaN(ms)) throw parserError(field, value);
      return formatDateTime(ms);
    }
    default: {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return text === '' ? null : text;
    }
  }
}

const fieldError = (code: string, message: string, field: FieldDef) =>
  new SalesforceApiError(400, code, message, [field.name]);

/** Rules that need the coerced value: lengths, picklists, emails, references. */
function checkValue(
  objectName: SObjectName,
  field: FieldDef,
  value: unknown,
  refs: ReferenceResolver,
): unknown {
  if (value === null || value === undefined) return value;
  if (field.picklist?.restricted && typeof value === 'string') {
    // Restricted picklists take only active values, matched exactly (API names are case-sensitive).
    const allowed = new Set(field.picklist.values.filter((v) => v.active !== false).map((v) => v.value));
    const parts = field.type === 'multipicklist' ? value.split(';').map((p) => p.trim()) : [value];
    const bad = parts.find((p) => !allowed.has(p));
    if (bad !== undefined)
      throw fieldError(
        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        `${field.label}: bad value for restricted picklist field: ${bad}`,
        field,
      );
  }
  if (field.type === 'multipicklist' && typeof value === 'string') {
    value = [...new Set(value.split(';').map((p) => p.trim()))].filter((p) => p !== '').join(';') || null;
  }
  if (
    typeof value === 'string' &&
    field.length !== undefined &&
    field.type !== 'reference' &&
    value.length > field.length
  ) {
    throw fieldError(
      'STRING_TOO_LONG',
      `${field.label}: data value too large: ${value.slice(0, 60)} (max length=${field.length})`,
      field,
    );
  }
  if (typeof value === 'number') value = checkNumber(field, value);
  if (field.type === 'email' && typeof value === 'string' && !EMAIL.test(value)) {
    throw fieldError('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${value}`, field);
  }
  if (field.type === 'reference' && typeof value === 'string')
    return checkReference(objectName, field, value, refs);
  return value;
}

/** Precision/scale (double, currency) and digits (int): too many integer digits fail; decimals round to scale. */
function checkNumber(field: FieldDef, value: number): number {
  const integerDigits =
    field.type === 'int' ? (field.digits ?? 9) : (field.precision ?? 18) - (field.scale ?? 0);
  if (Math.abs(value) >= 10 ** integerDigits) {
    throw fieldError(
      'NUMBER_OUTSIDE_VALID_RANGE',
      `${field.label}: value outside of valid range on numeric field: ${value}`,
      field,
    );
  }
  if (field.type === 'int') return value;
  const factor = 10 ** (field.scale ?? 0);
  return Math.round(value * factor) / factor;
}

function checkReference(
  objectName: SObjectName,
  field: FieldDef,
  value: string,
  refs: ReferenceResolver,
): string {
  const id = normalizeId(value);
  const incorrectType = `${field.label}: id value of incorrect type: ${value}`;
  if (id === undefined) throw fieldError('MALFORMED_ID', incorrectType, field);
  const target = field.referenceTo?.[0];
  if (target === 'User') {
    if (!id.startsWith(USER_KEY_PREFIX)) throw fieldError('FIELD_INTEGRITY_EXCEPTION', incorrectType, field);
    if (!refs.exists('User', id))
      throw fieldError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', field);
    return id;
  }
  if (target === 'RecordType') {
    if (!id.startsWith(RECORD_TYPE_KEY_PREFIX))
      throw fieldError('FIELD_INTEGRITY_EXCEPTION', incorrectType, field);
    const known = refs.schema.objects[objectName].recordTypes.some(
      (rt) => rt.recordTypeId === id && !rt.master,
    );
    if (!known)
      throw fieldError(
        'INVALID_CROSS_REFERENCE_KEY',
        `Record Type ID: this ID value isn't valid for the user: ${value}`,
        field,
      );
    return id;
  }
  const targetDef = target === undefined ? undefined : refs.schema.objects[target as SObjectName];
  if (!targetDef) return id;
  if (!id.startsWith(targetDef.keyPrefix))
    throw fieldError('FIELD_INTEGRITY_EXCEPTION', incorrectType, field);
  if (!refs.exists(targetDef.name, id))
    throw fieldError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', field);
  return id;
}

/** Keys that ride along in request bodies but are not fields. */
const IGNORED_KEYS = new Set(['attributes']);

/**
 * Validates one record body for insert or update and returns the stored values keyed by canonical field
 * name. `recordId` is the record being updated (a record cannot be its own parent).
 */
export function prepareWrite(
  objectName: SObjectName,
  body: unknown,
  mode: WriteMode,
  refs: ReferenceResolver,
  opts: { recordId?: string } = {},
): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      `Cannot deserialize instance of ${objectName} from ${jacksonToken(body)} value ${preview(body)} or request may be missing a required field`,
    );
  }
  const entries = Object.entries(body as Record<string, unknown>).filter(([k]) => !IGNORED_KEYS.has(k));

  // Pass 1, like deserialization: unknown columns and value types fail the whole record first.
  const coerced: [FieldDef, unknown][] = [];
  for (const [key, raw] of entries) {
    const field = refs.schema.findField(objectName, key);
    if (!field)
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD',
        `No such column '${key}' on sobject of type ${objectName}`,
      );
    if (field.name === 'Id') {
      if (mode === 'insert')
        throw new SalesforceApiError(
          400,
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          'Record ID: cannot specify Id in an insert call',
          ['Id'],
        );
      // An update may repeat its own id in the body (composite collections require it).
      continue;
    }
    coerced.push([field, coerce(field, raw)]);
  }

  // Pass 2: field-level security (read-only and formula fields).
  const readOnly = coerced
    .filter(([f]) => (mode === 'insert' ? !isCreateable(f) : !isUpdateable(f)))
    .map(([f]) => f.name);
  if (readOnly.length > 0) {
    throw new SalesforceApiError(
      400,
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      readOnly,
    );
  }

  // Pass 3: required fields (missing on insert, or nulled on either).
  const given = new Map(coerced.map(([f, v]) => [f.name, v]));
  // A non-nillable field given as null is missing too, even one the platform would default (OwnerId, Status).
  const writable = (f: FieldDef) => (mode === 'insert' ? isCreateable(f) : isUpdateable(f));
  // A person account's Name comes from FirstName/LastName, so it is not required of it (store.ts checks LastName).
  const recordType = given.get('RecordTypeId');
  const personAccount =
    objectName === 'Account' &&
    typeof recordType === 'string' &&
    refs.schema.isPersonRecordType(normalizeId(recordType));
  const missing = refs.schema.objects[objectName].fields
    .filter((f) => f.nillable === false && writable(f) && f.type !== 'boolean')
    .filter((f) => !(personAccount && f.name === 'Name'))
    .filter((f) => (given.has(f.name) ? given.get(f.name) === null : mode === 'insert' && isRequired(f)))
    .map((f) => f.name);
  if (missing.length > 0) {
    throw new SalesforceApiError(
      400,
      'REQUIRED_FIELD_MISSING',
      `Required fields are missing: [${missing.join(', ')}]`,
      missing,
    );
  }

  // Pass 4: value rules and references.
  const values: Record<string, unknown> = {};
  for (const [field, value] of coerced) {
    values[field.name] = checkValue(objectName, field, value, refs);
    if (field.name === 'ParentId' && opts.recordId !== undefined && values.ParentId === opts.recordId) {
      throw fieldError(
        'FIELD_INTEGRITY_EXCEPTION',
        'Parent Account: You cannot set a parent that is this account itself',
        field,
      );
    }
  }
  return values;
}
