import assert from 'node:assert/strict';
import { RetryAfterGate } from '../../activities/zendesk/http';
import { EnvError } from '../../common/env';
import { salesforceEndpoint, zendeskEndpoint } from '../../activities/metrics';
import { formatLogEntry, recordOfWorkflowId, readTelemetryEnv } from '../../worker/telemetry';

describe('telemetry settings and labels', () => {
  it('reads METRICS_PORT and LOG_LEVEL, defaulting to INFO without metrics', () => {
    assert.deepEqual(readTelemetryEnv({}), { logLevel: 'INFO' });
    assert.deepEqual(readTelemetryEnv({ METRICS_PORT: '9464', LOG_LEVEL: 'debug' }), {
      metricsPort: 9464,
      logLevel: 'DEBUG',
    });
  });

  it('names the variable and the reason when a value is invalid', () => {
    assert.throws(
      () => readTelemetryEnv({ METRICS_PORT: '70000', LOG_LEVEL: 'LOUD' }),
      (err: unknown) =>
        err instanceof EnvError &&
        err.issues.some((i) => i.variable === 'METRICS_PORT' && i.message.includes('1-65535')) &&
        err.issues.some(
          (i) => i.variable === 'LOG_LEVEL' && i.message.includes('TRACE, DEBUG, INFO, WARN, ERROR'),
        ),
    );
    assert.throws(() => readTelemetryEnv({ METRICS_PORT: 'abc' }), /METRICS_PORT: must be a port number/);
  });

  it('prints one JSON object per log entry and redacts secret-looking keys', () => {
    const line = formatLogEntry({
      level: 'INFO',
      message: 'hello',
      timestampNanos: 1_700_000_000_123_000_000n,
      meta: { activityType: 'writeZendesk', auth: { apiToken: 'abc123', email: 'a@b.c' }, attempt: 2 },
    });
    assert.deepEqual(JSON.parse(line), {
      time: '2023-11-14T22:13:20.123Z',
      level: 'INFO',
      message: 'hello',
      activityType: 'writeZendesk',
      auth: { apiToken: '[redacted]', email: 'a@b.c' },
      attempt: 2,
    });
  });

  it('adds the object and Salesforce ID of a record workflow to its log lines', () => {
    const line = formatLogEntry({
      level: 'INFO',
      message: 'sync pass',
      timestampNanos: 1_700_000_000_000_000_000n,
      meta: { workflowId: 'salesforce/Contact/003000000000001AAA', outcome: 'updated' },
    });
    assert.deepEqual(JSON.parse(line), {
      time: '2023-11-14T22:13:20.000Z',
      level: 'INFO',
      message: 'sync pass',
      salesforceObject: 'Contact',
      salesforceId: '003000000000001AAA',
      workflowId: 'salesforce/Contact/003000000000001AAA',
      outcome: 'updated',
    });
    assert.deepEqual(recordOfWorkflowId('dry-run/Account/001000000000001AAA/4b1c'), {
      salesforceObject: 'Account',
      salesforceId: '001000000000001AAA',
    });
    for (const other of [
      'salesforce-change-feed/q',
      'bulk-resync/Account/x',
      'salesforce/Task/00T000000000001AAA',
      7,
    ])
      assert.equal(recordOfWorkflowId(other), undefined);
  });

  it('turns URLs into bounded endpoint labels', () => {
    assert.equal(
      zendeskEndpoint('put', 'http://z.test/api/v2/organizations/123.json'),
      'PUT organizations/:id',
    );
    assert.equal(
      zendeskEndpoint('GET', 'http://z.test/api/v2/users/9/identities?page=2'),
      'GET users/:id/identities',
    );
    assert.equal(
      salesforceEndpoint('PATCH', 'http://s.test/services/data/v62.0/sobjects/Account/001000000000001AAA'),
      'PATCH sobjects/Account/:id',
    );
    assert.equal(
      salesforceEndpoint('GET', 'http://s.test/services/data/v62.0/query?q=SELECT+Id'),
      'GET query',
    );
  });

  it('RetryAfterGate.wait reports how long it held a request', async () => {
    const gate = new RetryAfterGate();
    assert.equal(await gate.wait(), 0);
    gate.pause(60);
    const waited = await gate.wait();
    assert.ok(waited >= 55 && waited < 1_000, `waited ${waited} ms`);
  });
});
