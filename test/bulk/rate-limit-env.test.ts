import assert from 'node:assert/strict';
import { RetryAfterGate } from '../../activities/zendesk/http';
import { EnvError, readZendeskCredentials } from '../../common/env';

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

describe('ZENDESK_RETRY_AFTER_MAX_SECONDS', () => {
  const base = { ZENDESK_SUBDOMAIN: 'acme', ZENDESK_OAUTH_TOKEN: 'secret-token' };

  it('is optional (the gate then caps at 15 minutes), and whole seconds when set', () => {
    assert.equal(readZendeskCredentials(base).retryAfterMaxMs, undefined);
    assert.equal(
      readZendeskCredentials({ ...base, ZENDESK_RETRY_AFTER_MAX_SECONDS: '' }).retryAfterMaxMs,
      undefined,
    );
    assert.equal(
      readZendeskCredentials({ ...base, ZENDESK_RETRY_AFTER_MAX_SECONDS: '120' }).retryAfterMaxMs,
      120_000,
    );
    assert.equal(new RetryAfterGate().maxWaitMs, 15 * 60_000);
  });

  it('names the variable when it is not a positive whole number', () => {
    for (const bad of ['soon', '0', '1.5']) {
      assert.throws(
        () => readZendeskCredentials({ ...base, ZENDESK_RETRY_AFTER_MAX_SECONDS: bad }),
        (err: unknown) =>
          err instanceof EnvError && err.issues[0]?.variable === 'ZENDESK_RETRY_AFTER_MAX_SECONDS',
      );
    }
  });
});
