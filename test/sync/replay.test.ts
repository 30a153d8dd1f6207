/**
 * Determinism: every record-workflow history on the shared dev server (this file's own, plus those the
 * durability and fault tests that ran before it in the same mocha process left) replays against the
 * current workflow code without a nondeterminism error.
 */
import assert from 'node:assert/strict';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { useStack } from '../helpers/stack';
import { sharedWorkflowBundle } from '../helpers/workflow-bundle';
import { notifyTuned } from './durability-support';

describe('Record workflow replay', function () {
  this.timeout(90_000);

  const ctx = useStack(
    {},
    {
      beforeClose: async () => {
        ctx.stack.zd.updateSettings({ validatePhoneNumbers: false });
      },
    },
  );

  /** Histories of this file's kinds of passes: create, update, unchanged, a failure, continue-as-new. */
  async function produceHistories(): Promise<void> {
    const { id: accountId } = await ctx.stack.salesforce
      .sobject('Account')
      .create({ Name: 'Replay Me SA', Industry: 'Energy' });
    await notifyTuned(ctx.stack, 'Account', accountId!, { passesPerRun: 2 }, { source: 'created' });
    await ctx.stack.waitForPasses('Account', accountId!, 1);
    await ctx.stack.salesforce.sobject('Account').update({ Id: accountId!, Industry: 'Retail' });
    await ctx.stack.notify('Account', accountId!);
    await ctx.stack.waitForPasses('Account', accountId!, 2); // continues as new here
    await ctx.stack.notify('Account', accountId!, { source: 'resync', force: true });
    await ctx.stack.waitForPasses('Account', accountId!, 3);

    ctx.stack.zd.updateSettings({ validatePhoneNumbers: true });
    const { id: contactId } = await ctx.stack.salesforce
      .sobject('Contact')
      .create({ LastName: 'Replay', Email: 'replay@example.com', Phone: 'no phone', AccountId: accountId });
    await ctx.stack.notify('Contact', contactId!, { source: 'created' });
    assert.equal((await ctx.stack.waitForPasses('Contact', contactId!, 1)).outcome, 'failed');
    ctx.stack.zd.updateSettings({ validatePhoneNumbers: false });
    await ctx.stack.salesforce.sobject('Contact').update({ Id: contactId!, Phone: '+15551234567' });
    await ctx.stack.notify('Contact', contactId!);
    assert.equal((await ctx.stack.waitForPasses('Contact', contactId!, 2)).outcome, 'created');
  }

  /**
   * Histories whose payloads are encrypted (test/deploy runs a worker with SYNC_ENCRYPTION_KEYS on this
   * server) need their keys to replay; their own tests replay them with the codec (replay-check,
   * test/encryption). Everything else on the server is replayed here.
   */
  async function* histories() {
    const all = ctx.stack.client.workflow.list({ query: 'WorkflowType = "syncRecord"' }).intoHistories();
    for await (const entry of all) {
      const history = entry.history as temporal.api.history.v1.IHistory | undefined;
      const input = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input;
      const encoding = input?.payloads?.[0]?.metadata?.encoding;
      if (encoding && Buffer.from(encoding).toString() === 'binary/encrypted') continue;
      yield entry;
    }
  }

  it('replays every record workflow history without a determinism error', async () => {
    await produceHistories();
    const mine = [];
    for await (const wf of ctx.stack.client.workflow.list({ query: `TaskQueue = "${ctx.stack.taskQueue}"` }))
      mine.push(wf.runId);
    assert.ok(mine.length >= 3, `this file's runs are listed (${mine.length})`);

    let replayed = 0;
    const errors: string[] = [];
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: await sharedWorkflowBundle() },
      histories(),
    )) {
      replayed += 1;
      if (result.error) errors.push(`${result.workflowId} ${result.runId}: ${result.error.message}`);
    }
    assert.deepEqual(errors, []);
    assert.ok(replayed >= mine.length, `replayed ${replayed} histories`);
  });

  it('the replay check reports a mismatch (a workflow bundle without syncRecord)', async () => {
    const checkConnectionsOnly = require.resolve('../../workflows/check-connections');
    async function* firstHistory() {
      for await (const h of histories()) {
        yield h;
        return;
      }
    }
    const results = [];
    for await (const result of Worker.runReplayHistories(
      { workflowsPath: checkConnectionsOnly },
      firstHistory(),
    ))
      results.push(result);
    assert.equal(results.length, 1);
    assert.ok(results[0]?.error, 'replaying against other workflow code must fail');
  });
});
