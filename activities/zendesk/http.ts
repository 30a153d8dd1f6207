/**
 * The got instance every Zendesk call goes through. got's own retries are off: Temporal's activity
 * retry policy owns retrying, so a 429's Retry-After and the backoff are visible in the workflow history.
 */
import got, { type Got } from 'got';
import type { ZendeskCredentials } from '../../worker/env';
import { parseRetryAfter } from './errors';

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

  async wait(): Promise<void> {
    for (let left = this.until - this.now(); left > 0; left = this.until - this.now()) {
      await new Promise((resolve) => setTimeout(resolve, left));
    }
  }
}

export function createZendeskHttp(creds: ZendeskCredentials, gate = new RetryAfterGate()): Got {
  return got.extend({
    hooks: {
      beforeRequest: [() => gate.wait()],
      afterResponse: [
        (response) => {
          if (response.statusCode === 429)
            gate.pause(parseRetryAfter(response.headers['retry-after']) ?? 60_000);
          return response;
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
