// Aggregate queries: COUNT(field), COUNT_DISTINCT, MAX, MIN, SUM, AVG, with or without GROUP BY, HAVING and
// ORDER BY on groups. Results come back as Salesforce returns them: one `AggregateResult` record per group,
// grouped fields under their field name (or alias), unaliased aggregates as expr0, expr1, … in SELECT order.
// https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_agg_functions.htm
// https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_groupby.htm
import {
  soqlMessages as messages,
  type AggregateFunction,
  type Condition,
  type FieldPath,
  type SoqlError,
  type SoqlQuery,
} from '../../../core/soql';
import { categoryOf, type ObjectSchema, type ResolvedField } from './schema';
import { compare, normalize, sortByKeys, type Normalized, type SortKey, type SourceRecord } from './values';

/** What the aggregation needs from the query execution that hands it the query. */
export interface AggregateHost {
  readonly query: SoqlQuery;
  readonly base: ObjectSchema;
  resolve(field: FieldPath): ResolvedField;
  valueOf(record: SourceRecord, field: ResolvedField & { label?: boolean }): unknown;
  matchingRows(): SourceRecord[];
  page<T>(rows: T[]): T[];
  bindCondition(condition: Condition): (record: SourceRecord) => boolean;
  error(code: SoqlError['errorCode'], detail: string, position: number): SoqlError;
}

interface AggregateResultSet {
  objectName: string;
  fields: string[];
  records: Record<string, unknown>[];
  totalSize: number;
}

/** A query is an aggregate query when it selects, filters (HAVING) or sorts on aggregates, or groups. */
export function isAggregateQuery(query: SoqlQuery): boolean {
  return (
    query.groupBy.length > 0 ||
    query.having !== undefined ||
    query.select.some((item) => item.kind === 'aggregate') ||
    query.orderBy.some((item) => item.fn !== undefined)
  );
}

type Output =
  | { kind: 'group'; key: string; field: ResolvedField & { label?: boolean } }
  | { kind: 'aggregate'; key: string; fn: AggregateFunction; field: ResolvedField };

interface Group {
  rows: SourceRecord[];
}

export function runAggregate(host: AggregateHost): AggregateResultSet {
  const { query } = host;
  const grouped = query.groupBy.map((fp) => {
    const field = host.resolve(fp);
    if (field.field.groupable === false) {
      throw host.error(
        'MALFORMED_QUERY',
        `field '${field.field.name}' can not be grouped in a query call`,
        fp.position,
      );
    }
    return field;
  });
  const groupKeys = new Set(grouped.map((f) => f.display.toLowerCase()));
  const mustBeGrouped = (field: ResolvedField, position: number): void => {
    if (!groupKeys.has(field.display.toLowerCase())) {
      throw host.error('MALFORMED_QUERY', `Field must be grouped or aggregated: ${field.display}`, position);
    }
  };

  const outputs: Output[] = [];
  let exprIndex = 0;
  for (const item of query.select) {
    switch (item.kind) {
      case 'field':
      case 'toLabel': {
        const field = host.resolve(item.field);
        mustBeGrouped(field, item.field.position);
        outputs.push({
          kind: 'group',
          key: item.alias?.name ?? field.field.name,
          field: item.kind === 'toLabel' ? { ...field, label: true } : field,
        });
        break;
      }
      case 'fields':
        for (const f of host.base.fields) {
          mustBeGrouped({ hops: [], field: f, display: f.name, position: item.position }, item.position);
        }
        break;
      case 'aggregate': {
        const field = aggregateField(host, item.fn, item.field);
        // Unaliased aggregates are named expr0, expr1, … counting aggregates only.
        const key = item.alias?.name ?? `expr${exprIndex++}`;
        outputs.push({ kind: 'aggregate', key, fn: item.fn, field });
        break;
      }
      case 'subquery':
        throw host.error(
          'MALFORMED_QUERY',
          `Field must be grouped or aggregated: ${item.query.from.name}`,
          item.position,
        );
      case 'count':
        throw host.error('MALFORMED_QUERY', messages.unexpectedToken('COUNT'), item.position);
    }
  }

  // Group the matching rows by the normalized values of the GROUP BY fields (text case-insensitively).
  const rows = host.matchingRows();
  let groups: Group[];
  if (grouped.length === 0) {
    groups = [{ rows }];
  } else {
    const byKey = new Map<string, Group>();
    for (const row of rows) {
      const key = JSON.stringify(grouped.map((f) => normalize(categoryOf(f.field), host.valueOf(row, f))));
      const group = byKey.get(key);
      if (group) group.rows.push(row);
      else byKey.set(key, { rows: [row] });
    }
    groups = [...byKey.values()];
  }

  if (query.having) {
    const keep = bindHaving(host, query.having, mustBeGrouped);
    groups = groups.filter(keep);
  }

  const order = query.orderBy.map((item) => {
    let read: (group: Group) => Normalized;
    if (item.fn) {
      const fn = item.fn;
      const field = aggregateField(host, fn, item.field);
      const category = fn === 'COUNT' || fn === 'COUNT_DISTINCT' ? 'number' : categoryOf(field.field);
      read = (group) => normalize(category, aggregateValue(host, fn, field, group.rows));
    } else {
      const field = host.resolve(item.field);
      mustBeGrouped(field, item.field.position);
      read = (group) =>
        group.rows[0] ? normalize(categoryOf(field.field), host.valueOf(group.rows[0], field)) : null;
    }
    return { read, descending: item.direction === 'DESC', nullsFirst: item.nulls === 'FIRST' };
  });
  groups = host.page(sortByKeys(groups, (group) => order.map((o) => o.read(group)), order as SortKey[]));

  const records = groups.map((group) => {
    const out: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
    for (const o of outputs) {
      out[o.key] =
        o.kind === 'group'
          ? group.rows[0]
            ? host.valueOf(group.rows[0], o.field)
            : null
          : aggregateValue(host, o.fn, o.field, group.rows);
    }
    return out;
  });
  return {
    objectName: host.base.name,
    fields: outputs.map((o) => o.key),
    records,
    totalSize: records.length,
  };
}

/**
 * Binds an aggregate's argument and checks the function fits it: SUM and AVG need numbers; no aggregate
 * takes a checkbox or a field describe marks as not aggregatable. Salesforce's wording:
 * "field X does not support aggregate operator SUM".
 */
function aggregateField(host: AggregateHost, fn: AggregateFunction, fp: FieldPath): ResolvedField {
  const field = host.resolve(fp);
  const category = categoryOf(field.field);
  const supported =
    field.field.aggregatable !== false &&
    category !== 'boolean' &&
    category !== 'multipicklist' &&
    (fn === 'SUM' || fn === 'AVG' ? category === 'number' : true);
  if (!supported) {
    throw host.error(
      'MALFORMED_QUERY',
      `field ${field.field.name} does not support aggregate operator ${fn}`,
      fp.position,
    );
  }
  return field;
}

function aggregateValue(
  host: AggregateHost,
  fn: AggregateFunction,
  field: ResolvedField,
  rows: SourceRecord[],
): unknown {
  const category = categoryOf(field.field);
  const values = rows
    .map((r) => host.valueOf(r, field))
    .filter((v) => v !== null && v !== undefined && v !== '');
  switch (fn) {
    case 'COUNT':
      return values.length;
    case 'COUNT_DISTINCT':
      return new Set(values.map((v) => normalize(category, v))).size;
    case 'SUM':
    case 'AVG': {
      if (values.length === 0) return null;
      const sum = values.reduce<number>((total, v) => total + Number(v), 0);
      return fn === 'SUM' ? sum : sum / values.length;
    }
    case 'MAX':
    case 'MIN': {
      if (values.length === 0) return null;
      // A picklist's MIN and MAX follow the picklist's order, not the alphabet.
      const rank = picklistRank(field);
      const key = (v: unknown): Exclude<Normalized, null> =>
        rank
          ? (rank.get(String(v).toLowerCase()) ?? Number.MAX_SAFE_INTEGER)
          : (normalize(category, v) ?? '');
      let best = values[0];
      for (const v of values.slice(1)) {
        const c = compare(key(v), key(best));
        if (fn === 'MAX' ? c > 0 : c < 0) best = v;
      }
      return best;
    }
  }
}

function picklistRank(field: ResolvedField): Map<string, number> | undefined {
  const values = field.field.picklistValues;
  if (!values || field.field.type.toLowerCase() !== 'picklist') return undefined;
  return new Map(values.map((v, i) => [v.value.toLowerCase(), i]));
}

/** HAVING: aggregate comparisons over the group, other conditions on the (grouped) fields of its rows. */
function bindHaving(
  host: AggregateHost,
  condition: Condition,
  mustBeGrouped: (field: ResolvedField, position: number) => void,
): (group: Group) => boolean {
  switch (condition.kind) {
    case 'and': {
      const parts = condition.operands.map((c) => bindHaving(host, c, mustBeGrouped));
      return (g) => parts.every((p) => p(g));
    }
    case 'or': {
      const parts = condition.operands.map((c) => bindHaving(host, c, mustBeGrouped));
      return (g) => parts.some((p) => p(g));
    }
    case 'not': {
      const inner = bindHaving(host, condition.operand, mustBeGrouped);
      return (g) => !inner(g);
    }
    case 'comparison':
      if (condition.fn && condition.fn !== 'toLabel') {
        const fn = condition.fn;
        const field = aggregateField(host, fn, condition.field);
        const { operator, value } = condition;
        const category = fn === 'COUNT' || fn === 'COUNT_DISTINCT' ? 'number' : categoryOf(field.field);
        const literal =
          value.kind === 'number' || value.kind === 'string' || value.kind === 'boolean'
            ? normalize(category, value.value)
            : null;
        return (g) => {
          const x = normalize(category, aggregateValue(host, fn, field, g.rows));
          if (operator === 'LIKE') return false;
          if (x === null || literal === null)
            return operator === '=' ? x === literal : operator === '!=' && x !== literal;
          const c = compare(x, literal);
          switch (operator) {
            case '=':
              return c === 0;
            case '!=':
              return c !== 0;
            case '<':
              return c < 0;
            case '<=':
              return c <= 0;
            case '>':
              return c > 0;
            case '>=':
              return c >= 0;
          }
        };
      }
      break;
    case 'set':
    case 'semijoin':
      break;
  }
  // A plain condition: on a grouped field every row of the group has the same value, so test the first.
  mustBeGrouped(host.resolve(condition.field), condition.field.position);
  const test = host.bindCondition(condition);
  return (g) => g.rows[0] !== undefined && test(g.rows[0]);
}
