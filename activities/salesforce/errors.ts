/**
 * jsforce throws errors named after Salesforce's errorCode (and carries no HTTP status), so the
 * classification keys on that code: a request-limit window waits minutes, a bad query fails at once.
 * activities/failures.ts maps every code below to a failure type and its retry decision.
 */
import { redactContactValues } from '../../core/redact';

export type SalesforceErrorCode =
  | 'SALESFORCE_REQUEST_LIMIT' // REQUEST_LIMIT_EXCEEDED: back off for minutes, growing
  | 'SALESFORCE_UNAVAILABLE' // 5xx, lock contention, network: retry with backoff
  | 'SALESFORCE_AUTH_FAILED' // the login or the token refresh was refused: an operator must act
  | 'SALESFORCE_NOT_FOUND' // the record was deleted
  | 'SALESFORCE_REJECTED' // invalid query or field: retrying cannot help
  | 'SALESFORCE_UNEXPECTED'; // an exception that is no Salesforce answer we know (a bug, a broken body)

export interface SalesforceApiErrorOptions {
  code: SalesforceErrorCode;
  message: string;
  /** What was being done, e.g. `query Account page`. */
  operation: string;
  /** Salesforce's own errorCode, e.g. REQUEST_LIMIT_EXCEEDED or INVALID_FIELD. */
  salesforceErrorCode?: string;
  /** Salesforce's message as it said it, for the failure's details only (the message is redacted). */
  salesforceMessage?: string;
  /**
   * What jsforce threw, for debugging. Never logged nor sent to Temporal: logs reduce errors to name
   * and message (worker/telemetry.ts), and activities/failures.ts builds the failure from the fields above.
   */
  cause?: unknown;
}

export class SalesforceApiError extends Error {
  override readonly name = 'SalesforceApiError';
  readonly code: SalesforceErrorCode;
  readonly operation: string;
  readonly salesforceErrorCode?: string;
  readonly salesforceMessage?: string;

  constructor(options: SalesforceApiErrorOptions) {
    super(options.message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.code = options.code;
    this.operation = options.operation;
    this.salesforceErrorCode = options.salesforceErrorCode;
    this.salesforceMessage = options.salesforceMessage;
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
  'FetchError',
]);
// OAuth errors of the token endpoint ("OAuth 2.0 Authorization Errors",
// https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flow_errors.htm&language=en_US&type=5)
// and the REST API's session errors.
const AUTH = new Set([
  'INVALID_SESSION_ID',
  'invalid_grant',
  'invalid_client_id',
  'invalid_client',
  'inactive_user',
  'inactive_org',
  'unauthorized_client',
  'INVALID_AUTH_HEADER',
  'ERROR_HTTP_401',
]);
const NOT_FOUND = new Set(['NOT_FOUND', 'ENTITY_IS_DELETED', 'ERROR_HTTP_404']);

/**
 * jsforce (lib/session-refresh-delegate.js) wraps whatever the refresh function threw in a plain Error
 * with this prefix and the original message only. Our own refresh function (connection.ts) puts the
 * OAuth error code in front of that message, so it survives the wrapping.
 */
const REFRESH_FAILED = 'Unable to refresh session due to: ';

function codeOf(e: Error & { errorCode?: string }): string {
  if (e.errorCode) return e.errorCode;
  if (e.message.startsWith(REFRESH_FAILED)) {
    const inner = e.message.slice(REFRESH_FAILED.length);
    // A network failure reaching the token endpoint (node-fetch: "request to … failed, reason: …").
    if (/^request to \S+ failed, reason: /.test(inner)) return 'FetchError';
    // `invalid_client: invalid client credentials` from connection.ts; jsforce's own password-flow
    // refresh keeps only the description, which is still a refused login.
    return /^([A-Za-z_]+[A-Za-z0-9_]*): /.exec(inner)?.[1] ?? 'invalid_grant';
  }
  return e.name;
}

export function toSalesforceApiError(err: unknown, operation: string): SalesforceApiError {
  if (err instanceof SalesforceApiError) return err;
  if (!(err instanceof Error))
    return new SalesforceApiError({
      code: 'SALESFORCE_UNEXPECTED',
      message: `${operation} failed: ${redactContactValues(String(err))}`,
      operation,
      salesforceMessage: String(err),
      cause: err,
    });
  const e = err as Error & { errorCode?: string; code?: string };
  const sfCode = codeOf(e);
  // Salesforce's messages can quote a query or a value (MALFORMED_QUERY, a validation rule's text): the
  // failure message carries them with emails and phone numbers redacted, the details as they were.
  const message = `${operation} failed: ${sfCode && !e.message.startsWith(`${sfCode}: `) ? `${sfCode}: ` : ''}${redactContactValues(e.message)}`;
  const error = (code: SalesforceErrorCode) =>
    new SalesforceApiError({
      code,
      message,
      operation,
      salesforceErrorCode: sfCode,
      salesforceMessage: e.message,
      cause: err,
    });
  if (sfCode === 'REQUEST_LIMIT_EXCEEDED') return error('SALESFORCE_REQUEST_LIMIT');
  if (AUTH.has(sfCode)) return error('SALESFORCE_AUTH_FAILED');
  if (NOT_FOUND.has(sfCode)) return error('SALESFORCE_NOT_FOUND');
  if (TRANSIENT.has(sfCode) || (e.code && NETWORK_CODES.has(e.code)) || /^ERROR_HTTP_5\d\d$/.test(sfCode)) {
    return error('SALESFORCE_UNAVAILABLE');
  }
  // Salesforce names every refusal of a request with an UPPER_SNAKE errorCode (INVALID_FIELD,
  // MALFORMED_QUERY, FIELD_CUSTOM_VALIDATION_EXCEPTION…); the transient ones are listed above.
  if (e.errorCode || /^[A-Z][A-Z0-9_]+$/.test(sfCode)) return error('SALESFORCE_REJECTED');
  // Not a Salesforce answer we know (a TypeError in our code, a body jsforce could not parse): its own
  // code, which retries a few times and then fails visibly instead of retrying forever.
  return error('SALESFORCE_UNEXPECTED');
}
