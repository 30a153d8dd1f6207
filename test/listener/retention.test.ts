/**
 * A listener that was down longer than the retention window: its saved replayId is gone, Salesforce
 * refuses it, and the changes made meanwhile must still reach Zendesk (the listener reconciles from
 * its last commit time before taking the retained events).
 */
import assert from 'node:assert/strict';
import { useStack } from '../helpers/stack';
import { sandboxControl, startTestFeed, TEST_FEED_TUNING, type TestFeed } from './feed-helpers';

const ACCOUNTS = '/data/AccountChangeEvent';

describe('change feed: outage longer than the retention window', function () {
  this.timeout(60_000);
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

  it('syncs every change made while it was down, once each', async () => {
    feed = await startTestFeed(ctx.stack, { ...TEST_FEED_TUNING, startFrom: 'tip' });
    await feed.waitFor('subscribed', (s) => s.subscribed.includes(ACCOUNTS));
    const { id: before } = await ctx.stack.salesforce.sobject('Account').create({ Name: 'Retention Before' });
    await ctx.stack.waitForPasses('Account', before!, 1);
    const position = (await feed.waitCaughtUp(ACCOUNTS)).checkpoint;

    // The listener goes down; changes happen; the retention window passes (retained events are purged).
    await feed.handle.cancel();
    await feed.handle.result().catch(() => undefined);
    const missed: string[] = [];
    for (const Name of ['Retention Missed 1', 'Retention Missed 2', 'Retention Missed 3']) {
      missed.push((await ctx.stack.salesforce.sobject('Account').create({ Name })).id!);
    }
    await ctx.stack.salesforce.sobject('Account').update({ Id: before!, Name: 'Retention Before Renamed' });
    await sandboxControl(ctx.stack, '/cometd/reset');

    // Back up, from the saved position: refused as too old, so the listener reconciles.
    feed = await startTestFeed(ctx.stack, TEST_FEED_TUNING, { checkpoint: position, suffix: 'after-outage' });
    // Re-delivery after the reconcile is harmless: extra passes end `unchanged` and write nothing.
    const writes = async (id: string) =>
      (await ctx.stack.state('Account', id)).outcomes
        .filter((o) => o.outcome !== 'unchanged')
        .map((o) => o.outcome);
    for (const id of missed) {
      await ctx.stack.waitForPasses('Account', id, 1, 30_000);
      assert.deepEqual(await writes(id), ['created']);
    }
    await ctx.stack.waitForPasses('Account', before!, 2, 30_000);
    assert.deepEqual(await writes(before!), ['updated', 'created']);
    const orgs = (
      await ctx.stack.zendesk.get('organizations').json<{ organizations: Array<{ name: string }> }>()
    ).organizations.map((o) => o.name);
    for (const name of [
      'Retention Missed 1',
      'Retention Missed 2',
      'Retention Missed 3',
      'Retention Before Renamed',
    ]) {
      assert.equal(orgs.filter((n) => n === name).length, 1, `${name} exactly once`);
    }
    assert.ok(!orgs.includes('Retention Before'), 'renamed, not duplicated');
    const state = await feed.waitFor('the refused position recorded', (s) => s.lastError !== undefined);
    assert.match(state.lastError!.message, /replayId/i);
  });
});
