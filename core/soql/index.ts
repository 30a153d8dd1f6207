// Public surface of the SOQL parser shared by product code (the `--where` clause compiler) and the
// Salesforce sandbox, whose evaluator lives in `sandbox/salesforce/soql/`.
export type {
  AggregateFunction,
  Alias,
  ComparisonOperator,
  ConditionFunction,
  Condition,
  DateLiteralName,
  FieldPath,
  OrderItem,
  SelectItem,
  SetOperator,
  SoqlQuery,
  SoqlValue,
} from './ast';
export { SoqlError, messages as soqlMessages, type SoqlErrorCode } from './errors';
export { parseSoql } from './parser';
export { compileWhereClause, soqlStringLiteral, WhereClauseError, type WhereField } from './where-clause';
