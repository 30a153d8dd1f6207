import assert from 'node:assert/strict';
import { useStack } from '../helpers/stack';
import { cdcUpdatesOf, eventually, zendeskWritesSince } from './durability-support';
import type { ZendeskOrganization as Org } from '../../activities/zendesk/client';

describe('Record workflow durability: links, unchanged passes, write-back, deleted links, bursts', function () {
  this.timeout(60_000);

  const ctx = useStack();

  const orgs = async (): Promise<Org[]> =>
    (await ctx.stack.zendesk.get('organizations').json<{ organizations: Org[] }>()).organizations;
  const orgsOf = async (accountId: string) => (await orgs()).filter((o) => o.external_id === accountId);
  const account = (id: string) =>
    ctx.stack.salesforce.sobject('Account').retrieve(id) as Promise<Record<string, unknown>>;

  async function syncedAccount(
    name: string,
    industry = 'Technology',
  ): Promise<{ id: string; orgId: number }> {
    const created = await ctx.stack.salesforce.sobject('Account').create({ Name: name, Industry: industry });
    const id = created.id!;
    await ctx.stack.notify('Account', id, { source: 'created' });
    const outcome = await ctx.stack.waitForPasses('Account', id, 1);
    assert.equal(outcome.outcome, 'created', JSON.stringify(outcome));
    return { id, orgId: outcome.zendeskId! };
  }

  it('renames the linked organization instead of creating a second one', async () => {
    const { id, orgId } = await syncedAccount('Rename Before Ltd');
    await ctx.stack.salesforce.sobject('Account').update({ Id: id, Name: 'Rename After Ltd' });
    await ctx.stack.notify('Account', id);
    const outcome = await ctx.stack.waitForPasses('Account', id, 2);

    assert.equal(outcome.outcome, 'updated', JSON.stringify(outcome));
    assert.equal(outcome.zendeskId, orgId);
    const linked = await orgsOf(id);
    assert.deepEqual(
      linked.map((o) => [o.id, o.name]),
      [[orgId, 'Rename After Ltd']],
    );
    assert.equal((await orgs()).filter((o) => o.name === 'Rename Before Ltd').length, 0);
  });

  it('an unmapped field change is a pass without any Zendesk write', async () => {
    const { id } = await syncedAccount('Unmapped Change Inc');
    const since = Date.now();
    await ctx.stack.salesforce
      .sobject('Account')
      .update({ Id: id, Description: 'only the description changed', NumberOfEmployees: 42 });
    await ctx.stack.notify('Account', id);
    const outcome = await ctx.stack.waitForPasses('Account', id, 2);

    assert.equal(outcome.outcome, 'unchanged', JSON.stringify(outcome));
    assert.deepEqual(zendeskWritesSince(ctx.stack, since), []);
  });

  it('writes the Zendesk ID back exactly once across three updates', async () => {
    const { id, orgId } = await syncedAccount('Write Back Once GmbH', 'Banking');
    for (const [i, industry] of ['Energy', 'Retail', 'Media'].entries()) {
      await ctx.stack.salesforce.sobject('Account').update({ Id: id, Industry: industry });
      await ctx.stack.notify('Account', id);
      const outcome = await ctx.stack.waitForPasses('Account', id, i + 2);
      assert.equal(outcome.outcome, 'updated', JSON.stringify(outcome));
    }
    const [org] = await orgsOf(id);
    assert.equal(org?.organization_fields.industry, 'Media');
    assert.equal((await account(id)).Zendesk_Organization_Id__c, String(orgId));
    // Each CDC event lists the fields its transaction changed: the ID field changed in exactly one.
    assert.equal(cdcUpdatesOf(ctx.stack, id, 'Zendesk_Organization_Id__c'), 1);
    assert.equal(cdcUpdatesOf(ctx.stack, id, 'Industry'), 3);
  });

  it('relinks after the organization is deleted in Zendesk: matches an existing one, else creates; the ID is never written back again', async () => {
    const { id, orgId: first } = await syncedAccount('Deleted Link Corp');
    await ctx.stack.zendesk.delete(`organizations/${first}`);
    // Someone recreated an organization with the same name: upsert mode matches it by name.
    const manual = await ctx.stack.zendesk
      .post('organizations', { json: { organization: { name: 'Deleted Link Corp' } } })
      .json<{ organization: Org }>();
    await ctx.stack.salesforce.sobject('Account').update({ Id: id, Industry: 'Energy' });
    await ctx.stack.notify('Account', id);
    const matched = await ctx.stack.waitForPasses('Account', id, 2);
    assert.equal(matched.outcome, 'updated', JSON.stringify(matched));
    assert.equal(matched.zendeskId, manual.organization.id);
    let state = await ctx.stack.state('Account', id);
    assert.equal(state.link?.via, 'matched');
    assert.equal(
      (await account(id)).Zendesk_Organization_Id__c,
      String(first),
      'the write-back happens on the first successful sync only, never again even when re-linked',
    );

    // Deleted again, with nothing to match: a new organization is created.
    await ctx.stack.zendesk.delete(`organizations/${manual.organization.id}`);
    await ctx.stack.salesforce.sobject('Account').update({ Id: id, Industry: 'Retail' });
    await ctx.stack.notify('Account', id);
    const created = await ctx.stack.waitForPasses('Account', id, 3);
    assert.equal(created.outcome, 'created', JSON.stringify(created));
    const linked = await orgsOf(id);
    assert.equal(linked.length, 1);
    assert.equal(linked[0]?.id, created.zendeskId);
    assert.notEqual(created.zendeskId, first);
    state = await ctx.stack.state('Account', id);
    assert.equal(state.link?.zendeskId, created.zendeskId);
    assert.equal(state.writtenBack, true);
    assert.equal((await account(id)).Zendesk_Organization_Id__c, String(first));
    assert.equal(cdcUpdatesOf(ctx.stack, id, 'Zendesk_Organization_Id__c'), 1, 'written back once, ever');
  });

  it('coalesces a burst of 50 changes into far fewer passes that end in the last values', async () => {
    const { id, orgId } = await syncedAccount('Burst 0');
    for (let i = 1; i <= 50; i++) {
      await ctx.stack.salesforce.sobject('Account').update({ Id: id, Name: `Burst ${i}` });
      await ctx.stack.notify('Account', id);
    }
    const state = await eventually('the burst to settle', async () => {
      const s = await ctx.stack.state('Account', id);
      // The last pass may be `unchanged`: an earlier pass already read the final values.
      return !s.pending && !s.running && s.passes > 1 ? s : undefined;
    });
    const linked = await orgsOf(id);
    assert.deepEqual(
      linked.map((o) => [o.id, o.name]),
      [[orgId, 'Burst 50']],
    );
    const burstPasses = state.passes - 1;
    assert.ok(burstPasses >= 1 && burstPasses <= 25, `50 changes took ${burstPasses} passes`);
    const unexpected = state.outcomes.filter((o) => !['created', 'updated', 'unchanged'].includes(o.outcome));
    assert.deepEqual(unexpected, []);
  });
});
