/**
 * Per-endpoint rate limits that apply on top of the account's per-minute budget (rate-limit.ts), each
 * counted for the whole account:
 * - incremental exports: "You can make up to 10 requests per minute to these endpoints"
 *   (https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/); over
 *   it Zendesk answers 429 `{"error":"APIRateLimitExceeded","description":"Number of allowed incremental
 *   export API requests per minute exceeded"}` (captured in https://github.com/airbytehq/airbyte/issues/11899);
 * - incremental sample exports: "10 requests per 20 minutes" and up to 50 results (same page);
 * - search export: "rate-limited to 100 requests per minute per account" (OAS, ExportSearchResults).
 */
import { ZendeskApiError } from './errors';
import { RateLimiter } from './rate-limit';

/** A 429 from an endpoint limit, with the Retry-After the window gives. */
export class EndpointRateLimitError extends ZendeskApiError {
  constructor(
    code: string,
    description: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, code, description);
  }
}

export class EndpointLimits {
  readonly incremental: RateLimiter;
  readonly incrementalSample: RateLimiter;
  readonly searchExport: RateLimiter;

  constructor(now: () => number) {
    this.incremental = new RateLimiter(10, now);
    this.incrementalSample = new RateLimiter(10, now, 20 * 60_000);
    this.searchExport = new RateLimiter(100, now);
  }

  reset(): void {
    this.incremental.reset();
    this.incrementalSample.reset();
    this.searchExport.reset();
  }
}

/** Counts one request against `limiter`, or throws the endpoint's 429. */
export function takeEndpointBudget(limiter: RateLimiter, code: string, description: string): void {
  const decision = limiter.take('account');
  if (!decision.allowed) throw new EndpointRateLimitError(code, description, decision.retryAfterSeconds);
}
