// Runs a parsed query against in-memory records: binds names to the schema (INVALID_FIELD /
// INVALID_TYPE errors), type-checks filter values as Salesforce does, then filters, sorts, pages
// and projects records into the REST API's shape.
import {
  parseSoql,
  SoqlError,
  soqlMessages as messages,
  type Condition,
  type FieldPath,
  type SoqlQuery,
  type SoqlValue,
} from '../../../core/soql';
import {
  SchemaResolver,
  categoryOf,
  type FieldCategory,
  type ObjectSchema,
  type ResolvedField,
  type SoqlSource,
} from './schema';
import { dateLiteralRange, idsEqual, isValidId, toDay, toInstant } from './values';

export interface ExecuteOptions {
  /** API version for `attributes.url`, e.g. '60.0' */
  apiVersion?: string;
  /** clock for date literals such as TODAY (UTC) */
  now?: Date;
}

export interface SoqlResult {
  objectName: string;
  /** canonical names of the selected fields, relationship fields dotted (`Account.Name`) */
  fields: string[];
  records: Array<Record<string, unknown>>;
  totalSize: number;
}

export const DEFAULT_API_VERSION = '60.0';
const MAX_OFFSET = 2000;
const MAX_FIELDS_FUNCTION_LIMIT = 200;

type SourceRecord = Record<string, unknown>;
type Predicate = (record: SourceRecord) => boolean;
/** Comparable form of a value: lower-cased text, epoch ms, numbers, booleans; null for "no value". */
type Normalized = string | number | boolean | null;

export function executeSoql(soql: string, source: SoqlSource, options: ExecuteOptions = {}): SoqlResult {
  const query = parseSoql(soql);
  return new Execution(soql, query, source, options).run();
}

class Execution {
  private readonly resolver: SchemaResolver;
  private readonly base: ObjectSchema;
  private readonly apiVersion: string;
  private readonly now: Date;
  private readonly relatedCache = new Map<string, SourceRecord | undefined>();

  constructor(
    private readonly soql: string,
    private readonly query: SoqlQuery,
    private readonly source: SoqlSource,
    options: ExecuteOptions,
  ) {
    this.resolver = new SchemaResolver(source, soql);
    this.base = this.resolver.requireObject(query.from.name, query.from.position);
    this.apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
    this.now = options.now ?? new Date();
  }

  /**
   * The rows the WHERE clause can match. `Id = '…'` or `Id IN (…)` (alone or in an AND) names them, so a
   * source that can look records up by Id is not scanned whole: a sync's read is one record out of many.
   */
  private candidates(): Iterable<Record<string, unknown>> {
    const ids = this.source.recordsWithIds && this.query.where ? this.pinnedIds(this.query.where) : undefined;
    return ids ? this.source.recordsWithIds!(this.base.name, ids) : this.source.records(this.base.name);
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
      const qualifier = [this.query.from.alias, this.base.name].map((n) => n?.toLowerCase());
      return (
        (path.length === 1 && path[0] === 'id') ||
        (path.length === 2 && path[1] === 'id' && qualifier.includes(path[0]))
      );
    };
    if (condition.kind === 'comparison' && condition.operator === '=' && isId(condition.field))
      return condition.value.kind === 'string' ? [condition.value.value] : undefined;
    if (condition.kind === 'set' && condition.operator === 'IN' && isId(condition.field)) {
      const values = condition.values.map((v) => (v.kind === 'string' ? v.value : undefined));
      return values.every((v): v is string => v !== undefined) ? values : undefined;
    }
    return undefined;
  }

  run(): SoqlResult {
    const { query } = this;
    const isCount = query.select.some((item) => item.kind === 'count');
    if (isCount && query.select.length > 1) {
      const extra = query.select.find((item) => item.kind !== 'count') ?? query.select[1]!;
      const position = extra.kind === 'field' ? extra.field.position : extra.position;
      throw this.error(
        'MALFORMED_QUERY',
        'COUNT() cannot be used with other fields in the SELECT list',
        position,
      );
    }
    const selected = isCount ? [] : this.selectedFields();
    this.checkPaging();
    const predicate = query.where ? this.bindCondition(query.where) : () => true;
    const order = query.orderBy.map((item) => {
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

    let rows = [...this.candidates()].filter(predicate);
    if (order.length > 0) {
      const keyed = rows.map((record) => ({
        record,
        keys: order.map((o) => normalize(o.category, this.valueOf(record, o.field))),
      }));
      keyed.sort((a, b) => {
        for (const [i, o] of order.entries()) {
          const x = a.keys[i] as Normalized;
          const y = b.keys[i] as Normalized;
          if (x === null || y === null) {
            if (x === y) continue;
            return (x === null) === o.nullsFirst ? -1 : 1;
          }
          const c = compare(x, y);
          if (c !== 0) return o.descending ? -c : c;
        }
        return 0;
      });
      rows = keyed.map((k) => k.record);
    }
    const start = query.offset ?? 0;
    rows = rows.slice(start, query.limit === undefined ? undefined : start + query.limit);

    if (isCount) return { objectName: this.base.name, fields: [], records: [], totalSize: rows.length };
    return {
      objectName: this.base.name,
      fields: selected.map((f) => f.display),
      records: rows.map((record) => this.project(record, selected)),
      totalSize: rows.length,
    };
  }

  private selectedFields(): ResolvedField[] {
    const selected: ResolvedField[] = [];
    const seen = new Set<string>();
    for (const item of this.query.select) {
      if (item.kind === 'field') {
        const field = this.resolve(item.field);
        const key = field.display.toLowerCase();
        if (seen.has(key))
          throw this.error(
            'INVALID_FIELD',
            `duplicate field selected: ${field.display}`,
            item.field.position,
          );
        seen.add(key);
        selected.push(field);
      } else if (item.kind === 'fields') {
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
          seen.add(f.name.toLowerCase());
          selected.push({ hops: [], field: f, display: f.name, position: item.position });
        }
      }
    }
    return selected;
  }

  private checkPaging(): void {
    if (this.query.offset !== undefined && this.query.offset > MAX_OFFSET) {
      throw new SoqlError('NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
    }
  }

  private resolve(field: Parameters<SchemaResolver['resolve']>[0]): ResolvedField {
    return this.resolver.resolve(field, this.base, this.query.from.alias);
  }

  // ---- WHERE ------------------------------------------------------------------------------

  private bindCondition(condition: Condition): Predicate {
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
    }
  }

  private bindComparison(condition: Extract<Condition, { kind: 'comparison' }>): Predicate {
    const field = this.resolve(condition.field);
    const category = categoryOf(field.field);
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
    const field = this.resolve(condition.field);
    const category = categoryOf(field.field);
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

  /** Throws the Salesforce error for a literal that does not fit the field's type. */
  private checkValue(field: ResolvedField, category: FieldCategory, value: SoqlValue): void {
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
    field: ResolvedField,
    category: FieldCategory,
    value: SoqlValue,
  ): { equals: Predicate; compare: (r: SourceRecord, op: '<' | '<=' | '>' | '>=') => boolean } {
    const read = (r: SourceRecord): Normalized => normalize(category, this.valueOf(r, field));
    if (value.kind === 'dateLiteral') {
      const [start, end] = dateLiteralRange(value.name, value.n, this.now);
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

  private typeError(field: ResolvedField, category: FieldCategory): SoqlError {
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

  private invalidOperator(field: ResolvedField, position: number): SoqlError {
    const type = field.field.type.toLowerCase() === 'reference' ? 'id' : field.field.type.toLowerCase();
    return this.error('INVALID_QUERY_FILTER_OPERATOR', `invalid operator on ${type} field`, position);
  }

  private error(code: SoqlError['errorCode'], detail: string, position: number): SoqlError {
    return new SoqlError(code, detail, this.soql, position);
  }

  // ---- reading and projecting records -----------------------------------------------------

  /** The raw value of a (possibly relationship) field; null when any link in the path is empty. */
  private valueOf(record: SourceRecord, field: ResolvedField): unknown {
    let current: SourceRecord | undefined = record;
    for (const hop of field.hops) {
      current = this.follow(current, hop);
      if (!current) return null;
    }
    return readField(current, field.field.name);
  }

  private follow(record: SourceRecord, hop: ResolvedField['hops'][number]): SourceRecord | undefined {
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

  private project(record: SourceRecord, selected: ResolvedField[]): SourceRecord {
    const out: SourceRecord = { attributes: this.attributes(this.base.name, record) };
    for (const field of selected) {
      let container: SourceRecord = out;
      let current: SourceRecord | undefined = record;
      let complete = true;
      for (const hop of field.hops) {
        current = this.follow(current, hop);
        if (!current) {
          if (!(hop.relationshipName in container)) container[hop.relationshipName] = null;
          complete = false;
          break;
        }
        let nested = container[hop.relationshipName];
        if (!nested || typeof nested !== 'object') {
          nested = {
            attributes: this.attributes(relatedType(current, hop.toObject ?? hop.relationshipName), current),
          };
          container[hop.relationshipName] = nested;
        }
        container = nested as SourceRecord;
      }
      if (complete && current) container[field.field.name] = readField(current, field.field.name);
    }
    return out;
  }

  private attributes(type: string, record: SourceRecord): { type: string; url: string } {
    const id = readField(record, 'Id');
    return {
      type,
      url: `/services/data/v${this.apiVersion}/sobjects/${type}/${typeof id === 'string' ? id : ''}`,
    };
  }
}

function relatedType(record: SourceRecord, fallback: string): string {
  const attributes = record.attributes as { type?: unknown } | undefined;
  return typeof attributes?.type === 'string' ? attributes.type : fallback;
}

/** Records normally carry canonical field names; fall back to a case-insensitive match. */
function readField(record: SourceRecord, name: string): unknown {
  if (name in record) return record[name] ?? null;
  const lower = name.toLowerCase();
  for (const key of Object.keys(record)) if (key.toLowerCase() === lower) return record[key] ?? null;
  return null;
}

function asText(raw: unknown): string {
  return typeof raw === 'object' && raw !== null ? JSON.stringify(raw) : String(raw);
}

function splitMultipicklist(value: string): string[] {
  return value
    .split(';')
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '');
}

/** Salesforce stores '' as null for text, and compares text case-insensitively. */
function normalize(category: FieldCategory, raw: unknown): Normalized {
  if (category === 'boolean')
    return raw === true || (typeof raw === 'string' && raw.toLowerCase() === 'true');
  if (raw === null || raw === undefined || raw === '') return null;
  switch (category) {
    case 'text':
      return asText(raw).toLowerCase();
    case 'id':
      return asText(raw);
    case 'multipicklist':
      return [...new Set(splitMultipicklist(asText(raw)))].sort().join(';') || null;
    case 'number': {
      const n = typeof raw === 'number' ? raw : Number(raw);
      return Number.isNaN(n) ? null : n;
    }
    case 'date':
      return toDay(raw) ?? null;
    case 'datetime':
      return toInstant(raw) ?? null;
    case 'any':
      return typeof raw === 'string'
        ? raw.toLowerCase()
        : typeof raw === 'number' || typeof raw === 'boolean'
          ? raw
          : asText(raw);
  }
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

function compare(a: Exclude<Normalized, null>, b: Exclude<Normalized, null>): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
