// Sync filtering: decides whether a Salesforce record is in scope. Semantics of the native sync:
// - ALL group: every condition must hold. ANY group: at least one must hold; an empty ANY group passes.
//   No conditions at all: every record is in scope.
// - A value list "a,b" means "any of a or b" for positive operators and "none of a, b" for negative ones
//   (is_not, not_contains), like SOQL `IN` / `NOT IN`.
// - Values are case-sensitive.
// - An empty field (null or '') never equals, contains or starts with anything, so is / contains /
//   starts_with / greater_than / less_than fail on it, while is_not and not_contains pass (SOQL treats
//   null as a value: `Industry != 'Tech'` includes records whose Industry is null).
// - Numbers compare numerically and dates/datetimes chronologically; checkboxes compare as booleans.
// - Multi-picklist `is` means one of the configured values is among the selected values (SOQL
//   INCLUDES); `is_not` means none of them is selected (EXCLUDES). contains/starts_with test the raw
//   ';'-joined string.
import type { FilterCondition, Filters } from './config/schema';
import {
  getFieldValue,
  isEmptyValue,
  parseSalesforceTime,
  splitMultiPicklist,
  toBoolean,
  toNumber,
  type SalesforceRecord,
} from './record';

/** Salesforce describe() type per field API name (e.g. { Type: 'picklist', AnnualRevenue: 'currency' }). */
export type FieldTypes = Readonly<Record<string, string>>;

export interface FilterResult {
  pass: boolean;
  /** Why the record is out of scope (empty when it passes). */
  reasons: string[];
}

const NUMERIC = new Set(['int', 'long', 'double', 'percent', 'currency']);
const TIME = new Set(['date', 'datetime']);

function typeOf(fieldTypes: FieldTypes, field: string): string {
  if (field in fieldTypes) return fieldTypes[field] ?? 'string';
  const lower = field.toLowerCase();
  const key = Object.keys(fieldTypes).find((k) => k.toLowerCase() === lower);
  return (key && fieldTypes[key]) || 'string';
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function equals(type: string, recordValue: unknown, wanted: string): boolean {
  if (NUMERIC.has(type)) {
    const a = toNumber(recordValue);
    return a !== undefined && a === toNumber(wanted);
  }
  if (TIME.has(type)) {
    const a = parseSalesforceTime(recordValue);
    return a !== undefined && a === parseSalesforceTime(wanted);
  }
  if (type === 'boolean') return toBoolean(recordValue) === toBoolean(wanted);
  if (type === 'multipicklist') return splitMultiPicklist(recordValue).includes(wanted);
  return textOf(recordValue) === wanted;
}

function compare(type: string, recordValue: unknown, wanted: string): number | undefined {
  const [a, b] = TIME.has(type)
    ? [parseSalesforceTime(recordValue), parseSalesforceTime(wanted)]
    : [toNumber(recordValue), toNumber(wanted)];
  if (a === undefined || b === undefined) return undefined;
  return a - b;
}

/** Whether one condition holds for the record. */
export function evaluateCondition(
  condition: FilterCondition,
  record: SalesforceRecord,
  fieldTypes: FieldTypes,
): boolean {
  const type = typeOf(fieldTypes, condition.field);
  const value = getFieldValue(record, condition.field);
  // a checkbox is never empty: false is a value
  const empty = type === 'boolean' ? value === null || value === undefined : isEmptyValue(value);
  const wanted = (condition.value ?? '').split(',');
  switch (condition.operator) {
    case 'is_empty':
      return empty;
    case 'is_not_empty':
      return !empty;
    case 'is':
      return !empty && wanted.some((w) => equals(type, value, w));
    case 'is_not':
      return empty || !wanted.some((w) => equals(type, value, w));
    case 'contains':
      return !empty && wanted.some((w) => textOf(value).includes(w));
    case 'not_contains':
      return empty || !wanted.some((w) => textOf(value).includes(w));
    case 'starts_with':
      return !empty && wanted.some((w) => textOf(value).startsWith(w));
    case 'greater_than':
    case 'less_than': {
      if (empty) return false;
      const diff = compare(type, value, wanted[0] ?? '');
      if (diff === undefined) return false;
      return condition.operator === 'greater_than' ? diff > 0 : diff < 0;
    }
  }
}

function describe(c: FilterCondition, record: SalesforceRecord): string {
  const actual = getFieldValue(record, c.field);
  const shown = actual === undefined || actual === null ? 'empty' : JSON.stringify(actual);
  const expectation = c.value === undefined ? c.operator : `${c.operator} '${c.value}'`;
  return `${c.field} ${expectation} failed (value: ${shown})`;
}

/** Whether a record is in scope for the sync, with the reasons when it is not. */
export function evaluateFilters(
  filters: Filters,
  record: SalesforceRecord,
  fieldTypes: FieldTypes,
): FilterResult {
  const reasons: string[] = [];
  filters.all.forEach((c, i) => {
    if (!evaluateCondition(c, record, fieldTypes)) reasons.push(`all[${i}]: ${describe(c, record)}`);
  });
  if (filters.any.length > 0 && !filters.any.some((c) => evaluateCondition(c, record, fieldTypes))) {
    reasons.push(
      `any: none of the conditions hold (${filters.any.map((c) => describe(c, record)).join('; ')})`,
    );
  }
  return { pass: reasons.length === 0, reasons };
}

/** describe() types of the given fields, in the shape evaluateFilters takes. */
export function fieldTypesOf(fields: ReadonlyArray<{ name: string; type: string }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) out[f.name] = f.type;
  return out;
}
