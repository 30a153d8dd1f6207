/**
 * The `type` of every ApplicationFailure the sync raises. They show up in the Temporal UI, in the
 * SyncFailure (failed passes) and SyncRetrying (retrying now) search attributes, in `failed:<type>`
 * outcomes and in `sfzd status` / `sfzd failures`, so they are a stable, documented API.
 */
export const FailureType = {
  /** Zendesk answered 429; retried after exactly its Retry-After. */
  ZendeskRateLimited: 'ZendeskRateLimited',
  /** Zendesk answered 429 with a Retry-After longer than ZENDESK_RETRY_AFTER_MAX_SECONDS; not retried. */
  ZendeskRetryAfterTooLong: 'ZendeskRetryAfterTooLong',
  /** Zendesk 5xx, 409 or a network error; retried with exponential backoff. */
  ZendeskUnavailable: 'ZendeskUnavailable',
  /** Zendesk refused the credentials; retried slowly so a fixed token recovers without a resync. */
  ZendeskAuthFailed: 'ZendeskAuthFailed',
  /**
   * Zendesk says the email is taken but its search index does not show the user yet, or another record
   * holding the same match value is creating its Zendesk record (workflows/match-claim.ts); retried shortly.
   */
  ZendeskIndexLag: 'ZendeskIndexLag',
  /** Zendesk answered 404 where the sync has no way around it (not a lost link); not retried. */
  ZendeskNotFound: 'ZendeskNotFound',
  /** Zendesk rejected the record (400/422); not retried; carries Zendesk's details. */
  ZendeskRejected: 'ZendeskRejected',
  /** Salesforce REQUEST_LIMIT_EXCEEDED; retried after minutes, growing. */
  SalesforceRequestLimit: 'SalesforceRequestLimit',
  /** Salesforce 5xx, row lock, timeout or network; retried with exponential backoff. */
  SalesforceUnavailable: 'SalesforceUnavailable',
  /** Salesforce refused the login or the token refresh (invalid_client, invalid_grant, …); retried slowly. */
  SalesforceAuthFailed: 'SalesforceAuthFailed',
  /** The Salesforce record is gone (NOT_FOUND, ENTITY_IS_DELETED), e.g. deleted during the pass; not retried. */
  SalesforceNotFound: 'SalesforceNotFound',
  /** Salesforce rejected a query or a write (bad field, bad value); not retried. */
  SalesforceRejected: 'SalesforceRejected',
  /** The Temporal server did not answer the activity's own call (describe, signal); retried with backoff. */
  TemporalUnavailable: 'TemporalUnavailable',
  /** An exception nobody classified (a bug, an answer no API documents); retried a few times, then failed. */
  InternalError: 'InternalError',
  /** The match criterion found more than one Zendesk record; nothing was written. */
  MultipleMatches: 'MultipleMatches',
  /** The matched Zendesk user is an agent or admin; nothing was written. */
  ProtectedUser: 'ProtectedUser',
  /** The record has no value for the match criterion and cannot be created safely. */
  NoMatchKey: 'NoMatchKey',
  /** The worker's sync configuration does not allow this sync (e.g. the object is disabled). */
  ConfigInvalid: 'ConfigInvalid',
  /**
   * A mapped value Zendesk cannot hold (no dropdown option, a multi-picklist value outside the values:
   * map, a phone Zendesk refuses, a name too long, …); found before the first write, so nothing was
   * written. The message names the fields and what Zendesk accepts; the values are in the details.
   */
  ValueNotRepresentable: 'ValueNotRepresentable',
  /**
   * The external_id mapped from a Salesforce field is already another Zendesk record's (Zendesk keeps it
   * unique); found before the write, so nothing was written. The message names that record's ID; the
   * value is in the details.
   */
  ExternalIdTaken: 'ExternalIdTaken',
} as const;

export type FailureTypeName = (typeof FailureType)[keyof typeof FailureType];

/** Whether an activity that failed with a type is tried again, and on what schedule. */
export type RetryRule =
  | { retry: false }
  | {
      retry: true;
      /**
       * Wait before the first retry, doubled with every further failure of this same type in the activity
       * (not with every attempt, so a run of 429s does not lengthen the wait after a 5xx), up to maxMs.
       * An API's own instruction (Retry-After) replaces it.
       */
      firstMs: number;
      maxMs: number;
      /** Retrying stops this long after the activity's first failure of this type; the pass then fails. */
      giveUpAfterMs: number;
      /** …or after this many failures of this type, whichever comes first. */
      maxFailures?: number;
    };

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const NEVER: RetryRule = { retry: false };

/**
 * The retry decision for every failure type (the table in docs/operating.md, "Failure types"; why: docs/architecture.md).
 * `satisfies Record<FailureTypeName, …>` makes a new failure type a compile error until it is decided here.
 * Transient causes retry for up to a day, visibly (`SyncRetrying`, `sfzd status`), so an outage
 * recovers without a resync but nothing retries forever; causes a retry cannot change fail at once.
 */
export const RETRY_RULES = {
  // Zendesk resets its per-minute budget; Retry-After (≤ the cap) says exactly when.
  ZendeskRateLimited: { retry: true, firstMs: MINUTE, maxMs: 15 * MINUTE, giveUpAfterMs: 24 * HOUR },
  ZendeskRetryAfterTooLong: NEVER,
  ZendeskUnavailable: { retry: true, firstMs: SECOND, maxMs: 5 * MINUTE, giveUpAfterMs: 24 * HOUR },
  // Only an operator can fix credentials; slow retries let a fixed token (worker restart) or a restored
  // user recover every record without a resync, without hammering Zendesk with a revoked token.
  ZendeskAuthFailed: { retry: true, firstMs: MINUTE, maxMs: 10 * MINUTE, giveUpAfterMs: 24 * HOUR },
  // Zendesk: "It can take up to a few minutes for new … users … to be indexed for search"
  // (https://developer.zendesk.com/api-reference/ticketing/ticket-management/search/). Past 10 minutes the
  // user is not lagging but hidden from search (suspended, deleted): retrying cannot find it.
  ZendeskIndexLag: { retry: true, firstMs: 30 * SECOND, maxMs: 30 * SECOND, giveUpAfterMs: 10 * MINUTE },
  ZendeskNotFound: NEVER,
  ZendeskRejected: NEVER,
  // Salesforce's API allocation is a rolling 24-hour window: waits grow to 30 minutes.
  SalesforceRequestLimit: { retry: true, firstMs: MINUTE, maxMs: 30 * MINUTE, giveUpAfterMs: 24 * HOUR },
  SalesforceUnavailable: { retry: true, firstMs: SECOND, maxMs: 5 * MINUTE, giveUpAfterMs: 24 * HOUR },
  SalesforceAuthFailed: { retry: true, firstMs: MINUTE, maxMs: 10 * MINUTE, giveUpAfterMs: 24 * HOUR },
  SalesforceNotFound: NEVER,
  SalesforceRejected: NEVER,
  TemporalUnavailable: { retry: true, firstMs: SECOND, maxMs: MINUTE, giveUpAfterMs: 24 * HOUR },
  // A bug or an undocumented answer rarely heals; a few quick tries cover a transient cause, then the
  // pass fails visibly with the exception instead of retrying forever (a stack overflow did).
  InternalError: {
    retry: true,
    firstMs: SECOND,
    maxMs: 10 * SECOND,
    giveUpAfterMs: 10 * MINUTE,
    maxFailures: 5,
  },
  MultipleMatches: NEVER,
  ProtectedUser: NEVER,
  NoMatchKey: NEVER,
  ConfigInvalid: NEVER,
  ValueNotRepresentable: NEVER,
  ExternalIdTaken: NEVER,
} as const satisfies Record<FailureTypeName, RetryRule>;

/** Failures that end a sync pass at once: retrying the same input gives the same answer. */
export const NON_RETRYABLE_FAILURES: readonly FailureTypeName[] = (
  Object.keys(RETRY_RULES) as FailureTypeName[]
).filter((type) => !RETRY_RULES[type].retry);

export function isFailureType(value: unknown): value is FailureTypeName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(RETRY_RULES, value);
}
