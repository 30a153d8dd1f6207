/**
 * Every failed Zendesk call becomes a ZendeskApiError whose `code` says what the retry should do:
 * wait out Retry-After, back off, give up with Zendesk's validation details, or treat the record as gone.
 * activities/failures.ts maps every code to a failure type and its retry decision.
 */
import { HTTPError, RequestError } from 'got';

export type ZendeskErrorCode =
  | 'ZENDESK_RATE_LIMITED' // 429: retry after exactly Retry-After
  | 'ZENDESK_RETRY_AFTER_TOO_LONG' // 429 whose Retry-After is past ZENDESK_RETRY_AFTER_MAX_SECONDS: fail now
  | 'ZENDESK_UNAVAILABLE' // 5xx, 409, network: retry with backoff
  | 'ZENDESK_REJECTED' // 400/422: the record is invalid; retrying cannot help
  | 'ZENDESK_NOT_FOUND' // 404: e.g. a linked record was deleted in Zendesk
  | 'ZENDESK_AUTH_FAILED'; // 401/403: credentials or permissions; fixable by an operator

export class ZendeskApiError extends Error {
  override readonly name = 'ZendeskApiError';
  constructor(
    readonly code: ZendeskErrorCode,
    message: string,
    readonly endpoint: string,
    readonly status?: number,
    /** Zendesk's own error code, e.g. RecordInvalid or TooManyRequests. */
    readonly zendeskError?: string,
    /** Zendesk's per-field `details`, e.g. { email: [{ error: 'DuplicateValue', description }] }. */
    readonly details?: unknown,
    readonly retryAfterMs?: number,
  ) {
    super(message);
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

export function toZendeskApiError(err: unknown, endpoint: string): ZendeskApiError {
  if (err instanceof ZendeskApiError) return err;
  // Our own got hooks (http.ts) refuse a request during an over-long Retry-After; got wraps what a hook
  // throws in a RequestError whose `cause` is the original.
  if (err instanceof RequestError && err.cause instanceof ZendeskApiError) {
    const c = err.cause;
    return new ZendeskApiError(
      c.code,
      c.message,
      endpoint,
      c.status,
      c.zendeskError,
      c.details,
      c.retryAfterMs,
    );
  }
  if (err instanceof HTTPError) {
    const status = err.response.statusCode;
    const { zendeskError, description, details } = describeBody(err.response.body);
    const what = `${endpoint} answered ${status}${zendeskError ? ` ${zendeskError}` : ''}${description ? `: ${description}` : ''}`;
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(err.response.headers['retry-after']) ?? 60_000;
      return new ZendeskApiError(
        'ZENDESK_RATE_LIMITED',
        what,
        endpoint,
        status,
        zendeskError,
        details,
        retryAfterMs,
      );
    }
    if (status === 404)
      return new ZendeskApiError('ZENDESK_NOT_FOUND', what, endpoint, status, zendeskError, details);
    if (status === 401 || status === 403)
      return new ZendeskApiError('ZENDESK_AUTH_FAILED', what, endpoint, status, zendeskError, details);
    if (status === 409 || status >= 500) {
      const retryAfterMs = parseRetryAfter(err.response.headers['retry-after']);
      return new ZendeskApiError(
        'ZENDESK_UNAVAILABLE',
        what,
        endpoint,
        status,
        zendeskError,
        details,
        retryAfterMs,
      );
    }
    return new ZendeskApiError('ZENDESK_REJECTED', what, endpoint, status, zendeskError, details);
  }
  if (err instanceof RequestError) {
    return new ZendeskApiError(
      'ZENDESK_UNAVAILABLE',
      `${endpoint} failed: ${err.code} ${err.message}`,
      endpoint,
    );
  }
  throw err;
}
