/**
 * Zendesk's multiple-organizations sync (issue 15, item 4), end to end with `users.multipleOrganizations`
 * and `users.secondaryRelationships` on and Zendesk's setting on: contacts that share an email link to
 * one user with a membership per account; the first to link is the syncing record and alone writes the
 * user's fields; secondary AccountContactRelation rows add memberships.
 */
import assert from 'node:assert/strict';
import got from 'got';
import type { ZendeskUser as User } from '../../activities/zendesk/client';
import { runSfzd } from '../helpers/sfzd';
import { syncConfig, type SyncConfigInput } from '../fixtures/sync-config';
import { useStack, type Stack } from '../helpers/stack';

interface Membership {
  user_id: number;
  organization_id: number;
  default: boolean | null;
}
interface Identity {
  type: string;
  value: string;
}

function multiOrgConfig(): SyncConfigInput {
  return syncConfig({ users: { multipleOrganizations: true, secondaryRelationships: true } });
}

describe('Multiple organizations: shared users and secondary relationships (end to end)', function () {
  this.timeout(90_000);

  // The worker checks the switch against Zendesk's setting at start-up: it must be on.
  const ctx = useStack({ config: multiOrgConfig(), multipleOrganizations: true });

  const user = async (id: number): Promise<User> =>
    (await ctx.stack.zendesk.get(`users/${id}`).json<{ user: User }>()).user;
  const usersWithEmail = async (email: string): Promise<User[]> =>
    (
      await ctx.stack.zendesk.get('users', { searchParams: { per_page: 100 } }).json<{ users: User[] }>()
    ).users.filter((u) => u.email === email);
  const identities = async (id: number): Promise<Identity[]> =>
    (await ctx.stack.zendesk.get(`users/${id}/identities`).json<{ identities: Identity[] }>()).identities;
  const organizationsOf = async (userId: number): Promise<number[]> =>
    (
      await got(`${ctx.stack.zd.url}/__sandbox/records/memberships`).json<{ memberships: Membership[] }>()
    ).memberships
      .filter((m) => m.user_id === userId)
      .map((m) => m.organization_id)
      .sort((a, b) => a - b);
  const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

  async function syncedAccount(name: string): Promise<{ accountId: string; orgId: number }> {
    const { id } = await ctx.stack.salesforce.sobject('Account').create({ Name: name });
    await ctx.stack.notify('Account', id!, { source: 'created' });
    const outcome = await ctx.stack.waitForPasses('Account', id!, 1);
    assert.equal(outcome.outcome, 'created', JSON.stringify(outcome));
    return { accountId: id!, orgId: outcome.zendeskId! };
  }
  async function createContact(values: Record<string, unknown>): Promise<string> {
    const { id } = await ctx.stack.salesforce.sobject('Contact').create(values);
    return id!;
  }
  async function pass(
    contactId: string,
    n: number,
    notice: Parameters<Stack['notify']>[2] = { source: 'cdc' },
  ) {
    await ctx.stack.notify('Contact', contactId, notice);
    return ctx.stack.waitForPasses('Contact', contactId, n);
  }

  it("links contacts that share an email in two accounts to one user; only the syncing record's fields are written", async () => {
    const [a, b] = [await syncedAccount('Shared Email A Ltd'), await syncedAccount('Shared Email B Ltd')];
    const first = await createContact({
      FirstName: 'Sam',
      LastName: 'Shared',
      Email: 'sam.shared@example.com',
      Phone: '+14155550111',
      AccountId: a.accountId,
    });
    const created = await pass(first, 1, { source: 'created' });
    assert.equal(created.outcome, 'created', JSON.stringify(created));
    const userId = created.zendeskId!;

    const second = await createContact({
      FirstName: 'Samuel',
      LastName: 'Other',
      Email: 'sam.shared@example.com',
      Phone: '+14155550222',
      AccountId: b.accountId,
    });
    const joined = await pass(second, 1, { source: 'created' });
    assert.equal(joined.outcome, 'membership-added', JSON.stringify(joined));
    assert.equal(joined.zendeskId, userId);
    assert.deepEqual(joined.organizations, { added: [b.orgId] });
    assert.match(
      joined.message ?? '',
      new RegExp(`Contact ${first} is the syncing record of Zendesk user ${userId}`),
    );

    assert.equal((await usersWithEmail('sam.shared@example.com')).length, 1, 'one user');
    assert.deepEqual(await organizationsOf(userId), sorted([a.orgId, b.orgId]), 'two memberships');
    const u = await user(userId);
    assert.equal(u.name, 'Sam Shared', "the syncing record's name");
    assert.equal(u.external_id, first, "external_id is the syncing record's Id");
    assert.equal(u.organization_id, a.orgId, "the syncing record's account is the default");
    assert.ok(
      !(await identities(userId)).some((i) => i.value === '+14155550222'),
      "the other contact's phone is not written",
    );
    const [s1, s2] = [await ctx.stack.state('Contact', first), await ctx.stack.state('Contact', second)];
    assert.deepEqual([s1.link?.syncingRecord, s2.link?.syncingRecord], [first, first]);
    assert.equal(
      (await ctx.stack.salesforce.sobject('Contact').retrieve(second)).Zendesk_User_Id__c,
      String(userId),
      'the linked contact gets the user ID written back too',
    );

    // The CLI shows the role and the outcome.
    const status = await runSfzd(ctx.stack, 'status', 'Contact', second);
    assert.equal(status.code, 0, status.stderr);
    assert.match(
      status.stdout,
      new RegExp(`Syncing record: +Contact ${first} \\(this record only adds organization memberships\\)`),
    );
    assert.match(
      status.stdout,
      new RegExp(
        `membership-added +${userId} +joined organization ${b.orgId}; Contact ${first} is the syncing record`,
      ),
    );

    // A dry-run of a third contact with that email (not synced yet) reads the holder and claims nothing.
    const c = await syncedAccount('Shared Email C Ltd');
    const third = await createContact({
      LastName: 'Third',
      Email: 'sam.shared@example.com',
      Phone: '+14155550333',
      AccountId: c.accountId,
    });
    const zdMark = ctx.stack.zd.log.entries().length;
    const dry = await runSfzd(ctx.stack, '--json', 'dry-run', 'Contact', third);
    assert.equal(dry.code, 0, dry.stderr);
    const view = JSON.parse(dry.stdout) as { verdict: string; message: string; requests: unknown[] };
    assert.equal(view.verdict, 'would-update', view.message);
    assert.match(
      view.message,
      new RegExp(`Contact ${first} is its syncing record, so only organization memberships`),
    );
    assert.deepEqual(
      view.requests,
      [
        {
          method: 'POST',
          path: 'organization_memberships',
          body: { organization_membership: { user_id: userId, organization_id: c.orgId } },
        },
      ],
      "its account's membership, and nothing else, would be written",
    );
    assert.deepEqual(
      ctx.stack.zd.log
        .entries()
        .slice(zdMark)
        .filter((e) => e.method !== 'GET'),
      [],
      'no Zendesk writes',
    );

    // A mapped change of the other contact writes nothing; one of the syncing record is written.
    await ctx.stack.salesforce.sobject('Contact').update({ Id: second, LastName: 'Renamed' });
    const again = await pass(second, 2);
    assert.equal(again.outcome, 'unchanged', JSON.stringify(again));
    assert.equal((await user(userId)).name, 'Sam Shared');
    await ctx.stack.salesforce.sobject('Contact').update({ Id: first, LastName: 'Sharer' });
    const own = await pass(first, 2);
    assert.equal(own.outcome, 'updated', JSON.stringify(own));
    assert.equal((await user(userId)).name, 'Sam Sharer');
  });

  it('concurrent first syncs of contacts sharing a user agree on exactly one syncing record', async () => {
    const accounts = [
      await syncedAccount('Race A Ltd'),
      await syncedAccount('Race B Ltd'),
      await syncedAccount('Race C Ltd'),
    ];
    const existing = (
      await ctx.stack.zendesk
        .post('users', {
          json: { user: { name: 'Race Existing', email: 'race@example.com' }, skip_verify_email: true },
        })
        .json<{ user: User }>()
    ).user;
    const contacts = await Promise.all(
      accounts.map((acc, i) =>
        createContact({ LastName: `Racer ${i}`, Email: 'race@example.com', AccountId: acc.accountId }),
      ),
    );
    await Promise.all(contacts.map((id) => ctx.stack.notify('Contact', id, { source: 'created' })));
    const outcomes = await Promise.all(contacts.map((id) => ctx.stack.waitForPasses('Contact', id, 1)));

    const states = await Promise.all(contacts.map((id) => ctx.stack.state('Contact', id)));
    const holders = new Set(states.map((s) => s.link?.syncingRecord));
    assert.equal(holders.size, 1, `every contact names the same syncing record: ${[...holders].join(', ')}`);
    const [holder] = [...holders];
    assert.ok(holder && contacts.includes(holder));
    const winner = contacts.indexOf(holder);
    outcomes.forEach((o, i) => {
      assert.equal(o.zendeskId, existing.id);
      assert.equal(o.outcome, i === winner ? 'updated' : 'membership-added', JSON.stringify(o));
    });
    assert.equal((await user(existing.id)).name, `Racer ${winner}`, "only the syncing record's name");
    assert.deepEqual(await organizationsOf(existing.id), sorted(accounts.map((acc) => acc.orgId)));
    assert.equal((await usersWithEmail('race@example.com')).length, 1);
  });

  it('secondary account relationships (AccountContactRelation, not direct) add memberships', async () => {
    const [primary, secondary, later, inactive] = [
      await syncedAccount('Relation Primary Ltd'),
      await syncedAccount('Relation Secondary Ltd'),
      await syncedAccount('Relation Later Ltd'),
      await syncedAccount('Relation Inactive Ltd'),
    ];
    const contact = await createContact({
      LastName: 'Related',
      Email: 'related@example.com',
      AccountId: primary.accountId,
    });
    const relation = (AccountId: string, extra: Record<string, unknown> = {}) =>
      ctx.stack.salesforce
        .sobject('AccountContactRelation')
        .create({ AccountId, ContactId: contact, ...extra });
    await relation(secondary.accountId);
    await relation(inactive.accountId, { IsActive: false });

    const created = await pass(contact, 1, { source: 'created' });
    assert.equal(created.outcome, 'created', JSON.stringify(created));
    const userId = created.zendeskId!;
    assert.deepEqual(created.organizations, {
      added: [primary.orgId, secondary.orgId],
      defaultSet: primary.orgId,
    });
    assert.deepEqual(await organizationsOf(userId), sorted([primary.orgId, secondary.orgId]));
    assert.equal(
      (await user(userId)).organization_id,
      primary.orgId,
      'the primary account stays the default',
    );

    // A relationship added later reaches Zendesk with the contact's next pass (here a resync).
    await relation(later.accountId);
    const next = await pass(contact, 2, { source: 'resync', force: true });
    assert.equal(next.outcome, 'updated', JSON.stringify(next));
    assert.deepEqual(next.organizations, { added: [later.orgId] });
    assert.deepEqual(await organizationsOf(userId), sorted([primary.orgId, secondary.orgId, later.orgId]));
    assert.equal((await user(userId)).organization_id, primary.orgId);
  });
});
