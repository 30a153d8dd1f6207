/**
 * The got instance every Zendesk call goes through. got's own retries are off: Temporal's activity
 * retry policy owns retrying, so a 429's Retry-After and the backoff are visible in the workflow history.
 */
import got, { type Got } from 'got';
import type { ZendeskCredentials } from '../../worker/env';

export function authorizationHeader(creds: ZendeskCredentials): string {
  if (creds.auth.kind === 'oauth') return `Bearer ${creds.auth.accessToken}`;
  const basic = Buffer.from(`${creds.auth.email}/token:${creds.auth.apiToken}`).toString('base64');
  return `Basic ${basic}`;
}

export function createZendeskHttp(creds: ZendeskCredentials): Got {
  return got.extend({
    prefixUrl: `${creds.baseUrl}/api/v2/`,
    headers: { authorization: authorizationHeader(creds), accept: 'application/json', 'user-agent': 'salesforce-zendesk-sync' },
    responseType: 'json',
    retry: { limit: 0 },
    timeout: { request: 30_000 },
  });
}
