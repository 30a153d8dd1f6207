/**
 * A user-supplied SOQL WHERE clause (bulk resync `--where "…"`), made safe: it is parsed into a syntax
 * tree, every field is checked against describe, and the clause sent to Salesforce is re-serialized
 * from that tree. The user's text is never concatenated into a query, so quotes, comments or a second
 * statement cannot change what runs.
 */
import type { Condition, SoqlValue } from './ast';
import { SoqlError } from './errors';
import { parseSoql } from './parser';

export class WhereClauseError extends Error {
  override readonly name = 'WhereClauseError';
  readonly code = 'INVALID_WHERE_CLAUSE';
}

export interface WhereField {
  name: string;
  type: string;
  filterable?: boolean;
}

const STRING_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function quote(value: string, inLike: boolean): string {
  if (inLike && value.includes('\\')) {
    throw new WhereClauseError('backslashes are not supported in LIKE patterns of a --where clause');
  }
  return `'${value.replace(/[\\'"\n\r\t\b\f]/g, (c) => STRING_ESCAPES[c] ?? c)}'`;
}

/** A value as a SOQL string literal, escaped (for values read from records, never user-typed SOQL). */
export function soqlStringLiteral(value: string): string {
  return quote(value, false);
}

function literal(value: SoqlValue, inLike = false): string {
  switch (value.kind) {
    case 'string':
      return quote(value.value, inLike);
    case 'number':
      if (!Number.isFinite(value.value)) throw new WhereClauseError('numbers must be finite');
      return String(value.value);
    case 'boolean':
      return value.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'date':
    case 'datetime':
      return value.value;
    case 'dateLiteral':
      return value.n === undefined ? value.name : `${value.name}:${value.n}`;
  }
}

export function compileWhereClause(object: string, clause: string, fields: readonly WhereField[]): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(object))
    throw new WhereClauseError(`'${object}' is not an object name`);
  if (clause.trim() === '') throw new WhereClauseError('the WHERE clause is empty');
  let where: Condition | undefined;
  try {
    const query = parseSoql(`SELECT Id FROM ${object} WHERE ${clause}`);
    if (
      query.orderBy.length > 0 ||
      query.groupBy.length > 0 ||
      query.having !== undefined ||
      query.withSecurity !== undefined ||
      query.limit !== undefined ||
      query.offset !== undefined
    ) {
      throw new WhereClauseError(
        'only conditions are allowed (no WITH, GROUP BY, HAVING, ORDER BY, LIMIT or OFFSET)',
      );
    }
    where = query.where;
  } catch (err) {
    if (err instanceof SoqlError)
      throw new WhereClauseError(`not a valid SOQL condition: ${err.detail ?? err.message}`, { cause: err });
    throw tooDeep(err);
  }
  if (!where) throw new WhereClauseError('the WHERE clause is empty');
  const byName = new Map(fields.map((f) => [f.name.toLowerCase(), f]));

  const field = (path: string[]): string => {
    if (path.length !== 1)
      throw new WhereClauseError(`'${path.join('.')}': relationship fields are not supported`);
    const found = byName.get(path[0]!.toLowerCase());
    if (!found) throw new WhereClauseError(`'${path[0]}' is not a field of ${object}`);
    if (found.filterable === false) throw new WhereClauseError(`'${found.name}' cannot be filtered on`);
    return found.name;
  };

  const render = (c: Condition): string => {
    switch (c.kind) {
      case 'and':
      case 'or':
        return `(${c.operands.map(render).join(c.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `(NOT ${render(c.operand)})`;
      case 'comparison':
        if (c.fn) throw new WhereClauseError(`${c.fn}() is not supported in a --where clause`);
        return `${field(c.field.path)} ${c.operator} ${literal(c.value, c.operator === 'LIKE')}`;
      case 'set':
        if (c.fn) throw new WhereClauseError(`${c.fn}() is not supported in a --where clause`);
        return `${field(c.field.path)} ${c.operator} (${c.values.map((v) => literal(v)).join(', ')})`;
      case 'semijoin':
        throw new WhereClauseError('subqueries are not supported in a --where clause');
    }
  };
  try {
    return render(where);
  } catch (err) {
    throw tooDeep(err);
  }
}

/**
 * The parser and the renderer recurse once per nesting level: thousands of parentheses overflow the
 * stack. That is a property of the clause, so it is refused like any other invalid clause (before, the
 * RangeError was retried forever).
 */
function tooDeep(err: unknown): unknown {
  return err instanceof RangeError
    ? new WhereClauseError('the clause is nested too deeply to check (thousands of parentheses)', {
        cause: err,
      })
    : err;
}
