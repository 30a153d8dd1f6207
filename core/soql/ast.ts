// The typed syntax tree that parseSoql returns. Every node keeps `position`, the character offset
// in the query, because Salesforce points at the offending column in its error messages.

export interface FieldPath {
  /** segments as written: `Account.Name` -> ['Account', 'Name'] */
  path: string[];
  position: number;
}

export type SelectItem =
  | { kind: 'field'; field: FieldPath }
  | { kind: 'count'; position: number }
  | { kind: 'fields'; group: 'ALL' | 'STANDARD' | 'CUSTOM'; position: number };

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

export type Condition =
  | { kind: 'and' | 'or'; operands: Condition[] }
  | { kind: 'not'; operand: Condition }
  | { kind: 'comparison'; field: FieldPath; operator: ComparisonOperator; value: SoqlValue; position: number }
  | { kind: 'set'; field: FieldPath; operator: SetOperator; values: SoqlValue[]; position: number };

export interface OrderItem {
  field: FieldPath;
  direction: 'ASC' | 'DESC';
  nulls: 'FIRST' | 'LAST';
}

export interface SoqlQuery {
  select: SelectItem[];
  from: { name: string; alias?: string; position: number };
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
  /** offsets of LIMIT/OFFSET values, for error messages */
  limitPosition?: number;
  offsetPosition?: number;
}
