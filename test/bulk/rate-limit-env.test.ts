import assert from 'node:assert/strict';
import { EnvError, readZendeskCredentials } from '../../worker/env';

describe('ZENDESK_RATE_LIMIT_PER_MINUTE', () => {
  const base = { ZENDESK_SUBDOMAIN: 'acme', ZENDESK_OAUTH_TOKEN: 'secret-token' };

  it('is optional, and a whole number of requests per minute when set', () => {
    assert.equal(readZendeskCredentials(base).rateLimitPerMinute, undefined);
    assert.equal(
      readZendeskCredentials({ ...base, ZENDESK_RATE_LIMIT_PER_MINUTE: '' }).rateLimitPerMinute,
      undefined,
    );
    assert.equal(
      readZendeskCredentials({ ...base, ZENDESK_RATE_LIMIT_PER_MINUTE: '350' }).rateLimitPerMinute,
      350,
    );
  });

  it('names the variable and the reason when it is not a positive whole number', () => {
    for (const bad of ['fast', '0', '12.5']) {
      assert.throws(
        () => readZendeskCredentials({ ...base, ZENDESK_RATE_LIMIT_PER_MINUTE: bad }),
        (err: unknown) =>
          err instanceof EnvError &&
          err.issues.length === 1 &&
          err.issues[0]!.variable === 'ZENDESK_RATE_LIMIT_PER_MINUTE' &&
          !err.message.includes('secret-token'),
      );
    }
  });
});
