/**
 * update-only mode for both syncs, a custom-field match criterion that finds several Zendesk users, and
 * externalId: false, on the real stack.
 */
import assert from 'node:assert/strict';
import got from 'got';
import { syncConfig } from '../fixtures/sync-config';
import { useStack } from '../helpers/stack';
import type { ZendeskOrganization as Org, ZendeskUser as User } from '../../activities/zendesk/client';
import type { LoggedRequest } from '../../sandbox/common/request-log';

const config = syncConfig({
  accounts: {
    mode: 'update-only',
    fields: [
      { salesforce: 'Name', zendesk: 'name' },
      { salesforce: 'Industry', zendesk: 'organization_fields.industry' },
    ],
    externalId: false,
  },
  users: {
    mode: 'update-only',
    match: { salesforce: 'Email', zendesk: 'user_fields.crm_email' },
    fields: [
      { salesforce: 'Name', zendesk: 'name' },
      { salesforce: 'Title', zendesk: 'details' },
    ],
    externalId: false,
  },
});

describe('update-only mode and ambiguous matches (end to end)', function () {
  this.timeout(60_000);

  const ctx = useStack({
    config,
    userFields: [{ key: 'crm_email', type: 'text', title: 'CRM email' }],
  });

  const requestLog = async (): Promise<LoggedRequest[]> =>
    (
      await got(`${ctx.stack.zd.url}/__sandbox/requests`, { searchParams: { entries: 1 } }).json<{
        entries: LoggedRequest[];
      }>()
    ).entries;
  const writesSince = async (mark: number): Promise<LoggedRequest[]> =>
    (await requestLog()).slice(mark).filter((e) => e.method !== 'GET');
  const user = async (id: number): Promise<User> =>
    (await ctx.stack.zendesk.get(`users/${id}`).json<{ user: User }>()).user;
  const createZendeskUser = async (u: Record<string, unknown>): Promise<User> =>
    (
      await ctx.stack.zendesk
        .post('users', { json: { user: u, skip_verify_email: true } })
        .json<{ user: User }>()
    ).user;
  const org = async (id: number): Promise<Org> =>
    (await ctx.stack.zendesk.get(`organizations/${id}`).json<{ organization: Org }>()).organization;
  const orgNames = async (): Promise<string[]> =>
    (await ctx.stack.zendesk.get('organizations').json<{ organizations: Org[] }>()).organizations.map(
      (o) => o.name,
    );

  async function syncNew(object: 'Account' | 'Contact', values: Record<string, unknown>) {
    const id = (await ctx.stack.salesforce.sobject(object).create(values)).id!;
    await ctx.stack.notify(object, id, { source: 'created' });
    return { id, outcome: await ctx.stack.waitForPasses(object, id, 1) };
  }

  it('skips a contact with no matching user and creates nothing', async () => {
    const mark = (await requestLog()).length;
    const { id, outcome } = await syncNew('Contact', {
      LastName: 'Nobody',
      Email: 'nobody@crm.test',
      Title: 'CTO',
    });
    assert.equal(outcome.outcome, 'skipped-update-only', JSON.stringify(outcome));
    assert.equal(outcome.zendeskId, undefined);
    assert.deepEqual(await writesSince(mark), []);
    assert.equal((await ctx.stack.salesforce.sobject('Contact').retrieve(id)).Zendesk_User_Id__c, null);
  });

  it('updates the one user whose custom field matches, without setting external_id', async () => {
    const existing = await createZendeskUser({
      name: 'Someone',
      email: 'someone@zendesk.test',
      user_fields: { crm_email: 'one@crm.test' },
    });
    const { id, outcome } = await syncNew('Contact', {
      FirstName: 'Only',
      LastName: 'One',
      Email: 'one@crm.test',
      Title: 'Buyer',
    });
    assert.equal(outcome.outcome, 'updated', JSON.stringify(outcome));
    assert.equal(outcome.zendeskId, existing.id);
    const u = await user(existing.id);
    assert.deepEqual([u.name, u.external_id, u.user_fields.crm_email], ['Only One', null, 'one@crm.test']);
    assert.equal((u as unknown as { details: string }).details, 'Buyer');
    assert.equal(
      (await ctx.stack.salesforce.sobject('Contact').retrieve(id)).Zendesk_User_Id__c,
      String(existing.id),
    );
  });

  it('fails with MultipleMatches listing the candidates and writes nothing when two users match', async () => {
    const a = await createZendeskUser({
      name: 'Dup A',
      email: 'dup.a@zendesk.test',
      user_fields: { crm_email: 'dup@crm.test' },
    });
    const b = await createZendeskUser({
      name: 'Dup B',
      email: 'dup.b@zendesk.test',
      user_fields: { crm_email: 'dup@crm.test' },
    });
    const mark = (await requestLog()).length;
    const { id, outcome } = await syncNew('Contact', { LastName: 'Ambiguous', Email: 'dup@crm.test' });
    assert.equal(outcome.outcome, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.failure, 'MultipleMatches');
    assert.match(outcome.message ?? '', new RegExp(`\\b${a.id}\\b`));
    assert.match(outcome.message ?? '', new RegExp(`\\b${b.id}\\b`));
    assert.deepEqual(outcome.details, { candidateIds: [a.id, b.id] });
    assert.deepEqual(await writesSince(mark), []);
    assert.deepEqual([(await user(a.id)).name, (await user(b.id)).name], ['Dup A', 'Dup B']);
    const state = await ctx.stack.state('Contact', id);
    assert.equal(state.link, undefined);
    assert.equal(state.lastError?.type, 'MultipleMatches');
    assert.equal((await ctx.stack.salesforce.sobject('Contact').retrieve(id)).Zendesk_User_Id__c, null);
  });

  it('fails a contact without a match key with NoMatchKey, without suggesting a setting that cannot help', async () => {
    const mark = (await requestLog()).length;
    const { outcome } = await syncNew('Contact', { LastName: 'Keyless', Title: 'Intern' });
    assert.equal(outcome.outcome, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.failure, 'NoMatchKey');
    assert.match(outcome.message ?? '', /Email is empty/);
    assert.match(outcome.message ?? '', /update-only/);
    // externalId: true does not let update-only mode create anything, so the message must not send the admin there.
    assert.doesNotMatch(outcome.message ?? '', /externalId/);
    assert.deepEqual(await writesSince(mark), []);
  });

  it('skips an account with no organization of that name, and updates the one that exists', async () => {
    const mark = (await requestLog()).length;
    const missing = await syncNew('Account', { Name: 'Not In Zendesk', Industry: 'Energy' });
    assert.equal(missing.outcome.outcome, 'skipped-update-only', JSON.stringify(missing.outcome));
    assert.deepEqual(await writesSince(mark), []);
    assert.ok(!(await orgNames()).includes('Not In Zendesk'));

    const existing = (
      await ctx.stack.zendesk
        .post('organizations', {
          json: { organization: { name: 'Initech', organization_fields: { industry: 'Old' } } },
        })
        .json<{ organization: Org }>()
    ).organization;
    const found = await syncNew('Account', { Name: 'Initech', Industry: 'Consulting' });
    assert.equal(found.outcome.outcome, 'updated', JSON.stringify(found.outcome));
    assert.equal(found.outcome.zendeskId, existing.id);
    const o = await org(existing.id);
    assert.deepEqual([o.organization_fields.industry, o.external_id], ['Consulting', null]);
    assert.equal(
      (await ctx.stack.salesforce.sobject('Account').retrieve(found.id)).Zendesk_Organization_Id__c,
      String(existing.id),
    );
  });
});
