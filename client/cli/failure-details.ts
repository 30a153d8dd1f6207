/**
 * The part of a failure's details a human needs next to its message: for ValueNotRepresentable, each
 * value Zendesk cannot hold and where it was going; for a Zendesk refusal, Zendesk's own reason per field
 * (`phone: InvalidFormat: Phone 415 555 0100 is not properly formatted`) rather than only "Record
 * validation errors". Details are payloads (encrypted with the codec, decrypted for the CLI), so the
 * values may appear here while messages, search attributes and logs never carry them.
 */
import { FailureType } from '../../workflows/failure-types';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const shown = (v: unknown): string =>
  Array.isArray(v) ? v.map((x) => shown(x)).join(', ') : typeof v === 'string' ? `'${v}'` : JSON.stringify(v);

/** ValueNotRepresentable details: `{ values: [{ salesforce, zendesk, reason, value }] }`. */
function unrepresentableLines(details: Record<string, unknown>): string[] {
  const values = Array.isArray(details.values) ? details.values : [];
  return values.filter(isRecord).map((p) => {
    const what = p.reason === 'unmapped-value' || p.reason === 'no-pick' ? 'values' : 'value';
    return `${String(p.salesforce)} → ${String(p.zendesk)}: ${what} ${shown(p.value)} (${String(p.reason)})`;
  });
}

/** Zendesk's per-field details: `{ field: [{ error, description }] }`, `{ field: { … } }`, or `[{ code, detail }]`. */
export function zendeskReasons(details: unknown): string[] {
  if (Array.isArray(details))
    return details
      .filter(isRecord)
      .map((e) => [e.code, e.detail ?? e.title].filter((x) => typeof x === 'string').join(': '))
      .filter((line) => line !== '');
  if (!isRecord(details)) return [];
  const out: string[] = [];
  for (const [field, entries] of Object.entries(details)) {
    for (const entry of Array.isArray(entries) ? entries : [entries]) {
      if (!isRecord(entry)) continue;
      const parts = [entry.error, entry.description].filter((x) => typeof x === 'string');
      out.push(`${field}: ${parts.join(': ') || JSON.stringify(entry)}`);
    }
  }
  return out;
}

/** Lines for the failure's details, or none when they add nothing to the message. */
export function failureDetailLines(type: string | undefined, details: unknown): string[] {
  if (!isRecord(details)) return [];
  if (type === FailureType.ValueNotRepresentable) return unrepresentableLines(details);
  // A classified Zendesk error: { endpoint, status, zendeskError, description, details: <Zendesk's details> }.
  // Its message names the fields and codes only; Zendesk's own words are here.
  if ('zendeskError' in details || 'endpoint' in details) {
    const reasons = zendeskReasons(details.details);
    if (reasons.length > 0 || typeof details.description !== 'string') return reasons;
    return [`Zendesk: ${details.description}`];
  }
  // The value a message names by its field (NoMatchKey, ZendeskIndexLag): `{ field, value }`.
  if (typeof details.field === 'string' && 'value' in details)
    return [`${details.field}: ${shown(details.value)}`];
  return [];
}
