// Writing the Zendesk ID back to a standard field every org has (Account.AccountNumber, 40 characters), as
// a real org's administrator would configure it: accepted at worker start-up, where the configuration is
// checked against the org's describe, and used by the sync.
import assert from 'node:assert/strict';
import type { ZendeskOrganization as Org } from '../../activities/zendesk/client';
import { syncConfig } from '../fixtures/sync-config';
import { useStack } from '../helpers/stack';

describe('Zendesk ID written back to Account.AccountNumber (end to end)', function () {
  this.timeout(60_000);
  // The stack builds the worker's dependencies the way worker start-up does: it throws on a config the
  // live schemas refuse.
  const ctx = useStack({ config: syncConfig({ accounts: { syncedIdField: 'AccountNumber' } }) });

  it('fills AccountNumber with the organization id once, and a later pass leaves it alone', async () => {
    const id = (
      await ctx.stack.salesforce
        .sobject('Account')
        .create({ Name: 'Numbered Corp', Type: 'Customer - Direct' })
    ).id!;
    await ctx.stack.notify('Account', id, { source: 'created' });
    const first = await ctx.stack.waitForPasses('Account', id, 1);
    assert.equal(first.outcome, 'created', JSON.stringify(first));
    const orgs = (await ctx.stack.zendesk.get('organizations').json<{ organizations: Org[] }>())
      .organizations;
    const org = orgs.find((o) => o.name === 'Numbered Corp');
    assert.ok(org);
    const account = await ctx.stack.salesforce.sobject('Account').retrieve(id);
    assert.equal(account.AccountNumber, String(org.id));
    assert.equal(account.Zendesk_Organization_Id__c, null);
    assert.equal((await ctx.stack.state('Account', id)).writtenBack, true);

    await ctx.stack.salesforce.sobject('Account').update({ Id: id, Industry: 'Machinery' });
    await ctx.stack.notify('Account', id);
    assert.equal((await ctx.stack.waitForPasses('Account', id, 2)).outcome, 'updated');
    const writes = ctx.stack.sf.log.summary().byEndpoint['PATCH /services/data/:version/sobjects/:type/:id'];
    assert.equal(writes, 2, 'one write-back (the test made the other PATCH)');
  });
});
