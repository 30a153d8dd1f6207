// Value conversions for comparing and sorting: ids (15/18 characters), instants for date and
// datetime strings, and the day ranges that date literals such as TODAY stand for.
import type { DateLiteralName } from '../../../core/soql';

const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const DAY_MS = 86_400_000;

export function isValidId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/**
 * The case-correct 15-character form of an id. An 18-character id is case-insensitive: its last three
 * characters encode which of the first fifteen are upper case.
 */
export function canonicalId(id: string): string {
  if (id.length !== 18) return id;
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    const bits = CHECKSUM_ALPHABET.indexOf((id[15 + chunk] as string).toUpperCase());
    for (let j = 0; j < 5; j++) {
      const ch = id[chunk * 5 + j] as string;
      out += bits >= 0 && bits & (1 << j) ? ch.toUpperCase() : ch.toLowerCase();
    }
  }
  return out;
}

export function idsEqual(a: string, b: string): boolean {
  if (a.length === 18 && b.length === 18) return a.toLowerCase() === b.toLowerCase();
  if (a.length === 18 || b.length === 18) {
    const [long, short] = a.length === 18 ? [a, b] : [b, a];
    // Tolerate stored ids whose checksum was not computed from their case.
    return long.slice(0, 15) === short || canonicalId(long) === short;
  }
  return a === b;
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch milliseconds of a stored date (`YYYY-MM-DD`, UTC midnight) or datetime string; undefined if unparseable. */
export function toInstant(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const m = INSTANT.exec(value.trim());
  if (!m) return undefined;
  const [, day, time, zone] = m;
  if (!time) return Date.parse(`${day}T00:00:00Z`);
  const offset = !zone || zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const ms = Date.parse(`${day}T${time}${offset}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Epoch ms of UTC midnight of the day of a stored date or datetime value. */
export function toDay(value: unknown): number | undefined {
  const instant = toInstant(value);
  return instant === undefined ? undefined : Math.floor(instant / DAY_MS) * DAY_MS;
}

/** [start, end) in epoch ms. Salesforce evaluates date literals in the user's time zone; the sandbox user is on UTC. */
export function dateLiteralRange(name: DateLiteralName, n: number | undefined, now: Date): [number, number] {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const weekStart = today - now.getUTCDay() * DAY_MS; // weeks start on Sunday (en_US locale)
  const days = n ?? 0;
  const monthRange = (shift: number): [number, number] => [
    Date.UTC(year, month + shift, 1),
    Date.UTC(year, month + shift + 1, 1),
  ];
  const yearRange = (shift: number): [number, number] => [
    Date.UTC(year + shift, 0, 1),
    Date.UTC(year + shift + 1, 0, 1),
  ];
  switch (name) {
    case 'TODAY':
      return [today, today + DAY_MS];
    case 'YESTERDAY':
      return [today - DAY_MS, today];
    case 'TOMORROW':
      return [today + DAY_MS, today + 2 * DAY_MS];
    case 'LAST_WEEK':
      return [weekStart - 7 * DAY_MS, weekStart];
    case 'THIS_WEEK':
      return [weekStart, weekStart + 7 * DAY_MS];
    case 'NEXT_WEEK':
      return [weekStart + 7 * DAY_MS, weekStart + 14 * DAY_MS];
    case 'LAST_MONTH':
      return monthRange(-1);
    case 'THIS_MONTH':
      return monthRange(0);
    case 'NEXT_MONTH':
      return monthRange(1);
    case 'LAST_YEAR':
      return yearRange(-1);
    case 'THIS_YEAR':
      return yearRange(0);
    case 'NEXT_YEAR':
      return yearRange(1);
    case 'LAST_N_DAYS': // the past n days and today
      return [today - days * DAY_MS, today + DAY_MS];
    case 'NEXT_N_DAYS': // the next n days, not today
      return [today + DAY_MS, today + (days + 1) * DAY_MS];
    case 'N_DAYS_AGO':
      return [today - days * DAY_MS, today - (days - 1) * DAY_MS];
  }
}

/** How a field compares, sorts and which literals it accepts. */
export type FieldCategory =
  'text' | 'id' | 'multipicklist' | 'boolean' | 'number' | 'date' | 'datetime' | 'any';

/** Comparable form of a value: lower-cased text, epoch ms, numbers, booleans; null for "no value". */
export type Normalized = string | number | boolean | null;

export type SourceRecord = Record<string, unknown>;

/** Records normally carry canonical field names; fall back to a case-insensitive match. */
export function readField(record: SourceRecord, name: string): unknown {
  if (name in record) return record[name] ?? null;
  const lower = name.toLowerCase();
  for (const key of Object.keys(record)) if (key.toLowerCase() === lower) return record[key] ?? null;
  return null;
}

export function asText(raw: unknown): string {
  return typeof raw === 'object' && raw !== null ? JSON.stringify(raw) : String(raw);
}

export function splitMultipicklist(value: string): string[] {
  return value
    .split(';')
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '');
}

/** Salesforce stores '' as null for text, and compares text case-insensitively. */
export function normalize(category: FieldCategory, raw: unknown): Normalized {
  if (category === 'boolean')
    return raw === true || (typeof raw === 'string' && raw.toLowerCase() === 'true');
  if (raw === null || raw === undefined || raw === '') return null;
  switch (category) {
    case 'text':
      return asText(raw).toLowerCase();
    case 'id':
      return asText(raw);
    case 'multipicklist':
      return [...new Set(splitMultipicklist(asText(raw)))].sort().join(';') || null;
    case 'number': {
      const n = typeof raw === 'number' ? raw : Number(raw);
      return Number.isNaN(n) ? null : n;
    }
    case 'date':
      return toDay(raw) ?? null;
    case 'datetime':
      return toInstant(raw) ?? null;
    case 'any':
      return typeof raw === 'string'
        ? raw.toLowerCase()
        : typeof raw === 'number' || typeof raw === 'boolean'
          ? raw
          : asText(raw);
  }
}

export function compare(a: Exclude<Normalized, null>, b: Exclude<Normalized, null>): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export interface SortKey {
  descending: boolean;
  nullsFirst: boolean;
}

/** Stable sort on several keys, with Salesforce's null placement per key. */
export function sortByKeys<T>(items: T[], keysOf: (item: T) => Normalized[], order: SortKey[]): T[] {
  if (order.length === 0) return items;
  const keyed = items.map((item) => ({ item, keys: keysOf(item) }));
  keyed.sort((a, b) => {
    for (const [i, o] of order.entries()) {
      const x = a.keys[i] as Normalized;
      const y = b.keys[i] as Normalized;
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === o.nullsFirst ? -1 : 1;
      }
      const c = compare(x, y);
      if (c !== 0) return o.descending ? -c : c;
    }
    return 0;
  });
  return keyed.map((k) => k.item);
}

/** The key under which two ids are the same record: the case-correct 15-character form. */
export const idKey = (id: string): string => canonicalId(id);
