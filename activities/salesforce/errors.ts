/**
 * jsforce throws errors named after Salesforce's errorCode (and carries no HTTP status), so the
 * classification keys on that code: a request-limit window waits minutes, a bad query fails at once.
 */
export type SalesforceErrorCode =
  | 'SALESFORCE_REQUEST_LIMIT' // REQUEST_LIMIT_EXCEEDED: back off for minutes, growing
  | 'SALESFORCE_UNAVAILABLE' // 5xx, lock contention, network: retry with backoff
  | 'SALESFORCE_AUTH_FAILED' // token rejected and the refresh failed: log in again
  | 'SALESFORCE_NOT_FOUND' // the record was deleted
  | 'SALESFORCE_REJECTED'; // invalid query or field: retrying cannot help

export class SalesforceApiError extends Error {
  override readonly name = 'SalesforceApiError';
  constructor(
    readonly code: SalesforceErrorCode,
    message: string,
    readonly operation: string,
    /** Salesforce's own errorCode, e.g. REQUEST_LIMIT_EXCEEDED or INVALID_FIELD. */
    readonly salesforceErrorCode?: string,
  ) {
    super(message);
  }
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
]);
const TRANSIENT = new Set([
  'SERVER_UNAVAILABLE',
  'UNABLE_TO_LOCK_ROW',
  'UNKNOWN_EXCEPTION',
  'QUERY_TIMEOUT',
  'ERROR_HTTP_500',
  'ERROR_HTTP_502',
  'ERROR_HTTP_503',
  'ERROR_HTTP_504',
  'SERVER_ERROR',
]);
const AUTH = new Set([
  'INVALID_SESSION_ID',
  'invalid_grant',
  'invalid_client_id',
  'invalid_client',
  'INVALID_AUTH_HEADER',
  'ERROR_HTTP_401',
]);
const NOT_FOUND = new Set(['NOT_FOUND', 'ENTITY_IS_DELETED', 'ERROR_HTTP_404']);

export function toSalesforceApiError(err: unknown, operation: string): SalesforceApiError {
  if (err instanceof SalesforceApiError) return err;
  if (!(err instanceof Error))
    return new SalesforceApiError('SALESFORCE_UNAVAILABLE', `${operation} failed: ${String(err)}`, operation);
  const e = err as Error & { errorCode?: string; code?: string };
  const sfCode = e.errorCode ?? e.name;
  const message = `${operation} failed: ${sfCode ? `${sfCode}: ` : ''}${e.message}`;
  if (sfCode === 'REQUEST_LIMIT_EXCEEDED')
    return new SalesforceApiError('SALESFORCE_REQUEST_LIMIT', message, operation, sfCode);
  if (AUTH.has(sfCode)) return new SalesforceApiError('SALESFORCE_AUTH_FAILED', message, operation, sfCode);
  if (NOT_FOUND.has(sfCode))
    return new SalesforceApiError('SALESFORCE_NOT_FOUND', message, operation, sfCode);
  if (
    TRANSIENT.has(sfCode) ||
    (e.code && NETWORK_CODES.has(e.code)) ||
    e.name === 'FetchError' ||
    /^ERROR_HTTP_5\d\d$/.test(sfCode)
  ) {
    return new SalesforceApiError('SALESFORCE_UNAVAILABLE', message, operation, sfCode);
  }
  if (e.errorCode || /^[A-Z_]+$/.test(sfCode))
    return new SalesforceApiError('SALESFORCE_REJECTED', message, operation, sfCode);
  // An exception we cannot classify (a bug, an unexpected body): retry rather than lose the change.
  return new SalesforceApiError('SALESFORCE_UNAVAILABLE', message, operation, sfCode);
}
