/**
 * The seed: "Data sync consumes Salesforce streaming API governor limits … if you have a large amount of data
 * to be synced, this exceeds the governor limit, and data may not sync." Past the org's daily event delivery
 * allocation Salesforce answers `/meta/connect` with `403::Organization total events daily limit exceeded`
 * and delivers nothing more; the events stay retained for replay. The feed must say so, must not take it for
 * a rejected token (no OAuth login per attempt), must retry on its slow schedule, and must deliver every
 * missed change by replay once the allocation allows it.
 */
import assert from 'node:assert/strict';
import {
  CONCURRENT_CLIENTS_LIMIT_ERROR,
  DAILY_DELIVERY_LIMIT_ERROR,
  streamingLimitOf,
} from '../../activities/change-feed/streaming-limits';
import type { OutcomeCounts } from '../../client/cli/status';
import { describeFeed, readFeedSummary } from '../../client/listener/feed-summary';
import { runListen } from '../../client/listener/run-listen';
import { readChangeFeedState, startChangeFeed } from '../../client/listener/start-change-feed';
import { CHANGE_FEED_WORKFLOW_ID } from '../../workflows/change-feed';
import { runSfzd } from '../helpers/sfzd';
import { useStack } from '../helpers/stack';
import { sandboxControl, startTestFeed, TEST_FEED_TUNING, type TestFeed } from './feed-helpers';

const ACCOUNTS = '/data/AccountChangeEvent';
const CONTACTS = '/data/ContactChangeEvent';
const RETRY_MS = 2_000;

interface Org {
  id: number;
  name: string;
  organization_fields: Record<string, unknown>;
}

describe('change feed: the daily event delivery allocation runs out', function () {
  this.timeout(90_000);
  let feed: TestFeed | undefined;

  const ctx = useStack(
    {},
    {
      beforeClose: async () => {
        await feed?.handle.cancel().catch(() => undefined);
        await feed?.handle.result().catch(() => undefined);
      },
    },
  );
  before(async () => {
    feed = await startTestFeed(ctx.stack, { ...TEST_FEED_TUNING, allocationRetryMs: RETRY_MS });
    await feed.waitFor('both channels subscribed', (s) => s.subscribed.length === 2);
  });

  /** OAuth logins the Salesforce sandbox has answered (the worker's and this test's). */
  const logins = () =>
    ctx.stack.sf.log.entries().filter((e) => e.method === 'POST' && e.path === '/services/oauth2/token')
      .length;
  const orgsNamed = async (name: string): Promise<Org[]> =>
    (await ctx.stack.zendesk.get('organizations').json<{ organizations: Org[] }>()).organizations.filter(
      (o) => o.name === name,
    );
  const currentDetails = async () =>
    (await feed!.handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata')).currentDetails ??
    '';

  it('pauses without logging in again, says why, and replays the missed changes once the allocation is raised', async () => {
    // One delivery left in the rolling 24 hours.
    await sandboxControl(ctx.stack, '/cometd/delivery-allocation', { dailyMax: 1, resetUsage: true });
    const { id: within } = await ctx.stack.salesforce
      .sobject('Account')
      .create({ Name: 'Allocation Within', Industry: 'Energy' });
    assert.equal((await ctx.stack.waitForPasses('Account', within!, 1)).outcome, 'created');

    // Changes past the allocation: Salesforce keeps them but delivers none.
    const missed: string[] = [];
    for (const Name of ['Allocation Missed 1', 'Allocation Missed 2'])
      missed.push((await ctx.stack.salesforce.sobject('Account').create({ Name, Industry: 'Retail' })).id!);
    await ctx.stack.salesforce.sobject('Account').update({ Id: within!, Industry: 'Banking' });
    const { id: contact } = await ctx.stack.salesforce
      .sobject('Contact')
      .create({ FirstName: 'Alloc', LastName: 'Missed', Email: 'alloc.missed@example.com' });

    const paused = await feed!.waitFor(
      'both channels paused on the allocation',
      (s) => (s.deliveryAllocation?.channels.length ?? 0) === 2,
    );
    const loginsWhenPaused = logins();
    const pause = paused.deliveryAllocation!;
    assert.deepEqual([...pause.channels].sort(), [ACCOUNTS, CONTACTS]);
    assert.deepEqual(paused.subscribed, [], 'a paused channel is not shown as listening');
    assert.match(paused.lastError!.message, /403::Organization total events daily limit exceeded/);
    assert.match(paused.lastError!.message, /daily event delivery allocation is (still )?used up/);
    assert.ok(
      Date.parse(pause.nextAttemptAt) > Date.parse(pause.since),
      `the next attempt is after the refusal: ${JSON.stringify(pause)}`,
    );

    // It keeps trying on its own schedule, without a login per attempt, and syncs nothing meanwhile.
    const startedWaiting = Date.now();
    const before = pause.refusals;
    const retried = await feed!.waitFor(
      'two more refused attempts',
      (s) => (s.deliveryAllocation?.refusals ?? 0) >= before + 2,
      30_000,
    );
    const waited = Date.now() - startedWaiting;
    const attempts = retried.deliveryAllocation!.refusals - before;
    // The reconnect backoff (100 ms to 1 s in these tests) would make several attempts per channel a second.
    assert.ok(
      attempts <= 2 * (Math.ceil(waited / RETRY_MS) + 1),
      `${attempts} attempts in ${waited} ms with a ${RETRY_MS} ms interval`,
    );
    assert.equal(logins(), loginsWhenPaused, 'no OAuth login because of the allocation');
    assert.deepEqual(await orgsNamed('Allocation Missed 1'), []);

    // What operators see: the UI's current details and the `sfzd status` / `npm start` line.
    assert.match(await currentDetails(), /\*\*Paused\*\* on .*daily event delivery allocation is used up/);
    const summary = await readFeedSummary(ctx.stack.client, feed!.handle.workflowId);
    assert.equal(summary.condition, 'paused');
    const line = describeFeed(summary);
    assert.match(line, /^PAUSED on /);
    assert.match(line, /next attempt at \d{4}-\d\d-\d\dT/);
    assert.match(line, /keeps change events for 72 hours/);
    assert.match(line, /reconciliation Schedule .*keeps syncing mapped changes/);

    // The allocation is raised (an add-on, or the rolling window freeing up): the next attempt replays.
    await sandboxControl(ctx.stack, '/cometd/delivery-allocation', { dailyMax: 25_000 });
    for (const id of missed)
      assert.equal((await ctx.stack.waitForPasses('Account', id, 1, 30_000)).outcome, 'created');
    const update = await ctx.stack.waitForPasses('Account', within!, 2, 30_000);
    assert.equal(update.outcome, 'updated');
    assert.equal((await ctx.stack.waitForPasses('Contact', contact!, 1, 30_000)).outcome, 'created');
    for (const name of ['Allocation Missed 1', 'Allocation Missed 2'])
      assert.equal((await orgsNamed(name)).length, 1, `${name} exactly once`);
    const [org] = await orgsNamed('Allocation Within');
    assert.equal(org!.organization_fields.industry, 'Banking');

    await feed!.waitFor(
      'both channels listening again, the pause cleared',
      (s) => s.deliveryAllocation === undefined && s.subscribed.length === 2,
    );
    assert.doesNotMatch(await currentDetails(), /\*\*Paused\*\*/);
    assert.equal((await readFeedSummary(ctx.stack.client, feed!.handle.workflowId)).condition, 'listening');
    assert.equal(logins(), loginsWhenPaused, 'no OAuth login through the whole pause');
  });

  it('keeps the pause and its schedule across listener runs and continue-as-new', async () => {
    const checkpoint = (await feed!.waitCaughtUp(ACCOUNTS)).checkpoint;
    await feed!.handle.cancel();
    await feed!.handle.result().catch(() => undefined);
    const retryMs = 3_000;
    feed = await startTestFeed(
      ctx.stack,
      { ...TEST_FEED_TUNING, allocationRetryMs: retryMs, runForMs: 800, runsPerExecution: 1 },
      { checkpoint, suffix: 'short-runs' },
    );
    await feed.waitFor('both channels subscribed', (s) => s.subscribed.length === 2);
    await sandboxControl(ctx.stack, '/cometd/delivery-allocation', { dailyMax: 0, resetUsage: true });
    const { id } = await ctx.stack.salesforce.sobject('Account').create({ Name: 'Allocation Across Runs' });
    const first = await feed.waitFor(
      'paused',
      (s) => s.deliveryAllocation?.channels.includes(ACCOUNTS) === true,
    );

    // Several runs later (each a new activity and a new workflow execution), still paused, every sample.
    const started = Date.now();
    let samples = 0;
    const later = await feed.waitFor('four more listener runs', (s) => {
      samples += 1;
      assert.ok(s.deliveryAllocation, `the pause was dropped at run ${s.runs}: ${JSON.stringify(s)}`);
      return s.runs >= first.runs + 4;
    });
    const elapsed = Date.now() - started;
    // A run that forgot the pause would try again as it starts: at least one refusal per channel and run.
    const refusals = later.deliveryAllocation!.refusals - first.deliveryAllocation!.refusals;
    assert.ok(
      refusals <= 2 * (Math.ceil(elapsed / retryMs) + 1),
      `${refusals} refusals over ${later.runs - first.runs} runs in ${elapsed} ms (${samples} samples)`,
    );
    assert.equal(later.deliveryAllocation!.since, first.deliveryAllocation!.since, 'the same pause');

    await sandboxControl(ctx.stack, '/cometd/delivery-allocation', { dailyMax: 25_000 });
    assert.equal((await ctx.stack.waitForPasses('Account', id!, 1, 30_000)).outcome, 'created');
    await feed.waitFor('the pause cleared', (s) => s.deliveryAllocation === undefined, 30_000);
  });

  it('shows the pause in `sfzd status` and in what `npm start` / `sfzd listen --wait` print', async () => {
    await feed!.handle.cancel();
    await feed!.handle.result().catch(() => undefined);
    // The deployment's feed (fixed workflow ID), as `sfzd status` and `npm start` look for it.
    const production = await startChangeFeed(ctx.stack.client, ctx.stack.taskQueue, {
      input: { tuning: { ...TEST_FEED_TUNING, allocationRetryMs: 60_000 } },
    });
    try {
      await sandboxControl(ctx.stack, '/cometd/delivery-allocation', { dailyMax: 0, resetUsage: true });
      await ctx.stack.salesforce.sobject('Account').create({ Name: 'Allocation Status Co' });
      const deadline = Date.now() + 20_000;
      while (!(await readChangeFeedState(ctx.stack.client)).deliveryAllocation?.channels.includes(ACCOUNTS)) {
        assert.ok(Date.now() < deadline, 'the feed did not pause');
        await new Promise((r) => setTimeout(r, 100));
      }

      const status = await runSfzd(ctx.stack, 'status', 'Account');
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /\nChange feed: PAUSED on [^\n]*\/data\/AccountChangeEvent/);
      assert.match(status.stdout, /daily event delivery allocation is used up[^\n]*next attempt at /);
      const json = JSON.parse((await runSfzd(ctx.stack, '--json', 'status')).stdout) as OutcomeCounts;
      assert.equal(json.changeFeed.condition, 'paused');
      assert.ok(json.changeFeed.deliveryAllocation?.channels.includes(ACCOUNTS));

      // `npm start` runs this and prints its line: it says "paused" at once rather than timing out.
      const started = Date.now();
      const line = await runListen(
        { ...ctx.stack.workerEnv(), RECONCILE_EVERY: 'off' },
        { waitForSubscription: true, timeoutMs: 30_000 },
      );
      assert.ok(Date.now() - started < 10_000, 'answered without waiting for the timeout');
      assert.match(line, new RegExp(`change feed ${CHANGE_FEED_WORKFLOW_ID} is running`));
      assert.match(
        line,
        /PAUSED on [^:]*\/data\/AccountChangeEvent[^:]*: Salesforce's daily event delivery allocation/,
      );
      assert.equal(await orgsNamed('Allocation Status Co').then((o) => o.length), 0);

      await sandboxControl(ctx.stack, '/cometd/delivery-allocation', { dailyMax: 25_000 });
    } finally {
      await production.terminate('test over').catch(() => undefined);
    }
    const stopped = await runSfzd(ctx.stack, 'status');
    assert.match(stopped.stdout, /\nChange feed: not running \(the feed workflow is TERMINATED\)/);
  });
});

describe('streaming limit errors (activities/change-feed/streaming-limits.ts)', () => {
  it("tells Salesforce's org-wide streaming limits from everything else by their documented text", () => {
    assert.equal(streamingLimitOf(DAILY_DELIVERY_LIMIT_ERROR), 'delivery-allocation');
    assert.equal(
      streamingLimitOf('403::Organization total events daily limit exceeded.'),
      'delivery-allocation',
    );
    assert.equal(streamingLimitOf(CONCURRENT_CLIENTS_LIMIT_ERROR), 'concurrent-clients');
    for (const other of [
      '401::Authentication invalid',
      '403::Handshake denied',
      '403::Unknown client',
      '400::The replayId {5} you provided was invalid.',
      undefined,
      42,
    ])
      assert.equal(streamingLimitOf(other), undefined, String(other));
  });
});
