/**
 * Turns a classified API error into the ApplicationFailure Temporal's retry policy acts on: an explicit
 * `type`, `nonRetryable` where retrying cannot help, and `nextRetryDelay` where the API said how long to wait.
 */
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../workflows/failure-types';
import { SalesforceApiError } from './salesforce/errors';
import { ZendeskApiError } from './zendesk/errors';

export interface BackoffSettings {
  /** First wait after Salesforce REQUEST_LIMIT_EXCEEDED; doubles per attempt. */
  salesforceLimitBaseMs: number;
  salesforceLimitMaxMs: number;
  /** Wait before retrying a Zendesk 401/403, long enough not to hammer a revoked token. */
  zendeskAuthRetryMs: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = {
  salesforceLimitBaseMs: 60_000,
  salesforceLimitMaxMs: 30 * 60_000,
  zendeskAuthRetryMs: 60_000,
};

export function toApplicationFailure(
  err: unknown,
  attempt: number,
  backoff: BackoffSettings = DEFAULT_BACKOFF,
): unknown {
  if (err instanceof ZendeskApiError) {
    const details = [
      { endpoint: err.endpoint, status: err.status, zendeskError: err.zendeskError, details: err.details },
    ];
    switch (err.code) {
      case 'ZENDESK_RATE_LIMITED':
        return ApplicationFailure.create({
          type: FailureType.ZendeskRateLimited,
          message: err.message,
          details,
          nextRetryDelay: err.retryAfterMs,
        });
      case 'ZENDESK_REJECTED':
        return ApplicationFailure.create({
          type: FailureType.ZendeskRejected,
          message: err.message,
          details,
          nonRetryable: true,
        });
      case 'ZENDESK_AUTH_FAILED':
        return ApplicationFailure.create({
          type: FailureType.ZendeskAuthFailed,
          message: err.message,
          details,
          nextRetryDelay: backoff.zendeskAuthRetryMs,
        });
      default:
        return ApplicationFailure.create({
          type: FailureType.ZendeskUnavailable,
          message: err.message,
          details,
          nextRetryDelay: err.retryAfterMs,
        });
    }
  }
  if (err instanceof SalesforceApiError) {
    const details = [{ operation: err.operation, salesforceErrorCode: err.salesforceErrorCode }];
    switch (err.code) {
      case 'SALESFORCE_REQUEST_LIMIT': {
        const delay = Math.min(
          backoff.salesforceLimitBaseMs * 2 ** Math.max(0, attempt - 1),
          backoff.salesforceLimitMaxMs,
        );
        return ApplicationFailure.create({
          type: FailureType.SalesforceRequestLimit,
          message: err.message,
          details,
          nextRetryDelay: delay,
        });
      }
      case 'SALESFORCE_REJECTED':
        return ApplicationFailure.create({
          type: FailureType.SalesforceRejected,
          message: err.message,
          details,
          nonRetryable: true,
        });
      case 'SALESFORCE_AUTH_FAILED':
        return ApplicationFailure.create({
          type: FailureType.SalesforceAuthFailed,
          message: err.message,
          details,
        });
      default:
        return ApplicationFailure.create({
          type: FailureType.SalesforceUnavailable,
          message: err.message,
          details,
        });
    }
  }
  return err;
}
