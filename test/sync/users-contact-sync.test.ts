/**
 * Contacts -> Zendesk users on the real stack: create, append-only email/phone/tags, organization
 * membership and contacts without email. Assertions read Zendesk back through its API and the sandbox's
 * records dumps, plus the outcome the record workflow recorded.
 */
import assert from 'node:assert/strict';
import got from 'got';
import { baseSyncConfig, syncConfig, type SyncConfigInput } from '../fixtures/sync-config';
import { useStack } from '../helpers/stack';
import type { RecordTuning } from '../../workflows/sync-types';
import { eventually, notifyTuned } from './durability-support';
import type { ZendeskUser as User } from '../../activities/zendesk/client';

interface Identity {
  id: number;
  user_id: number;
  type: string;
  value: string;
  primary: boolean;
}
interface Membership {
  user_id: number;
  organization_id: number;
  default: boolean;
}

function contactConfig(): SyncConfigInput {
  const fields = [...baseSyncConfig().users.fields, { salesforce: 'Languages__c', zendesk: 'tags' }];
  return syncConfig({ users: { fields } });
}

describe('Contact -> user sync (end to end)', function () {
  this.timeout(60_000);

  const ctx = useStack({ config: contactConfig() });

  const user = async (id: number): Promise<User> =>
    (await ctx.stack.zendesk.get(`users/${id}`).json<{ user: User }>()).user;
  const allUsers = async (): Promise<User[]> =>
    (await ctx.stack.zendesk.get('users', { searchParams: { per_page: 100 } }).json<{ users: User[] }>())
      .users;
  const identities = async (id: number): Promise<Identity[]> =>
    (await ctx.stack.zendesk.get(`users/${id}/identities`).json<{ identities: Identity[] }>()).identities;
  const dump = async <T>(kind: string): Promise<T[]> =>
    (await got(`${ctx.stack.zd.url}/__sandbox/records/${kind}`).json<Record<string, T[]>>())[kind] ?? [];
  const membershipsOf = async (userId: number): Promise<Membership[]> =>
    (await dump<Membership>('memberships')).filter((m) => m.user_id === userId);

  async function createContact(values: Record<string, unknown>): Promise<string> {
    const res = await ctx.stack.salesforce.sobject('Contact').create(values);
    assert.ok(res.success && res.id, JSON.stringify(res));
    return res.id;
  }
  async function syncAccount(
    name: string,
    tuning?: RecordTuning,
  ): Promise<{ accountId: string; orgId: number }> {
    const res = await ctx.stack.salesforce.sobject('Account').create({ Name: name });
    const accountId = res.id!;
    if (tuning) await notifyTuned(ctx.stack, 'Account', accountId, tuning, { source: 'created' });
    else await ctx.stack.notify('Account', accountId, { source: 'created' });
    const outcome = await ctx.stack.waitForPasses('Account', accountId, 1);
    assert.equal(outcome.outcome, 'created', JSON.stringify(outcome));
    return { accountId, orgId: outcome.zendeskId! };
  }

  it('creates an end-user with name, primary email, phone and external_id, sends no email and writes the ID back', async () => {
    const id = await createContact({
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Email: 'ada@analytical.test',
      Phone: '+14155550101',
      Languages__c: 'en;fr',
    });
    await ctx.stack.notify('Contact', id, { source: 'created' });
    const outcome = await ctx.stack.waitForPasses('Contact', id, 1);
    assert.equal(outcome.outcome, 'created', JSON.stringify(outcome));
    assert.ok(outcome.zendeskId);

    const u = await user(outcome.zendeskId);
    assert.equal(u.name, 'Ada Lovelace');
    assert.equal(u.email, 'ada@analytical.test');
    assert.equal(u.phone, '+14155550101');
    assert.equal(u.role, 'end-user');
    assert.equal(u.external_id, id);
    assert.deepEqual([...u.tags].sort(), ['en', 'fr']);
    const ids = await identities(u.id);
    assert.deepEqual(ids.map((i) => [i.type, i.value, i.primary]).sort(), [
      ['email', 'ada@analytical.test', true],
      ['phone_number', '+14155550101', true],
    ]);

    // welcomeEmail: false -> the create carried skip_verify_email, so Zendesk queued no welcome/verify email.
    const outbox = await dump<{ user_id: number; to: string }>('outbox');
    assert.deepEqual(
      outbox.filter((m) => m.user_id === u.id),
      [],
    );

    const contact = await ctx.stack.salesforce.sobject('Contact').retrieve(id);
    assert.equal(contact.Zendesk_User_Id__c, String(u.id));
    const state = await ctx.stack.state('Contact', id);
    assert.equal(state.link?.zendeskId, u.id);
    assert.equal(state.link?.via, 'created');
    assert.equal(state.writtenBack, true);
  });

  it('appends email, phone and tags to a matched user instead of replacing them', async () => {
    const existing = (
      await ctx.stack.zendesk
        .post('users', {
          json: {
            user: {
              name: 'G. Hopper',
              email: 'grace@navy.test',
              phone: '+12025550100',
              tags: ['legacy', 'vip'],
              role: 'end-user',
            },
            skip_verify_email: true,
          },
        })
        .json<{ user: User }>()
    ).user;
    const id = await createContact({
      FirstName: 'Grace',
      LastName: 'Hopper',
      Email: 'grace@navy.test',
      Phone: '+12025550199',
      Languages__c: 'de',
    });
    await ctx.stack.notify('Contact', id, { source: 'created' });
    const first = await ctx.stack.waitForPasses('Contact', id, 1);
    assert.equal(first.outcome, 'updated', JSON.stringify(first));
    assert.equal(first.zendeskId, existing.id);

    let u = await user(existing.id);
    assert.equal(u.name, 'Grace Hopper', 'mapped name is overwritten');
    assert.equal(u.phone, '+12025550100', 'the existing primary phone stays primary');
    assert.deepEqual([...u.tags].sort(), ['de', 'legacy', 'vip']);
    let ids = await identities(existing.id);
    assert.deepEqual(
      ids.filter((i) => i.type === 'phone_number').map((i) => [i.value, i.primary]),
      [
        ['+12025550100', true],
        ['+12025550199', false],
      ],
    );

    // The Salesforce email changes: the new address becomes a secondary identity; the old one stays primary.
    await ctx.stack.salesforce
      .sobject('Contact')
      .update({ Id: id, Email: 'grace.hopper@yale.test', Languages__c: 'es' });
    await ctx.stack.notify('Contact', id, { source: 'cdc', changedFields: ['Email', 'Languages__c'] });
    const second = await ctx.stack.waitForPasses('Contact', id, 2);
    assert.equal(second.outcome, 'updated', JSON.stringify(second));
    u = await user(existing.id);
    assert.equal(u.email, 'grace@navy.test');
    assert.deepEqual([...u.tags].sort(), ['de', 'es', 'legacy', 'vip'], 'tags are only ever added');
    ids = await identities(existing.id);
    assert.deepEqual(
      ids.filter((i) => i.type === 'email').map((i) => [i.value, i.primary]),
      [
        ['grace@navy.test', true],
        ['grace.hopper@yale.test', false],
      ],
    );
    const outbox = await dump<{ user_id: number }>('outbox');
    assert.equal(
      outbox.filter((m) => m.user_id === existing.id).length,
      0,
      'the secondary email was added with skip_verify_email',
    );
  });

  it('adds the user to the organization of an already synced account, never without one, and never removes a membership', async () => {
    // A user in several organizations needs the account's "multiple organizations" setting, which the
    // native sync's multi-org feature requires too (support.zendesk.com articles 4408832217882, 4408838140314).
    ctx.stack.zd.updateSettings({ multipleOrganizations: true });
    // What the worker's periodic refresh (SCHEMA_REFRESH_EVERY) would read; the stack turns it off.
    await ctx.stack.syncContext.refresh('zendesk');
    const first = await syncAccount('Membership One Ltd');
    // The second account's workflow continues as new after its pass: its link must still be found.
    const second = await syncAccount('Membership Two Ltd', { passesPerRun: 1 });
    await eventually(
      'the second account workflow to continue as new',
      async () => {
        const d = await ctx.stack.client.workflow
          .getHandle(`salesforce/Account/${second.accountId}`)
          .describe();
        return d.runId !== d.raw.workflowExecutionInfo?.firstRunId ? true : undefined;
      },
      10_000,
      100,
    );
    const unsynced = (await ctx.stack.salesforce.sobject('Account').create({ Name: 'Never Synced Inc' })).id!;

    const member = await createContact({
      LastName: 'Member',
      Email: 'member@one.test',
      AccountId: first.accountId,
    });
    const orphan = await createContact({
      LastName: 'Orphan',
      Email: 'orphan@nowhere.test',
      AccountId: unsynced,
    });
    await Promise.all([
      ctx.stack.notify('Contact', member, { source: 'created' }),
      ctx.stack.notify('Contact', orphan, { source: 'created' }),
    ]);
    const [m1, o1] = await Promise.all([
      ctx.stack.waitForPasses('Contact', member, 1),
      ctx.stack.waitForPasses('Contact', orphan, 1),
    ]);
    assert.equal(m1.outcome, 'created', JSON.stringify(m1));
    assert.equal(o1.outcome, 'created', JSON.stringify(o1));

    assert.equal((await user(m1.zendeskId!)).organization_id, first.orgId);
    assert.deepEqual(
      (await membershipsOf(m1.zendeskId!)).map((m) => m.organization_id),
      [first.orgId],
    );
    assert.equal((await user(o1.zendeskId!)).organization_id, null);
    assert.deepEqual(await membershipsOf(o1.zendeskId!), [], 'no membership when the account has not synced');

    // Move the contact to the second account: a membership is added, the first one kept.
    await ctx.stack.salesforce.sobject('Contact').update({ Id: member, AccountId: second.accountId });
    await ctx.stack.notify('Contact', member, { source: 'cdc', changedFields: ['AccountId'] });
    const m2 = await ctx.stack.waitForPasses('Contact', member, 2);
    assert.equal(m2.outcome, 'updated', JSON.stringify(m2));
    const after = await membershipsOf(m1.zendeskId!);
    assert.deepEqual(
      after.map((m) => m.organization_id).sort((a, b) => a - b),
      [first.orgId, second.orgId].sort((a, b) => a - b),
    );
    // Issue 15: the default the sync set (the first account's, at create) follows the contact to its new
    // account; a default set by hand would stay (test/sync/users-account-changes.test.ts).
    assert.equal(
      after.find((m) => m.default)?.organization_id,
      second.orgId,
      'the default organization the sync set moves to the new account',
    );
    assert.deepEqual(m2.organizations, { added: [second.orgId], defaultSet: second.orgId });

    // Once the orphan's account has synced, the contact's next sync adds the membership.
    await ctx.stack.notify('Account', unsynced, { source: 'created' });
    const late = await ctx.stack.waitForPasses('Account', unsynced, 1);
    assert.equal(late.outcome, 'created', JSON.stringify(late));
    await ctx.stack.salesforce.sobject('Contact').update({ Id: orphan, LastName: 'Adopted' });
    await ctx.stack.notify('Contact', orphan, { source: 'cdc', changedFields: ['LastName'] });
    assert.equal((await ctx.stack.waitForPasses('Contact', orphan, 2)).outcome, 'updated');
    assert.deepEqual(
      (await membershipsOf(o1.zendeskId!)).map((m) => m.organization_id),
      [late.zendeskId],
    );
  });

  it('creates a contact without email keyed by external_id and updates that same user on the next pass', async () => {
    const id = await createContact({ FirstName: 'No', LastName: 'Email', Phone: '+33155550123' });
    await ctx.stack.notify('Contact', id, { source: 'created' });
    const first = await ctx.stack.waitForPasses('Contact', id, 1);
    assert.equal(first.outcome, 'created', JSON.stringify(first));
    const created = await user(first.zendeskId!);
    assert.equal(created.external_id, id);
    assert.equal(created.email, null);
    assert.equal(created.phone, '+33155550123');

    const before = (await allUsers()).length;
    await ctx.stack.salesforce.sobject('Contact').update({ Id: id, LastName: 'Emailless' });
    await ctx.stack.notify('Contact', id, { source: 'cdc', changedFields: ['LastName'] });
    const second = await ctx.stack.waitForPasses('Contact', id, 2);
    assert.equal(second.outcome, 'updated', JSON.stringify(second));
    assert.equal(second.zendeskId, created.id);
    assert.equal((await user(created.id)).name, 'No Emailless');
    assert.equal((await allUsers()).length, before, 'no second user');
    const matching = (await allUsers()).filter((u) => u.external_id === id);
    assert.equal(matching.length, 1);
  });

  it('finds the user a contact without email was keyed to by external_id when the record has no link (e.g. its workflow was lost)', async () => {
    const id = await createContact({ FirstName: 'Lost', LastName: 'Link', Phone: '+33155550999' });
    // The user an earlier sync created for this contact: only external_id ties them together.
    const earlier = (
      await ctx.stack.zendesk
        .post('users', { json: { user: { name: 'Lost Lnk', external_id: id, phone: '+33155550999' } } })
        .json<{ user: User }>()
    ).user;
    const before = (await allUsers()).length;
    await ctx.stack.notify('Contact', id, { source: 'bulk-resync' });
    const outcome = await ctx.stack.waitForPasses('Contact', id, 1);
    assert.equal(outcome.outcome, 'updated', JSON.stringify(outcome));
    assert.equal(outcome.zendeskId, earlier.id);
    assert.equal((await user(earlier.id)).name, 'Lost Link');
    assert.equal((await allUsers()).length, before);
  });

  it("syncs the user without a membership when the account's organization was deleted in Zendesk", async () => {
    const gone = await syncAccount('Deleted In Zendesk Co');
    const kept = await createContact({ LastName: 'Before', Email: 'before@deleted.test' });
    await ctx.stack.notify('Contact', kept, { source: 'created' });
    const k1 = await ctx.stack.waitForPasses('Contact', kept, 1);
    assert.equal(k1.outcome, 'created', JSON.stringify(k1));
    await ctx.stack.zendesk.delete(`organizations/${gone.orgId}`);

    // A new contact of that account, and a linked one moved to it.
    const fresh = await createContact({
      LastName: 'After',
      Email: 'after@deleted.test',
      AccountId: gone.accountId,
    });
    await ctx.stack.salesforce.sobject('Contact').update({ Id: kept, AccountId: gone.accountId });
    await Promise.all([
      ctx.stack.notify('Contact', fresh, { source: 'created' }),
      ctx.stack.notify('Contact', kept, { source: 'cdc', changedFields: ['AccountId'] }),
    ]);
    const [f1, k2] = await Promise.all([
      ctx.stack.waitForPasses('Contact', fresh, 1),
      ctx.stack.waitForPasses('Contact', kept, 2),
    ]);
    assert.equal(f1.outcome, 'created', JSON.stringify(f1));
    assert.equal(k2.outcome, 'updated', JSON.stringify(k2));
    assert.equal(k2.zendeskId, k1.zendeskId, 'the user link is kept');
    assert.equal((await user(f1.zendeskId!)).name, 'After');
    assert.deepEqual(await membershipsOf(f1.zendeskId!), []);
    assert.deepEqual(await membershipsOf(k1.zendeskId!), []);
    const state = await ctx.stack.state('Contact', kept);
    assert.deepEqual([state.link?.zendeskId, state.link?.via], [k1.zendeskId, 'created']);
  });
});
