/**
 * Zendesk's tag normalisation: tags are lowercase and cannot contain spaces (Zendesk turns "Key Account"
 * into "key_account").
 */
export function normaliseTag(value: string): string {
  return value.trim().toLowerCase().replace(/\s+/g, '_');
}

/** Normalised, de-duplicated tags in first-seen order, without empties. */
export function normaliseTags(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    const tag = normaliseTag(v);
    if (tag !== '' && !out.includes(tag)) out.push(tag);
  }
  return out;
}
