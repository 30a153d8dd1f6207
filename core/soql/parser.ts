// Recursive-descent parser for the subset of SOQL the sandbox serves. It follows Salesforce's
// grammar rules that clients trip over: AND and OR may not be mixed without parentheses, and NOT
// may only open a condition group (`a AND NOT b` is rejected, `a AND (NOT b)` is fine).
// Clauses: SELECT (fields, relationship fields, FIELDS(), COUNT(), aggregates, toLabel(), parent-to-child
// subqueries, aliases) FROM [alias] WHERE (with semi-/anti-join subqueries) GROUP BY, HAVING, ORDER BY,
// LIMIT, OFFSET.
import type {
  AggregateFunction,
  ComparisonOperator,
  ConditionFunction,
  Condition,
  DateLiteralName,
  FieldPath,
  OrderItem,
  SelectItem,
  SoqlQuery,
  SoqlValue,
} from './ast';
import { SoqlError, messages } from './errors';
import { tokenize, type Token } from './tokenizer';

const DATE_LITERALS = new Set<DateLiteralName>([
  'YESTERDAY',
  'TODAY',
  'TOMORROW',
  'LAST_WEEK',
  'THIS_WEEK',
  'NEXT_WEEK',
  'LAST_MONTH',
  'THIS_MONTH',
  'NEXT_MONTH',
  'LAST_YEAR',
  'THIS_YEAR',
  'NEXT_YEAR',
]);
const N_DATE_LITERALS = new Set<DateLiteralName>(['LAST_N_DAYS', 'NEXT_N_DAYS', 'N_DAYS_AGO']);
/** Words that end the FROM clause, so they cannot be an object alias. */
const CLAUSE_WORDS = new Set([
  'WHERE',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'GROUP',
  'HAVING',
  'WITH',
  'FOR',
  'USING',
  'UPDATE',
]);
const AGGREGATES = new Set<AggregateFunction>(['COUNT', 'COUNT_DISTINCT', 'MAX', 'MIN', 'SUM', 'AVG']);
const COMPARISONS: Record<string, ComparisonOperator> = {
  '=': '=',
  '!=': '!=',
  '<>': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

export function parseSoql(soql: string): SoqlQuery {
  if (soql.trim() === '') throw new SoqlError('MALFORMED_QUERY', 'SOQL statements cannot be empty or null');
  return new Parser(soql, tokenize(soql)).query();
}

class Parser {
  private index = 0;

  constructor(
    private readonly soql: string,
    private readonly tokens: Token[],
  ) {}

  query(): SoqlQuery {
    const query = this.queryBody();
    if (this.peek().kind !== 'eof') throw this.unexpected();
    return query;
  }

  /** One SELECT statement; a subquery's caller checks the closing parenthesis. */
  private queryBody(): SoqlQuery {
    this.expectWord('SELECT');
    const select = this.selectList();
    this.expectWord('FROM');
    const fromToken = this.expectIdent();
    const query: SoqlQuery = {
      select,
      from: { name: fromToken.text, position: fromToken.start },
      groupBy: [],
      orderBy: [],
    };
    if (this.peek().kind === 'ident' && !CLAUSE_WORDS.has(this.peekWord())) {
      query.from.alias = this.next().text;
    }
    if (this.acceptWord('WHERE')) query.where = this.conditionGroup();
    // Security modes change what a user without full access sees; the sandbox user sees everything anyway.
    if (
      this.peekWord() === 'WITH' &&
      ['SECURITY_ENFORCED', 'USER_MODE', 'SYSTEM_MODE'].includes(this.peekWord(1))
    ) {
      query.withSecurity = this.tokens[this.index + 1]!.text.toUpperCase() as SoqlQuery['withSecurity'];
      this.index += 2;
    }
    if (this.acceptWord('GROUP')) {
      this.expectWord('BY');
      query.groupBy = [this.fieldPath()];
      while (this.acceptPunct(',')) query.groupBy.push(this.fieldPath());
    }
    if (this.acceptWord('HAVING')) query.having = this.conditionGroup();
    if (this.acceptWord('ORDER')) {
      this.expectWord('BY');
      query.orderBy = this.orderList();
    }
    if (this.acceptWord('LIMIT')) {
      query.limitPosition = this.peek().start;
      query.limit = this.nonNegativeInteger();
    }
    if (this.acceptWord('OFFSET')) {
      query.offsetPosition = this.peek().start;
      query.offset = this.nonNegativeInteger();
    }
    return query;
  }

  private selectList(): SelectItem[] {
    const items: SelectItem[] = [this.selectItem()];
    while (this.acceptPunct(',')) items.push(this.selectItem());
    return items;
  }

  private selectItem(): SelectItem {
    const token = this.peek();
    const word = this.peekWord();
    if (token.kind === 'punct' && token.text === '(') {
      this.index++;
      const query = this.queryBody();
      this.expectPunct(')');
      return { kind: 'subquery', query, position: token.start };
    }
    if (this.peek(1).text !== '(') return { kind: 'field', field: this.fieldPath(), ...this.alias() };
    if (word === 'COUNT' && this.peek(2).text === ')') {
      this.index += 3;
      return { kind: 'count', position: token.start };
    }
    if (word === 'FIELDS') {
      this.index += 2;
      const group = this.peekWord();
      if (group !== 'ALL' && group !== 'STANDARD' && group !== 'CUSTOM') throw this.unexpected();
      this.index++;
      this.expectPunct(')');
      return { kind: 'fields', group, position: token.start };
    }
    const fn = this.functionCall();
    if (fn === undefined) throw this.unexpectedAt(this.peek(1));
    if (fn.fn === 'toLabel')
      return { kind: 'toLabel', field: fn.field, ...this.alias(), position: token.start };
    return { kind: 'aggregate', fn: fn.fn, field: fn.field, ...this.alias(), position: token.start };
  }

  /** `FN(field)` for an aggregate function or toLabel; undefined (nothing consumed) for any other word. */
  private functionCall(): { fn: ConditionFunction; field: FieldPath } | undefined {
    const word = this.peekWord();
    if (this.peek(1).text !== '(') return undefined;
    let fn: ConditionFunction;
    if (AGGREGATES.has(word as AggregateFunction)) fn = word as AggregateFunction;
    else if (word === 'TOLABEL') fn = 'toLabel';
    else return undefined;
    this.index += 2;
    const field = this.fieldPath();
    this.expectPunct(')');
    return { fn, field };
  }

  /**
   * An optional alias after a select item: an identifier followed by `,` or FROM, so that a misspelt FROM
   * (`SELECT Id FROMM Account`) is still reported as the unexpected token.
   */
  private alias(): { alias?: { name: string; position: number } } {
    const token = this.peek();
    if (token.kind !== 'ident' || this.peekWord() === 'FROM') return {};
    const after = this.peek(1);
    if (after.text !== ',' && !(after.kind === 'ident' && after.text.toUpperCase() === 'FROM')) return {};
    this.index++;
    return { alias: { name: token.text, position: token.start } };
  }

  private fieldPath(): FieldPath {
    const first = this.expectIdent();
    const path = [first.text];
    while (this.acceptPunct('.')) path.push(this.expectIdent().text);
    return { path, position: first.start };
  }

  /** `[NOT] unit ((AND|OR) unit)*` with a single kind of conjunction per group. */
  private conditionGroup(): Condition {
    const first = this.acceptWord('NOT')
      ? ({ kind: 'not', operand: this.conditionUnit() } as const)
      : this.conditionUnit();
    const operands: Condition[] = [first];
    let conjunction: 'AND' | 'OR' | undefined;
    for (;;) {
      const word = this.peekWord();
      if (word !== 'AND' && word !== 'OR') break;
      if (conjunction !== undefined && word !== conjunction) throw this.unexpected();
      conjunction = word;
      this.index++;
      operands.push(this.conditionUnit());
    }
    if (conjunction === undefined) return first;
    return { kind: conjunction === 'AND' ? 'and' : 'or', operands };
  }

  private conditionUnit(): Condition {
    if (this.acceptPunct('(')) {
      const inner = this.conditionGroup();
      this.expectPunct(')');
      return inner;
    }
    // NOT may only open a group; Salesforce reports it as the unexpected token anywhere else.
    if (this.peekWord() === 'NOT') throw this.unexpected();
    const call = this.functionCall();
    const field = call?.field ?? this.fieldPath();
    const fn = call ? { fn: call.fn } : {};
    const opToken = this.peek();
    const word = this.peekWord();
    if (opToken.kind === 'punct' && opToken.text in COMPARISONS) {
      this.index++;
      const operator = COMPARISONS[opToken.text] as ComparisonOperator;
      return { kind: 'comparison', field, ...fn, operator, value: this.value(), position: opToken.start };
    }
    if (word === 'LIKE') {
      this.index++;
      return {
        kind: 'comparison',
        field,
        ...fn,
        operator: 'LIKE',
        value: this.value(),
        position: opToken.start,
      };
    }
    const notIn = word === 'NOT' && this.peek(1).kind === 'ident' && this.peek(1).text.toUpperCase() === 'IN';
    if (word === 'IN' || notIn) {
      this.index += notIn ? 2 : 1;
      const operator = notIn ? 'NOT IN' : 'IN';
      if (
        this.peek().text === '(' &&
        this.peek(1).kind === 'ident' &&
        this.peek(1).text.toUpperCase() === 'SELECT'
      ) {
        if (call) throw this.unexpectedAt(this.peek(1));
        this.index++;
        const query = this.queryBody();
        this.expectPunct(')');
        return { kind: 'semijoin', field, operator, query, position: opToken.start };
      }
      return { kind: 'set', field, ...fn, operator, values: this.valueList(), position: opToken.start };
    }
    if (word === 'INCLUDES' || word === 'EXCLUDES') {
      this.index++;
      return { kind: 'set', field, ...fn, operator: word, values: this.valueList(), position: opToken.start };
    }
    throw this.unexpected();
  }

  private valueList(): SoqlValue[] {
    this.expectPunct('(');
    const values = [this.value()];
    while (this.acceptPunct(',')) values.push(this.value());
    this.expectPunct(')');
    return values;
  }

  private value(): SoqlValue {
    const token = this.next();
    const position = token.start;
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.value, likeSource: token.likeSource, position };
      case 'number':
        return { kind: 'number', value: token.value, position };
      case 'date':
        return { kind: 'date', value: token.text, position };
      case 'datetime':
        return { kind: 'datetime', value: token.text, epochMs: token.epochMs, position };
      case 'ident': {
        const word = token.text.toUpperCase();
        if (word === 'NULL') return { kind: 'null', position };
        if (word === 'TRUE' || word === 'FALSE') return { kind: 'boolean', value: word === 'TRUE', position };
        if (DATE_LITERALS.has(word as DateLiteralName)) {
          return { kind: 'dateLiteral', name: word as DateLiteralName, position };
        }
        if (N_DATE_LITERALS.has(word as DateLiteralName)) {
          this.expectPunct(':');
          const n = this.next();
          if (n.kind !== 'number' || !/^\d+$/.test(n.text)) throw this.unexpectedAt(n);
          return { kind: 'dateLiteral', name: word as DateLiteralName, n: n.value, position };
        }
        throw this.unexpectedAt(token);
      }
      default:
        throw this.unexpectedAt(token);
    }
  }

  private orderList(): OrderItem[] {
    const items: OrderItem[] = [];
    do {
      // toLabel() cannot sort: Salesforce always sorts a picklist in its defined order.
      if (this.peekWord() === 'TOLABEL') throw this.unexpected();
      const call = this.functionCall();
      const field = call?.field ?? this.fieldPath();
      let direction: OrderItem['direction'] = 'ASC';
      if (this.acceptWord('ASC')) direction = 'ASC';
      else if (this.acceptWord('DESC')) direction = 'DESC';
      // Salesforce's default puts nulls first in ascending order and last in descending order.
      let nulls: OrderItem['nulls'] = direction === 'ASC' ? 'FIRST' : 'LAST';
      if (this.acceptWord('NULLS')) {
        if (this.acceptWord('FIRST')) nulls = 'FIRST';
        else if (this.acceptWord('LAST')) nulls = 'LAST';
        else throw this.unexpected();
      }
      items.push({ field, ...(call ? { fn: call.fn as AggregateFunction } : {}), direction, nulls });
    } while (this.acceptPunct(','));
    return items;
  }

  private nonNegativeInteger(): number {
    const token = this.next();
    if (token.kind !== 'number' || !/^\d+$/.test(token.text)) throw this.unexpectedAt(token);
    return token.value;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)] as Token;
  }

  private peekWord(ahead = 0): string {
    const token = this.peek(ahead);
    return token.kind === 'ident' ? token.text.toUpperCase() : '';
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  private acceptWord(word: string): boolean {
    if (this.peekWord() !== word) return false;
    this.index++;
    return true;
  }

  private expectWord(word: string): void {
    if (!this.acceptWord(word)) throw this.unexpected();
  }

  private acceptPunct(text: string): boolean {
    const token = this.peek();
    if (token.kind !== 'punct' || token.text !== text) return false;
    this.index++;
    return true;
  }

  private expectPunct(text: string): void {
    if (!this.acceptPunct(text)) throw this.unexpected();
  }

  private expectIdent(): Token {
    const token = this.peek();
    if (token.kind !== 'ident') throw this.unexpected();
    this.index++;
    return token;
  }

  private unexpected(): SoqlError {
    return this.unexpectedAt(this.peek());
  }

  private unexpectedAt(token: Token): SoqlError {
    return new SoqlError('MALFORMED_QUERY', messages.unexpectedToken(token.text), this.soql, token.start);
  }
}
