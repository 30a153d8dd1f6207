/**
 * Salesforce person accounts (issue #15, item 7): "Salesforce Person accounts are imported as Zendesk
 * Organizations" (the seed). A person account goes through the normal Account path, its Name being the
 * compound of the person's name parts; its hidden contact does not become a Zendesk user.
 */
import assert from 'node:assert/strict';
import type { ZendeskOrganization as Org } from '../../activities/zendesk/client';
import type { reconcile } from '../../workflows/reconcile';
import { startStack, type Stack } from '../helpers/stack';

describe('Person accounts sync as organizations (end to end)', function () {
  this.timeout(60_000);
  let stack: Stack;
  let personTypeId: string;

  before(async () => {
    stack = await startStack({ personAccounts: true });
    const types = await stack.salesforce.query<{ Id: string }>(
      "SELECT Id FROM RecordType WHERE IsPersonType = true AND SobjectType = 'Account'",
    );
    personTypeId = types.records[0]!.Id;
  });
  after(async () => {
    await stack?.close();
  });

  const org = async (id: number): Promise<Org> =>
    (await stack.zendesk.get(`organizations/${id}`).json<{ organization: Org }>()).organization;
  const userCount = async (): Promise<number> =>
    (await stack.zendesk.get('users').json<{ count: number }>()).count;

  it('creates an organization named after the person, links it and writes the ID back', async () => {
    const id = (
      await stack.salesforce.sobject('Account').create({
        RecordTypeId: personTypeId,
        FirstName: 'Ada',
        LastName: 'Lovelace',
        PersonEmail: 'ada@lovelace.example',
        Industry: 'Technology',
      })
    ).id!;
    const account = (await stack.salesforce.sobject('Account').retrieve(id)) as unknown as Record<
      string,
      unknown
    >;
    assert.equal(account.IsPersonAccount, true);
    await stack.notify('Account', id, { source: 'created' });
    const outcome = await stack.waitForPasses('Account', id, 1);
    assert.equal(outcome.outcome, 'created', JSON.stringify(outcome));
    const created = await org(outcome.zendeskId!);
    assert.equal(created.name, 'Ada Lovelace');
    assert.equal(created.external_id, id);
    assert.equal(created.organization_fields.industry, 'Technology');
    const after = await stack.salesforce.sobject('Account').retrieve(id);
    assert.equal(after.Zendesk_Organization_Id__c, String(created.id));

    // A change to a name part is a change to the mapped Name (CDC: Name.LastName).
    await stack.salesforce.sobject('Account').update({ Id: id, LastName: 'King' });
    await stack.notify('Account', id, { source: 'cdc', changedFields: ['Name.LastName'] });
    const renamed = await stack.waitForPasses('Account', id, 2);
    assert.equal(renamed.outcome, 'updated', JSON.stringify(renamed));
    assert.equal((await org(created.id)).name, 'Ada King');
  });

  it("leaves the person account's own contact out of the users sync", async () => {
    const id = (
      await stack.salesforce.sobject('Account').create({
        RecordTypeId: personTypeId,
        FirstName: 'Grace',
        LastName: 'Hopper',
        PersonEmail: 'grace@hopper.example',
      })
    ).id!;
    const { PersonContactId } = (await stack.salesforce.sobject('Account').retrieve(id)) as unknown as {
      PersonContactId: string;
    };
    const users = await userCount();
    await stack.notify('Contact', PersonContactId, { source: 'created' });
    const outcome = await stack.waitForPasses('Contact', PersonContactId, 1);
    assert.equal(outcome.outcome, 'filtered-out', JSON.stringify(outcome));
    assert.match(outcome.message ?? '', /person account/);
    assert.equal(await userCount(), users, 'no Zendesk user');

    // A business account's contact in the same org still syncs as a user.
    const business = (await stack.salesforce.sobject('Account').create({ Name: 'Hopper Labs' })).id!;
    const contact = (
      await stack.salesforce
        .sobject('Contact')
        .create({ AccountId: business, LastName: 'Lab', Email: 'lab@hopper.example' })
    ).id!;
    await stack.notify('Contact', contact, { source: 'created' });
    assert.equal((await stack.waitForPasses('Contact', contact, 1)).outcome, 'created');

    // Reconciliation does not bring person contacts back either (both persons' contacts are in its window).
    const summary = await stack.client.workflow.execute<typeof reconcile>('reconcile', {
      taskQueue: stack.taskQueue,
      workflowId: `reconcile-person-accounts-${stack.taskQueue}`,
      args: [{ lookbackMs: 10 * 60_000 }],
    });
    assert.ok((summary.perObject.Contact?.scanned ?? 0) >= 3, JSON.stringify(summary));
    assert.equal(summary.perObject.Contact?.signalled, 0, JSON.stringify(summary));
  });
});
