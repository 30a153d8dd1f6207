import assert from 'node:assert/strict';
import { WorkflowNotFoundError } from '@temporalio/client';
import { createAdvanceWatermark } from '../../activities/reconcile/watermark';
import type { SyncDeps } from '../../activities/sync/deps';
import { ensureReconcileSchedule } from '../../client/reconcile-schedule';
import { WriteTransaction } from '../../sandbox/salesforce/store';
import type { reconcile } from '../../workflows/reconcile';
import type { ReconcileInput } from '../../workflows/reconcile-types';
import { useStack } from '../helpers/stack';

describe('reconciliation (end to end, no change stream running)', function () {
  this.timeout(90_000);
  let run = 0;

  const ctx = useStack();

  const reconcileOnce = (input: ReconcileInput) =>
    ctx.stack.client.workflow.execute<typeof reconcile>('reconcile', {
      taskQueue: ctx.stack.taskQueue,
      workflowId: `reconcile-test-${ctx.stack.taskQueue}-${++run}`,
      args: [input],
    });

  /**
   * A reconciliation window that opens now, so a test's run sees only the records it changes itself,
   * whichever tests ran before it: waits for the next whole second (SOQL datetimes have whole seconds).
   */
  async function windowFromNow(): Promise<ReconcileInput> {
    const start = Math.ceil((Date.now() + 1) / 1000) * 1000;
    await new Promise((r) => setTimeout(r, start - Date.now()));
    return { watermarkMs: start, marginMs: 0 };
  }

  const createAccounts = async (names: string[]): Promise<string[]> => {
    const ids: string[] = [];
    for (const Name of names) ids.push((await ctx.stack.salesforce.sobject('Account').create({ Name })).id!);
    return ids;
  };

  /** Syncs accounts through the record workflows (as the change stream would), before the test's reconcile. */
  async function syncedAccounts(names: string[]): Promise<string[]> {
    const ids = await createAccounts(names);
    for (const id of ids) await ctx.stack.notify('Account', id, { source: 'created' });
    for (const id of ids) assert.equal((await ctx.stack.waitForPasses('Account', id, 1)).outcome, 'created');
    return ids;
  }

  it('syncs records changed while nothing listened, page by page', async () => {
    const window = await windowFromNow();
    const ids = await createAccounts(['Recon Paged One', 'Recon Paged Two', 'Recon Paged Three']);
    const summary = await reconcileOnce({ ...window, pageSize: 2 });
    assert.deepEqual(summary.perObject.Account, { scanned: 3, signalled: 3 });
    for (const id of ids) assert.equal((await ctx.stack.waitForPasses('Account', id, 1)).outcome, 'created');
  });

  it('signals nothing when the mapped values match what was synced', async () => {
    const window = await windowFromNow();
    await syncedAccounts(['Recon Steady One', 'Recon Steady Two', 'Recon Steady Three']);
    const summary = await reconcileOnce(window);
    assert.equal(summary.perObject.Account?.signalled, 0);
    assert.ok(summary.perObject.Account.scanned >= 3);
  });

  it('signals only the record whose mapped value changed', async () => {
    const window = await windowFromNow();
    const ids = await syncedAccounts(['Recon Alpha', 'Recon Beta']);
    await ctx.stack.salesforce.sobject('Account').update({ Id: ids[0]!, Name: 'Recon Alpha Renamed' });
    await ctx.stack.salesforce.sobject('Account').update({ Id: ids[1]!, NumberOfEmployees: 42 }); // not mapped
    const summary = await reconcileOnce(window);
    assert.equal(summary.perObject.Account?.signalled, 1);
    const outcome = await ctx.stack.waitForPasses('Account', ids[0]!, 2);
    assert.equal(outcome.outcome, 'updated');
    assert.equal(outcome.trigger, 'reconcile');
    const orgs = (
      await ctx.stack.zendesk
        .get('organizations/search', { searchParams: { external_id: ids[0] } })
        .json<{ organizations: Array<{ name: string }> }>()
    ).organizations;
    assert.deepEqual(
      orgs.map((o) => o.name),
      ['Recon Alpha Renamed'],
    );
  });

  /**
   * The Schedule's runs signal every record modified in the last hour; one may start just before the
   * Schedule is deleted, and on a loaded machine it can outlast any wait: the test stops it, so it cannot
   * signal the records other tests create.
   */
  async function noScheduledRunLeft(): Promise<void> {
    const query = `WorkflowType = "reconcile" AND ExecutionStatus = "Running" AND TaskQueue = "${ctx.stack.taskQueue}"`;
    for await (const wf of ctx.stack.client.workflow.list({ query })) {
      if (!wf.workflowId.startsWith(`reconcile-${ctx.stack.taskQueue}`)) continue;
      await ctx.stack.client.workflow
        .getHandle(wf.workflowId, wf.runId)
        .terminate('test: the schedule was deleted')
        .catch((e: unknown) => {
          if (!(e instanceof WorkflowNotFoundError)) throw e; // it finished meanwhile
        });
    }
    for (
      const until = Date.now() + 30_000;
      Date.now() < until;
      await new Promise((r) => setTimeout(r, 200))
    ) {
      if ((await ctx.stack.client.workflow.count(query)).count === 0) return;
    }
    assert.fail('a scheduled reconcile run is still running');
  }

  it('runs on a Schedule that moves its watermark forward after each complete run', async () => {
    const scheduleId = `reconcile-${ctx.stack.taskQueue}`;
    await ensureReconcileSchedule(ctx.stack.client, ctx.stack.taskQueue, { scheduleId, everyMs: 1_000 });
    const handle = ctx.stack.client.schedule.getHandle(scheduleId);
    try {
      let watermark: number | undefined;
      for (
        const until = Date.now() + 30_000;
        Date.now() < until && watermark === undefined;
        await new Promise((r) => setTimeout(r, 250))
      ) {
        const d = await handle.describe();
        watermark =
          d.action.type === 'startWorkflow' ? (d.action.args as ReconcileInput[])[0]?.watermarkMs : undefined;
      }
      assert.ok(watermark && watermark > Date.now() - 60_000, `watermark advanced: ${watermark}`);
      // Re-ensuring with another interval updates the schedule in place and keeps the watermark.
      await ensureReconcileSchedule(ctx.stack.client, ctx.stack.taskQueue, { scheduleId, everyMs: 60_000 });
      const d = await handle.describe();
      assert.equal(d.spec.intervals?.[0]?.every, 60_000);
      assert.ok(
        ((d.action.type === 'startWorkflow' ? (d.action.args as ReconcileInput[])[0]?.watermarkMs : 0) ??
          0) >= watermark,
      );
    } finally {
      await handle.delete();
      await noScheduledRunLeft();
    }
  });

  it('a run whose Schedule was deleted meanwhile ends without moving any watermark, not retrying', async () => {
    const advance = createAdvanceWatermark({ temporal: ctx.stack.client } as unknown as SyncDeps);
    assert.equal(
      await advance({ scheduleId: `reconcile-gone-${ctx.stack.taskQueue}`, watermarkMs: Date.now() }),
      false,
    );
  });

  const orgsNamed = async (name: string) =>
    (
      await ctx.stack.zendesk
        .get('organizations/search', { searchParams: { name } })
        .json<{ organizations: Array<{ id: number }> }>()
    ).organizations;

  it('leaves a never-synced record whose only change was unmapped, and syncs a create it missed', async () => {
    const window = await windowFromNow();
    // An account from before the sync ran (older data), never synced: only its Description changes now.
    const old = '2025-03-01T09:00:00.000+0000';
    const oldId = ctx.stack.sf.store.insertSeed(
      'Account',
      { Name: 'Recon Old Untouched' },
      { CreatedDate: old, LastModifiedDate: old },
      new WriteTransaction({ changeOrigin: '', publish: false }),
    );
    await ctx.stack.salesforce
      .sobject('Account')
      .update({ Id: oldId, Description: 'an unmapped field only' });
    // Created while nothing listened: a missed create.
    const newId = (await ctx.stack.salesforce.sobject('Account').create({ Name: 'Recon Missed Create' })).id!;

    const summary = await reconcileOnce(window);
    assert.equal(summary.perObject.Account?.signalled, 1, JSON.stringify(summary));
    assert.equal((await ctx.stack.waitForPasses('Account', newId, 1)).outcome, 'created');
    assert.equal((await orgsNamed('Recon Missed Create')).length, 1);

    await assert.rejects(ctx.stack.state('Account', oldId), WorkflowNotFoundError, 'no workflow was started');
    assert.deepEqual(await orgsNamed('Recon Old Untouched'), []);
    const account = await ctx.stack.salesforce.sobject('Account').retrieve(oldId);
    assert.equal(account.Zendesk_Organization_Id__c, null, 'nothing was written back');
  });

  it('catches a mapped change, not an unmapped one, on a record whose passes failed', async () => {
    ctx.stack.zd.updateSettings({ validatePhoneNumbers: true });
    try {
      const { id } = await ctx.stack.salesforce
        .sobject('Contact')
        .create({ LastName: 'Recon Rejected', Email: 'recon.rejected@example.com', Phone: 'no phone' });
      await ctx.stack.notify('Contact', id!, { source: 'created' });
      const first = await ctx.stack.waitForPasses('Contact', id!, 1);
      assert.deepEqual([first.outcome, first.failure], ['failed', 'ZendeskRejected']);

      await ctx.stack.salesforce.sobject('Contact').update({ Id: id!, Description: 'unmapped' });
      const unmapped = await reconcileOnce({ lookbackMs: 10 * 60_000 });
      assert.equal(unmapped.perObject.Contact?.signalled, 0, JSON.stringify(unmapped));
      assert.equal((await ctx.stack.state('Contact', id!)).passes, 1);

      ctx.stack.zd.updateSettings({ validatePhoneNumbers: false });
      await ctx.stack.salesforce.sobject('Contact').update({ Id: id!, Phone: '+14155550100' });
      const mapped = await reconcileOnce({ lookbackMs: 10 * 60_000 });
      assert.equal(mapped.perObject.Contact?.signalled, 1, JSON.stringify(mapped));
      const second = await ctx.stack.waitForPasses('Contact', id!, 2);
      assert.deepEqual([second.outcome, second.trigger], ['created', 'reconcile']);
    } finally {
      ctx.stack.zd.updateSettings({ validatePhoneNumbers: false });
    }
  });
});
