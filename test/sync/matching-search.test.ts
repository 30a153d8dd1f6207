/**
 * Matching on fields only Zendesk's Search API can find (issue #15), on the real stack: accounts matched
 * on a custom organization field (Website -> organization_fields.website) while two accounts share a
 * Name; every search candidate is checked for the exact value; two exact candidates are a visible
 * MultipleMatches; a `*` in the value matches nothing else; the search index lag does not duplicate
 * (the match-value claim, workflows/match-claim.ts); an email search hit the user no longer holds is
 * not linked.
 */
import assert from 'node:assert/strict';
import { syncConfig } from '../fixtures/sync-config';
import { DEFAULT_ORG_FIELDS, startStack, type Stack } from '../helpers/stack';
import type { ZendeskOrganization as Org, ZendeskUser as User } from '../../activities/zendesk/client';

describe('Matching through Zendesk search (end to end)', function () {
  this.timeout(180_000);
  let stack: Stack;

  before(async () => {
    // Accounts share Names: they are matched on the website, and the account site fills the unique name.
    const config = syncConfig({
      accounts: {
        match: { salesforce: 'Website', zendesk: 'organization_fields.website' },
        fields: [
          { salesforce: 'Site', zendesk: 'name' },
          { salesforce: 'Website', zendesk: 'organization_fields.website' },
        ],
      },
    });
    stack = await startStack({
      config,
      organizationFields: [...DEFAULT_ORG_FIELDS, { key: 'website', type: 'text', title: 'Website' }],
    });
  });
  after(async () => {
    await stack?.close();
  });
  afterEach(() => {
    stack.zd.updateSettings({ searchIndexDelayMs: 0 });
  });

  const createOrg = async (name: string, website: string): Promise<Org> =>
    (
      await stack.zendesk
        .post('organizations', { json: { organization: { name, organization_fields: { website } } } })
        .json<{ organization: Org }>()
    ).organization;
  const org = async (id: number): Promise<Org> =>
    (await stack.zendesk.get(`organizations/${id}`).json<{ organization: Org }>()).organization;
  const orgCount = async (): Promise<number> =>
    (await stack.zendesk.get('organizations').json<{ count: number }>()).count;

  async function syncAccount(values: Record<string, unknown>) {
    const id = (await stack.salesforce.sobject('Account').create(values)).id!;
    await stack.notify('Account', id, { source: 'created' });
    return { id, outcome: await stack.waitForPasses('Account', id, 1) };
  }

  it('links two accounts sharing a Name each to the organization holding its exact website', async () => {
    const berlin = await createOrg('Globex Berlin (legacy)', 'globex.de');
    const paris = await createOrg('Globex Paris (legacy)', 'globex.fr');
    // Found by the search phrase "globex.de" (same words), but not the exact value: never linked.
    const partner = await createOrg('Globex DE Partner', 'globex.de partner');
    const before = await orgCount();

    const a = await syncAccount({ Name: 'Globex', Site: 'Globex Berlin', Website: 'globex.de' });
    const b = await syncAccount({ Name: 'Globex', Site: 'Globex Paris', Website: 'GLOBEX.fr' });

    assert.deepEqual([a.outcome.outcome, a.outcome.zendeskId], ['updated', berlin.id], JSON.stringify(a));
    assert.deepEqual([b.outcome.outcome, b.outcome.zendeskId], ['updated', paris.id], JSON.stringify(b));
    assert.equal((await org(berlin.id)).name, 'Globex Berlin');
    assert.equal((await org(paris.id)).name, 'Globex Paris');
    assert.equal((await org(partner.id)).name, 'Globex DE Partner', 'the near miss is untouched');
    assert.equal(await orgCount(), before, 'nothing created');
    assert.equal((await stack.state('Account', a.id)).link?.via, 'matched');
  });

  it('fails visibly with MultipleMatches naming both organizations that hold the same value', async () => {
    const one = await createOrg('Initech One', 'initech.example');
    const two = await createOrg('Initech Two', 'INITECH.example');
    const before = await orgCount();
    const { id, outcome } = await syncAccount({
      Name: 'Initech',
      Site: 'Initech',
      Website: 'initech.example',
    });
    assert.equal(outcome.outcome, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.failure, 'MultipleMatches');
    assert.match(outcome.message ?? '', new RegExp(`organization_fields\\.website: ${one.id}, ${two.id}`));
    assert.deepEqual(outcome.details, { candidateIds: [one.id, two.id] });
    assert.doesNotMatch(outcome.message ?? '', /initech\.example/, 'the value stays out of the message');
    assert.equal(await orgCount(), before, 'nothing created');
    assert.equal((await stack.state('Account', id)).link, undefined);
    assert.equal((await org(one.id)).name, 'Initech One');
  });

  it('does not let a * in the value match other organizations: it creates', async () => {
    const wide = await createOrg('Hooli Wide', 'hooli-one.example');
    const { outcome } = await syncAccount({ Name: 'Hooli', Site: 'Hooli Star', Website: 'hooli*' });
    assert.equal(outcome.outcome, 'created', JSON.stringify(outcome));
    assert.notEqual(outcome.zendeskId, wide.id);
    const created = await org(outcome.zendeskId!);
    assert.equal(created.organization_fields.website, 'hooli*');
    assert.equal((await org(wide.id)).name, 'Hooli Wide');
  });

  it('under search index lag, a second account with the same value links to the first one’s new organization', async () => {
    stack.zd.updateSettings({ searchIndexDelayMs: 10 * 60_000 });
    const before = await orgCount();
    const first = await syncAccount({ Name: 'Umbrella', Site: 'Umbrella Corp', Website: 'umbrella.example' });
    assert.equal(first.outcome.outcome, 'created', JSON.stringify(first.outcome));
    // Zendesk search does not show the new organization yet…
    const found = await stack.zendesk
      .get('search', { searchParams: { query: 'type:organization website:"umbrella.example"' } })
      .json<{ count: number }>();
    assert.equal(found.count, 0, 'the index lags');
    // …yet the second account with the same website links to it instead of creating a duplicate.
    const second = await syncAccount({
      Name: 'Umbrella',
      Site: 'Umbrella Corp',
      Website: 'umbrella.example',
    });
    assert.equal(second.outcome.outcome, 'updated', JSON.stringify(second.outcome));
    assert.equal(second.outcome.zendeskId, first.outcome.zendeskId);
    assert.equal((await stack.state('Account', second.id)).link?.via, 'matched');
    assert.equal(await orgCount(), before + 1, 'one organization for the two accounts');
  });

  it('under search index lag, two accounts with one value syncing at once make one organization', async () => {
    stack.zd.updateSettings({ searchIndexDelayMs: 10 * 60_000 });
    const before = await orgCount();
    const values = { Name: 'Soylent', Site: 'Soylent Corp', Website: 'soylent.example' };
    const ids = await Promise.all(
      [1, 2].map(async () => (await stack.salesforce.sobject('Account').create(values)).id!),
    );
    await Promise.all(ids.map((id) => stack.notify('Account', id, { source: 'created' })));
    // The one that finds the value claimed while the other is still creating retries (30 s) and links.
    const outcomes = await Promise.all(ids.map((id) => stack.waitForPasses('Account', id, 1, 100_000)));
    assert.deepEqual(outcomes.map((o) => o.outcome).sort(), ['created', 'updated'], JSON.stringify(outcomes));
    assert.equal(outcomes[0]?.zendeskId, outcomes[1]?.zendeskId);
    assert.equal(await orgCount(), before + 1, 'one organization for the two accounts');
  });

  it('creates a user when the email search hit no longer holds the email (stale index), never links it', async () => {
    const user = (
      await stack.zendesk
        .post('users', {
          json: { user: { name: 'Sam Old', email: 'sam.stale@example.test' }, skip_verify_email: true },
        })
        .json<{ user: User }>()
    ).user;
    // The index lags from now: search keeps returning the user for the address it gives up below.
    stack.zd.updateSettings({ searchIndexDelayMs: 10 * 60_000 });
    const added = await stack.zendesk
      .post(`users/${user.id}/identities`, {
        json: { identity: { type: 'email', value: 'sam.new@example.test' } },
      })
      .json<{ identity: { id: number } }>();
    await stack.zendesk.put(`users/${user.id}/identities/${added.identity.id}/make_primary`);
    const identities = (
      await stack.zendesk
        .get(`users/${user.id}/identities`)
        .json<{ identities: Array<{ id: number; value: string }> }>()
    ).identities;
    const old = identities.find((i) => i.value === 'sam.stale@example.test')!;
    await stack.zendesk.delete(`users/${user.id}/identities/${old.id}`);
    const hits = await stack.zendesk
      .get('users/search', { searchParams: { query: 'email:"sam.stale@example.test"' } })
      .json<{ users: User[] }>();
    assert.deepEqual(
      hits.users.map((u) => u.id),
      [user.id],
      'search still proposes the user for the address it no longer holds',
    );

    const id = (
      await stack.salesforce
        .sobject('Contact')
        .create({ FirstName: 'Sam', LastName: 'Stale', Email: 'sam.stale@example.test' })
    ).id!;
    await stack.notify('Contact', id, { source: 'created' });
    const outcome = await stack.waitForPasses('Contact', id, 1);
    assert.equal(outcome.outcome, 'created', JSON.stringify(outcome));
    assert.notEqual(outcome.zendeskId, user.id);
    const untouched = (await stack.zendesk.get(`users/${user.id}`).json<{ user: User }>()).user;
    assert.equal(untouched.name, 'Sam Old', 'the stale hit was not written');
  });
});
