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
 * Fingerprint of what a sync would write. Tags, emails and phones are appended sets on the Zendesk side,
 * so their order does not matter and they are sorted first. Values with no place in Zendesk count too
 * (only when there are any, so the fingerprint of a record without them is unchanged): a change to such
 * a value is a mapped change, which reconciliation must hand to a pass, which then fails visibly.
 */
export function fingerprintChanges(changes: {
  fields: unknown;
  tagsToAdd: readonly string[];
  emailsToAdd: readonly string[];
  phonesToAdd: readonly string[];
  externalId?: string;
  problems?: ReadonlyArray<{ zendesk: string; reason: string; value: unknown }>;
}): string {
  return fingerprint({
    fields: changes.fields,
    tagsToAdd: [...changes.tagsToAdd].sort(),
    emailsToAdd: [...changes.emailsToAdd].sort(),
    phonesToAdd: [...changes.phonesToAdd].sort(),
    externalId: changes.externalId,
    problems: changes.problems?.length
      ? changes.problems.map((p) => [p.zendesk, p.reason, p.value])
      : undefined,
  });
}
