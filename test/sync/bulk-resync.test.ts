import assert from 'node:assert/strict';
import { bulkProgress, startBulkResync } from '../../client/bulk-resync';
import { useStack } from '../helpers/stack';

describe('bulk resync (end to end)', function () {
  // 2,000 full first syncs on one dev server: about 2 minutes on a quiet 2-core machine, over 5 minutes
  // (on main as well) while other suites load it. Generous, so only a stall fails it.
  this.timeout(600_000);

  const ctx = useStack();
  before(async () => {
    ctx.stack.sf.seed({ accounts: 2000, contactsPerAccount: 0, leads: 0, seed: 7 });
  });

  it('hands off every account, page by page, across a worker restart, with progress in a query', async () => {
    const ids = (
      await ctx.stack.salesforce.query<{ Id: string }>('SELECT Id FROM Account', {
        autoFetch: true,
        maxFetch: 10_000,
      })
    ).records.map((r) => r.Id);
    assert.equal(ids.length, 2000);
    const handle = await startBulkResync(ctx.stack.client, ctx.stack.taskQueue, {
      object: 'Account',
      pageSize: 40,
      concurrency: 10,
    });

    // Restart the worker once the run is under way; the cursor in the workflow state makes it resume.
    for (let i = 0; ; i++) {
      const p = await bulkProgress(handle);
      if (p.done >= 200) break;
      assert.ok(i < 400, 'bulk resync started');
      await new Promise((r) => setTimeout(r, 25));
    }
    await ctx.stack.restartWorker();
    const result = await handle.result();
    assert.equal(result.total, 2000);
    assert.equal(result.done, 2000);
    assert.equal(result.failed, 0);
    assert.ok(result.finishedAt);
    assert.deepEqual(await bulkProgress(handle), result);

    // Every account's workflow got a pass (forced) and ended linked or with a visible outcome. Read 25
    // workflows at a time: one query after another took over a minute for 2,000.
    for (let i = 0; i < ids.length; i += 25) {
      await Promise.all(
        ids.slice(i, i + 25).map(async (id) => {
          const outcome = await ctx.stack.waitForPasses('Account', id, 1, 60_000);
          assert.ok(['created', 'updated'].includes(outcome.outcome), `${id}: ${JSON.stringify(outcome)}`);
          assert.equal(outcome.trigger, 'bulk-resync');
        }),
      );
    }
  });

  it('narrows the run with a validated WHERE clause and refuses an unsafe one', async () => {
    const [first] = (
      await ctx.stack.salesforce.query<{ Id: string; Name: string }>(
        'SELECT Id, Name FROM Account ORDER BY Id LIMIT 1',
      )
    ).records;
    const name = first!.Name.replace(/'/g, "\\'");
    const narrowed = await startBulkResync(ctx.stack.client, ctx.stack.taskQueue, {
      object: 'Account',
      where: `Name = '${name}'`,
    });
    const result = await narrowed.result();
    assert.ok(result.total! >= 1 && result.total! < 2000, `total ${result.total}`);
    assert.equal(result.done, result.total);

    const unsafe = await startBulkResync(
      ctx.stack.client,
      ctx.stack.taskQueue,
      { object: 'Account', where: "Name = 'x') OR (Name != null" },
      new Date(Date.now() + 1),
    );
    // WorkflowFailedError → ActivityFailure → ApplicationFailure(SalesforceRejected)
    await assert.rejects(unsafe.result(), (err: Error) => {
      const activityFailure = err.cause as Error | undefined;
      const failure = activityFailure?.cause as (Error & { type?: string }) | undefined;
      return (
        failure?.type === 'SalesforceRejected' && /--where: not a valid SOQL condition/.test(failure.message)
      );
    });
  });
});
