/**
 * Turns whatever an activity threw into the ApplicationFailure Temporal's retry policy acts on: an explicit
 * `type` for every cause, and a retry decision per type (workflows/failure-types.ts RETRY_RULES): not
 * retried where retrying cannot help; otherwise retried after `nextRetryDelay`, computed here from the
 * failures *of that type* only, until the type's limit, after which the pass fails visibly.
 *
 * The count of failures per type lives in the activity's heartbeat details (a RetryLedger), which
 * Temporal hands to the next attempt: so a 5xx after six 429s waits 1 s (its first 5xx), not the 64 s
 * the attempt number would give.
 */
import { ServiceError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import {
  FailureType,
  isFailureType,
  RETRY_RULES,
  type FailureTypeName,
  type RetryRule,
} from '../workflows/failure-types';
import { redactContactValues } from '../core/redact';
import { SalesforceApiError, type SalesforceErrorCode } from './salesforce/errors';
import { ZendeskApiError, type ZendeskErrorCode } from './zendesk/errors';

/** Overrides of RETRY_RULES (tests shorten the minutes-long waits). */
export type BackoffSettings = Partial<Record<FailureTypeName, RetryRule>>;

/** Production: the decision table as it is. */
export const DEFAULT_BACKOFF: BackoffSettings = {};

const ZENDESK_FAILURES = {
  ZENDESK_RATE_LIMITED: FailureType.ZendeskRateLimited,
  ZENDESK_RETRY_AFTER_TOO_LONG: FailureType.ZendeskRetryAfterTooLong,
  ZENDESK_UNAVAILABLE: FailureType.ZendeskUnavailable,
  ZENDESK_REJECTED: FailureType.ZendeskRejected,
  ZENDESK_NOT_FOUND: FailureType.ZendeskNotFound,
  ZENDESK_AUTH_FAILED: FailureType.ZendeskAuthFailed,
} as const satisfies Record<ZendeskErrorCode, FailureTypeName>;

const SALESFORCE_FAILURES = {
  SALESFORCE_REQUEST_LIMIT: FailureType.SalesforceRequestLimit,
  SALESFORCE_UNAVAILABLE: FailureType.SalesforceUnavailable,
  SALESFORCE_AUTH_FAILED: FailureType.SalesforceAuthFailed,
  SALESFORCE_NOT_FOUND: FailureType.SalesforceNotFound,
  SALESFORCE_REJECTED: FailureType.SalesforceRejected,
  SALESFORCE_UNEXPECTED: FailureType.InternalError,
} as const satisfies Record<SalesforceErrorCode, FailureTypeName>;

/** gRPC status codes of a Temporal call that a retry can get past (server restarting, overloaded). */
const TEMPORAL_TRANSIENT = new Set([
  4, // DEADLINE_EXCEEDED
  8, // RESOURCE_EXHAUSTED
  10, // ABORTED
  14, // UNAVAILABLE
]);

/** What went wrong, before the retry decision. */
export interface Classified {
  type: FailureTypeName;
  message: string;
  details?: unknown[];
  /** The API's own instruction (Retry-After), in ms. */
  waitMs?: number;
  /** Our own code already decided that retrying cannot help. */
  nonRetryable?: boolean;
  cause?: Error;
}

export function classify(err: unknown): Classified {
  if (err instanceof ZendeskApiError) {
    return {
      type: ZENDESK_FAILURES[err.code],
      message: err.message,
      // Zendesk's description and per-field details quote the record's values: details only (payloads).
      details: [
        {
          endpoint: err.endpoint,
          status: err.status,
          zendeskError: err.zendeskError,
          ...(err.description !== undefined ? { description: err.description } : {}),
          details: err.details,
        },
      ],
      waitMs: err.retryAfterMs,
    };
  }
  if (err instanceof SalesforceApiError) {
    return {
      type: SALESFORCE_FAILURES[err.code],
      message: err.message,
      details: [
        {
          operation: err.operation,
          salesforceErrorCode: err.salesforceErrorCode,
          ...(err.salesforceMessage !== undefined ? { salesforceMessage: err.salesforceMessage } : {}),
        },
      ],
    };
  }
  if (err instanceof ApplicationFailure) {
    // Thrown by the sync itself (NoMatchKey, ZendeskIndexLag, …): its type is one of ours.
    if (isFailureType(err.type))
      return {
        type: err.type,
        message: err.message,
        details: err.details ? [...err.details] : undefined,
        nonRetryable: err.nonRetryable === true,
      };
    return internalError(err, `${err.type ?? 'ApplicationFailure'}: ${err.message}`);
  }
  if (err instanceof ServiceError) {
    const grpcCode = (err.cause as { code?: unknown } | undefined)?.code;
    if (typeof grpcCode === 'number' && TEMPORAL_TRANSIENT.has(grpcCode))
      return { type: FailureType.TemporalUnavailable, message: err.message, cause: err };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return internalError(e, `${e.name}: ${e.message}`.slice(0, 1_000));
}

/**
 * An exception nobody classified. Its message is nobody's we wrote (a parser quoting the body it choked
 * on, say), and failure messages and causes are not payloads: both go out with emails and phone numbers
 * redacted, and the exception as it was goes into the details, which are payloads (encrypted by the
 * codec).
 */
function internalError(e: Error, message: string): Classified {
  const cause = new Error(redactContactValues(e.message));
  cause.name = e.name;
  cause.stack = e.stack && redactContactValues(e.stack);
  return {
    type: FailureType.InternalError,
    message: redactContactValues(message),
    details: [{ error: e.name, message: e.message }],
    cause,
  };
}

/**
 * Failures of each type so far in one activity execution, carried from attempt to attempt in the
 * activity's heartbeat details.
 */
export interface RetryLedger {
  retryLedger: 1;
  /** Epoch ms of the activity's first failure. */
  since: number;
  byType: Record<string, { count: number; firstAt: number }>;
}

export function readLedger(details: unknown): RetryLedger | undefined {
  const l = details as Partial<RetryLedger> | null | undefined;
  return l && l.retryLedger === 1 && typeof l.since === 'number' && l.byType && typeof l.byType === 'object'
    ? (l as RetryLedger)
    : undefined;
}

export interface RetryDecision {
  failure: ApplicationFailure;
  type: FailureTypeName;
  message: string;
  /** True when the activity will be tried again. */
  retry: boolean;
  /** A retryable type that reached its limit. */
  gaveUp: boolean;
  ledger: RetryLedger;
  /** Failures of this type in this activity, this one included. */
  count: number;
  delayMs?: number;
  /** Epoch ms when retrying this type stops. */
  giveUpAt?: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function humanDuration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

/**
 * The retry decision for one failure: pure, given the ledger of the attempts before and the clock.
 * Backoff doubles per failure of the same type; an API's Retry-After replaces it.
 */
export function decideRetry(
  c: Classified,
  previous: RetryLedger | undefined,
  now: number,
  overrides: BackoffSettings = DEFAULT_BACKOFF,
): RetryDecision {
  const rule: RetryRule = overrides[c.type] ?? RETRY_RULES[c.type];
  const before = previous?.byType[c.type];
  const count = (before?.count ?? 0) + 1;
  const firstAt = before?.firstAt ?? now;
  const ledger: RetryLedger = {
    retryLedger: 1,
    since: previous?.since ?? now,
    byType: { ...previous?.byType, [c.type]: { count, firstAt } },
  };
  const fail = (message: string, gaveUp: boolean, giveUpAt?: number): RetryDecision => ({
    failure: ApplicationFailure.create({
      type: c.type,
      message,
      details: c.details,
      nonRetryable: true,
      cause: c.cause,
    }),
    type: c.type,
    message,
    retry: false,
    gaveUp,
    ledger,
    count,
    giveUpAt,
  });
  if (!rule.retry || c.nonRetryable) return fail(c.message, false);

  const giveUpAt = firstAt + rule.giveUpAfterMs;
  if (now >= giveUpAt || (rule.maxFailures !== undefined && count >= rule.maxFailures)) {
    const limit = `${humanDuration(rule.giveUpAfterMs)}${rule.maxFailures ? ` or ${rule.maxFailures} failures` : ''}`;
    return fail(
      `${c.message} (gave up after ${plural(count, `${c.type} failure`)} in ${humanDuration(now - firstAt)}; the limit is ${limit})`,
      true,
      giveUpAt,
    );
  }
  const backoff = Math.min(rule.firstMs * 2 ** (count - 1), rule.maxMs);
  // Retry-After is followed exactly (http.ts refuses one past the cap); other hints stay within maxMs.
  const delayMs =
    c.waitMs === undefined
      ? backoff
      : c.type === FailureType.ZendeskRateLimited
        ? c.waitMs
        : Math.min(c.waitMs, rule.maxMs);
  return {
    failure: ApplicationFailure.create({
      type: c.type,
      message: c.message,
      details: c.details,
      nextRetryDelay: Math.max(1, delayMs),
      cause: c.cause,
    }),
    type: c.type,
    message: c.message,
    retry: true,
    gaveUp: false,
    ledger,
    count,
    delayMs,
    giveUpAt,
  };
}

/** Errors that must pass through untouched: the activity was cancelled (its workflow is gone or reset). */
export function isCancellation(err: unknown): boolean {
  return err instanceof CancelledFailure;
}
