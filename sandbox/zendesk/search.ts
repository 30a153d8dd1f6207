/**
 * Runs a parsed search query against the search index (see search-query.ts for the syntax and its
 * sources). Only users and organizations exist in this sandbox: `type:ticket` / `type:group` find
 * nothing. Without `sort_by`, Zendesk orders by relevance; the sandbox has no relevance score and orders
 * by id (creation order), so results are deterministic.
 */
import { ZendeskApiError } from './errors';
import type { IndexedKind, IndexedValue, SearchDoc, SearchIndex } from './search-index';
import { parseSearchQuery, wildcard, words, type ParsedQuery, type SearchTerm } from './search-query';
import type { ZendeskStore } from './store';
import type { OrganizationRecord, UserRecord } from './types';

export const SEARCH_TYPES = ['ticket', 'user', 'organization', 'group'] as const;

export type SearchHit =
  { kind: 'user'; record: UserRecord } | { kind: 'organization'; record: OrganizationRecord };

/** The Search API's error envelope (OAS, ListSearchResults: `error` is "unavailable" or "invalid"). */
export const invalidSearch = (description: string) =>
  new ZendeskApiError(422, 'invalid', `Invalid search: ${description}`);

/** Query words match consecutive record words; unquoted words match a word prefix [SR], `*` anything. */
function phraseMatches(recordWords: string[], term: SearchTerm): boolean {
  const parts = term.quoted
    ? words(term.value)
    : term.value
        .toLowerCase()
        .split(/[^\p{L}\p{N}*]+/u)
        .filter((w) => w !== '' && w !== '*');
  if (parts.length === 0) return false;
  const test = parts.map((p): ((w: string) => boolean) => {
    if (term.quoted) return (w) => w === p;
    if (p.includes('*')) {
      const re = wildcard(p);
      return (w) => re.test(w);
    }
    return (w) => w.startsWith(p);
  });
  for (let start = 0; start + parts.length <= recordWords.length; start += 1)
    if (test.every((t, i) => t(recordWords[start + i] ?? ''))) return true;
  return false;
}

function compare(a: number | string, b: number | string, op: SearchTerm['operator']): boolean {
  switch (op) {
    case ':':
      return a === b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
  }
}

function valueMatches(value: IndexedValue, term: SearchTerm): boolean {
  switch (value.type) {
    case 'text':
      return term.operator === ':' && phraseMatches(value.words, term);
    case 'keyword': {
      if (term.operator !== ':') return false;
      const wanted = term.value.toLowerCase();
      return !term.quoted && wanted.includes('*')
        ? wildcard(wanted).test(value.value)
        : value.value === wanted;
    }
    case 'number': {
      const n = Number(term.value);
      return term.value.trim() !== '' && Number.isFinite(n) && compare(value.value, n, term.operator);
    }
    case 'date': {
      // A date-only value compares by day ("created:2024-05-01" is that whole day); a full timestamp exactly.
      const wanted = term.value.trim();
      if (!/^\d{4}-\d{2}-\d{2}/.test(wanted)) return false;
      const have = wanted.length === 10 ? value.value.slice(0, 10) : value.value;
      return compare(have, wanted, term.operator);
    }
  }
}

function termMatches(doc: SearchDoc, term: SearchTerm): boolean {
  let hit: boolean;
  if (term.field === undefined) {
    // In full text a keyword (external_id, phone, tag) counts as one word: equal, or a word prefix.
    hit = doc.fullText.some((v) =>
      v.type === 'keyword' ? valueMatches(v, term) || phraseMatches([v.value], term) : valueMatches(v, term),
    );
  } else {
    const values = doc.props.get(term.field) ?? [];
    // `none` finds records where the property has no data [SR].
    if (!term.quoted && term.operator === ':' && term.value.toLowerCase() === 'none')
      hit = values.every((v) => v.type === 'text' && v.words.length === 0);
    else hit = values.some((v) => valueMatches(v, term));
  }
  return term.negated ? !hit : hit;
}

export interface SearchOptions {
  /** `filter[type]` of search/export: the only type searched; `type:` in the query is then refused. */
  filterType?: string;
  sortBy?: string;
  sortOrder?: string;
}

function kindsOf(parsed: ParsedQuery, opts: SearchOptions): IndexedKind[] {
  const types = opts.filterType !== undefined ? [opts.filterType] : parsed.types;
  if (types === undefined) return ['user', 'organization'];
  for (const t of types)
    if (!(SEARCH_TYPES as readonly string[]).includes(t))
      throw invalidSearch(`type ${t} is not one of ${SEARCH_TYPES.join(', ')}`);
  return types.filter((t): t is IndexedKind => t === 'user' || t === 'organization');
}

export function runSearch(
  store: ZendeskStore,
  index: SearchIndex,
  query: string,
  opts: SearchOptions = {},
): SearchHit[] {
  const parsed = parseSearchQuery(query);
  if (opts.filterType !== undefined && parsed.types !== undefined)
    // search/export: "Searches with type in the query string will result in an error" (OAS, ExportSearchResults).
    throw invalidSearch('use filter[type] instead of type in the query of an export');
  const kinds = kindsOf(parsed, opts);
  if (parsed.terms.length === 0 && parsed.types === undefined && opts.filterType === undefined) return [];
  const docs = index.visible(kinds).filter((d) => parsed.terms.every((t) => termMatches(d, t)));
  const hits: SearchHit[] = [];
  for (const d of docs) {
    if (d.kind === 'user') {
      const record = store.users.get(d.id);
      if (record) hits.push({ kind: 'user', record });
    } else {
      const record = store.organizations.get(d.id);
      if (record) hits.push({ kind: 'organization', record });
    }
  }
  const sortBy =
    opts.sortBy ??
    (parsed.orderBy === 'created'
      ? 'created_at'
      : parsed.orderBy === 'updated'
        ? 'updated_at'
        : parsed.orderBy);
  const order = (opts.sortOrder ?? parsed.sort ?? 'desc') === 'asc' ? 1 : -1;
  const byId = (a: SearchHit, b: SearchHit) =>
    a.kind === b.kind ? a.record.id - b.record.id : a.kind === 'user' ? -1 : 1;
  if (sortBy === 'created_at' || sortBy === 'updated_at') {
    const key = sortBy;
    return hits.sort((a, b) => order * a.record[key].localeCompare(b.record[key]) || byId(a, b));
  }
  return hits.sort(byId);
}

/** Users only, for `users/search?query=` (which goes through the same lagging index). */
export function searchUsers(store: ZendeskStore, index: SearchIndex, query: string): UserRecord[] {
  const parsed = parseSearchQuery(query);
  if (parsed.terms.length === 0) return [];
  return index
    .visible(['user'])
    .filter((d) => parsed.terms.every((t) => termMatches(d, t)))
    .map((d) => store.users.get(d.id))
    .filter((u): u is UserRecord => u !== undefined)
    .sort((a, b) => a.id - b.id);
}
