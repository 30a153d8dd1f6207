// Public surface of the sandbox's SOQL engine: parse a query, or parse and run it over in-memory records.
export type {
  ComparisonOperator,
  Condition,
  DateLiteralName,
  FieldPath,
  OrderItem,
  SelectItem,
  SetOperator,
  SoqlQuery,
  SoqlValue,
} from './ast';
export { SoqlError, type SoqlErrorCode } from './errors';
export { parseSoql } from './parser';
export { compileWhereClause, WhereClauseError, type WhereField } from './where-clause';
export { executeSoql, DEFAULT_API_VERSION, type ExecuteOptions, type SoqlResult } from './evaluate';
export type { SoqlFieldInfo, SoqlSource } from './schema';
