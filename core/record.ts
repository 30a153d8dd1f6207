/** A Salesforce record as returned by SOQL/jsforce: field API name -> value (dates are strings). */
export type SalesforceRecord = Readonly<Record<string, unknown>>;

/** Reads a field; Salesforce API names are case-insensitive, so the config may spell them differently. */
export function getFieldValue(record: SalesforceRecord, field: string): unknown {
  if (field in record) return record[field];
  const lower = field.toLowerCase();
  for (const key of Object.keys(record)) if (key.toLowerCase() === lower) return record[key];
  return undefined;
}

/** Salesforce has no distinction between null and an empty string for most field types. */
export function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** A multi-picklist value is one string with the selected values separated by ';'. */
export function splitMultiPicklist(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(';')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/**
 * Epoch milliseconds of a Salesforce date ("2024-01-31", taken as UTC midnight) or datetime
 * ("2024-01-31T10:00:00.000+0000"); Salesforce writes the zone without a colon, which is normalised first.
 */
export function parseSalesforceTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const normalised = value.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? undefined : ms;
}

export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}
