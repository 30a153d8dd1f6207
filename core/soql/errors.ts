// SOQL errors shaped like the ones Salesforce returns from /query, so a client sees the same
// errorCode and message text against the sandbox as against a real org.

export type SoqlErrorCode =
  | 'MALFORMED_QUERY'
  | 'INVALID_FIELD'
  | 'INVALID_TYPE'
  | 'INVALID_QUERY_FILTER_OPERATOR'
  | 'NUMBER_OUTSIDE_VALID_RANGE';

/**
 * `detail` is the bare reason ("No such column ..."). `message` is what Salesforce puts in the REST
 * error body: when the error has a position, the query line is echoed with a caret under the column,
 * then `ERROR at Row:r:Column:c`, then the reason.
 */
export class SoqlError extends Error {
  override readonly name = 'SoqlError';
  readonly errorCode: SoqlErrorCode;
  readonly detail: string;
  readonly row: number | undefined;
  readonly column: number | undefined;

  constructor(errorCode: SoqlErrorCode, detail: string, soql?: string, offset?: number) {
    const where = soql !== undefined && offset !== undefined ? locate(soql, offset) : undefined;
    super(
      where
        ? `\n${where.line}\n${' '.repeat(where.column - 1)}^\nERROR at Row:${where.row}:Column:${where.column}\n${detail}`
        : detail,
    );
    this.errorCode = errorCode;
    this.detail = detail;
    this.row = where?.row;
    this.column = where?.column;
  }
}

function locate(soql: string, offset: number): { line: string; row: number; column: number } {
  const before = soql.slice(0, Math.max(0, Math.min(offset, soql.length)));
  const lines = before.split('\n');
  const row = lines.length;
  const column = (lines[lines.length - 1] ?? '').length + 1;
  const line = soql.split('\n')[row - 1] ?? '';
  return { line, row, column };
}

export const messages = {
  unexpectedToken: (text: string) => `unexpected token: '${text}'`,
  noSuchColumn: (field: string, entity: string) =>
    `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  unsupportedObject: (name: string) =>
    `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  unknownRelationship: (name: string) =>
    `Didn't understand relationship '${name}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
  filterType: (field: string, type: string, quoted: boolean) =>
    `value of filter criterion for field '${field}' must be of type ${type} and ${quoted ? 'should be enclosed in quotes' : 'should not be enclosed in quotes'}`,
};
