/**
 * Zendesk's account-wide per-minute request budget, as a sliding 60 s window. Also remembers, per
 * credential, until when the last Retry-After it sent runs, so a request arriving earlier can be flagged:
 * that is how tests prove a client waits out a 429 instead of hammering.
 */

export const RATE_LIMIT_PRESETS = {
  team: 200,
  growth: 400,
  professional: 400,
  enterprise: 700,
  highVolume: 2500,
} as const;

const WINDOW_MS = 60_000;

export type RateDecision =
  | { allowed: true; limit: number; remaining: number; resetSeconds: number; duringRetryAfter: boolean }
  | {
      allowed: false;
      limit: number;
      remaining: number;
      retryAfterSeconds: number;
      duringRetryAfter: boolean;
    };

export class RateLimitError extends Error {
  override readonly name = 'RateLimitError';
  readonly code = 'INVALID_RATE_LIMIT';
}

/** How long after a 429 a request can still have been sent before its sender saw the 429 (loopback RTT is ~1 ms). */
export const IN_FLIGHT_GRACE_MS = 25;

export class RateLimiter {
  private hits: number[] = [];
  /**
   * Per credential: the running Retry-After window. Requests arriving in its first IN_FLIGHT_GRACE_MS were
   * already on the wire when the 429 was answered (a concurrent client cannot have seen it yet), so they
   * are not counted as sent during the Retry-After; everything later is.
   */
  private retryUntil = new Map<string, { from: number; until: number }>();
  private burst: { remaining: number; retryAfterSeconds: number } | undefined;

  constructor(
    private perMinute: number,
    private readonly now: () => number = Date.now,
    /** The window the budget applies to: a minute, except for endpoints with their own (sample exports). */
    private readonly windowMs = WINDOW_MS,
  ) {
    this.setLimit(perMinute);
  }

  get limit(): number {
    return this.perMinute;
  }

  setLimit(perMinute: number): void {
    if (!Number.isInteger(perMinute) || perMinute < 1)
      throw new RateLimitError(`perMinute must be an integer >= 1, got ${JSON.stringify(perMinute)}`);
    this.perMinute = perMinute;
  }

  /** The next `count` requests get 429 with this Retry-After, whatever the budget says. */
  forceBurst(count: number, retryAfterSeconds: number): void {
    if (!Number.isInteger(count) || count < 0)
      throw new RateLimitError(`count must be an integer >= 0, got ${JSON.stringify(count)}`);
    if (!Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0)
      throw new RateLimitError(
        `retryAfterSeconds must be an integer >= 0, got ${JSON.stringify(retryAfterSeconds)}`,
      );
    this.burst = count > 0 ? { remaining: count, retryAfterSeconds } : undefined;
  }

  reset(): void {
    this.hits = [];
    this.retryUntil.clear();
    this.burst = undefined;
  }

  private prune(now: number): void {
    const from = now - this.windowMs;
    let drop = 0;
    while (drop < this.hits.length && (this.hits[drop] ?? 0) <= from) drop += 1;
    if (drop > 0) this.hits.splice(0, drop);
  }

  /** Decides one request made with `credential`; counts it against the budget when allowed. */
  take(credential: string): RateDecision {
    const now = this.now();
    this.prune(now);
    const window = this.retryUntil.get(credential);
    const duringRetryAfter = window !== undefined && now >= window.from && now < window.until;
    if (window !== undefined && now >= window.until) this.retryUntil.delete(credential);

    let retryAfterSeconds: number | undefined;
    if (this.burst) {
      retryAfterSeconds = this.burst.retryAfterSeconds;
      this.burst.remaining -= 1;
      if (this.burst.remaining <= 0) this.burst = undefined;
    } else if (this.hits.length >= this.perMinute) {
      // Whole seconds until the oldest counted request leaves the window and frees a slot.
      const oldest = this.hits[this.hits.length - this.perMinute] ?? now;
      retryAfterSeconds = Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
    }
    if (retryAfterSeconds !== undefined) {
      const prior = this.retryUntil.get(credential);
      this.retryUntil.set(credential, {
        from: prior?.from ?? now + IN_FLIGHT_GRACE_MS,
        until: Math.max(prior?.until ?? 0, now + retryAfterSeconds * 1000),
      });
      return { allowed: false, limit: this.perMinute, remaining: 0, retryAfterSeconds, duringRetryAfter };
    }
    this.hits.push(now);
    const oldest = this.hits[0] ?? now;
    return {
      allowed: true,
      limit: this.perMinute,
      remaining: Math.max(0, this.perMinute - this.hits.length),
      resetSeconds: Math.max(0, Math.ceil((oldest + this.windowMs - now) / 1000)),
      duringRetryAfter,
    };
  }
}
