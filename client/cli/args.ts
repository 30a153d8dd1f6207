/** Parsing of positional arguments and option values; mistakes are usage errors (exit 2). */
import { SALESFORCE_OBJECTS, type SalesforceObject } from '../../core/salesforce-object';
import { UsageError } from './errors';

export const OBJECTS: readonly SalesforceObject[] = SALESFORCE_OBJECTS;

export function parseObject(value: string): SalesforceObject {
  const found = OBJECTS.find((o) => o.toLowerCase() === value.toLowerCase());
  if (!found) throw new UsageError(`unknown object '${value}': use one of ${OBJECTS.join(', ')}`);
  return found;
}

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since 90m` → the instant that long before `now`. */
export function parseSince(value: string, now = new Date()): Date {
  const m = /^(\d+)(s|m|h|d)$/.exec(value.trim());
  if (!m) throw new UsageError(`--since '${value}' is not a duration: use e.g. 30m, 1h, 7d`);
  return new Date(now.getTime() - Number(m[1]) * UNIT_MS[m[2]!]!);
}

/** Salesforce IDs are 15 or 18 alphanumeric characters; anything else cannot name a record workflow. */
export function parseSalesforceId(value: string): string {
  if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(value))
    throw new UsageError(`'${value}' is not a Salesforce ID (15 or 18 letters and digits)`);
  return value;
}
