// Splits a SOQL string into tokens. Keywords are not special here: SOQL keywords are
// case-insensitive and several of them (COUNT, FIELDS, date literals) double as identifiers,
// so the parser decides what an identifier means from where it stands.
import { SoqlError, messages } from './errors';

export type Token =
  | { kind: 'ident'; text: string; start: number }
  | { kind: 'punct'; text: string; start: number }
  | { kind: 'number'; text: string; value: number; start: number }
  | { kind: 'date'; text: string; start: number }
  | { kind: 'datetime'; text: string; epochMs: number; start: number }
  | StringToken
  | { kind: 'eof'; text: '<EOF>'; start: number };

export interface StringToken {
  kind: 'string';
  /** the literal as written, quotes included */
  text: string;
  /** decoded value for =, IN, ... (`\%` and `\_` keep their backslash: they only mean something in LIKE) */
  value: string;
  /** anchored regular expression source for LIKE: unescaped % and _ are wildcards */
  likeSource: string;
  start: number;
}

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})/;
const NUMBER = /^[+-]?\d+(\.\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;
const PUNCT = ['<=', '>=', '!=', '<>', '=', '<', '>', '(', ')', ',', '.', ':'];
const SIMPLE_ESCAPES: Record<string, string> = {
  "'": "'",
  '"': '"',
  '\\': '\\',
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
};

export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const ch = soql[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = soql.slice(i);
    if (ch === "'") {
      const token = readString(soql, i);
      tokens.push(token);
      i += token.text.length;
      continue;
    }
    const datetime = DATETIME.exec(rest);
    if (datetime) {
      tokens.push({
        kind: 'datetime',
        text: datetime[0],
        epochMs: parseDatetime(soql, i, datetime),
        start: i,
      });
      i += datetime[0].length;
      assertBoundary(soql, i);
      continue;
    }
    const date = DATE.exec(rest);
    if (date) {
      if (!validDate(Number(date[1]), Number(date[2]), Number(date[3]))) {
        throw new SoqlError('MALFORMED_QUERY', `line 1:${i} Invalid date: ${date[0]}`, soql, i);
      }
      tokens.push({ kind: 'date', text: date[0], start: i });
      i += date[0].length;
      assertBoundary(soql, i);
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', text: number[0], value: Number(number[0]), start: i });
      i += number[0].length;
      assertBoundary(soql, i);
      continue;
    }
    const ident = IDENT.exec(rest);
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0], start: i });
      i += ident[0].length;
      continue;
    }
    const punct = PUNCT.find((p) => rest.startsWith(p));
    if (punct) {
      tokens.push({ kind: 'punct', text: punct, start: i });
      i += punct.length;
      continue;
    }
    throw new SoqlError('MALFORMED_QUERY', `line 1:${i} no viable alternative at character '${ch}'`, soql, i);
  }
  tokens.push({ kind: 'eof', text: '<EOF>', start: soql.length });
  return tokens;
}

/** A literal glued to letters or digits (`2024-01-01abc`, `12x`) is one bad token, as in Salesforce. */
function assertBoundary(soql: string, end: number): void {
  if (end < soql.length && /[A-Za-z0-9_]/.test(soql[end] as string)) {
    let stop = end;
    while (stop < soql.length && /[A-Za-z0-9_:.+-]/.test(soql[stop] as string)) stop++;
    let start = end;
    while (start > 0 && /[A-Za-z0-9_:.+-]/.test(soql[start - 1] as string)) start--;
    throw new SoqlError('MALFORMED_QUERY', messages.unexpectedToken(soql.slice(start, stop)), soql, start);
  }
}

function readString(soql: string, start: number): StringToken {
  let value = '';
  let likeSource = '';
  let i = start + 1;
  for (;;) {
    if (i >= soql.length) {
      throw new SoqlError(
        'MALFORMED_QUERY',
        `line 1:${start} mismatched character '<EOF>' expecting '''`,
        soql,
        start,
      );
    }
    const ch = soql[i] as string;
    if (ch === "'") break;
    if (ch !== '\\') {
      value += ch;
      likeSource += ch === '%' ? '.*' : ch === '_' ? '.' : escapeRegExp(ch);
      i++;
      continue;
    }
    const next = soql[i + 1];
    if (next !== undefined && next in SIMPLE_ESCAPES) {
      const decoded = SIMPLE_ESCAPES[next] as string;
      value += decoded;
      likeSource += escapeRegExp(decoded);
      i += 2;
    } else if (next === '%' || next === '_') {
      value += `\\${next}`;
      likeSource += escapeRegExp(next);
      i += 2;
    } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(soql.slice(i + 2, i + 6))) {
      const decoded = String.fromCharCode(parseInt(soql.slice(i + 2, i + 6), 16));
      value += decoded;
      likeSource += escapeRegExp(decoded);
      i += 6;
    } else {
      let end = soql.indexOf("'", i + 1);
      if (end < 0) end = soql.length - 1;
      throw new SoqlError(
        'MALFORMED_QUERY',
        `Invalid string literal '${soql.slice(start + 1, end)}'. Illegal character sequence '\\${next ?? ''}' in string literal.`,
        soql,
        start,
      );
    }
  }
  return { kind: 'string', text: soql.slice(start, i + 1), value, likeSource: `^${likeSource}$`, start };
}

function escapeRegExp(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

function validDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function parseDatetime(soql: string, at: number, m: RegExpExecArray): number {
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const valid =
    validDate(Number(y), Number(mo), Number(d)) && Number(h) < 24 && Number(mi) < 60 && Number(s) < 60;
  const offset = zone === 'Z' ? 'Z' : `${zone!.slice(0, 3)}:${zone!.slice(-2)}`;
  const epochMs = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac ?? ''}${offset}`);
  if (!valid || Number.isNaN(epochMs)) {
    throw new SoqlError('MALFORMED_QUERY', `line 1:${at} Invalid datetime: ${m[0]}`, soql, at);
  }
  return epochMs;
}
