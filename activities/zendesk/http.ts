/**
 * The got instance every Zendesk call goes through. got's own retries are off: Temporal's activity
 * retry policy owns retrying, so a 429's Retry-After and the backoff are visible in the workflow history.
 */
import got, { type Got } from 'got';
import type { ZendeskCredentials } from '../../worker/env';
import { addRetryAfterWait, countApiCall, countZendesk429, zendeskEndpoint } from '../../worker/telemetry';
import { parseRetryAfter } from './errors';
import { ZendeskPacer } from './pacer';

export function authorizationHeader(creds: ZendeskCredentials): string {
  if (creds.auth.kind === 'oauth') return `Bearer ${creds.auth.accessToken}`;
  const basic = Buffer.from(`${creds.auth.email}/token:${creds.auth.apiToken}`).toString('base64');
  return `Basic ${basic}`;
}

/**
 * Zendesk's rate limit is per account, so a 429's Retry-After applies to every call, not only the one
 * that got it: after a 429, every request of this worker waits until the window has passed.
 */
export class RetryAfterGate {
  private until = 0;

  constructor(private readonly now: () => number = Date.now) {}

  pause(ms: number): void {
    this.until = Math.max(this.until, this.now() + ms);
  }

  /** Resolves once no Retry-After window is open; returns the milliseconds it waited. */
  async wait(): Promise<number> {
    const start = this.now();
    for (let left = this.until - this.now(); left > 0; left = this.until - this.now()) {
      await new Promise((resolve) => setTimeout(resolve, left));
    }
    return this.now() - start;
  }
}

export function createZendeskHttp(
  creds: ZendeskCredentials,
  gate = new RetryAfterGate(),
  pacer = new ZendeskPacer({ perMinute: creds.rateLimitPerMinute }),
): Got {
  return got.extend({
    hooks: {
      beforeRequest: [
        async () => {
          addRetryAfterWait(await gate.wait());
          await pacer.acquire();
          // A 429 that reached another request while this one queued in the pacer opens the gate.
          addRetryAfterWait(await gate.wait());
        },
      ],
      afterResponse: [
        (response) => {
          pacer.release(response.statusCode, response.headers);
          countApiCall(
            'zendesk',
            zendeskEndpoint(response.request.options.method, response.url),
            response.statusCode,
          );
          if (response.statusCode === 429) {
            countZendesk429();
            gate.pause(parseRetryAfter(response.headers['retry-after']) ?? 60_000);
          }
          return response;
        },
      ],
      // Only errors without a response (network, timeout) need counting here: with retries off and
      // throwHttpErrors on, a 4xx/5xx has passed afterResponse first.
      beforeError: [
        (error) => {
          if (!error.response) {
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
