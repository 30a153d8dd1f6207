import assert from 'node:assert/strict';
import { resyncSignal } from '../../workflows/record-messages';
import { recordWorkflowId } from '../../workflows/sync-types';
import { useStack } from '../helpers/stack';
import type { ZendeskOrganization as Org } from '../../activities/zendesk/client';

describe('Account → Organization sync (end to end)', function () {
  this.timeout(60_000);

  const ctx = useStack();

  const orgs = async (): Promise<Org[]> =>
    (await ctx.stack.zendesk.get('organizations').json<{ organizations: Org[] }>()).organizations;

  it('creates the organization, links it, sets external_id and writes the ID back once', async () => {
    const created = await ctx.stack.salesforce
      .sobject('Account')
      .create({ Name: 'Acme Rockets', Industry: 'Technology', Segment__c: 'Enterprise;Public_Sector' });
    const id = created.id!;
    await ctx.stack.notify('Account', id, { source: 'created' });
    const outcome = await ctx.stack.waitForPasses('Account', id, 1);
    assert.equal(outcome.outcome, 'created', JSON.stringify(outcome));

    const [org] = (await orgs()).filter((o) => o.name === 'Acme Rockets');
    assert.ok(org, 'organization exists');
    assert.equal(org.external_id, id);
    assert.equal(org.organization_fields.industry, 'Technology');
    assert.deepEqual([...org.tags].sort(), ['enterprise', 'public_sector']);
    assert.equal(outcome.zendeskId, org.id);

    const account = await ctx.stack.salesforce.sobject('Account').retrieve(id);
    assert.equal(account.Zendesk_Organization_Id__c, String(org.id));
    const state = await ctx.stack.state('Account', id);
    assert.deepEqual(state.link?.zendeskId, org.id);
    assert.equal(state.writtenBack, true);
  });

  it('a resync signal forces a full pass even when nothing changed', async () => {
    const { id } = await ctx.stack.salesforce
      .sobject('Account')
      .create({ Name: 'Resync Me Inc', Industry: 'Banking' });
    await ctx.stack.notify('Account', id!, { source: 'created' });
    assert.equal((await ctx.stack.waitForPasses('Account', id!, 1)).outcome, 'created');
    await ctx.stack.notify('Account', id!);
    assert.equal((await ctx.stack.waitForPasses('Account', id!, 2)).outcome, 'unchanged');

    ctx.stack.zd.log.reset();
    await ctx.stack.client.workflow.getHandle(recordWorkflowId('Account', id!)).signal(resyncSignal);
    const forced = await ctx.stack.waitForPasses('Account', id!, 3);
    assert.equal(forced.outcome, 'updated');
    assert.equal(forced.trigger, 'resync');
    assert.equal(
      ctx.stack.zd.log.summary().byEndpoint['PUT /api/v2/organizations/:organization_id'],
      1,
      'Zendesk was written',
    );
  });
});
