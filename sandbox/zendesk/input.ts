/** Small readers for loosely typed JSON request bodies and query strings. */
import type { Request } from 'express';
import { badRequest, fieldError, invalidAttribute } from './errors';

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The object under `root` in the body (`{organization: {...}}`); Zendesk answers 400 when it is missing. */
export function bodyRoot(req: Request, root: string): Record<string, unknown> {
  const body: unknown = req.body;
  const value = isRecord(body) ? body[root] : undefined;
  if (!isRecord(value)) throw badRequest(`The request body must be a JSON object with a "${root}" object`);
  return value;
}

export function queryString(req: Request, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return undefined;
}

/** A comma-separated list query parameter (`ids=1,2,3`), at most `max` entries. */
export function queryList(req: Request, name: string, max = 100): string[] | undefined {
  const raw = queryString(req, name);
  if (raw === undefined) return undefined;
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length > max) throw badRequest(`${name} accepts at most ${max} values, got ${items.length}`);
  return items;
}

/** A numeric path id; anything else (`users/update_many` sent to `users/{id}`) is Zendesk's 400. */
export function pathId(req: Request, name: string): number {
  const raw = req.params[name];
  if (typeof raw === 'string' && /^\d+$/.test(raw)) return Number(raw);
  throw invalidAttribute('id', 'must be an integer');
}

/** Optional nullable string property; a number is accepted and stringified, like Rails does. */
export function optString(
  input: Record<string, unknown>,
  key: string,
  label: string,
): string | null | undefined {
  const v = input[key];
  if (v === undefined || v === null) return v;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw fieldError(key, 'InvalidValue', `${label}: ${JSON.stringify(v)} is not a string`);
}

export function optBoolean(input: Record<string, unknown>, key: string, label: string): boolean | undefined {
  const v = input[key];
  if (v === undefined) return undefined;
  if (typeof v === 'boolean') return v;
  throw fieldError(key, 'InvalidValue', `${label}: ${JSON.stringify(v)} is not true or false`);
}

export function optInteger(
  input: Record<string, unknown>,
  key: string,
  label: string,
): number | null | undefined {
  const v = input[key];
  if (v === undefined || v === null) return v;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n === 'number' && Number.isSafeInteger(n)) return n;
  throw fieldError(key, 'InvalidValue', `${label}: ${JSON.stringify(v)} is not an integer`);
}

export function optStringArray(
  input: Record<string, unknown>,
  key: string,
  label: string,
): string[] | undefined {
  const v = input[key];
  if (v === undefined) return undefined;
  if (v === null) return [];
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v;
  throw fieldError(key, 'InvalidValue', `${label}: must be an array of strings`);
}
