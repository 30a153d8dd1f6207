/**
 * The retry decision table (workflows/failure-types.ts) and how activities/failures.ts applies it: every
 * classified error gets an explicit type, backoff counts failures per type, limits end retrying.
 */
import assert from 'node:assert/strict';
import { ServiceError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { classify, decideRetry, readLedger, type RetryLedger } from '../../activities/failures';
import { SalesforceApiError, toSalesforceApiError } from '../../activities/salesforce/errors';
import { ZendeskApiError } from '../../activities/zendesk/errors';
import {
  FailureType,
  NON_RETRYABLE_FAILURES,
  RETRY_RULES,
  type FailureTypeName,
} from '../../workflows/failure-types';

const T0 = Date.parse('2026-12-01T00:00:00Z');
const zendesk = (code: ZendeskApiError['code'], status: number, retryAfterMs?: number) =>
  new ZendeskApiError({ code, message: `GET x answered ${status}`, endpoint: 'GET x', status, retryAfterMs });

/** Runs a series of failures through decideRetry like consecutive attempts of one activity. */
function attempts(errors: unknown[], start = T0) {
  let ledger: RetryLedger | undefined;
  let now = start;
  return errors.map((err) => {
    const d = decideRetry(classify(err), ledger, now);
    ledger = d.ledger;
    now += d.delayMs ?? 0;
    return d;
  });
}

describe('retry decisions', () => {
  it('decide every failure type, and list exactly the never-retried ones as non-retryable', () => {
    const types = Object.values(FailureType);
    assert.deepEqual(Object.keys(RETRY_RULES).sort(), [...types].sort());
    assert.deepEqual([...NON_RETRYABLE_FAILURES].sort(), types.filter((t) => !RETRY_RULES[t].retry).sort());
    for (const t of ['ZendeskNotFound', 'SalesforceNotFound', 'ZendeskRetryAfterTooLong'] as const)
      assert.ok(NON_RETRYABLE_FAILURES.includes(t), t);
    // Every retryable type has a limit: nothing retries forever.
    for (const t of types) {
      const rule = RETRY_RULES[t];
      if (rule.retry) assert.ok(rule.giveUpAfterMs > 0 && rule.giveUpAfterMs <= 24 * 3_600_000, t);
    }
  });

  it('map every Zendesk and Salesforce code to its own type', () => {
    const z: Array<[ZendeskApiError['code'], FailureTypeName]> = [
      ['ZENDESK_RATE_LIMITED', 'ZendeskRateLimited'],
      ['ZENDESK_RETRY_AFTER_TOO_LONG', 'ZendeskRetryAfterTooLong'],
      ['ZENDESK_UNAVAILABLE', 'ZendeskUnavailable'],
      ['ZENDESK_REJECTED', 'ZendeskRejected'],
      ['ZENDESK_NOT_FOUND', 'ZendeskNotFound'],
      ['ZENDESK_AUTH_FAILED', 'ZendeskAuthFailed'],
    ];
    for (const [code, type] of z) assert.equal(classify(zendesk(code, 500)).type, type, code);
    const s: Array<[SalesforceApiError['code'], FailureTypeName]> = [
      ['SALESFORCE_REQUEST_LIMIT', 'SalesforceRequestLimit'],
      ['SALESFORCE_UNAVAILABLE', 'SalesforceUnavailable'],
      ['SALESFORCE_AUTH_FAILED', 'SalesforceAuthFailed'],
      ['SALESFORCE_NOT_FOUND', 'SalesforceNotFound'],
      ['SALESFORCE_REJECTED', 'SalesforceRejected'],
      ['SALESFORCE_UNEXPECTED', 'InternalError'],
    ];
    for (const [code, type] of s)
      assert.equal(
        classify(new SalesforceApiError({ code, message: 'm', operation: 'op' })).type,
        type,
        code,
      );
  });

  it('classify an unknown exception as InternalError, and a Temporal outage as TemporalUnavailable', () => {
    const overflow = classify(new RangeError('Maximum call stack size exceeded'));
    assert.deepEqual(
      [overflow.type, overflow.message],
      ['InternalError', 'RangeError: Maximum call stack size exceeded'],
    );
    assert.equal(classify('a string').type, 'InternalError');
    const grpc = Object.assign(new Error('14 UNAVAILABLE'), { code: 14 });
    assert.equal(classify(new ServiceError('describe failed', { cause: grpc })).type, 'TemporalUnavailable');
    const denied = Object.assign(new Error('7 PERMISSION_DENIED'), { code: 7 });
    assert.equal(classify(new ServiceError('describe failed', { cause: denied })).type, 'InternalError');
    const ours = ApplicationFailure.create({ type: 'NoMatchKey', message: 'no email', nonRetryable: true });
    assert.deepEqual([classify(ours).type, classify(ours).nonRetryable], ['NoMatchKey', true]);
  });

  it('classify Salesforce login and refresh refusals as auth failures, wherever jsforce throws them', () => {
    // conn.authorize()/login(): jsforce names the error after the OAuth error code.
    const login = Object.assign(new Error('invalid client credentials'), { name: 'invalid_client' });
    assert.equal(toSalesforceApiError(login, 'log in to Salesforce').code, 'SALESFORCE_AUTH_FAILED');
    // A refused refresh: jsforce wraps it in a plain Error; our refreshFn put the code in front.
    const refresh = new Error('Unable to refresh session due to: invalid_client: invalid client credentials');
    const e = toSalesforceApiError(refresh, 'query Account');
    assert.deepEqual([e.code, e.salesforceErrorCode], ['SALESFORCE_AUTH_FAILED', 'invalid_client']);
    // jsforce's own password-flow refresh keeps only the description: still a refused login.
    const pw = new Error('Unable to refresh session due to: authentication failure');
    assert.equal(toSalesforceApiError(pw, 'query Account').code, 'SALESFORCE_AUTH_FAILED');
    const down = new Error(
      'Unable to refresh session due to: request to https://x.my.salesforce.com/services/oauth2/token failed, reason: connect ECONNREFUSED',
    );
    assert.equal(toSalesforceApiError(down, 'query Account').code, 'SALESFORCE_UNAVAILABLE');
    const gone = Object.assign(new Error('entity is deleted'), { errorCode: 'ENTITY_IS_DELETED' });
    assert.equal(toSalesforceApiError(gone, 'write back').code, 'SALESFORCE_NOT_FOUND');
    assert.equal(
      toSalesforceApiError(new TypeError('x is undefined'), 'query').code,
      'SALESFORCE_UNEXPECTED',
    );
    assert.equal(toSalesforceApiError(42, 'query').code, 'SALESFORCE_UNEXPECTED');
  });

  it('back off a 5xx by the 5xx failures only: 429s before it do not lengthen its wait', () => {
    const ds = attempts([
      ...Array.from({ length: 6 }, () => zendesk('ZENDESK_RATE_LIMITED', 429, 1_000)),
      zendesk('ZENDESK_UNAVAILABLE', 503),
      zendesk('ZENDESK_RATE_LIMITED', 429, 1_000),
      zendesk('ZENDESK_UNAVAILABLE', 503),
    ]);
    assert.deepEqual(
      ds.map((d) => [d.type, d.delayMs]),
      [
        ...Array.from({ length: 6 }, () => ['ZendeskRateLimited', 1_000]),
        // Attempt 7: the first 5xx waits 1 s (Temporal's own backoff would have waited 2^6 s = 64 s).
        ['ZendeskUnavailable', 1_000],
        ['ZendeskRateLimited', 1_000],
        ['ZendeskUnavailable', 2_000],
      ],
    );
    assert.ok(ds.every((d) => d.retry && d.failure.nextRetryDelay === d.delayMs));
    assert.deepEqual(ds.at(-1)!.ledger.byType.ZendeskUnavailable?.count, 2);
  });

  it('wait out exactly Retry-After, and cap a 5xx hint at the type’s longest wait', () => {
    const [limited] = attempts([zendesk('ZENDESK_RATE_LIMITED', 429, 7_000)]);
    assert.equal(limited!.delayMs, 7_000);
    const [hinted] = attempts([zendesk('ZENDESK_UNAVAILABLE', 503, 3_600_000)]);
    assert.equal(hinted!.delayMs, RETRY_RULES.ZendeskUnavailable.maxMs);
  });

  it('stop retrying a type at its limit and fail visibly, saying so', () => {
    const lag = ApplicationFailure.create({
      type: 'ZendeskIndexLag',
      message: 'email taken, not in search yet',
    });
    const ds = attempts(Array.from({ length: 30 }, () => lag));
    const last = ds.findIndex((d) => !d.retry);
    // 30 s apart, for 10 minutes: the 21st failure is 600 s after the first.
    assert.equal(last, 20);
    assert.equal(ds[last]!.gaveUp, true);
    assert.equal(ds[last]!.failure.nonRetryable, true);
    assert.equal(ds[last]!.failure.type, 'ZendeskIndexLag');
    assert.match(ds[last]!.message, /gave up after 21 ZendeskIndexLag failures in 10 min/);

    const internal = attempts(Array.from({ length: 6 }, () => new RangeError('Maximum call stack')));
    assert.deepEqual(
      internal.map((d) => d.retry),
      [true, true, true, true, false, false],
    );
    assert.deepEqual(
      internal.slice(0, 4).map((d) => d.delayMs),
      [1_000, 2_000, 4_000, 8_000],
    );
  });

  it('never retry what retrying cannot change', () => {
    for (const err of [
      zendesk('ZENDESK_NOT_FOUND', 404),
      zendesk('ZENDESK_REJECTED', 422),
      zendesk('ZENDESK_RETRY_AFTER_TOO_LONG', 429, 86_400_000),
      new SalesforceApiError({ code: 'SALESFORCE_NOT_FOUND', message: 'gone', operation: 'write back' }),
    ]) {
      const [d] = attempts([err]);
      assert.deepEqual([d!.retry, d!.gaveUp, d!.failure.nonRetryable], [false, false, true]);
    }
  });

  it('read only its own ledger from the heartbeat details', () => {
    assert.equal(readLedger(undefined), undefined);
    assert.equal(readLedger({ position: 3 }), undefined);
    const [d] = attempts([zendesk('ZENDESK_UNAVAILABLE', 503)]);
    assert.deepEqual(readLedger(JSON.parse(JSON.stringify(d!.ledger))), d!.ledger);
  });
});
