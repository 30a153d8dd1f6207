/**
 * The `type` of every ApplicationFailure the sync raises. They show up in the Temporal UI, in the
 * SyncFailure search attribute and in `failed:<type>` outcomes, so they are a stable, documented API.
 */
export const FailureType = {
  /** Zendesk answered 429; retried after exactly its Retry-After. */
  ZendeskRateLimited: 'ZendeskRateLimited',
  /** Zendesk 5xx, 409 or a network error; retried with exponential backoff. */
  ZendeskUnavailable: 'ZendeskUnavailable',
  /** Zendesk refused the credentials; retried slowly so a fixed token recovers without a resync. */
  ZendeskAuthFailed: 'ZendeskAuthFailed',
  /** Zendesk says the email is taken but its search index does not show the user yet; retried shortly. */
  ZendeskIndexLag: 'ZendeskIndexLag',
  /** Zendesk rejected the record (400/422); not retried; carries Zendesk's details. */
  ZendeskRejected: 'ZendeskRejected',
  /** Salesforce REQUEST_LIMIT_EXCEEDED; retried after minutes, growing. */
  SalesforceRequestLimit: 'SalesforceRequestLimit',
  SalesforceUnavailable: 'SalesforceUnavailable',
  SalesforceAuthFailed: 'SalesforceAuthFailed',
  /** Salesforce rejected a query or a write (bad field, bad value); not retried. */
  SalesforceRejected: 'SalesforceRejected',
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
} as const;

export type FailureTypeName = (typeof FailureType)[keyof typeof FailureType];

/** Failures that end a sync pass at once: retrying the same input gives the same answer. */
export const NON_RETRYABLE_FAILURES: readonly FailureTypeName[] = [
  FailureType.ZendeskRejected,
  FailureType.SalesforceRejected,
  FailureType.MultipleMatches,
  FailureType.ProtectedUser,
  FailureType.NoMatchKey,
  FailureType.ConfigInvalid,
  FailureType.ValueNotRepresentable,
];
