/**
 * Registers the sync's custom search attributes on a namespace if they are missing, so the worker can
 * start against a fresh server (and `npm start`'s dev server) without a manual `temporal operator` step.
 */
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

const { IndexedValueType } = temporal.api.enums.v1;

const TYPE_OF: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  TEXT: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

export class SearchAttributeSetupError extends Error {
  override readonly name = 'SearchAttributeSetupError';
  readonly code = 'SEARCH_ATTRIBUTES_MISSING';
}

/** Returns the names it added (empty when all were there). */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = ALL_SEARCH_ATTRIBUTES.filter((key) => !known.has(key.name));
  if (missing.length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, TYPE_OF[key.type]!])),
    });
  } catch (err) {
    const names = missing.map((k) => `${k.name}=${k.type}`).join(', ');
    throw new SearchAttributeSetupError(
      `Search attributes ${names} are not registered on namespace ${namespace} and could not be added (${(err as Error).message}). ` +
        `Register them once with 'temporal operator search-attribute create --namespace ${namespace} --name <Name> --type <Type>' (Temporal Cloud: tcld or the Cloud UI).`,
    );
  }
  return missing.map((k) => k.name);
}
