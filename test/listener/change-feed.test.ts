/**
 * The change feed end to end: jsforce writes to the Salesforce sandbox, its CDC feed (CometD) reaches the
 * listener activity run by the stack's real worker, and the record workflows sync to the Zendesk sandbox.
 */
import assert from 'node:assert/strict';
import { WriteTransaction } from '../../sandbox/salesforce';
import type { OutcomeEntry } from '../../workflows/sync-types';
import { useStack } from '../helpers/stack';
import {
  lastRetainedReplayId,
  sandboxControl,
  startTestFeed,
  TEST_FEED_TUNING,
  type TestFeed,
} from './feed-helpers';

interface Org {
  id: number;
  name: string;
  external_id: string | null;
  organization_fields: Record<string, unknown>;
}

const ACCOUNTS = '/data/AccountChangeEvent';

describe('Salesforce change feed (CDC listener, end to end)', function () {
  this.timeout(60_000);
  let feed: TestFeed;

  const ctx = useStack(
    {},
    {
      beforeClose: async () => {
        // Cancelling lets the listener stop cleanly (unsubscribe) before the worker shuts down.
        await feed?.handle.cancel().catch(() => undefined);
        await feed?.handle.result().catch(() => undefined);
      },
    },
  );
  before(async () => {
    feed = await startTestFeed(ctx.stack);
    await feed.waitFor('both channels subscribed', (s) => s.subscribed.length === 2);
  });

  const orgsNamed = async (name: string): Promise<Org[]> =>
    (await ctx.stack.zendesk.get('organizations').json<{ organizations: Org[] }>()).organizations.filter(
      (o) => o.name === name,
    );
  const outcomes = async (id: string): Promise<OutcomeEntry[]> =>
    (await ctx.stack.state('Account', id)).outcomes;
  /** An Account that exists in Salesforce but produced no change event (as if created during a gap). */
  const silentAccount = (name: string): string =>
    ctx.stack.sf.store.create(
      'Account',
      { Name: name },
      new WriteTransaction({ changeOrigin: '', publish: false }),
    );

  it('syncs a Salesforce REST create and a mapped update to Zendesk with no other action', async () => {
    const { id } = await ctx.stack.salesforce
      .sobject('Account')
      .create({ Name: 'Feed Create Co', Industry: 'Energy' });
    const first = await ctx.stack.waitForPasses('Account', id!, 1);
    assert.equal(first.outcome, 'created', JSON.stringify(first));
    assert.equal(first.trigger, 'cdc');

    await ctx.stack.salesforce.sobject('Account').update({ Id: id!, Industry: 'Retail' });
    const second = await ctx.stack.waitForPasses('Account', id!, 2);
    assert.equal(second.outcome, 'updated', JSON.stringify(second));
    const [org] = await orgsNamed('Feed Create Co');
    assert.equal(org?.organization_fields.industry, 'Retail');
    assert.equal(org?.external_id, id);
  });

  it('ignores an update of unmapped fields only: no new pass on the record workflow', async () => {
    const { id } = await ctx.stack.salesforce.sobject('Account').create({ Name: 'Feed Unmapped Co' });
    await ctx.stack.waitForPasses('Account', id!, 1);
    const before = await feed.waitCaughtUp(ACCOUNTS);

    await ctx.stack.salesforce
      .sobject('Account')
      .update({ Id: id!, Website: 'https://unmapped.example', Phone: '+1 555 0100' });
    const after = await feed.waitCaughtUp(ACCOUNTS);
    assert.ok(after.counters.ignored > before.counters.ignored, 'the update was seen and ignored');
    const state = await ctx.stack.state('Account', id!);
    assert.equal(state.passes, 1, JSON.stringify(state.outcomes));
    assert.equal(state.pending, undefined);
  });

  it('does not loop on its own write-back: after a create with syncedIdField the pass count stays 1', async () => {
    const { id } = await ctx.stack.salesforce.sobject('Account').create({ Name: 'Feed Writeback Co' });
    const first = await ctx.stack.waitForPasses('Account', id!, 1);
    assert.equal(first.outcome, 'created');
    const account = await ctx.stack.salesforce.sobject('Account').retrieve(id!);
    assert.equal(
      account.Zendesk_Organization_Id__c,
      String(first.zendeskId),
      'the Zendesk ID was written back',
    );
    // The write-back is an UPDATE event made by our client: it must be handed off (checkpointed) and ignored.
    const writeBack = ctx.stack.sf.cdc
      .retained()
      .filter(
        (e) =>
          e.data.payload.ChangeEventHeader.recordIds.includes(id!) &&
          e.data.payload.ChangeEventHeader.changeType === 'UPDATE',
      );
    assert.equal(writeBack.length, 1);
    assert.match(writeBack[0]!.data.payload.ChangeEventHeader.changeOrigin, /client=salesforce-zendesk-sync/);
    await feed.waitFor(
      'write-back event handed off',
      (s) => (s.checkpoint[ACCOUNTS]?.replayId ?? 0) >= writeBack[0]!.replayId,
    );
    await new Promise((r) => setTimeout(r, 300)); // a notification would have started a pass by now
    assert.equal((await ctx.stack.state('Account', id!)).passes, 1);
  });

  it('fans out one event carrying several record ids to every record', async () => {
    const names = ['Feed Fanout A', 'Feed Fanout B', 'Feed Fanout C'];
    const ids = names.map(silentAccount);
    // One transaction touching three records within a second: Salesforce merges it into one event.
    ctx.stack.sf.cdc.sink.publish({
      entityName: 'Account',
      changeType: 'CREATE',
      recordIds: ids,
      changedFields: [],
      fields: { Name: 'merged event' },
      changeOrigin: 'com/salesforce/api/rest/62.0;client=data-loader',
      commitTimestamp: Date.now(),
      transactionKey: 'fan-out-tx',
      sequenceNumber: 1,
    });
    for (const [i, id] of ids.entries()) {
      const outcome = await ctx.stack.waitForPasses('Account', id, 1);
      assert.equal(outcome.outcome, 'created');
      assert.equal((await orgsNamed(names[i]!)).length, 1);
    }
  });

  it('syncs the records of a GAP event (forced re-read)', async () => {
    const id = silentAccount('Feed Gap Co');
    await sandboxControl(ctx.stack, '/cometd/gap', {
      entityName: 'Account',
      changeType: 'GAP_CREATE',
      recordIds: [id],
    });
    const outcome = await ctx.stack.waitForPasses('Account', id, 1);
    assert.equal(outcome.outcome, 'created');
    assert.equal(outcome.trigger, 'gap');
    assert.equal((await orgsNamed('Feed Gap Co')).length, 1);
    // The counters reach the state query with the listener's throttled progress report.
    await feed.waitFor('a gap counted', (s) => s.counters.gaps >= 1);
  });

  it('reconciles the entity on GAP_OVERFLOW (records modified since the commit time)', async () => {
    const ids = ['Feed Overflow A', 'Feed Overflow B'].map(silentAccount);
    await sandboxControl(ctx.stack, '/cometd/overflow', { entityName: 'Account' });
    for (const id of ids) {
      const outcome = await ctx.stack.waitForPasses('Account', id, 1);
      assert.equal(outcome.outcome, 'created');
      assert.equal(outcome.trigger, 'gap');
    }
    await feed.waitFor('an overflow counted', (s) => s.counters.overflows >= 1);
  });

  it('re-authenticates when the streaming token is rejected (401) and keeps delivering', async () => {
    const before = await feed.state();
    await sandboxControl(ctx.stack, '/tokens/expire');
    await ctx.stack.salesforce.authorize({ grant_type: 'client_credentials' }); // the test's own session expired too
    await feed.waitFor(
      'a rebuilt subscription',
      (s) => s.counters.rebuilds > before.counters.rebuilds && s.subscribed.length === 2,
    );
    const { id } = await ctx.stack.salesforce.sobject('Account').create({ Name: 'Feed Reauth Co' });
    assert.equal((await ctx.stack.waitForPasses('Account', id!, 1)).outcome, 'created');
  });

  it('loses no event and syncs nothing twice through CometD drops and a killed listener attempt', async () => {
    const droppedBefore = ctx.stack.sf.cdc.droppedSessions();
    await sandboxControl(ctx.stack, '/cometd/drops', { everyMs: 250 });
    const names = Array.from({ length: 12 }, (_, i) => `Feed Chaos ${i}`);
    const ids: string[] = [];
    try {
      for (const [i, name] of names.entries()) {
        ids.push(
          (await ctx.stack.salesforce.sobject('Account').create({ Name: name, Industry: 'Chaos' })).id!,
        );
        await new Promise((r) => setTimeout(r, 60));
        if (i === 5) {
          // Fail the running attempt server-side: the worker's attempt is cancelled and a retry resumes from the heartbeat.
          const description = await feed.handle.describe();
          const pending = description.raw.pendingActivities?.[0];
          assert.ok(pending?.activityId, 'the listener activity is running');
          await ctx.stack.client.activity.fail(
            { workflowId: feed.handle.workflowId, runId: description.runId, activityId: pending.activityId },
            new Error('listener killed by the test'),
          );
        }
      }
      await feed.waitFor('a second attempt', (s) => s.attempt >= 2 && s.subscribed.length === 2);
    } finally {
      await sandboxControl(ctx.stack, '/cometd/drops', { everyMs: 0 });
    }
    const passes: number[] = [];
    for (const [i, id] of ids.entries()) {
      await ctx.stack.waitForPasses('Account', id, 1);
      const list = await outcomes(id);
      passes.push(list.length);
      assert.deepEqual(
        list.filter((o) => o.outcome !== 'unchanged').map((o) => o.outcome),
        ['created'],
        `${names[i]}: written exactly once (${JSON.stringify(list)})`,
      );
      assert.equal((await orgsNamed(names[i]!)).length, 1, `${names[i]}: one organization`);
    }
    const state = await feed.waitCaughtUp(ACCOUNTS);
    // The drops really hit live sessions (the listener's own counters restart with the killed attempt).
    assert.ok(ctx.stack.sf.cdc.droppedSessions() > droppedBefore, 'CometD sessions were dropped');
    assert.ok(lastRetainedReplayId(ctx.stack, ACCOUNTS) <= (state.checkpoint[ACCOUNTS]?.replayId ?? 0));
  });

  it('hands over across listener runs and continue-as-new without losing events', async () => {
    const { id: earlier } = await ctx.stack.salesforce
      .sobject('Account')
      .create({ Name: 'Feed Before Handover' });
    await ctx.stack.waitForPasses('Account', earlier!, 1);
    const old = await feed.waitCaughtUp(ACCOUNTS);
    // Replace the feed by one that ends a listener run every 700 ms and continues-as-new after each, starting from the old position.
    await feed.handle.cancel();
    await feed.handle.result().catch(() => undefined);
    feed = await startTestFeed(
      ctx.stack,
      { ...TEST_FEED_TUNING, runForMs: 700, runsPerExecution: 1 },
      { checkpoint: old.checkpoint, suffix: 'short-runs' },
    );
    const startedRun = (await feed.handle.describe()).runId;

    const names = Array.from({ length: 8 }, (_, i) => `Feed Handover ${i}`);
    const ids: string[] = [];
    for (const name of names) {
      ids.push((await ctx.stack.salesforce.sobject('Account').create({ Name: name })).id!);
      await new Promise((r) => setTimeout(r, 250));
    }
    for (const [i, id] of ids.entries()) {
      await ctx.stack.waitForPasses('Account', id, 1);
      assert.deepEqual(
        (await outcomes(id)).filter((o) => o.outcome !== 'unchanged').map((o) => o.outcome),
        ['created'],
        names[i],
      );
    }
    const state = await feed.waitCaughtUp(ACCOUNTS);
    assert.ok(state.runs >= 2, `several listener runs (${state.runs})`);
    assert.notEqual((await feed.handle.describe()).runId, startedRun, 'the feed continued as new');
    // Nothing before the handed-over position was replayed.
    assert.equal((await ctx.stack.state('Account', earlier!)).passes, 1);
  });
});
