import assert from 'node:assert/strict';
import { recordWorkflowId, type SyncRecordInput } from '../../workflows/sync-types';
import { useStack } from '../helpers/stack';
import { cdcUpdatesOf, eventually, historyOf, notifyTuned, zendeskWritesSince } from './durability-support';
import type { ZendeskOrganization as Org } from '../../activities/zendesk/client';

describe('Record workflow continue-as-new', function () {
  this.timeout(60_000);

  const ctx = useStack(
    {},
    {
      beforeClose: async () => {
        ctx.stack.zd.faults.reset();
      },
    },
  );

  const runInput = async (id: string): Promise<SyncRecordInput> => {
    const [started] = await historyOf(ctx.stack.client, 'Account', id);
    const payload = started?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
    assert.ok(payload, 'the run has an input');
    return JSON.parse(Buffer.from(payload).toString('utf8')) as SyncRecordInput;
  };
  const runId = async (id: string) =>
    (await ctx.stack.client.workflow.getHandle(recordWorkflowId('Account', id)).describe()).runId;

  it('carries link, write-back, fingerprint and a pending change across runs', async () => {
    const { id } = await ctx.stack.salesforce
      .sobject('Account')
      .create({ Name: 'Long Lived Ltd', Industry: 'Energy' });
    const accountId = id!;
    await notifyTuned(ctx.stack, 'Account', accountId, { passesPerRun: 2 }, { source: 'created' });
    const first = await ctx.stack.waitForPasses('Account', accountId, 1);
    assert.equal(first.outcome, 'created');
    const run1 = await runId(accountId);
    const before = await ctx.stack.state('Account', accountId);

    // Pass 2 reaches the limit: the workflow continues as new.
    await ctx.stack.salesforce.sobject('Account').update({ Id: accountId, Industry: 'Retail' });
    await ctx.stack.notify('Account', accountId);
    await ctx.stack.waitForPasses('Account', accountId, 2);
    const run2 = await eventually('a new run', async () =>
      (await runId(accountId)) !== run1 ? runId(accountId) : undefined,
    );
    const after = await ctx.stack.state('Account', accountId);
    assert.equal(after.link?.zendeskId, before.link?.zendeskId);
    assert.equal(after.writtenBack, true);
    assert.ok(
      after.fingerprint && after.fingerprint !== before.fingerprint,
      'the fingerprint of pass 2 was kept',
    );
    assert.equal(after.outcomes.length, 2, 'outcomes survive');
    assert.deepEqual((await runInput(accountId)).tuning, { passesPerRun: 2 }, 'tuning is carried over');

    // Pass 3, in the new run: nothing changed, so the kept fingerprint makes it a no-write pass.
    const since = Date.now();
    await ctx.stack.notify('Account', accountId);
    assert.equal((await ctx.stack.waitForPasses('Account', accountId, 3)).outcome, 'unchanged');
    assert.deepEqual(zendeskWritesSince(ctx.stack, since), []);

    // Pass 4 is slow; a change arriving during it is pending when the run continues as new.
    ctx.stack.zd.faults.update({ latencyMs: 400 });
    await ctx.stack.salesforce.sobject('Account').update({ Id: accountId, Name: 'Long Lived Two' });
    const since4 = Date.now();
    await ctx.stack.notify('Account', accountId);
    // Wait until pass 4 has read the record (its SOQL query reached Salesforce), so the next change
    // really arrives during the pass and not before its read.
    const readsOf = () =>
      ctx.stack.sf.log
        .entries()
        .filter((e) => e.method === 'GET' && e.path.endsWith('/query') && e.at >= since4).length;
    await eventually('pass 4 to read the record', async () =>
      (await ctx.stack.state('Account', accountId)).running && readsOf() > 0 ? true : undefined,
    );
    await ctx.stack.salesforce.sobject('Account').update({ Id: accountId, Name: 'Long Lived Three' });
    await ctx.stack.notify('Account', accountId);
    const during = await ctx.stack.state('Account', accountId);
    assert.equal(during.passes, 3, 'the second change arrived during pass 4');
    assert.ok(during.pending, 'and waits as pending');

    const last = await ctx.stack.waitForPasses('Account', accountId, 5);
    assert.equal(last.outcome, 'updated', JSON.stringify(last));
    const run3 = await runId(accountId);
    assert.ok(run3 !== run2 && run3 !== run1, 'a third run');
    assert.ok((await runInput(accountId)).pending, 'the third run started with the pending change as input');
    ctx.stack.zd.faults.reset();
    const org = await ctx.stack.zendesk
      .get(`organizations/${after.link!.zendeskId}`)
      .json<{ organization: Org }>();
    assert.equal(org.organization.name, 'Long Lived Three');
    assert.equal(
      cdcUpdatesOf(ctx.stack, accountId, 'Zendesk_Organization_Id__c'),
      1,
      'written back once across three runs',
    );
  });
});
