// Writing the Zendesk ID back to a standard field every org has (Account.AccountNumber, 40 characters), as
// a real org's administrator would configure it: accepted at worker start-up, where the configuration is
// checked against the org's describe, and used by the sync.
import assert from 'node:assert/strict';
import type { ZendeskOrganization as Org } from '../../activities/zendesk/client';
import { syncConfig } from '../fixtures/sync-config';
import { startStack, type Stack } from '../helpers/stack';

describe('Zendesk ID written back to Account.AccountNumber (end to end)', function () {
  this.timeout(60_000);
  let stack: Stack;

  before(async () => {
    const config = syncConfig({ accounts: { syncedIdField: 'AccountNumber' } });
    // startStack builds the worker's dependencies the way worker start-up does: it throws on a config the
    // live schemas refuse.
    stack = await startStack({ config });
  });
  after(async () => {
    await stack?.close();
  });

  it('fills AccountNumber with the organization id once, and a later pass leaves it alone', async () => {
    const id = (
      await stack.salesforce.sobject('Account').create({ Name: 'Numbered Corp', Type: 'Customer - Direct' })
    ).id!;
    await stack.notify('Account', id, { source: 'created' });
    const first = await stack.waitForPasses('Account', id, 1);
    assert.equal(first.outcome, 'created', JSON.stringify(first));
    const orgs = (await stack.zendesk.get('organizations').json<{ organizations: Org[] }>()).organizations;
    const org = orgs.find((o) => o.name === 'Numbered Corp');
    assert.ok(org);
    const account = await stack.salesforce.sobject('Account').retrieve(id);
    assert.equal(account.AccountNumber, String(org.id));
    assert.equal(account.Zendesk_Organization_Id__c, null);
    assert.equal((await stack.state('Account', id)).writtenBack, true);

    await stack.salesforce.sobject('Account').update({ Id: id, Industry: 'Machinery' });
    await stack.notify('Account', id);
    assert.equal((await stack.waitForPasses('Account', id, 2)).outcome, 'updated');
    const writes = stack.sf.log.summary().byEndpoint['PATCH /services/data/:version/sobjects/:type/:id'];
    assert.equal(writes, 2, 'one write-back (the test made the other PATCH)');
  });
});
