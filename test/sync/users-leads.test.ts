/**
 * users.source: Lead on the real stack, with externalId: false and welcomeEmail: true: Leads become users
 * (Zendesk sends its welcome email), Contacts are refused with a clear reason, a Lead without email cannot
 * be synced and says how to fix that, and a linked Lead keeps syncing after its email is cleared.
 */
import assert from 'node:assert/strict';
import got from 'got';
import { syncConfig } from '../fixtures/sync-config';
import { useStack } from '../helpers/stack';
import type { ZendeskOrganization as Org, ZendeskUser as User } from '../../activities/zendesk/client';

const config = syncConfig({
  // No syncedIdField: accounts are not written back here.
  accounts: {
    fields: [{ salesforce: 'Name', zendesk: 'name' }],
    externalId: false,
    syncedIdField: undefined,
  },
  users: {
    source: 'Lead',
    fields: [
      { salesforce: 'Name', zendesk: 'name' },
      { salesforce: 'Email', zendesk: 'email' },
      { salesforce: 'Phone', zendesk: 'phone' },
      { salesforce: 'Company', zendesk: 'notes' },
    ],
    externalId: false,
    welcomeEmail: true,
    organizationMembership: undefined, // Leads have no account: the default (off) applies
  },
});

describe('Lead -> user sync with externalId: false and welcomeEmail: true (end to end)', function () {
  this.timeout(60_000);

  const ctx = useStack({ config });

  const users = async (): Promise<User[]> =>
    (await ctx.stack.zendesk.get('users').json<{ users: User[] }>()).users;

  it('creates a user from a Lead, without external_id, and writes the ID back to the Lead', async () => {
    const id = (
      await ctx.stack.salesforce.sobject('Lead').create({
        FirstName: 'Lena',
        LastName: 'Lead',
        Company: 'Prospects plc',
        Email: 'lena@prospects.test',
        Phone: '+442071234567',
      })
    ).id!;
    await ctx.stack.notify('Lead', id, { source: 'created' });
    const outcome = await ctx.stack.waitForPasses('Lead', id, 1);
    assert.equal(outcome.outcome, 'created', JSON.stringify(outcome));
    const u = (
      await ctx.stack.zendesk.get(`users/${outcome.zendeskId}`).json<{ user: User & { notes: string } }>()
    ).user;
    assert.deepEqual(
      [u.name, u.email, u.phone, u.role, u.notes],
      ['Lena Lead', 'lena@prospects.test', '+442071234567', 'end-user', 'Prospects plc'],
    );
    assert.equal(u.external_id, null, 'externalId: false leaves external_id unset');
    assert.equal(u.organization_id, null, 'Leads have no account, so no membership');
    assert.equal((await ctx.stack.salesforce.sobject('Lead').retrieve(id)).Zendesk_User_Id__c, String(u.id));
    // welcomeEmail: true -> the create did not skip Zendesk's welcome email.
    const outbox = (
      await got(`${ctx.stack.zd.url}/__sandbox/records/outbox`).json<{
        outbox: Array<{ user_id: number; to: string; kind: string }>;
      }>()
    ).outbox;
    assert.deepEqual(
      outbox.filter((m) => m.user_id === u.id).map((m) => [m.kind, m.to]),
      [['welcome', 'lena@prospects.test']],
    );
  });

  it('leaves external_id unset on organizations too when accounts.externalId is false', async () => {
    const id = (await ctx.stack.salesforce.sobject('Account').create({ Name: 'No External Id Co' })).id!;
    await ctx.stack.notify('Account', id, { source: 'created' });
    const outcome = await ctx.stack.waitForPasses('Account', id, 1);
    assert.equal(outcome.outcome, 'created', JSON.stringify(outcome));
    const org = (
      await ctx.stack.zendesk.get(`organizations/${outcome.zendeskId}`).json<{ organization: Org }>()
    ).organization;
    assert.deepEqual([org.name, org.external_id], ['No External Id Co', null]);
  });

  it('refuses Contacts with a reason naming users.source', async () => {
    const before = (await users()).length;
    const id = (
      await ctx.stack.salesforce
        .sobject('Contact')
        .create({ LastName: 'Contact', Email: 'contact@prospects.test' })
    ).id!;
    await ctx.stack.notify('Contact', id, { source: 'created' });
    const outcome = await ctx.stack.waitForPasses('Contact', id, 1);
    assert.equal(outcome.outcome, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.failure, 'ConfigInvalid');
    assert.match(outcome.message ?? '', /users\.source is Lead/);
    assert.match(outcome.message ?? '', /Contact/);
    assert.equal((await users()).length, before);
  });

  it('fails a Lead without email with NoMatchKey and a message saying how to fix it', async () => {
    const before = (await users()).length;
    const id = (
      await ctx.stack.salesforce.sobject('Lead').create({ LastName: 'Mailless', Company: 'Quiet Ltd' })
    ).id!;
    await ctx.stack.notify('Lead', id, { source: 'created' });
    const outcome = await ctx.stack.waitForPasses('Lead', id, 1);
    assert.equal(outcome.outcome, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.failure, 'NoMatchKey');
    assert.match(outcome.message ?? '', /Email is empty/);
    assert.match(outcome.message ?? '', /users\.externalId: true/);
    assert.equal((await users()).length, before, 'no user created');
  });

  it('keeps updating a linked Lead after its email is cleared: linked records are not matched again', async () => {
    const id = (
      await ctx.stack.salesforce
        .sobject('Lead')
        .create({ FirstName: 'Once', LastName: 'Mailed', Company: 'Fading Ltd', Email: 'once@fading.test' })
    ).id!;
    await ctx.stack.notify('Lead', id, { source: 'created' });
    const first = await ctx.stack.waitForPasses('Lead', id, 1);
    assert.equal(first.outcome, 'created', JSON.stringify(first));

    await ctx.stack.salesforce.sobject('Lead').update({ Id: id, Email: null, LastName: 'Unmailed' });
    await ctx.stack.notify('Lead', id, { source: 'cdc', changedFields: ['Email', 'LastName'] });
    const second = await ctx.stack.waitForPasses('Lead', id, 2);
    assert.equal(second.outcome, 'updated', JSON.stringify(second));
    const u = (await ctx.stack.zendesk.get(`users/${first.zendeskId}`).json<{ user: User }>()).user;
    assert.deepEqual(
      [u.name, u.email],
      ['Once Unmailed', 'once@fading.test'],
      'the email identity is kept (append-only)',
    );
  });
});
