// A stable hash of mapped values, stored next to the link so a re-delivered or no-op change can skip the
// Zendesk write. Pure JS (no crypto import) because workflow code runs in Temporal's sandbox.

/** JSON with object keys sorted at every level; undefined properties are dropped (as JSON.stringify does). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const json = JSON.stringify(value);
    return json === undefined ? 'null' : json;
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

/** UTF-8 encoding by hand: TextEncoder is not guaranteed inside the workflow sandbox. */
function utf8Bytes(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else
      out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return out;
}

/** FNV-1a 64-bit over the UTF-8 bytes of a string, as 16 hex digits. */
export function fnv1a64(text: string): string {
  let hash = FNV_OFFSET;
  for (const byte of utf8Bytes(text)) {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME) & MASK_64;
  }
  return hash.toString(16).padStart(16, '0');
}

/** Fingerprint of any JSON-like value: equal for equal content regardless of object key order. */
export function fingerprint(value: unknown): string {
  return fnv1a64(canonicalJson(value));
}

/**
 * Fingerprint of what a record asks the sync to write: the mapping configuration and the record's values
 * of the mapped fields (plus the account a contact belongs to, for its membership). It is what "a mapped
 * field changed" is judged by, in a pass (`unchanged`) and in reconciliation alike, so it depends on
 * Salesforce and the configuration only, never on Zendesk's field definitions or settings: a record whose
 * value became unrepresentable after a refresh of Zendesk's schema has not changed in Salesforce, and
 * the trigger rule ("unmapped fields that are updated do not trigger the sync") must not see a change.
 * Multi-picklist selections are sets, so their order does not count.
 */
export function fingerprintMappedValues(input: {
  mapping: unknown;
  values: ReadonlyArray<{ field: string; value: unknown; multipicklist?: boolean }>;
  accountId?: string;
  /** A contact's other accounts (AccountContactRelation), when the config syncs them as memberships. */
  secondaryAccountIds?: readonly string[];
}): string {
  return fingerprint({
    mapping: input.mapping,
    values: input.values.map(({ field, value, multipicklist }) => [
      field.toLowerCase(),
      multipicklist && typeof value === 'string' ? value.split(';').sort().join(';') : (value ?? null),
    ]),
    accountId: input.accountId ?? null,
    ...(input.secondaryAccountIds ? { secondaryAccountIds: [...input.secondaryAccountIds].sort() } : {}),
  });
}
