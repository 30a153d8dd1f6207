/**
 * The got instance every Zendesk call goes through. got's own retries are off: Temporal's activity
 * retry policy owns retrying, so a 429's Retry-After and the backoff are visible in the workflow history.
 */
import got, { type Got, type RequestError } from 'got';
import type { ZendeskCredentials } from '../../common/env';
import { addRetryAfterWait, countApiCall, countZendesk429, zendeskEndpoint } from '../metrics';
import { parseRetryAfter, ZendeskApiError } from './errors';
import { MAX_TIMER_MS, ZendeskPacer } from './pacer';

/** Default of ZENDESK_RETRY_AFTER_MAX_SECONDS: the longest Retry-After the sync waits out. */
export const DEFAULT_RETRY_AFTER_MAX_MS = 15 * 60_000;

export function authorizationHeader(creds: ZendeskCredentials): string {
  if (creds.auth.kind === 'oauth') return `Bearer ${creds.auth.accessToken}`;
  const basic = Buffer.from(`${creds.auth.email}/token:${creds.auth.apiToken}`).toString('base64');
  return `Basic ${basic}`;
}

const seconds = (ms: number) => Math.ceil(ms / 1000);

/**
 * Zendesk's rate limit is per account, so a 429's Retry-After applies to every call, not only the one
 * that got it: after a 429, every request of this worker waits until the window has passed.
 *
 * A Retry-After longer than `maxWaitMs` (ZENDESK_RETRY_AFTER_MAX_SECONDS, 15 minutes by default) is not
 * waited out: Zendesk's instruction is still honoured (nothing is sent until it has passed), but every
 * request is refused at once with ZENDESK_RETRY_AFTER_TOO_LONG, so passes fail visibly instead of every
 * Zendesk call of the worker hanging for hours or days.
 */
export class RetryAfterGate {
  private until = 0;
  private blockedUntil = 0;
  private blockedForMs = 0;

  constructor(
    readonly maxWaitMs = DEFAULT_RETRY_AFTER_MAX_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Opens a Retry-After window of `ms`; returns false when it is longer than the cap (then it blocks). */
  pause(ms: number): boolean {
    if (ms > this.maxWaitMs) {
      this.blockedUntil = Math.max(this.blockedUntil, this.now() + ms);
      this.blockedForMs = ms;
      return false;
    }
    this.until = Math.max(this.until, this.now() + ms);
    return true;
  }

  /** The error for a request refused (or answered) during an over-long Retry-After. */
  tooLong(endpoint: string, retryAfterMs = this.blockedForMs): ZendeskApiError {
    const until = new Date(Math.max(this.blockedUntil, this.now() + retryAfterMs)).toISOString();
    return new ZendeskApiError({
      code: 'ZENDESK_RETRY_AFTER_TOO_LONG',
      message: `Zendesk asked for no requests for ${seconds(retryAfterMs)} s (Retry-After), more than ZENDESK_RETRY_AFTER_MAX_SECONDS (${seconds(this.maxWaitMs)} s): nothing is sent to Zendesk until ${until}; resync the failed records after that`,
      endpoint,
      status: 429,
      zendeskError: 'TooManyRequests',
      retryAfterMs,
    });
  }

  /** Throws while an over-long Retry-After runs, so the request is never sent. */
  assertOpen(endpoint: string): void {
    if (this.now() < this.blockedUntil) throw this.tooLong(endpoint);
  }

  /** Resolves once no Retry-After window is open; returns the milliseconds it waited. */
  async wait(): Promise<number> {
    const start = this.now();
    for (let left = this.until - this.now(); left > 0; left = this.until - this.now()) {
      // In slices: a timer past MAX_TIMER_MS would fire after 1 ms and spin this loop.
      await new Promise((resolve) => setTimeout(resolve, Math.min(left, MAX_TIMER_MS)));
    }
    return this.now() - start;
  }
}

/** A request the gate refused before it was sent: it holds no pacer slot and made no API call. */
const refusedByGate = (error: RequestError) =>
  !error.response &&
  error.cause instanceof ZendeskApiError &&
  error.cause.code === 'ZENDESK_RETRY_AFTER_TOO_LONG';

export function createZendeskHttp(
  creds: ZendeskCredentials,
  gate = new RetryAfterGate(creds.retryAfterMaxMs),
  pacer = new ZendeskPacer({ perMinute: creds.rateLimitPerMinute, maxWaitMs: gate.maxWaitMs }),
): Got {
  return got.extend({
    hooks: {
      beforeRequest: [
        async (options) => {
          const endpoint = zendeskEndpoint(options.method, options.url ?? creds.baseUrl);
          gate.assertOpen(endpoint);
          addRetryAfterWait(await gate.wait());
          await pacer.acquire();
          try {
            // A 429 that reached another request while this one queued in the pacer opens the gate.
            gate.assertOpen(endpoint);
          } catch (err) {
            pacer.release();
            throw err;
          }
          addRetryAfterWait(await gate.wait());
        },
      ],
      afterResponse: [
        (response) => {
          pacer.release(response.statusCode, response.headers);
          const endpoint = zendeskEndpoint(response.request.options.method, response.url);
          countApiCall('zendesk', endpoint, response.statusCode);
          if (response.statusCode === 429) {
            countZendesk429();
            const retryAfterMs = parseRetryAfter(response.headers['retry-after']) ?? 60_000;
            if (!gate.pause(retryAfterMs)) throw gate.tooLong(endpoint, retryAfterMs);
          }
          return response;
        },
      ],
      // Only errors without a response (network, timeout) need counting here: with retries off and
      // throwHttpErrors on, a 4xx/5xx has passed afterResponse first.
      beforeError: [
        (error) => {
          if (!error.response && !refusedByGate(error)) {
            pacer.release();
            if (error.options.url)
              countApiCall('zendesk', zendeskEndpoint(error.options.method, error.options.url), 'error');
          }
          return error;
        },
      ],
    },
    prefixUrl: `${creds.baseUrl}/api/v2/`,
    headers: {
      authorization: authorizationHeader(creds),
      accept: 'application/json',
      'user-agent': 'salesforce-zendesk-sync',
    },
    responseType: 'json',
    retry: { limit: 0 },
    timeout: { request: 30_000 },
  });
}
