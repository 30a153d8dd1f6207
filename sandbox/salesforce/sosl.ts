/**
 * SOSL for the REST `search` resource: `FIND {terms} [IN ALL|NAME|EMAIL|PHONE FIELDS]
 * [RETURNING Object[(fields [WHERE …] [ORDER BY …] [LIMIT n] [OFFSET n])], …] [LIMIT n]`.
 *
 * The search term: words (case-insensitive, matched against the tokens of a field's text: text is split on
 * spaces and punctuation), "quoted phrases", `*` (any characters) and `?` (one character) wildcards, AND, OR,
 * AND NOT and parentheses; words side by side must all match. The reserved characters
 * `? & | ! { } [ ] ( ) ^ ~ * : \ " ' + -` are literal text only when escaped with a backslash.
 * Each RETURNING object's field list and clauses run through the SOQL engine over the matching records.
 *
 * Sources: SOQL and SOSL Reference, "FIND {SearchQuery}", "Example Text Searches", "IN SearchGroup",
 * "RETURNING FieldSpec"; REST API "Search for a String" (API 37.0+ answers `{searchRecords: [...]}`).
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_sosl_find.htm
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_sosl_examples.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_search.htm
 */
import { SalesforceApiError, unsupportedSObject } from './errors';
import { resolveSObjectName, SOBJECT_NAMES, SOBJECTS, type FieldDef, type SObjectName } from './schema';
import { executeSoql, type SoqlSource } from './soql';

/** Objects SOSL searches; Organization, RecordType and junction objects are not searchable. */
const SEARCHABLE = new Set(['Account', 'Contact', 'Lead', 'User']);
/** Default and maximum number of records a search returns. */
const MAX_SEARCH_RESULTS = 2000;

export type SearchGroup = 'ALL' | 'NAME' | 'EMAIL' | 'PHONE';

type Term =
  | { kind: 'word'; pattern: RegExp[]; text: string }
  | { kind: 'and' | 'or'; operands: Term[] }
  | { kind: 'andNot'; left: Term; right: Term };

const malformed = (message: string) => new SalesforceApiError(400, 'MALFORMED_SEARCH', message);

export interface SoslQuery {
  term: Term;
  group: SearchGroup;
  returning: { object: SObjectName; spec: string | undefined }[];
  limit: number;
}

// ---- parsing --------------------------------------------------------------------------------

export function parseSosl(sosl: string): SoslQuery {
  const find = /^\s*FIND\s*\{/i.exec(sosl);
  if (!find) throw malformed('No search term found. The search term must be enclosed in braces.');
  let i = find[0].length;
  let raw = '';
  for (;;) {
    const ch = sosl[i];
    if (ch === undefined)
      throw malformed('No search term found. The search term must be enclosed in braces.');
    if (ch === '\\' && i + 1 < sosl.length) {
      raw += ch + sosl[i + 1];
      i += 2;
      continue;
    }
    if (ch === '}') break;
    raw += ch;
    i++;
  }
  const term = parseTerm(raw);
  const rest = new Tail(sosl.slice(i + 1));
  let group: SearchGroup = 'ALL';
  if (rest.acceptWord('IN')) {
    const word = rest.word()?.toUpperCase();
    if (word !== 'ALL' && word !== 'NAME' && word !== 'EMAIL' && word !== 'PHONE') throw rest.unexpected();
    if (rest.word()?.toUpperCase() !== 'FIELDS') throw rest.unexpected();
    group = word;
  }
  const returning: SoslQuery['returning'] = [];
  if (rest.acceptWord('RETURNING')) {
    do {
      const name = rest.word();
      if (!name) throw rest.unexpected();
      const object = resolveSObjectName(name);
      if (!object) throw unsupportedSObject(name);
      if (!SEARCHABLE.has(object)) {
        throw new SalesforceApiError(400, 'INVALID_TYPE', `entity type ${object} does not support search`);
      }
      returning.push({ object, spec: rest.parenthesized() });
    } while (rest.acceptPunct(','));
  }
  let limit = MAX_SEARCH_RESULTS;
  if (rest.acceptWord('LIMIT')) {
    const n = rest.word();
    if (!n || !/^\d+$/.test(n)) throw rest.unexpected();
    limit = Math.min(Number(n), MAX_SEARCH_RESULTS);
  }
  if (!rest.atEnd()) throw rest.unexpected();
  if (returning.length === 0) {
    for (const object of SOBJECT_NAMES)
      if (SEARCHABLE.has(object)) returning.push({ object, spec: undefined });
  }
  return { term, group, returning, limit };
}

/** The clauses after the search term, read word by word. */
class Tail {
  private i = 0;
  constructor(private readonly text: string) {}

  private skipSpace(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i]!)) this.i++;
  }

  word(): string | undefined {
    this.skipSpace();
    const m = /^[A-Za-z0-9_]+/.exec(this.text.slice(this.i));
    if (!m) return undefined;
    this.i += m[0].length;
    return m[0];
  }

  acceptWord(word: string): boolean {
    const at = this.i;
    if (this.word()?.toUpperCase() === word) return true;
    this.i = at;
    return false;
  }

  acceptPunct(ch: string): boolean {
    this.skipSpace();
    if (this.text[this.i] !== ch) return false;
    this.i++;
    return true;
  }

  /** The text inside balanced parentheses (quotes respected), or undefined when none follow. */
  parenthesized(): string | undefined {
    this.skipSpace();
    if (this.text[this.i] !== '(') return undefined;
    let depth = 0;
    let quoted = false;
    const start = this.i + 1;
    for (; this.i < this.text.length; this.i++) {
      const ch = this.text[this.i]!;
      if (quoted) {
        if (ch === '\\') this.i++;
        else if (ch === "'") quoted = false;
      } else if (ch === "'") quoted = true;
      else if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) {
        this.i++;
        return this.text.slice(start, this.i - 1);
      }
    }
    throw malformed("unexpected token: '<EOF>'");
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.i >= this.text.length;
  }

  unexpected(): SalesforceApiError {
    this.skipSpace();
    const token = /^\S+/.exec(this.text.slice(this.i))?.[0] ?? '<EOF>';
    return malformed(`unexpected token: '${token}'`);
  }
}

type TermToken =
  { kind: 'word'; text: string } | { kind: 'phrase'; text: string } | { kind: 'op'; op: string };

/** Splits the braces' content into words, phrases, operators and parentheses, honouring escapes. */
function termTokens(raw: string): TermToken[] {
  const tokens: TermToken[] = [];
  let i = 0;
  let word = '';
  const flush = () => {
    if (word === '') return;
    const upper = word.toUpperCase();
    tokens.push(
      upper === 'AND' || upper === 'OR' || upper === 'NOT'
        ? { kind: 'op', op: upper }
        : { kind: 'word', text: word },
    );
    word = '';
  };
  while (i < raw.length) {
    const ch = raw[i]!;
    if (ch === '\\' && i + 1 < raw.length) {
      // An escaped reserved character is literal text (marked so wildcards stay literal too).
      word += `\\${raw[i + 1]}`;
      i += 2;
    } else if (/\s/.test(ch)) {
      flush();
      i++;
    } else if (ch === '"') {
      flush();
      let phrase = '';
      i++;
      while (i < raw.length && raw[i] !== '"') {
        if (raw[i] === '\\' && i + 1 < raw.length) {
          phrase += `\\${raw[i + 1]}`;
          i += 2;
        } else phrase += raw[i++];
      }
      if (i >= raw.length) throw malformed('Unmatched quotes in the search term');
      i++;
      tokens.push({ kind: 'phrase', text: phrase });
    } else if (ch === '(' || ch === ')') {
      flush();
      tokens.push({ kind: 'op', op: ch });
      i++;
    } else {
      word += ch;
      i++;
    }
  }
  flush();
  return tokens;
}

function parseTerm(raw: string): Term {
  const tokens = termTokens(raw);
  let pos = 0;
  const peekOp = () => {
    const t = tokens[pos];
    return t?.kind === 'op' ? t.op : undefined;
  };
  const primary = (): Term => {
    const t = tokens[pos++];
    if (!t) throw malformed('No search term found. The search term must be enclosed in braces.');
    if (t.kind === 'op') {
      if (t.op !== '(') throw malformed(`unexpected token: '${t.op}'`);
      const inner = orExpr();
      if (tokens[pos]?.kind !== 'op' || (tokens[pos] as { op: string }).op !== ')')
        throw malformed('Unmatched parentheses in the search term');
      pos++;
      return inner;
    }
    return wordTerm(t.text, t.kind === 'phrase');
  };
  // Adjacent terms without an operator must all match.
  const andExpr = (): Term => {
    let left = primary();
    for (;;) {
      const op = peekOp();
      if (op === 'AND' && (tokens[pos + 1] as { op?: string } | undefined)?.op === 'NOT') {
        pos += 2;
        left = { kind: 'andNot', left, right: primary() };
      } else if (op === 'AND') {
        pos++;
        left = { kind: 'and', operands: [left, primary()] };
      } else if (tokens[pos] && op !== 'OR' && op !== ')') {
        left = { kind: 'and', operands: [left, primary()] };
      } else return left;
    }
  };
  const orExpr = (): Term => {
    let left = andExpr();
    while (peekOp() === 'OR') {
      pos++;
      left = { kind: 'or', operands: [left, andExpr()] };
    }
    return left;
  };
  const term = orExpr();
  if (pos < tokens.length) throw malformed(`unexpected token: '${JSON.stringify(tokens[pos])}'`);
  const letters = tokens
    .filter((t): t is Exclude<TermToken, { kind: 'op' }> => t.kind !== 'op')
    .map((t) => t.text.replace(/\\(.)/g, '$1').replace(/[*?]/g, ''))
    .join('');
  if (letters.replace(/[^\p{L}\p{N}]/gu, '').length < 2)
    throw malformed('search term must be longer than one character');
  return term;
}

/**
 * A word or phrase as a sequence of token patterns. Reserved characters not escaped act as punctuation,
 * except `*` and `?`, the wildcards; escaped ones are literal, and split tokens like any punctuation.
 */
function wordTerm(text: string, phrase: boolean): Term {
  const patterns: RegExp[] = [];
  let current = '';
  const push = () => {
    if (current !== '') patterns.push(new RegExp(`^${current}$`, 'iu'));
    current = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) {
      const literal = text[++i]!;
      if (/[\p{L}\p{N}]/u.test(literal)) current += escapeRegExp(literal);
      else push();
    } else if (!phrase && ch === '*') {
      current += '[\\p{L}\\p{N}]*';
    } else if (!phrase && ch === '?') {
      current += '[\\p{L}\\p{N}]';
    } else if (/[\p{L}\p{N}]/u.test(ch)) current += escapeRegExp(ch);
    else push();
  }
  push();
  return { kind: 'word', pattern: patterns, text };
}

function escapeRegExp(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

// ---- matching -------------------------------------------------------------------------------

/** The tokens of a record's searchable text: letters and digits between punctuation, lower-cased. */
function tokensOf(value: unknown, field: FieldDef): string[][] {
  if (value === null || value === undefined || value === '') return [];
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const tokens = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const sequences = [tokens];
  // Phone searches ignore formatting: (415) 555-1212 is found by 4155551212.
  if (field.type === 'phone') sequences.push([text.replace(/\D/g, '')]);
  return sequences;
}

function fieldsInGroup(object: SObjectName, group: SearchGroup): FieldDef[] {
  return SOBJECTS[object].fields.filter((f) => {
    if (f.formula || f.type === 'encryptedstring') return false;
    switch (group) {
      case 'ALL':
        return ['string', 'textarea', 'email', 'phone', 'url'].includes(f.type);
      case 'NAME':
        return f.nameField === true || f.compoundFieldName === 'Name';
      case 'EMAIL':
        return f.type === 'email';
      case 'PHONE':
        return f.type === 'phone';
    }
  });
}

function matches(term: Term, texts: string[][]): boolean {
  switch (term.kind) {
    case 'and':
      return term.operands.every((t) => matches(t, texts));
    case 'or':
      return term.operands.some((t) => matches(t, texts));
    case 'andNot':
      return matches(term.left, texts) && !matches(term.right, texts);
    case 'word': {
      const { pattern } = term;
      if (pattern.length === 0) return false;
      return texts.some((tokens) => {
        for (let start = 0; start + pattern.length <= tokens.length; start++) {
          if (pattern.every((p, k) => p.test(tokens[start + k]!))) return true;
        }
        return false;
      });
    }
  }
}

/** `Id, Name WHERE … ORDER BY … LIMIT 5` -> the field list and the clauses after it (outside quotes and parentheses). */
function splitSpec(spec: string): { fields: string; clauses: string } {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < spec.length; i++) {
    const ch = spec[i]!;
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === "'") quoted = false;
    } else if (ch === "'") quoted = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && /\s/.test(ch) && /^\s+(WHERE|ORDER\s+BY|LIMIT|OFFSET)\b/i.test(spec.slice(i))) {
      return { fields: spec.slice(0, i).trim(), clauses: spec.slice(i).trim() };
    }
  }
  return { fields: spec.trim(), clauses: '' };
}

/** Runs a SOSL search over `source`'s records, shaped as the REST `search` resource answers. */
export function runSosl(
  sosl: string,
  source: SoqlSource,
  apiVersion: string,
): { searchRecords: Record<string, unknown>[] } {
  const query = parseSosl(sosl);
  const searchRecords: Record<string, unknown>[] = [];
  for (const { object, spec } of query.returning) {
    const fields = fieldsInGroup(object, query.group);
    const matched = [...source.records(object)].filter((record) => {
      const texts = fields.flatMap((f) => tokensOf(record[f.name], f));
      return matches(query.term, texts);
    });
    const { fields: selected, clauses } = splitSpec(spec ?? '');
    const soql = `SELECT ${selected || 'Id'} FROM ${object} ${clauses}`;
    const scoped: SoqlSource = {
      fields: (name) => source.fields(name),
      records: (name) => (name === object ? matched : source.records(name)),
      ...(source.related ? { related: source.related.bind(source) } : {}),
      ...(source.objectNames ? { objectNames: source.objectNames.bind(source) } : {}),
    };
    const result = executeSoql(soql, scoped, { apiVersion });
    searchRecords.push(...result.records);
    if (searchRecords.length >= query.limit) break;
  }
  return { searchRecords: searchRecords.slice(0, query.limit) };
}
