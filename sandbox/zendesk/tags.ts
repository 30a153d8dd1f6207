/**
 * Zendesk tag semantics: tags are lower-cased, cannot contain whitespace (a space splits one string into
 * several tags) and are unique per record.
 */
import { fieldError } from './errors';

export function normalizeTags(input: unknown): string[] {
  const raw: unknown[] = typeof input === 'string' ? [input] : Array.isArray(input) ? input : [];
  if (!Array.isArray(input) && typeof input !== 'string')
    throw fieldError('tags', 'InvalidValue', 'Tags: must be an array of strings');
  const out: string[] = [];
  for (const item of raw) {
    if (typeof item !== 'string')
      throw fieldError('tags', 'InvalidValue', `Tags: ${JSON.stringify(item)} is not a string`);
    for (const part of item.split(/\s+/)) {
      const tag = part.trim().toLowerCase();
      if (tag !== '' && !out.includes(tag)) out.push(tag);
    }
  }
  return out;
}

export type TagOperation = 'set' | 'add' | 'remove';

export function applyTagOperation(current: string[], op: TagOperation, tags: string[]): string[] {
  switch (op) {
    case 'set':
      return [...tags];
    case 'add':
      return [...current, ...tags.filter((t) => !current.includes(t))];
    case 'remove':
      return current.filter((t) => !tags.includes(t));
  }
}
