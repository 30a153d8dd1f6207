// Runs a parsed query against in-memory records: binds names to the schema (INVALID_FIELD /
// INVALID_TYPE errors), type-checks filter values as Salesforce does, then filters, sorts, pages
// and projects records into the REST API's shape. Parent-to-child subqueries and semi-joins run as
// nested executions over the same source; aggregate queries are grouped in `aggregate.ts`.
import {
  parseSoql,
  SoqlError,
  soqlMessages as messages,
  type Condition,
  type FieldPath,
  type SelectItem,
  type SoqlQuery,
  type SoqlValue,
} from '../../../core/soql';
import { isAggregateQuery, runAggregate, type AggregateHost } from './aggregate';
import {
  SchemaResolver,
  categoryOf,
  type FieldCategory,
  type ObjectSchema,
  type ResolvedField,
  type SoqlFieldInfo,
  type SoqlSource,
} from './schema';
import {
  asText,
  compare,
  dateLiteralRange,
  idKey,
  idsEqual,
  isValidId,
  normalize,
  readField,
  sortByKeys,
  splitMultipicklist,
  toDay,
  type Normalized,
  type SortKey,
  type SourceRecord,
} from './values';

export interface ExecuteOptions {
  /** API version for `attributes.url`, e.g. '60.0' */
  apiVersion?: string;
  /** clock for date literals such as TODAY (UTC) */
  now?: Date;
}

export interface SoqlResult {
  objectName: string;
  /** output keys of the selected columns, relationship fields dotted (`Account.Name`) */
  fields: string[];
  records: Array<Record<string, unknown>>;
  totalSize: number;
}

export const DEFAULT_API_VERSION = '60.0';
const MAX_OFFSET = 2000;
const MAX_FIELDS_FUNCTION_LIMIT = 200;

type Predicate = (record: SourceRecord) => boolean;

/** A field as a query reads it: `label` reads the picklist label instead of the API name (toLabel). */
export type BoundField = ResolvedField & { label?: boolean };

type Column =
  | { kind: 'field'; field: BoundField; key: string; alias?: string }
  | { kind: 'child'; name: string; execution: Execution; parentField: SoqlFieldInfo };

export function executeSoql(soql: string, source: SoqlSource, options: ExecuteOptions = {}): SoqlResult {
  const query = parseSoql(soql);
  return new Execution(new QueryContext(soql, source, options), query, { kind: 'root' }).run();
}

/** What a query and its subqueries share: the source, the schema, the clock and the lookup cache. */
class QueryContext {
  readonly resolver: SchemaResolver;
  readonly apiVersion: string;
  readonly now: Date;
  private readonly relatedCache = new Map<string, SourceRecord | undefined>();

  constructor(
    readonly soql: string,
    readonly source: SoqlSource,
    options: ExecuteOptions,
  ) {
    this.resolver = new SchemaResolver(source, soql);
    this.apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
    this.now = options.now ?? new Date();
  }

  error(code: SoqlError['errorCode'], detail: string, position: number): SoqlError {
    return new SoqlError(code, detail, this.soql, position);
  }

  /** The raw value of a (possibly relationship) field; null when any link in the path is empty. */
  valueOf(record: SourceRecord, field: BoundField): unknown {
    let current: SourceRecord | undefined = record;
    for (const hop of field.hops) {
      current = this.follow(current, hop);
      if (!current) return null;
    }
    const raw = readField(current, field.field.name);
    return field.label ? labelOf(field.field, raw) : raw;
  }

  follow(record: SourceRecord, hop: ResolvedField['hops'][number]): SourceRecord | undefined {
    const id = readField(record, hop.via.name);
    if (typeof id !== 'string' || id === '') return undefined;
    const key = `${hop.fromObject}\u0000${hop.via.name}\u0000${id}`;
    if (!this.relatedCache.has(key)) {
      let related = this.source.related?.(hop.fromObject, hop.via.name, id);
      // Without the hook, accept a record that carries its parent inline (`Account: { Name }`).
      const inline = readField(record, hop.relationshipName);
      if (!related && inline && typeof inline === 'object') related = inline as SourceRecord;
      this.relatedCache.set(key, related);
    }
    return this.relatedCache.get(key);
  }

  attributes(type: string, record: SourceRecord): { type: string; url: string } {
    const id = readField(record, 'Id');
    return {
      type,
      url: `/services/data/v${this.apiVersion}/sobjects/${type}/${typeof id === 'string' ? id : ''}`,
    };
  }
}

type Scope =
  | { kind: 'root' }
  /** `(SELECT … FROM Contacts)` inside an Account query. */
  | { kind: 'child'; relationship: string; child: ObjectSchema }
  /** `Id IN (SELECT AccountId FROM Contact …)` */
  | { kind: 'semijoin' };

class Execution implements AggregateHost {
  readonly base: ObjectSchema;
  /** What may qualify a field of this query: its alias, or the relationship name of a child subquery. */
  private readonly qualifier: string | undefined;
  private columnsCache: Column[] | undefined;

  constructor(
    readonly ctx: QueryContext,
    readonly query: SoqlQuery,
    private readonly scope: Scope,
  ) {
    this.base =
      scope.kind === 'child' ? scope.child : ctx.resolver.requireObject(query.from.name, query.from.position);
    this.qualifier = query.from.alias ?? (scope.kind === 'child' ? scope.relationship : undefined);
  }

  get soql(): string {
    return this.ctx.soql;
  }

  run(): SoqlResult {
    const { query } = this;
    const count = query.select.find((item) => item.kind === 'count');
    if (count && query.select.length > 1) {
      const extra = query.select.find((item) => item.kind !== 'count') ?? query.select[1]!;
      throw this.error(
        'MALFORMED_QUERY',
        'COUNT() cannot be used with other fields in the SELECT list',
        positionOf(extra),
      );
    }
    if (count && query.groupBy.length > 0) {
      // SOQL reference, COUNT(): "If you are using a GROUP BY clause, use COUNT(fieldName) instead of COUNT()".
      // https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_count.htm
      throw this.error(
        'MALFORMED_QUERY',
        'COUNT() cannot be used with GROUP BY; use COUNT(fieldName)',
        query.groupBy[0]!.position,
      );
    }
    if (!count && isAggregateQuery(query)) {
      this.checkPaging();
      return runAggregate(this);
    }
    const columns = count ? [] : this.columns();
    this.checkPaging();
    const rows = (count ? undefined : this.idOrderedPage()) ?? this.page(this.sort(this.matchingRows()));
    if (count) return { objectName: this.base.name, fields: [], records: [], totalSize: rows.length };
    return {
      objectName: this.base.name,
      fields: columns.map((c) => (c.kind === 'field' ? c.key : c.name)),
      records: rows.map((record) => this.project(record, columns)),
      totalSize: rows.length,
    };
  }

  /** The rows the WHERE clause matches, unsorted. */
  matchingRows(): SourceRecord[] {
    const predicate = this.query.where ? this.bindCondition(this.query.where) : () => true;
    return [...this.candidates()].filter(predicate);
  }

  resolve(field: FieldPath): ResolvedField {
    return this.ctx.resolver.resolve(field, this.base, this.qualifier);
  }

  valueOf(record: SourceRecord, field: BoundField): unknown {
    return this.ctx.valueOf(record, field);
  }

  error(code: SoqlError['errorCode'], detail: string, position: number): SoqlError {
    return this.ctx.error(code, detail, position);
  }

  /**
   * The rows the WHERE clause can match. `Id = '…'` or `Id IN (…)` (alone or in an AND) names them, so a
   * source that can look records up by Id is not scanned whole: a sync's read is one record out of many.
   */
  private candidates(): Iterable<SourceRecord> {
    const { source } = this.ctx;
    const ids = source.recordsWithIds && this.query.where ? this.pinnedIds(this.query.where) : undefined;
    return ids ? source.recordsWithIds!(this.base.name, ids) : source.records(this.base.name);
  }

  /**
   * `… [WHERE … AND Id > 'x'] ORDER BY Id [ASC] LIMIT n`, the Id-keyed paging of a bulk read: rows are
   * read in Id order from the cursor until the page is full, instead of every row being filtered and
   * sorted (quadratic over a 100,000-record backfill). The same rows as the general path: the WHERE clause
   * is still applied to each, and Ids are unique, so the order is total.
   */
  private idOrderedPage(): SourceRecord[] | undefined {
    const { source } = this.ctx;
    const { orderBy, limit, where } = this.query;
    const [order] = orderBy;
    if (!source.recordsInIdOrder || limit === undefined || orderBy.length !== 1 || !order) return undefined;
    if (order.direction === 'DESC' || !this.isIdField(order.field)) return undefined;
    if (this.scope.kind !== 'root' || (where && this.pinnedIds(where))) return undefined;
    const predicate = where ? this.bindCondition(where) : () => true;
    const want = (this.query.offset ?? 0) + limit;
    const rows: SourceRecord[] = [];
    for (const record of source.recordsInIdOrder(
      this.base.name,
      where ? this.idLowerBound(where) : undefined,
    )) {
      if (rows.length >= want) break;
      if (predicate(record)) rows.push(record);
    }
    return this.page(rows);
  }

  /** The cursor of `Id > 'x'` (alone or in an AND), if any. */
  private idLowerBound(condition: Condition): string | undefined {
    if (condition.kind === 'and') {
      for (const operand of condition.operands) {
        const bound = this.idLowerBound(operand);
        if (bound !== undefined) return bound;
      }
      return undefined;
    }
    if (
      condition.kind === 'comparison' &&
      !condition.fn &&
      condition.operator === '>' &&
      this.isIdField(condition.field) &&
      condition.value.kind === 'string'
    )
      return condition.value.value;
    return undefined;
  }

  private isIdField(field: FieldPath): boolean {
    const path = field.path.map((p) => p.toLowerCase());
    const qualifier = [this.qualifier, this.base.name].map((n) => n?.toLowerCase());
    return (
      (path.length === 1 && path[0] === 'id') ||
      (path.length === 2 && path[1] === 'id' && qualifier.includes(path[0]))
    );
  }

  private pinnedIds(condition: Condition): string[] | undefined {
    if (condition.kind === 'and') {
      for (const operand of condition.operands) {
        const ids = this.pinnedIds(operand);
        if (ids) return ids;
      }
      return undefined;
    }
    const isId = (field: FieldPath) => {
      const path = field.path.map((p) => p.toLowerCase());
      const qualifier = [this.qualifier, this.base.name].map((n) => n?.toLowerCase());
      return (
        (path.length === 1 && path[0] === 'id') ||
        (path.length === 2 && path[1] === 'id' && qualifier.includes(path[0]))
      );
    };
    if (
      condition.kind === 'comparison' &&
      !condition.fn &&
      condition.operator === '=' &&
      isId(condition.field)
    )
      return condition.value.kind === 'string' ? [condition.value.value] : undefined;
    if (condition.kind === 'set' && !condition.fn && condition.operator === 'IN' && isId(condition.field)) {
      const values = condition.values.map((v) => (v.kind === 'string' ? v.value : undefined));
      return values.every((v): v is string => v !== undefined) ? values : undefined;
    }
    return undefined;
  }

  private checkPaging(): void {
    if (this.query.offset !== undefined && this.query.offset > MAX_OFFSET) {
      throw new SoqlError('NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
    }
  }

  // ---- SELECT -----------------------------------------------------------------------------

  private columns(): Column[] {
    if (this.columnsCache) return this.columnsCache;
    const columns: Column[] = [];
    const seen = new Set<string>();
    const add = (column: Column, position: number) => {
      const key = (column.kind === 'field' ? column.key : column.name).toLowerCase();
      if (seen.has(key)) {
        const shown = column.kind === 'field' ? column.key : column.name;
        throw this.error('INVALID_FIELD', `duplicate field selected: ${shown}`, position);
      }
      seen.add(key);
      columns.push(column);
    };
    for (const item of this.query.select) {
      switch (item.kind) {
        case 'field': {
          // Aliases name the columns of aggregate queries only; elsewhere the alias is a stray token.
          if (item.alias)
            throw this.error(
              'MALFORMED_QUERY',
              messages.unexpectedToken(item.alias.name),
              item.alias.position,
            );
          const field = this.resolve(item.field);
          add({ kind: 'field', field, key: field.display }, item.field.position);
          break;
        }
        case 'toLabel': {
          // toLabel() supports aliasing, which is required when the query selects the same field twice.
          // https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-soql-select-tolabel.html
          const field: BoundField = { ...this.resolve(item.field), label: true };
          const alias = item.alias?.name;
          add(
            { kind: 'field', field, key: alias ?? field.display, ...(alias ? { alias } : {}) },
            item.field.position,
          );
          break;
        }
        case 'fields':
          if (
            item.group !== 'STANDARD' &&
            (this.query.limit === undefined || this.query.limit > MAX_FIELDS_FUNCTION_LIMIT)
          ) {
            throw this.error(
              'MALFORMED_QUERY',
              'The SOQL FIELDS function must have a LIMIT of at most 200',
              item.position,
            );
          }
          for (const f of this.base.fields) {
            const custom = /__c$/i.test(f.name);
            if ((item.group === 'STANDARD' && custom) || (item.group === 'CUSTOM' && !custom)) continue;
            if (seen.has(f.name.toLowerCase())) continue;
            add(
              {
                kind: 'field',
                field: { hops: [], field: f, display: f.name, position: item.position },
                key: f.name,
              },
              item.position,
            );
          }
          break;
        case 'subquery':
          add(this.childColumn(item), item.position);
          break;
        case 'aggregate':
        case 'count':
          // Aggregate queries never get here (run() sends them to runAggregate).
          throw this.error('MALFORMED_QUERY', messages.unexpectedToken(item.kind), item.position);
      }
    }
    this.columnsCache = columns;
    return columns;
  }

  private childColumn(item: Extract<SelectItem, { kind: 'subquery' }>): Column {
    if (this.scope.kind !== 'root') {
      // Only the outer query may hold parent-to-child subqueries.
      throw this.error('MALFORMED_QUERY', messages.unexpectedToken('('), item.position);
    }
    const { from } = item.query;
    const relationship = this.ctx.resolver.childRelationship(this.base, from.name, from.position);
    const execution = new Execution(this.ctx, item.query, {
      kind: 'child',
      relationship: relationship.name,
      child: relationship.child,
    });
    if (isAggregateQuery(item.query) || item.query.select.some((s) => s.kind === 'count')) {
      throw this.error('MALFORMED_QUERY', 'only root queries support aggregate expressions', item.position);
    }
    execution.columns(); // binds the subquery's fields now, so a bad one fails the whole query
    return { kind: 'child', name: relationship.name, execution, parentField: relationship.field };
  }

  // ---- ORDER BY, LIMIT, OFFSET ------------------------------------------------------------

  private sort(rows: SourceRecord[]): SourceRecord[] {
    const order = this.query.orderBy.map((item) => {
      const field = this.resolve(item.field);
      const category = categoryOf(field.field);
      if (category === 'multipicklist') {
        throw this.error(
          'INVALID_FIELD',
          `field '${field.field.name}' can not be sorted in a query call`,
          field.position,
        );
      }
      return { field, category, descending: item.direction === 'DESC', nullsFirst: item.nulls === 'FIRST' };
    });
    return sortByKeys(
      rows,
      (record) => order.map((o) => normalize(o.category, this.valueOf(record, o.field))),
      order as SortKey[],
    );
  }

  page<T>(rows: T[]): T[] {
    const start = this.query.offset ?? 0;
    return rows.slice(start, this.query.limit === undefined ? undefined : start + this.query.limit);
  }

  // ---- WHERE ------------------------------------------------------------------------------

  bindCondition(condition: Condition): Predicate {
    switch (condition.kind) {
      case 'and': {
        const parts = condition.operands.map((c) => this.bindCondition(c));
        return (r) => parts.every((p) => p(r));
      }
      case 'or': {
        const parts = condition.operands.map((c) => this.bindCondition(c));
        return (r) => parts.some((p) => p(r));
      }
      case 'not': {
        const inner = this.bindCondition(condition.operand);
        return (r) => !inner(r);
      }
      case 'comparison':
        return this.bindComparison(condition);
      case 'set':
        return this.bindSet(condition);
      case 'semijoin':
        return this.bindSemiJoin(condition);
    }
  }

  /** The field on the left of a condition: toLabel() reads labels; aggregates belong in HAVING only. */
  private conditionField(condition: { field: FieldPath; fn?: string; position: number }): BoundField {
    if (condition.fn && condition.fn !== 'toLabel') {
      throw this.error('MALFORMED_QUERY', messages.unexpectedToken(condition.fn), condition.field.position);
    }
    const field = this.resolve(condition.field);
    return condition.fn === 'toLabel' ? { ...field, label: true } : field;
  }

  private bindComparison(condition: Extract<Condition, { kind: 'comparison' }>): Predicate {
    const field = this.conditionField(condition);
    const category = field.label ? labelCategory(field.field) : categoryOf(field.field);
    const { operator, value } = condition;
    if (operator === 'LIKE') {
      if (category !== 'text' && category !== 'any') throw this.invalidOperator(field, condition.position);
      if (value.kind !== 'string' && value.kind !== 'null') throw this.typeError(field, category);
      if (value.kind === 'null') return () => false;
      const pattern = new RegExp(value.likeSource, 'is');
      return (r) => {
        const raw = this.valueOf(r, field);
        return raw !== null && raw !== undefined && pattern.test(asText(raw));
      };
    }
    if (operator !== '=' && operator !== '!=' && (category === 'boolean' || category === 'multipicklist')) {
      throw this.invalidOperator(field, condition.position);
    }
    this.checkValue(field, category, value);
    const test = this.valueTest(field, category, value);
    if (operator === '=') return (r) => test.equals(r);
    if (operator === '!=') return (r) => !test.equals(r);
    return (r) => test.compare(r, operator);
  }

  private bindSet(condition: Extract<Condition, { kind: 'set' }>): Predicate {
    const field = this.conditionField(condition);
    const category = field.label ? labelCategory(field.field) : categoryOf(field.field);
    const { operator, values } = condition;
    if (operator === 'INCLUDES' || operator === 'EXCLUDES') {
      if (category !== 'multipicklist' && category !== 'any') {
        throw this.error(
          'INVALID_QUERY_FILTER_OPERATOR',
          'includes or excludes operator only valid on multipicklist field',
          condition.position,
        );
      }
      for (const v of values) this.checkValue(field, category, v);
      // Each value is a ';'-joined combination: 'AAA;BBB' means "has both AAA and BBB".
      const combinations = values.map((v) => (v.kind === 'string' ? splitMultipicklist(v.value) : []));
      const includes = (r: SourceRecord): boolean => {
        const raw = this.valueOf(r, field);
        if (raw === null || raw === undefined || raw === '') return false;
        const have = new Set(splitMultipicklist(asText(raw)));
        return combinations.some((combo) => combo.length > 0 && combo.every((item) => have.has(item)));
      };
      return operator === 'INCLUDES' ? includes : (r) => !includes(r);
    }
    if (category === 'boolean') throw this.invalidOperator(field, condition.position);
    for (const v of values) this.checkValue(field, category, v);
    const tests = values.map((v) => this.valueTest(field, category, v));
    const inList = (r: SourceRecord): boolean => tests.some((t) => t.equals(r));
    return operator === 'IN' ? inList : (r) => !inList(r);
  }

  /**
   * `field [NOT] IN (SELECT idField FROM Object WHERE …)`: the subquery runs once and its ids form a set.
   * It may select one Id or reference field only ("semi join sub selects can only query id fields").
   */
  private bindSemiJoin(condition: Extract<Condition, { kind: 'semijoin' }>): Predicate {
    const field = this.resolve(condition.field);
    const inner = new Execution(this.ctx, condition.query, { kind: 'semijoin' });
    const ids = inner.semiJoinIds();
    const matches = (r: SourceRecord): boolean => {
      const raw = this.valueOf(r, field);
      return typeof raw === 'string' && raw !== '' && ids.has(idKey(raw));
    };
    return condition.operator === 'IN' ? matches : (r) => !matches(r);
  }

  /** The ids a semi-join subquery selects, keyed as `idKey` does. */
  private semiJoinIds(): Set<string> {
    const [item, extra] = this.query.select;
    if (extra) throw this.error('MALFORMED_QUERY', messages.unexpectedToken(','), positionOf(extra));
    if (item?.kind !== 'field') {
      throw this.error(
        'MALFORMED_QUERY',
        `semi join sub selects can only query id fields, cannot use: '${item ? describeItem(item) : ''}'`,
        item ? positionOf(item) : this.query.from.position,
      );
    }
    const field = this.resolve(item.field);
    if (categoryOf(field.field) !== 'id') {
      throw this.error(
        'MALFORMED_QUERY',
        `semi join sub selects can only query id fields, cannot use: '${field.field.name}'`,
        item.field.position,
      );
    }
    const ids = new Set<string>();
    for (const record of this.matchingRows()) {
      const raw = this.valueOf(record, field);
      if (typeof raw === 'string' && raw !== '') ids.add(idKey(raw));
    }
    return ids;
  }

  /** Throws the Salesforce error for a literal that does not fit the field's type. */
  private checkValue(field: BoundField, category: FieldCategory, value: SoqlValue): void {
    if (value.kind === 'null' || category === 'any') return;
    const ok: Record<FieldCategory, boolean> = {
      text: value.kind === 'string',
      id: value.kind === 'string',
      multipicklist: value.kind === 'string',
      boolean: value.kind === 'boolean',
      number: value.kind === 'number',
      date: value.kind === 'date' || value.kind === 'dateLiteral',
      datetime: value.kind === 'datetime' || value.kind === 'dateLiteral',
      any: true,
    };
    if (!ok[category]) throw this.typeError(field, category);
    if (category === 'id' && value.kind === 'string' && value.value !== '' && !isValidId(value.value)) {
      throw this.error('INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${value.value}`, value.position);
    }
  }

  /** Equality and ordering of one field against one (already type-checked) literal. */
  private valueTest(
    field: BoundField,
    category: FieldCategory,
    value: SoqlValue,
  ): { equals: Predicate; compare: (r: SourceRecord, op: '<' | '<=' | '>' | '>=') => boolean } {
    const read = (r: SourceRecord): Normalized => normalize(category, this.valueOf(r, field));
    if (value.kind === 'dateLiteral') {
      const [start, end] = dateLiteralRange(value.name, value.n, this.ctx.now);
      const inRange = (x: Normalized): boolean => typeof x === 'number' && x >= start && x < end;
      return {
        equals: (r) => inRange(read(r)),
        compare: (r, op) => {
          const x = read(r);
          if (typeof x !== 'number') return false;
          return op === '<' ? x < start : op === '<=' ? x < end : op === '>' ? x >= end : x >= start;
        },
      };
    }
    const literal = literalValue(category, value);
    const equals = (x: Normalized): boolean => {
      if (x === null || literal === null) return x === literal;
      if (category === 'id') return idsEqual(String(x), String(literal));
      return x === literal;
    };
    return {
      equals: (r) => equals(read(r)),
      compare: (r, op) => {
        const x = read(r);
        if (x === null || literal === null) return false;
        const c = compare(x, literal);
        return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
      },
    };
  }

  private typeError(field: BoundField, category: FieldCategory): SoqlError {
    const quoted = category === 'text' || category === 'id' || category === 'multipicklist';
    const typeName: Record<FieldCategory, string> = {
      text: 'string',
      id: 'string',
      multipicklist: 'string',
      boolean: 'boolean',
      number: field.field.type.toLowerCase() === 'int' ? 'integer' : 'double',
      date: 'date',
      datetime: 'dateTime',
      any: 'string',
    };
    return this.error(
      'INVALID_FIELD',
      messages.filterType(field.field.name, typeName[category], quoted),
      field.position,
    );
  }

  private invalidOperator(field: BoundField, position: number): SoqlError {
    const type = field.field.type.toLowerCase() === 'reference' ? 'id' : field.field.type.toLowerCase();
    return this.error('INVALID_QUERY_FILTER_OPERATOR', `invalid operator on ${type} field`, position);
  }

  // ---- projecting records -----------------------------------------------------------------

  private project(record: SourceRecord, columns: Column[]): SourceRecord {
    const out: SourceRecord = { attributes: this.ctx.attributes(this.base.name, record) };
    for (const column of columns) {
      if (column.kind === 'child') {
        out[column.name] = column.execution.childResult(record, column.parentField);
        continue;
      }
      const { field } = column;
      if (column.alias) {
        out[column.alias] = this.valueOf(record, field);
        continue;
      }
      let container: SourceRecord = out;
      let current: SourceRecord | undefined = record;
      let complete = true;
      for (const hop of field.hops) {
        current = this.ctx.follow(current, hop);
        if (!current) {
          if (!(hop.relationshipName in container)) container[hop.relationshipName] = null;
          complete = false;
          break;
        }
        let nested = container[hop.relationshipName];
        if (!nested || typeof nested !== 'object') {
          nested = {
            attributes: this.ctx.attributes(
              relatedType(current, hop.toObject ?? hop.relationshipName),
              current,
            ),
          };
          container[hop.relationshipName] = nested;
        }
        container = nested as SourceRecord;
      }
      if (complete && current) {
        const raw = readField(current, field.field.name);
        container[field.field.name] = field.label ? labelOf(field.field, raw) : raw;
      }
    }
    return out;
  }

  /** Children of this (child-subquery) execution, by the canonical id of their parent. */
  private childIndex: Map<string, SourceRecord[]> | undefined;

  /**
   * The nested query result a parent record carries for a child subquery: `{totalSize, done, records}`,
   * or null when the parent has no matching children, as the REST API returns it.
   */
  private childResult(parent: SourceRecord, parentField: SoqlFieldInfo): unknown {
    if (!this.childIndex) {
      this.childIndex = new Map();
      for (const child of this.matchingRows()) {
        const parentId = readField(child, parentField.name);
        if (typeof parentId !== 'string' || parentId === '') continue;
        const key = idKey(parentId);
        const list = this.childIndex.get(key);
        if (list) list.push(child);
        else this.childIndex.set(key, [child]);
      }
    }
    const id = readField(parent, 'Id');
    const children = typeof id === 'string' ? (this.childIndex.get(idKey(id)) ?? []) : [];
    const rows = this.page(this.sort(children));
    if (rows.length === 0) return null;
    const columns = this.columns();
    return { totalSize: rows.length, done: true, records: rows.map((r) => this.project(r, columns)) };
  }
}

function positionOf(item: SelectItem): number {
  return item.kind === 'field' ? item.field.position : item.position;
}

function describeItem(item: SelectItem): string {
  switch (item.kind) {
    case 'field':
      return item.field.path.join('.');
    case 'aggregate':
      return `${item.fn}(${item.field.path.join('.')})`;
    case 'toLabel':
      return `toLabel(${item.field.path.join('.')})`;
    case 'count':
      return 'COUNT()';
    case 'fields':
      return `FIELDS(${item.group})`;
    case 'subquery':
      return item.query.from.name;
  }
}

function relatedType(record: SourceRecord, fallback: string): string {
  const attributes = record.attributes as { type?: unknown } | undefined;
  return typeof attributes?.type === 'string' ? attributes.type : fallback;
}

const labelMaps = new WeakMap<SoqlFieldInfo, Map<string, string>>();

/**
 * toLabel(): a picklist value's label (each value of a multi-select picklist). Fields without picklist
 * values (record type names, text) read as they are: the sandbox has one language, so there is nothing
 * to translate.
 */
export function labelOf(field: SoqlFieldInfo, raw: unknown): unknown {
  if (raw === null || raw === undefined || !field.picklistValues) return raw ?? null;
  let labels = labelMaps.get(field);
  if (!labels) {
    labels = new Map(field.picklistValues.map((v) => [v.value, v.label]));
    labelMaps.set(field, labels);
  }
  const text = asText(raw);
  if (field.type.toLowerCase() === 'multipicklist') {
    return text
      .split(';')
      .map((v) => labels.get(v) ?? v)
      .join(';');
  }
  return labels.get(text) ?? raw;
}

/** Labels compare as text (a multi-select picklist's labels still split on ';'). */
function labelCategory(field: SoqlFieldInfo): FieldCategory {
  const category = categoryOf(field);
  return category === 'multipicklist' ? 'multipicklist' : 'text';
}

function literalValue(category: FieldCategory, value: SoqlValue): Normalized {
  switch (value.kind) {
    case 'null':
      return null;
    case 'string':
      return normalize(category, value.value);
    case 'number':
    case 'boolean':
      return normalize(category, value.value);
    case 'date':
      return toDay(value.value) ?? null;
    case 'datetime':
      return value.epochMs;
    case 'dateLiteral':
      return null; // handled as a range by valueTest
  }
}
