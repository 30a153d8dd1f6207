/**
 * Every retry is visible, and nothing retries forever unseen (issue 13, item 5), end to end: the real
 * worker, the sandboxes and the sfzd CLI. A record that is retrying shows it, with the failure type,
 * message and attempt, in `sfzd status`, `sfzd failures`, the SyncRetrying/SyncAttempt search attributes
 * and the workflow's current details; retrying stops where it cannot help.
 */
import assert from 'node:assert/strict';
import { runCli } from '../../client/cli/program';
import type { FailureRow } from '../../client/cli/failures';
import type { OutcomeCounts } from '../../client/cli/status';
import { findUserByEmail } from '../../sandbox/zendesk/users';
import { SyncAttempt, SyncRetrying } from '../../workflows/search-attributes';
import type { RecordStateView } from '../../workflows/record-messages';
import { recordWorkflowId, type SalesforceObject } from '../../workflows/sync-types';
import { useStack } from '../helpers/stack';
import { activityFailures, completedAttempts, eventually, historyOf, sleep } from './durability-support';

describe('retries are visible and bounded (end to end)', function () {
  this.timeout(120_000);

  // A 2-second cap on Retry-After, so a "long" one takes seconds to test.
  const ctx = useStack({ zendeskRetryAfterMaxSeconds: 2 });
  afterEach(() => {
    ctx.stack.zd.faults.reset();
  });

  async function sfzd(...argv: string[]): Promise<{ code: number; stdout: string }> {
    let stdout = '';
    const code = await runCli(argv, {
      env: ctx.stack.workerEnv(),
      stdout: (s) => (stdout += s),
      stderr: () => undefined,
    });
    return { code, stdout };
  }
  const handleOf = (object: SalesforceObject, id: string) =>
    ctx.stack.client.workflow.getHandle(recordWorkflowId(object, id));
  const searchAttributes = async (object: SalesforceObject, id: string) =>
    (await handleOf(object, id).describe()).typedSearchAttributes;
  /** The Markdown the Temporal UI shows as the workflow's current details. */
  const currentDetails = async (object: SalesforceObject, id: string) =>
    (await handleOf(object, id).query<{ currentDetails?: string }>('__temporal_workflow_metadata'))
      .currentDetails ?? '';

  function retrying(object: SalesforceObject, id: string, failure: string, minAttempt: number) {
    return eventually(
      `${object} ${id} retrying on ${failure} at attempt ${minAttempt}`,
      async () => {
        const s = await ctx.stack.state(object, id).catch(() => undefined);
        return s?.retrying?.failure === failure && s.retrying.attempt >= minAttempt ? s : undefined;
      },
      40_000,
      100,
    );
  }

  /** Everything an operator looks at shows the record retrying on `failure`. */
  async function assertVisiblyRetrying(
    object: SalesforceObject,
    id: string,
    failure: string,
    state: RecordStateView,
  ) {
    const retry = state.retrying!;
    assert.equal(state.running, true);
    assert.deepEqual(state.outcomes, [], 'no pass has ended');

    const human = await sfzd('status', object, id);
    assert.equal(human.code, 0);
    assert.match(human.stdout, new RegExp(`Retrying:\\s+yes: attempt \\d+ of ${retry.activity} since `));
    assert.match(human.stdout, new RegExp(`Last error:\\s+${failure}: .+ \\(.+, retrying\\)`));
    const json = JSON.parse((await sfzd('--json', 'status', object, id)).stdout) as RecordStateView;
    assert.equal(json.retrying?.failure, failure);
    assert.ok(json.retrying.attempt >= 2);

    const rows = await eventually('the record in sfzd failures', async () => {
      const out = JSON.parse((await sfzd('--json', 'failures', object)).stdout) as { failures: FailureRow[] };
      const row = out.failures.find((f) => f.salesforceId === id);
      return row ? out.failures : undefined;
    });
    const row = rows.find((f) => f.salesforceId === id)!;
    assert.deepEqual([row.status, row.failure, row.activity], ['retrying', failure, retry.activity]);
    assert.ok(row.attempt! >= 2, JSON.stringify(row));
    const failuresText = (await sfzd('failures', object)).stdout;
    assert.match(failuresText, new RegExp(`${id}\\s+${failure} \\(retrying, attempt \\d+\\)`));

    const counts = JSON.parse((await sfzd('--json', 'status', object)).stdout) as OutcomeCounts;
    assert.ok((counts.retrying.byFailure[failure] ?? 0) >= 1, JSON.stringify(counts.retrying));

    const sa = await searchAttributes(object, id);
    assert.equal(sa.get(SyncRetrying), failure);
    assert.ok((sa.get(SyncAttempt) ?? 0) >= 2, `SyncAttempt ${sa.get(SyncAttempt)}`);
    assert.match(
      await currentDetails(object, id),
      new RegExp(`Retrying: \\*\\*${failure}\\*\\*, attempt \\d+ of ${retry.activity}`),
    );
  }

  async function assertRecovered(object: SalesforceObject, id: string) {
    const outcome = await ctx.stack.waitForPasses(object, id, 1, 30_000);
    assert.equal(outcome.outcome, 'created', JSON.stringify(outcome));
    assert.equal((await ctx.stack.state(object, id)).retrying, undefined);
    const sa = await searchAttributes(object, id);
    assert.deepEqual([sa.get(SyncRetrying), sa.get(SyncAttempt)], [undefined, undefined]);
    assert.doesNotMatch(await currentDetails(object, id), /Retrying:/);
  }

  it('revoked Salesforce credentials: SalesforceAuthFailed retrying with its attempts everywhere, then recovery', async () => {
    const { id } = await ctx.stack.salesforce.sobject('Account').create({ Name: 'Revoked Credentials Inc' });
    // An admin rotates the connected app's secret: every token dies, and logging in again is refused.
    ctx.stack.sf.org.clientSecret = 'rotated-by-an-admin';
    ctx.stack.sf.tokens.expireAll();
    try {
      await ctx.stack.notify('Account', id!, { source: 'created' });
      const state = await retrying('Account', id!, 'SalesforceAuthFailed', 3);
      assert.equal(state.retrying?.activity, 'fetchAndPlan');
      // Classified, not jsforce's raw error: the OAuth code is in the message.
      assert.match(state.retrying.message, /invalid_client/);
      await assertVisiblyRetrying('Account', id!, 'SalesforceAuthFailed', state);
    } finally {
      ctx.stack.sf.org.clientSecret = 'sandbox';
      // The test's own connection lost its token too.
      await ctx.stack.salesforce.authorize({ grant_type: 'client_credentials' });
    }
    await assertRecovered('Account', id!);
  });

  it('a Zendesk 401: ZendeskAuthFailed retrying visibly, then recovery', async () => {
    const { id } = await ctx.stack.salesforce
      .sobject('Account')
      .create({ Name: 'Zendesk Token Revoked Ltd' });
    // The API token acts as its user; suspending that admin makes Zendesk answer 401 to it.
    const admin = findUserByEmail(ctx.stack.zd.store, 'admin@sandbox.test')!;
    admin.suspended = true;
    try {
      await ctx.stack.notify('Account', id!, { source: 'created' });
      const state = await retrying('Account', id!, 'ZendeskAuthFailed', 3);
      assert.equal(state.retrying?.activity, 'resolveMatch');
      assert.match(state.retrying.message, /401/);
      await assertVisiblyRetrying('Account', id!, 'ZendeskAuthFailed', state);
    } finally {
      admin.suspended = false;
    }
    await assertRecovered('Account', id!);
  });

  it('a 5xx after three 429s waits its own first backoff (1 s), not one grown by the 429 attempts', async () => {
    const { id } = await ctx.stack.salesforce.sobject('Account').create({ Name: 'Backoff Apart AG' });
    ctx.stack.zd.log.reset();
    ctx.stack.zd.rateLimiter.forceBurst(3, 1);
    await ctx.stack.notify('Account', id!, { source: 'created' });
    const status = (s: number) => ctx.stack.zd.log.entries().filter((e) => e.status === s).length;
    await eventually('three 429s', () => (status(429) >= 3 ? true : undefined), 20_000, 5);
    // The fourth attempt comes a Retry-After (1 s) later: it gets a 503.
    ctx.stack.zd.faults.update({ errorRate: 1, errorStatus: 503 });
    await eventually('the 503', () => (status(503) >= 1 ? true : undefined), 20_000, 5);
    ctx.stack.zd.faults.reset();
    const outcome = await ctx.stack.waitForPasses('Account', id!, 1, 30_000);
    assert.equal(outcome.outcome, 'created', JSON.stringify(outcome));

    const entries = ctx.stack.zd.log.entries();
    const at503 = entries.findIndex((e) => e.status === 503);
    const gap = entries[at503 + 1]!.at - entries[at503]!.at;
    // Temporal's own backoff would count the 429 attempts: 1 s × 2^3 = 8 s after attempt 4.
    assert.ok(gap >= 900 && gap < 4_000, `the retry after the 503 waited ${gap} ms`);
    const match = completedAttempts(await historyOf(ctx.stack.client, 'Account', id!)).find(
      (a) => a.activity === 'resolveMatch',
    );
    assert.deepEqual(match, { activity: 'resolveMatch', attempt: 5, lastFailureType: 'ZendeskUnavailable' });
  });

  it('a Retry-After past the cap fails the pass at once, visibly, and nothing is sent to Zendesk during it', async () => {
    const names = ['Retry After Days One', 'Retry After Days Two'];
    const [a, b] = await Promise.all(
      names.map(async (Name) => (await ctx.stack.salesforce.sobject('Account').create({ Name })).id!),
    );
    ctx.stack.zd.log.reset();
    // Zendesk asks for 5 s of silence; this worker waits out at most 2 s (ZENDESK_RETRY_AFTER_MAX_SECONDS).
    ctx.stack.zd.rateLimiter.forceBurst(1, 5);
    const openedAt = Date.now();
    await ctx.stack.notify('Account', a!, { source: 'created' });
    const first = await ctx.stack.waitForPasses('Account', a!, 1);
    assert.deepEqual([first.outcome, first.failure], ['failed', 'ZendeskRetryAfterTooLong']);
    assert.match(first.message!, /5 s \(Retry-After\), more than ZENDESK_RETRY_AFTER_MAX_SECONDS \(2 s\)/);
    assert.deepEqual(activityFailures(await historyOf(ctx.stack.client, 'Account', a!)), [
      { activity: 'resolveMatch', failureType: 'ZendeskRetryAfterTooLong', attempt: 1 },
    ]);
    // Another record during the window fails as well, without a request.
    const sent = ctx.stack.zd.log.entries().length;
    await ctx.stack.notify('Account', b!, { source: 'created' });
    const second = await ctx.stack.waitForPasses('Account', b!, 1);
    assert.deepEqual([second.outcome, second.failure], ['failed', 'ZendeskRetryAfterTooLong']);
    assert.equal(ctx.stack.zd.log.entries().length, sent, 'no request during the Retry-After');
    assert.equal(ctx.stack.zd.log.summary().duringRetryAfter, 0);

    const out = JSON.parse(
      (await sfzd('--json', 'failures', 'Account', '--type', 'ZendeskRetryAfterTooLong')).stdout,
    ) as {
      failures: FailureRow[];
    };
    assert.ok(
      out.failures.some((f) => f.salesforceId === a && f.status === 'failed'),
      JSON.stringify(out),
    );

    // Once the window has passed, a resync lands.
    await sleep(Math.max(0, openedAt + 5_500 - Date.now()));
    await ctx.stack.notify('Account', a!, { source: 'resync', force: true });
    assert.equal((await ctx.stack.waitForPasses('Account', a!, 2)).outcome, 'created');
  });

  it('a record deleted in Salesforce during its pass ends failed: SalesforceNotFound, without retries', async () => {
    const { id } = await ctx.stack.salesforce.sobject('Account').create({ Name: 'Deleted Midway GmbH' });
    // Slow Zendesk calls leave time to delete the account between the read and the write-back.
    ctx.stack.zd.faults.update({ latencyMs: 600 });
    ctx.stack.sf.log.reset();
    await ctx.stack.notify('Account', id!, { source: 'created' });
    await eventually('the pass read the account', () =>
      ctx.stack.sf.log.entries().some((e) => e.method === 'GET' && e.path.includes('/query'))
        ? true
        : undefined,
    );
    await ctx.stack.salesforce.sobject('Account').destroy(id!);
    const outcome = await ctx.stack.waitForPasses('Account', id!, 1);
    assert.deepEqual(
      [outcome.outcome, outcome.failure],
      ['failed', 'SalesforceNotFound'],
      JSON.stringify(outcome),
    );
    assert.match(outcome.message!, /ENTITY_IS_DELETED|NOT_FOUND/);
    assert.deepEqual(
      activityFailures(await historyOf(ctx.stack.client, 'Account', id!)).map((f) => [
        f.activity,
        f.failureType,
        f.attempt,
      ]),
      [['writeBackZendeskId', 'SalesforceNotFound', 1]],
    );
    const row = (
      JSON.parse((await sfzd('--json', 'failures', 'Account', '--type', 'SalesforceNotFound')).stdout) as {
        failures: FailureRow[];
      }
    ).failures.find((f) => f.salesforceId === id);
    assert.equal(row?.status, 'failed');
  });
});
