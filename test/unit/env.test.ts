import assert from 'node:assert/strict';
import {
  EnvError,
  readSalesforceCredentials,
  readSchemaRefreshEvery,
  readTemporalEnv,
  readZendeskCredentials,
} from '../../common/env';

describe('environment parsing', () => {
  it('reads SCHEMA_REFRESH_EVERY as a duration (default 5 minutes, off = only on a miss)', () => {
    assert.equal(readSchemaRefreshEvery({}), 300_000);
    assert.equal(readSchemaRefreshEvery({ SCHEMA_REFRESH_EVERY: '90s' }), 90_000);
    assert.equal(readSchemaRefreshEvery({ SCHEMA_REFRESH_EVERY: 'off' }), 0);
    assert.throws(
      () => readSchemaRefreshEvery({ SCHEMA_REFRESH_EVERY: 'often' }),
      (e: unknown) => e instanceof EnvError && /SCHEMA_REFRESH_EVERY: must be a duration/.test(e.message),
    );
  });

  it('fills Temporal defaults', () => {
    assert.deepEqual(readTemporalEnv({}), {
      TEMPORAL_ADDRESS: 'localhost:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'salesforce-zendesk-sync',
    });
  });

  it('names every missing Salesforce variable', () => {
    assert.throws(
      () => readSalesforceCredentials({ SALESFORCE_USERNAME: 'u@example.com' }),
      (err: unknown) =>
        err instanceof EnvError &&
        err.issues.some((i) => i.variable === 'SALESFORCE_CLIENT_ID') &&
        err.issues.some((i) => i.variable === 'SALESFORCE_PASSWORD'),
    );
  });

  it('rejects a malformed URL and never echoes secret values', () => {
    const secret = 'sUp3r-s3cret-t0ken-value';
    assert.throws(
      () =>
        readZendeskCredentials({
          ZENDESK_URL: 'not a url',
          ZENDESK_EMAIL: 'a@b.c',
          ZENDESK_API_TOKEN: secret,
        }),
      (err: unknown) =>
        err instanceof EnvError &&
        err.message.includes('ZENDESK_URL: must be an absolute URL') &&
        !err.message.includes(secret),
    );
  });

  it('builds Zendesk credentials from a subdomain and an API token', () => {
    const creds = readZendeskCredentials({
      ZENDESK_SUBDOMAIN: 'acme',
      ZENDESK_EMAIL: 'ops@acme.test',
      ZENDESK_API_TOKEN: 't',
    });
    assert.deepEqual(creds, {
      baseUrl: 'https://acme.zendesk.com',
      auth: { kind: 'token', email: 'ops@acme.test', apiToken: 't' },
    });
  });

  it('prefers an OAuth token when one is given', () => {
    const creds = readZendeskCredentials({ ZENDESK_URL: 'http://127.0.0.1:7402/', ZENDESK_OAUTH_TOKEN: 'o' });
    assert.deepEqual(creds, { baseUrl: 'http://127.0.0.1:7402', auth: { kind: 'oauth', accessToken: 'o' } });
  });
});
