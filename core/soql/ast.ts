// The typed syntax tree that parseSoql returns. Every node keeps `position`, the character offset
// in the query, because Salesforce points at the offending column in its error messages.

export interface FieldPath {
  /** segments as written: `Account.Name` -> ['Account', 'Name'] */
  path: string[];
  position: number;
}

/** An alias after a select item (`COUNT(Id) total`, `toLabel(Status) statusLabel`). */
export interface Alias {
  name: string;
  position: number;
}

/** The aggregate functions of SOQL's SELECT, HAVING and ORDER BY. */
export type AggregateFunction = 'COUNT' | 'COUNT_DISTINCT' | 'MAX' | 'MIN' | 'SUM' | 'AVG';

export type SelectItem =
  | { kind: 'field'; field: FieldPath; alias?: Alias }
  /** `COUNT()` with no field: the query returns only a total. */
  | { kind: 'count'; position: number }
  | { kind: 'fields'; group: 'ALL' | 'STANDARD' | 'CUSTOM'; position: number }
  | { kind: 'aggregate'; fn: AggregateFunction; field: FieldPath; alias?: Alias; position: number }
  /** `toLabel(Status)`: the picklist label instead of the API name. */
  | { kind: 'toLabel'; field: FieldPath; alias?: Alias; position: number }
  /** A parent-to-child subquery: `(SELECT Id FROM Contacts)`; `query.from` names the relationship. */
  | { kind: 'subquery'; query: SoqlQuery; position: number };

export type DateLiteralName =
  | 'YESTERDAY'
  | 'TODAY'
  | 'TOMORROW'
  | 'LAST_WEEK'
  | 'THIS_WEEK'
  | 'NEXT_WEEK'
  | 'LAST_MONTH'
  | 'THIS_MONTH'
  | 'NEXT_MONTH'
  | 'LAST_YEAR'
  | 'THIS_YEAR'
  | 'NEXT_YEAR'
  | 'LAST_N_DAYS'
  | 'NEXT_N_DAYS'
  | 'N_DAYS_AGO';

export type SoqlValue =
  | { kind: 'string'; value: string; likeSource: string; position: number }
  | { kind: 'number'; value: number; position: number }
  | { kind: 'boolean'; value: boolean; position: number }
  | { kind: 'null'; position: number }
  /** `YYYY-MM-DD` */
  | { kind: 'date'; value: string; position: number }
  | { kind: 'datetime'; value: string; epochMs: number; position: number }
  | { kind: 'dateLiteral'; name: DateLiteralName; n?: number; position: number };

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE';
export type SetOperator = 'IN' | 'NOT IN' | 'INCLUDES' | 'EXCLUDES';

/** A function around the field on the left of a condition: an aggregate (HAVING) or `toLabel`. */
export type ConditionFunction = AggregateFunction | 'toLabel';

export type Condition =
  | { kind: 'and' | 'or'; operands: Condition[] }
  | { kind: 'not'; operand: Condition }
  | {
      kind: 'comparison';
      field: FieldPath;
      fn?: ConditionFunction;
      operator: ComparisonOperator;
      value: SoqlValue;
      position: number;
    }
  | {
      kind: 'set';
      field: FieldPath;
      fn?: ConditionFunction;
      operator: SetOperator;
      values: SoqlValue[];
      position: number;
    }
  /** A semi-join (`IN`) or anti-join (`NOT IN`): `Id IN (SELECT AccountId FROM Contact ...)`. */
  | { kind: 'semijoin'; field: FieldPath; operator: 'IN' | 'NOT IN'; query: SoqlQuery; position: number };

export interface OrderItem {
  field: FieldPath;
  /** `ORDER BY COUNT(Id) DESC` in an aggregate query. */
  fn?: AggregateFunction;
  direction: 'ASC' | 'DESC';
  nulls: 'FIRST' | 'LAST';
}

export interface SoqlQuery {
  select: SelectItem[];
  from: { name: string; alias?: string; position: number };
  where?: Condition;
  /** `WITH SECURITY_ENFORCED` / `USER_MODE` / `SYSTEM_MODE`. */
  withSecurity?: 'SECURITY_ENFORCED' | 'USER_MODE' | 'SYSTEM_MODE';
  groupBy: FieldPath[];
  having?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
  /** offsets of LIMIT/OFFSET values, for error messages */
  limitPosition?: number;
  offsetPosition?: number;
}
