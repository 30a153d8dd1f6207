/**
 * Parses the Zendesk search syntax (the `query` of `search.json`, `search/count`, `search/export` and
 * `users/search?query=`). Sources, cited once here and referred to as [SR] / [SO] below:
 * - [SR] Zendesk Support search reference, https://support.zendesk.com/hc/en-us/articles/4408886879258 :
 *   terms are case-insensitive; a term matches a whole word, a word of a longer phrase or the *prefix*
 *   of a longer word, never the middle or the end of a word ("top" matches "Tip-Top Mops" and "Dessert
 *   Toppings" but not "Desktop Solutions"); `none` finds properties with no data; `order_by:` / `sort:`.
 * - [SO] Search operators in the Search API reference,
 *   https://developer.zendesk.com/api-reference/ticketing/ticket-management/search/ : `:` equality, `<` /
 *   `>` (and `<=` / `>=`), `-` negation, `*` wildcard, double quotes for an exact phrase, `type:` to pick
 *   the resource type (ticket, user, organization, group).
 * Several terms are ANDed.
 */

export type Operator = ':' | '<' | '>' | '<=' | '>=';

export interface SearchTerm {
  /** Lower-cased property keyword (`name`, `email`, a custom field key); undefined for full text. */
  field: string | undefined;
  operator: Operator;
  /** The value as written, without quotes (quoted values have their `\"` / `\\` escapes removed). */
  value: string;
  /** `"..."`: an exact phrase, no prefix matching and no wildcard. */
  quoted: boolean;
  /** `-term`: records matching the term are excluded. */
  negated: boolean;
}

export interface ParsedQuery {
  terms: SearchTerm[];
  /** `type:user` / `type:organization` / ...; undefined when the query does not narrow the type. */
  types: string[] | undefined;
  /** `order_by:created` / `sort:asc` written in the query (equivalent to sort_by / sort_order). */
  orderBy: string | undefined;
  sort: string | undefined;
}

const TERM = /^(-)?(?:([A-Za-z0-9_]+)(<=|>=|:|<|>))?(.*)$/s;

/** Splits on whitespace outside double quotes. */
function tokens(query: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < query.length; i += 1) {
    const ch = query[i] ?? '';
    if (ch === '\\' && quoted) {
      current += ch + (query[i + 1] ?? '');
      i += 1;
    } else if (ch === '"') {
      quoted = !quoted;
      current += ch;
    } else if (/\s/.test(ch) && !quoted) {
      if (current !== '') out.push(current);
      current = '';
    } else current += ch;
  }
  if (current !== '') out.push(current);
  return out;
}

function unquote(raw: string): { value: string; quoted: boolean } {
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"'))
    return { value: raw.slice(1, -1).replace(/\\(.)/g, '$1'), quoted: true };
  return { value: raw, quoted: false };
}

export function parseSearchQuery(query: string): ParsedQuery {
  const parsed: ParsedQuery = { terms: [], types: undefined, orderBy: undefined, sort: undefined };
  for (const token of tokens(query)) {
    const m = TERM.exec(token);
    if (!m) continue;
    const negated = m[1] === '-';
    const field = m[2]?.toLowerCase();
    const operator = (m[3] ?? ':') as Operator;
    const { value, quoted } = unquote(m[4] ?? '');
    if (value === '') continue;
    if (field === 'type' && operator === ':' && !negated) {
      parsed.types = [...(parsed.types ?? []), value.toLowerCase()];
      continue;
    }
    if (field === 'order_by' && operator === ':') {
      parsed.orderBy = value.toLowerCase();
      continue;
    }
    if (field === 'sort' && operator === ':') {
      parsed.sort = value.toLowerCase();
      continue;
    }
    parsed.terms.push({ field, operator, value, quoted, negated });
  }
  return parsed;
}

/** Words as the index sees them: lower case, split on anything that is not a letter or a digit. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

/** `*` matches any run of characters inside one word or value. */
export function wildcard(pattern: string): RegExp {
  const source = pattern
    .toLowerCase()
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's');
}
