/**
 * Paces this process's Zendesk requests against the account-wide budget, so a bulk run spends the budget
 * at full speed without drawing a 429 (after which every request of every worker would have to wait).
 *
 * Zendesk's limit is per account, shared by every worker process and every other integration. Each
 * response says how much of it is left (`X-Rate-Limit-Remaining`, or `ratelimit-remaining`) and, on the
 * endpoints that send it, when more frees up (`ratelimit-reset`, seconds). The pacer lets at most half of
 * what is left (above a small reserve) be in flight from this process: two workers reading the same
 * figure then never overdraw it together, and one worker still runs at full speed because every response
 * refreshes the figure. When nothing is left it sends nothing until the reset time, then one probe.
 * An optional local ceiling (ZENDESK_RATE_LIMIT_PER_MINUTE) caps this process's own sliding-minute count.
 */

const WINDOW_MS = 60_000;
/** Without a `ratelimit-reset` header, probe again this soon once the budget is spent. */
const DEFAULT_PROBE_MS = 1_000;
/**
 * Node fires a timer longer than 2^31−1 ms after 1 ms (with a warning): a reset days away made the pump
 * spin on 1 ms timers. Longer waits sleep in slices; the pump looks again when a slice ends.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface PacerOptions {
  /** Local ceiling: at most this many requests from this process in any 60 s. */
  perMinute?: number;
  /** The share of the reported remaining budget this process may have in flight (default 1/2). */
  share?: number;
  /**
   * The longest the pacer waits for a reset (default 15 minutes, ZENDESK_RETRY_AFTER_MAX_SECONDS): a
   * longer Retry-After is the RetryAfterGate's to refuse (http.ts), never a queue that holds every call.
   */
  maxWaitMs?: number;
  now?: () => number;
}

export interface RateHeaders {
  [name: string]: string | string[] | undefined;
}

function headerNumber(headers: RateHeaders, ...names: string[]): number | undefined {
  for (const name of names) {
    const raw = headers[name];
    const value = Number(Array.isArray(raw) ? raw[0] : raw);
    if (raw !== undefined && Number.isFinite(value)) return value;
  }
  return undefined;
}

export class ZendeskPacer {
  private readonly sent: number[] = [];
  private inFlight = 0;
  /** The latest server view: requests left in the window, and when (epoch ms) more free up. */
  private remaining: number | undefined;
  private limit: number | undefined;
  private resetAt = 0;
  private probing = false;
  /** The server sends no budget headers: only the local ceiling and Retry-After apply. */
  private blind = false;
  private jitter = 0;
  private readonly waiters: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private readonly share: number;

  constructor(private readonly opts: PacerOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.share = opts.share ?? 0.5;
  }

  /** Kept free for the requests other processes already have on the wire, and their probes. */
  private get reserve(): number {
    return Math.max(4, Math.ceil((this.limit ?? 200) * 0.02));
  }

  /** Waits for a slot (FIFO) and counts the request as sent; returns the milliseconds it waited. */
  async acquire(): Promise<number> {
    const start = this.now();
    await new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      this.pump();
    });
    return this.now() - start;
  }

  /** Called once for every acquire(): with the response, or without one (network error). */
  release(status?: number, headers?: RateHeaders): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (headers) {
      this.jitter = Math.floor(Math.random() * (60_000 / (this.limit ?? 200)));
      const remaining = headerNumber(headers, 'x-rate-limit-remaining', 'ratelimit-remaining');
      const limit = headerNumber(headers, 'x-rate-limit', 'ratelimit-limit');
      const reset = headerNumber(headers, 'ratelimit-reset', 'retry-after');
      if (limit !== undefined) this.limit = limit;
      if (remaining === undefined && this.remaining === undefined) this.blind = true;
      if (remaining !== undefined) {
        this.remaining = status === 429 ? 0 : remaining;
        const resetMs = reset !== undefined ? reset * 1000 : DEFAULT_PROBE_MS;
        this.resetAt = this.now() + Math.min(resetMs, this.opts.maxWaitMs ?? 15 * 60_000);
      }
    }
    if (this.inFlight === 0) this.probing = false;
    this.pump();
  }

  /** How many requests this process may have in flight, given the server's latest figure. */
  private allowance(): number {
    // Nothing heard yet (a fresh process may join a busy account): one request first, to learn the budget.
    if (this.remaining === undefined) return this.blind ? Number.POSITIVE_INFINITY : 1;
    // Also never more than this process's part of the reserve: a figure is stale by whatever the other
    // processes have in flight, and capping everyone's in-flight requests keeps that within the reserve.
    const cap = Math.max(1, Math.floor(this.reserve * this.share));
    return Math.min(cap, Math.floor((this.remaining - this.reserve) * this.share));
  }

  /** Milliseconds until the next request may go (0 = now). */
  private delay(): number {
    const now = this.now();
    let wait = 0;
    const { perMinute } = this.opts;
    if (perMinute !== undefined) {
      while (this.sent.length > 0 && (this.sent[0] ?? 0) <= now - WINDOW_MS) this.sent.shift();
      if (this.sent.length >= perMinute)
        wait = (this.sent[this.sent.length - perMinute] ?? now) + WINDOW_MS - now;
    }
    if (this.inFlight < this.allowance()) return Math.max(0, wait);
    // Spent, as far as this process may spend: a response in flight will refresh the figure (the short
    // timer is only a safety net); with none in flight, wait for the reset and send one probe.
    if (this.inFlight > 0 || this.probing) return Math.max(wait, 50);
    // Jittered, so processes that stopped together do not all probe the same freed slot.
    return Math.max(0, wait, this.resetAt + this.jitter - now);
  }

  private grant(): void {
    if (this.inFlight >= this.allowance()) this.probing = true;
    this.inFlight += 1;
    if (this.opts.perMinute !== undefined) this.sent.push(this.now());
  }

  private pump(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.waiters.length > 0) {
      const wait = this.delay();
      if (wait > 0) {
        this.timer = setTimeout(() => this.pump(), Math.min(wait, MAX_TIMER_MS));
        return;
      }
      this.grant();
      this.waiters.shift()!();
    }
  }
}
