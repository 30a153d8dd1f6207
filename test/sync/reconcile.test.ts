import assert from 'node:assert/strict';
import { WorkflowNotFoundError } from '@temporalio/client';
import { createAdvanceWatermark } from '../../activities/reconcile/watermark';
import type { SyncDeps } from '../../activities/sync/deps';
import { ensureReconcileSchedule } from '../../client/reconcile-schedule';
import { WriteTransaction } from '../../sandbox/salesforce/store';
import type { reconcile } from '../../workflows/reconcile';
import type { ReconcileInput } from '../../workflows/reconcile-types';
import { startStack, type Stack } from '../helpers/stack';

describe('reconciliation (end to end, no change stream running)', function () {
  this.timeout(90_000);
  let stack: Stack;
  let ids: string[];
  let run = 0;

  const reconcileOnce = (input: ReconcileInput) =>
    stack.client.workflow.execute<typeof reconcile>('reconcile', {
      taskQueue: stack.taskQueue,
      workflowId: `reconcile-test-${stack.taskQueue}-${++run}`,
      args: [input],
    });

  before(async () => {
    stack = await startStack();
    ids = [];
    for (const Name of ['Recon Alpha', 'Recon Beta', 'Recon Gamma'])
      ids.push((await stack.salesforce.sobject('Account').create({ Name })).id!);
  });
  after(async () => {
    await stack?.close();
  });

  it('syncs records changed while nothing listened, page by page', async () => {
    const summary = await reconcileOnce({ lookbackMs: 10 * 60_000, pageSize: 2 });
    assert.deepEqual(summary.perObject.Account, { scanned: 3, signalled: 3 });
    for (const id of ids) assert.equal((await stack.waitForPasses('Account', id, 1)).outcome, 'created');
  });

  it('signals nothing when the mapped values match what was synced', async () => {
    const summary = await reconcileOnce({ lookbackMs: 10 * 60_000 });
    assert.equal(summary.perObject.Account?.signalled, 0);
    assert.ok(summary.perObject.Account.scanned >= 3);
  });

  it('signals only the record whose mapped value changed', async () => {
    await stack.salesforce.sobject('Account').update({ Id: ids[0]!, Name: 'Recon Alpha Renamed' });
    await stack.salesforce.sobject('Account').update({ Id: ids[1]!, NumberOfEmployees: 42 }); // not mapped
    const summary = await reconcileOnce({ lookbackMs: 10 * 60_000 });
    assert.equal(summary.perObject.Account?.signalled, 1);
    const outcome = await stack.waitForPasses('Account', ids[0]!, 2);
    assert.equal(outcome.outcome, 'updated');
    assert.equal(outcome.trigger, 'reconcile');
    const orgs = (
      await stack.zendesk
        .get('organizations/search', { searchParams: { external_id: ids[0] } })
        .json<{ organizations: Array<{ name: string }> }>()
    ).organizations;
    assert.deepEqual(
      orgs.map((o) => o.name),
      ['Recon Alpha Renamed'],
    );
  });

  it('runs on a Schedule that moves its watermark forward after each complete run', async () => {
    const scheduleId = `reconcile-${stack.taskQueue}`;
    await ensureReconcileSchedule(stack.client, stack.taskQueue, { scheduleId, everyMs: 1_000 });
    const handle = stack.client.schedule.getHandle(scheduleId);
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
      await ensureReconcileSchedule(stack.client, stack.taskQueue, { scheduleId, everyMs: 60_000 });
      const d = await handle.describe();
      assert.equal(d.spec.intervals?.[0]?.every, 60_000);
      assert.ok(
        ((d.action.type === 'startWorkflow' ? (d.action.args as ReconcileInput[])[0]?.watermarkMs : 0) ??
          0) >= watermark,
      );
    } finally {
      await handle.delete();
    }
  });

  it('a run whose Schedule was deleted meanwhile ends without moving any watermark, not retrying', async () => {
    const advance = createAdvanceWatermark({ temporal: stack.client } as unknown as SyncDeps);
    assert.equal(
      await advance({ scheduleId: `reconcile-gone-${stack.taskQueue}`, watermarkMs: Date.now() }),
      false,
    );
  });

  /**
   * The Schedule of the test above may have started a run just before it was deleted. That run is not
   * what the next tests check, and on a loaded machine it can outlast any wait: stop it, so it cannot
   * signal the records they create.
   */
  async function noScheduledRunLeft(): Promise<void> {
    const query = `WorkflowType = "reconcile" AND ExecutionStatus = "Running" AND TaskQueue = "${stack.taskQueue}"`;
    for await (const wf of stack.client.workflow.list({ query })) {
      if (!wf.workflowId.startsWith(`reconcile-${stack.taskQueue}`)) continue;
      await stack.client.workflow
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
      if ((await stack.client.workflow.count(query)).count === 0) return;
    }
    assert.fail('a scheduled reconcile run is still running');
  }

  const orgsNamed = async (name: string) =>
    (
      await stack.zendesk
        .get('organizations/search', { searchParams: { name } })
        .json<{ organizations: Array<{ id: number }> }>()
    ).organizations;

  it('leaves a never-synced record whose only change was unmapped, and syncs a create it missed', async () => {
    await noScheduledRunLeft();
    // An account from before the sync ran (older data), never synced: only its Description changes now.
    const old = '2025-03-01T09:00:00.000+0000';
    const oldId = stack.sf.store.insertSeed(
      'Account',
      { Name: 'Recon Old Untouched' },
      { CreatedDate: old, LastModifiedDate: old },
      new WriteTransaction({ changeOrigin: '', publish: false }),
    );
    await stack.salesforce.sobject('Account').update({ Id: oldId, Description: 'an unmapped field only' });
    // Created while nothing listened: a missed create.
    const newId = (await stack.salesforce.sobject('Account').create({ Name: 'Recon Missed Create' })).id!;

    const summary = await reconcileOnce({ lookbackMs: 10 * 60_000 });
    assert.equal(summary.perObject.Account?.signalled, 1, JSON.stringify(summary));
    assert.equal((await stack.waitForPasses('Account', newId, 1)).outcome, 'created');
    assert.equal((await orgsNamed('Recon Missed Create')).length, 1);

    await assert.rejects(stack.state('Account', oldId), WorkflowNotFoundError, 'no workflow was started');
    assert.deepEqual(await orgsNamed('Recon Old Untouched'), []);
    const account = await stack.salesforce.sobject('Account').retrieve(oldId);
    assert.equal(account.Zendesk_Organization_Id__c, null, 'nothing was written back');
  });

  it('catches a mapped change, not an unmapped one, on a record whose passes failed', async () => {
    stack.zd.updateSettings({ validatePhoneNumbers: true });
    try {
      const { id } = await stack.salesforce
        .sobject('Contact')
        .create({ LastName: 'Recon Rejected', Email: 'recon.rejected@example.com', Phone: 'no phone' });
      await stack.notify('Contact', id!, { source: 'created' });
      const first = await stack.waitForPasses('Contact', id!, 1);
      assert.deepEqual([first.outcome, first.failure], ['failed', 'ZendeskRejected']);

      await stack.salesforce.sobject('Contact').update({ Id: id!, Description: 'unmapped' });
      const unmapped = await reconcileOnce({ lookbackMs: 10 * 60_000 });
      assert.equal(unmapped.perObject.Contact?.signalled, 0, JSON.stringify(unmapped));
      assert.equal((await stack.state('Contact', id!)).passes, 1);

      stack.zd.updateSettings({ validatePhoneNumbers: false });
      await stack.salesforce.sobject('Contact').update({ Id: id!, Phone: '+14155550100' });
      const mapped = await reconcileOnce({ lookbackMs: 10 * 60_000 });
      assert.equal(mapped.perObject.Contact?.signalled, 1, JSON.stringify(mapped));
      const second = await stack.waitForPasses('Contact', id!, 2);
      assert.deepEqual([second.outcome, second.trigger], ['created', 'reconcile']);
    } finally {
      stack.zd.updateSettings({ validatePhoneNumbers: false });
    }
  });
});
