import assert from 'node:assert/strict';
import { useStack } from '../helpers/stack';
import { completedAttempts, historyOf, notifyTuned } from './durability-support';

/**
 * Every activity heartbeats while it runs (worker/heartbeat-interceptor.ts), so a heartbeat timeout far
 * shorter than a slow Zendesk call only catches dead workers, never live ones.
 */
describe('Activity heartbeats', function () {
  this.timeout(60_000);

  const ctx = useStack(
    {},
    {
      beforeClose: async () => {
        ctx.stack.zd.faults.reset();
      },
    },
  );

  it('keep a write that takes longer than the heartbeat timeout alive, in one attempt', async () => {
    const { id } = await ctx.stack.salesforce.sobject('Account').create({ Name: 'Slow Zendesk Ltd' });
    // Each Zendesk request takes 3 s; the write makes at least two (search by key, create).
    ctx.stack.zd.faults.update({ latencyMs: 3_000 });
    await notifyTuned(ctx.stack, 'Account', id!, { heartbeatTimeoutMs: 2_000 }, { source: 'created' });
    const outcome = await ctx.stack.waitForPasses('Account', id!, 1, 50_000);
    ctx.stack.zd.faults.reset();
    assert.equal(outcome.outcome, 'created', JSON.stringify(outcome));
    const attempts = completedAttempts(await historyOf(ctx.stack.client, 'Account', id!));
    const write = attempts.find((a) => a.activity === 'writeZendesk');
    assert.equal(
      write?.attempt,
      1,
      `the slow write was not timed out and retried: ${JSON.stringify(attempts)}`,
    );
  });
});
