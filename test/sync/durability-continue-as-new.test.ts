import assert from 'node:assert/strict';
import { recordWorkflowId, type SyncRecordInput } from '../../workflows/sync-types';
import { startStack, type Stack } from '../helpers/stack';
import { cdcUpdatesOf, eventually, historyOf, notifyTuned, zendeskWritesSince } from './durability-support';
import type { ZendeskOrganization as Org } from '../../activities/zendesk/client';

describe('Record workflow continue-as-new', function () {
  this.timeout(60_000);
  let stack: Stack;

  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    stack.zd.faults.reset();
    await stack?.close();
  });

  const runInput = async (id: string): Promise<SyncRecordInput> => {
    const [started] = await historyOf(stack.client, 'Account', id);
    const payload = started?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
    assert.ok(payload, 'the run has an input');
    return JSON.parse(Buffer.from(payload).toString('utf8')) as SyncRecordInput;
  };
  const runId = async (id: string) =>
    (await stack.client.workflow.getHandle(recordWorkflowId('Account', id)).describe()).runId;

  it('carries link, write-back, fingerprint and a pending change across runs', async () => {
    const { id } = await stack.salesforce
      .sobject('Account')
      .create({ Name: 'Long Lived Ltd', Industry: 'Energy' });
    const accountId = id!;
    await notifyTuned(stack, 'Account', accountId, { passesPerRun: 2 }, { source: 'created' });
    const first = await stack.waitForPasses('Account', accountId, 1);
    assert.equal(first.outcome, 'created');
    const run1 = await runId(accountId);
    const before = await stack.state('Account', accountId);

    // Pass 2 reaches the limit: the workflow continues as new.
    await stack.salesforce.sobject('Account').update({ Id: accountId, Industry: 'Retail' });
    await stack.notify('Account', accountId);
    await stack.waitForPasses('Account', accountId, 2);
    const run2 = await eventually('a new run', async () =>
      (await runId(accountId)) !== run1 ? runId(accountId) : undefined,
    );
    const after = await stack.state('Account', accountId);
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
    await stack.notify('Account', accountId);
    assert.equal((await stack.waitForPasses('Account', accountId, 3)).outcome, 'unchanged');
    assert.deepEqual(zendeskWritesSince(stack, since), []);

    // Pass 4 is slow; a change arriving during it is pending when the run continues as new.
    stack.zd.faults.update({ latencyMs: 400 });
    await stack.salesforce.sobject('Account').update({ Id: accountId, Name: 'Long Lived Two' });
    const since4 = Date.now();
    await stack.notify('Account', accountId);
    // Wait until pass 4 has read the record (its SOQL query reached Salesforce), so the next change
    // really arrives during the pass and not before its read.
    const readsOf = () =>
      stack.sf.log.entries().filter((e) => e.method === 'GET' && e.path.endsWith('/query') && e.at >= since4)
        .length;
    await eventually('pass 4 to read the record', async () =>
      (await stack.state('Account', accountId)).running && readsOf() > 0 ? true : undefined,
    );
    await stack.salesforce.sobject('Account').update({ Id: accountId, Name: 'Long Lived Three' });
    await stack.notify('Account', accountId);
    const during = await stack.state('Account', accountId);
    assert.equal(during.passes, 3, 'the second change arrived during pass 4');
    assert.ok(during.pending, 'and waits as pending');

    const last = await stack.waitForPasses('Account', accountId, 5);
    assert.equal(last.outcome, 'updated', JSON.stringify(last));
    const run3 = await runId(accountId);
    assert.ok(run3 !== run2 && run3 !== run1, 'a third run');
    assert.ok((await runInput(accountId)).pending, 'the third run started with the pending change as input');
    stack.zd.faults.reset();
    const org = await stack.zendesk
      .get(`organizations/${after.link!.zendeskId}`)
      .json<{ organization: Org }>();
    assert.equal(org.organization.name, 'Long Lived Three');
    assert.equal(
      cdcUpdatesOf(stack, accountId, 'Zendesk_Organization_Id__c'),
      1,
      'written back once across three runs',
    );
  });
});
