/**
 * The org's daily API allocation as the REST API reports it: every served call counts, every response says
 * `Sforce-Limit-Info: api-usage=N/M`, and past the allocation (or during a forced window set by a test)
 * calls fail with 403 REQUEST_LIMIT_EXCEEDED.
 */
import { SalesforceApiError } from './errors';

export class ApiUsage {
  private used = 0;
  private blockedUntil = 0;

  constructor(
    readonly dailyMax: number,
    private readonly now: () => number = Date.now,
  ) {}

  get count(): number {
    return this.used;
  }

  get remaining(): number {
    return Math.max(0, this.dailyMax - this.used);
  }

  header(): string {
    return `api-usage=${this.used}/${this.dailyMax}`;
  }

  /** Counts one call, or throws REQUEST_LIMIT_EXCEEDED when the org is over its limit. */
  consume(): void {
    if (this.now() < this.blockedUntil || this.used >= this.dailyMax) {
      throw new SalesforceApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    }
    this.used += 1;
  }

  /** Forces REQUEST_LIMIT_EXCEEDED for the next `durationMs` (0 lifts it). Returns the end time. */
  blockFor(durationMs: number): number {
    this.blockedUntil = durationMs > 0 ? this.now() + durationMs : 0;
    return this.blockedUntil;
  }

  reset(): void {
    this.used = 0;
    this.blockedUntil = 0;
  }
}
