/**
 * Every failed Zendesk call becomes a ZendeskApiError whose `code` says what the retry should do:
 * wait out Retry-After, back off, give up with Zendesk's validation details, or treat the record as gone.
 * activities/failures.ts maps every code to a failure type and its retry decision.
 */
import { HTTPError, RequestError } from 'got';
import { redactContactValues } from '../../core/redact';

export type ZendeskErrorCode =
  | 'ZENDESK_RATE_LIMITED' // 429: retry after exactly Retry-After
  | 'ZENDESK_RETRY_AFTER_TOO_LONG' // 429 whose Retry-After is past ZENDESK_RETRY_AFTER_MAX_SECONDS: fail now
  | 'ZENDESK_UNAVAILABLE' // 5xx, 409, network: retry with backoff
  | 'ZENDESK_REJECTED' // 400/422: the record is invalid; retrying cannot help
  | 'ZENDESK_NOT_FOUND' // 404: e.g. a linked record was deleted in Zendesk
  | 'ZENDESK_AUTH_FAILED'; // 401/403: credentials or permissions; fixable by an operator

export interface ZendeskApiErrorOptions {
  code: ZendeskErrorCode;
  message: string;
  /** `GET users/search`, as the message names it. */
  endpoint: string;
  status?: number;
  /** Zendesk's own error code, e.g. RecordInvalid or TooManyRequests. */
  zendeskError?: string;
  /** Zendesk's per-field `details`, e.g. { email: [{ error: 'DuplicateValue', description }] }. */
  details?: unknown;
  retryAfterMs?: number;
  /** Zendesk's own `description`, as it said it (it may quote the record's values): for details only. */
  description?: string;
  /**
   * What was thrown (got's HTTPError or RequestError), for debugging. Never logged nor sent to Temporal:
   * logs reduce errors to name and message (worker/telemetry.ts), and activities/failures.ts builds
   * the failure from the fields above; got's error holds the request's options, headers included.
   */
  cause?: unknown;
}

export class ZendeskApiError extends Error {
  override readonly name = 'ZendeskApiError';
  readonly code: ZendeskErrorCode;
  readonly endpoint: string;
  readonly status?: number;
  readonly zendeskError?: string;
  readonly details?: unknown;
  readonly retryAfterMs?: number;
  readonly description?: string;

  constructor(options: ZendeskApiErrorOptions) {
    super(options.message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.code = options.code;
    this.endpoint = options.endpoint;
    this.status = options.status;
    this.zendeskError = options.zendeskError;
    this.details = options.details;
    this.retryAfterMs = options.retryAfterMs;
    this.description = options.description;
  }

  /** True when Zendesk's details name this error code for this field (e.g. email DuplicateValue). */
  hasDetail(field: string, error: string): boolean {
    const entries = (this.details as Record<string, unknown> | undefined)?.[field];
    const list = Array.isArray(entries) ? entries : entries ? [entries] : [];
    return list.some((d) => (d as { error?: string } | null)?.error === error);
  }
}

interface ZendeskErrorBody {
  error?: string | { title?: string; message?: string };
  description?: string;
  details?: unknown;
  errors?: Array<{ code?: string; title?: string; detail?: string }>;
}

/** Parses Retry-After (seconds, or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds * 1000));
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function describeBody(body: unknown): { zendeskError?: string; description?: string; details?: unknown } {
  if (!body || typeof body !== 'object')
    return typeof body === 'string' && body ? { description: body.slice(0, 500) } : {};
  const b = body as ZendeskErrorBody;
  // Zendesk uses two envelopes: the classic {error, description, details} and the newer {errors: [...]}.
  if (Array.isArray(b.errors) && b.errors[0]) {
    const first = b.errors[0];
    return { zendeskError: first.code, description: first.detail ?? first.title, details: b.errors };
  }
  const zendeskError = typeof b.error === 'string' ? b.error : b.error?.title;
  const description = b.description ?? (typeof b.error === 'object' ? b.error?.message : undefined);
  return { zendeskError, description, details: b.details };
}

/**
 * What Zendesk refused, by field and error code only: `email: DuplicateValue; phone: InvalidFormat` from
 * `{ email: [{ error, description }], phone: { error, description } }`, or the codes of the newer
 * `[{ code, title, detail }]` envelope. The descriptions quote the values ("Email: jane@… is already
 * being used by another user", "Phone 415 555 0100 is not properly formatted").
 */
export function refusedFields(details: unknown): string {
  if (Array.isArray(details))
    return details
      .map((e) => (e as { code?: unknown } | null)?.code)
      .filter((c): c is string => typeof c === 'string')
      .join('; ');
  if (!details || typeof details !== 'object') return '';
  const parts: string[] = [];
  for (const [field, entries] of Object.entries(details as Record<string, unknown>)) {
    const errors = (Array.isArray(entries) ? entries : [entries])
      .map((d) => (d as { error?: unknown } | null)?.error)
      .filter((e): e is string => typeof e === 'string');
    parts.push(errors.length > 0 ? `${field}: ${[...new Set(errors)].join(', ')}` : field);
  }
  return parts.join('; ');
}

/**
 * The message of a failed call. A refusal of the record (400/422) is described by Zendesk with the
 * record's values, so the message names the refused fields and Zendesk's error codes, and the
 * description stays in the error's details (payloads, encrypted by the codec). Other answers describe
 * the service (rate limit, credentials, outage): their description is kept, with any email address or
 * phone number redacted in case one is quoted.
 */
function describeAnswer(
  endpoint: string,
  status: number,
  answer: { zendeskError?: string; description?: string; details?: unknown },
): string {
  const refusal = status === 400 || status === 422;
  let said = refusal
    ? refusedFields(answer.details)
    : answer.description && redactContactValues(answer.description);
  if (said === answer.zendeskError) said = '';
  return `${endpoint} answered ${status}${answer.zendeskError ? ` ${answer.zendeskError}` : ''}${said ? `: ${said}` : ''}`;
}

export function toZendeskApiError(err: unknown, endpoint: string): ZendeskApiError {
  if (err instanceof ZendeskApiError) return err;
  // Our own got hooks (http.ts) refuse a request during an over-long Retry-After; got wraps what a hook
  // throws in a RequestError whose `cause` is the original.
  if (err instanceof RequestError && err.cause instanceof ZendeskApiError) {
    const c = err.cause;
    return new ZendeskApiError({
      code: c.code,
      message: c.message,
      endpoint,
      status: c.status,
      zendeskError: c.zendeskError,
      details: c.details,
      retryAfterMs: c.retryAfterMs,
      description: c.description,
      cause: c,
    });
  }
  if (err instanceof HTTPError) {
    const status = err.response.statusCode;
    const answer = describeBody(err.response.body);
    const error = (code: ZendeskErrorCode, retryAfterMs?: number) =>
      new ZendeskApiError({
        code,
        message: describeAnswer(endpoint, status, answer),
        endpoint,
        status,
        zendeskError: answer.zendeskError,
        details: answer.details,
        retryAfterMs,
        description: answer.description,
        cause: err,
      });
    if (status === 429)
      return error('ZENDESK_RATE_LIMITED', parseRetryAfter(err.response.headers['retry-after']) ?? 60_000);
    if (status === 404) return error('ZENDESK_NOT_FOUND');
    if (status === 401 || status === 403) return error('ZENDESK_AUTH_FAILED');
    if (status === 409 || status >= 500)
      return error('ZENDESK_UNAVAILABLE', parseRetryAfter(err.response.headers['retry-after']));
    return error('ZENDESK_REJECTED');
  }
  if (err instanceof RequestError) {
    return new ZendeskApiError({
      code: 'ZENDESK_UNAVAILABLE',
      message: `${endpoint} failed: ${err.code} ${err.message}`,
      endpoint,
      cause: err,
    });
  }
  throw err;
}
