/**
 * Matching on the real stack with the default criteria (Account Name -> name, Email -> email): an
 * existing record is linked and updated instead of duplicated, and agents/admins are never written,
 * neither when matched nor when a linked end-user is promoted later.
 */
import assert from 'node:assert/strict';
import got from 'got';
import { useStack } from '../helpers/stack';
import type { ZendeskOrganization as Org, ZendeskUser as User } from '../../activities/zendesk/client';
import type { LoggedRequest } from '../../sandbox/common/request-log';

describe('Matching and agent/admin protection (end to end)', function () {
  this.timeout(60_000);

  const ctx = useStack();

  const user = async (id: number): Promise<User> =>
    (await ctx.stack.zendesk.get(`users/${id}`).json<{ user: User }>()).user;
  const userCount = async (): Promise<number> =>
    (await ctx.stack.zendesk.get('users').json<{ count: number }>()).count;
  const createZendeskUser = async (user: Record<string, unknown>): Promise<User> =>
    (
      await ctx.stack.zendesk
        .post('users', { json: { user, skip_verify_email: true } })
        .json<{ user: User }>()
    ).user;
  const requestLog = async (): Promise<LoggedRequest[]> =>
    (
      await got(`${ctx.stack.zd.url}/__sandbox/requests`, { searchParams: { entries: 1 } }).json<{
        entries: LoggedRequest[];
      }>()
    ).entries;
  /** The Zendesk requests logged after `mark` (a log length taken earlier). */
  const requestsSince = async (mark: number): Promise<LoggedRequest[]> => (await requestLog()).slice(mark);
  /** Writes (anything but GET) whose path names the user, e.g. PUT /api/v2/users/12 or POST …/users/12/identities. */
  const writesTo = (entries: LoggedRequest[], userId: number) =>
    entries.filter((e) => e.method !== 'GET' && new RegExp(`/users/${userId}(?:/|$|\\.json)`).test(e.path));

  async function syncNewContact(values: Record<string, unknown>, passes = 1) {
    const id = (await ctx.stack.salesforce.sobject('Contact').create(values)).id!;
    await ctx.stack.notify('Contact', id, { source: 'created' });
    return { id, outcome: await ctx.stack.waitForPasses('Contact', id, passes) };
  }

  it('links an existing end-user found by email, case-insensitively, and overwrites its mapped fields', async () => {
    const existing = await createZendeskUser({
      name: 'Old Name',
      email: 'PAT.Match@example.test',
      role: 'end-user',
      external_id: 'legacy-crm-1',
    });
    const usersBefore = await userCount();
    const { id, outcome } = await syncNewContact({
      FirstName: 'Pat',
      LastName: 'Match',
      Email: 'Pat.Match@Example.TEST',
    });
    assert.equal(outcome.outcome, 'updated', JSON.stringify(outcome));
    assert.equal(outcome.zendeskId, existing.id);

    const u = await user(existing.id);
    assert.equal(u.name, 'Pat Match');
    assert.equal(u.external_id, id, 'an existing external_id is overwritten with the Contact Id');
    assert.equal(u.email?.toLowerCase(), 'pat.match@example.test');
    assert.equal(await userCount(), usersBefore, 'no new user');
    const identities = (
      await ctx.stack.zendesk
        .get(`users/${existing.id}/identities`)
        .json<{ identities: Array<{ value: string }> }>()
    ).identities;
    assert.deepEqual(
      identities.map((i) => i.value.toLowerCase()),
      ['pat.match@example.test'],
      'the same address in another case is not added again',
    );
    const state = await ctx.stack.state('Contact', id);
    assert.deepEqual([state.link?.zendeskId, state.link?.via], [existing.id, 'matched']);
    assert.equal(
      (await ctx.stack.salesforce.sobject('Contact').retrieve(id)).Zendesk_User_Id__c,
      String(existing.id),
    );
  });

  it('links an existing organization by name, overwrites mapped fields and adds Segment__c tags to its own', async () => {
    const existing = (
      await ctx.stack.zendesk
        .post('organizations', {
          json: {
            organization: {
              name: 'Globex',
              external_id: 'legacy-globex',
              tags: ['vip', 'renewal_2025'],
              organization_fields: { industry: 'Old' },
            },
          },
        })
        .json<{ organization: Org }>()
    ).organization;
    const id = (
      await ctx.stack.salesforce
        .sobject('Account')
        .create({ Name: 'Globex', Industry: 'Banking', Segment__c: 'SMB;Strategic' })
    ).id!;
    await ctx.stack.notify('Account', id, { source: 'created' });
    const outcome = await ctx.stack.waitForPasses('Account', id, 1);
    assert.equal(outcome.outcome, 'updated', JSON.stringify(outcome));
    assert.equal(outcome.zendeskId, existing.id);

    const org = (await ctx.stack.zendesk.get(`organizations/${existing.id}`).json<{ organization: Org }>())
      .organization;
    assert.equal(org.organization_fields.industry, 'Banking');
    assert.equal(org.external_id, id);
    assert.deepEqual([...org.tags].sort(), ['renewal_2025', 'smb', 'strategic', 'vip']);
    const orgs = (await ctx.stack.zendesk.get('organizations').json<{ organizations: Org[] }>())
      .organizations;
    assert.equal(orgs.filter((o) => o.name === 'Globex').length, 1);

    // A later pass with another segment still only adds.
    await ctx.stack.salesforce.sobject('Account').update({ Id: id, Segment__c: 'Enterprise' });
    await ctx.stack.notify('Account', id, { source: 'cdc', changedFields: ['Segment__c'] });
    assert.equal((await ctx.stack.waitForPasses('Account', id, 2)).outcome, 'updated');
    const again = (await ctx.stack.zendesk.get(`organizations/${existing.id}`).json<{ organization: Org }>())
      .organization;
    assert.deepEqual([...again.tags].sort(), ['enterprise', 'renewal_2025', 'smb', 'strategic', 'vip']);
  });

  it('fails with MultipleMatches and writes nothing when two organizations carry the account name', async () => {
    // Zendesk documents that a race of identical POSTs can create duplicate names; its API refuses a
    // duplicate otherwise, so the second one is put straight into the sandbox's store.
    const first = (
      await ctx.stack.zendesk
        .post('organizations', { json: { organization: { name: 'Twin Corp' } } })
        .json<{ organization: Org }>()
    ).organization;
    const twin = {
      ...ctx.stack.zd.store.organizations.get(first.id)!,
      id: ctx.stack.zd.store.nextId('organization'),
    };
    ctx.stack.zd.store.organizations.set(twin.id, twin);
    const orgsBefore = (await ctx.stack.zendesk.get('organizations').json<{ count: number }>()).count;

    const mark = (await requestLog()).length;
    const id = (
      await ctx.stack.salesforce.sobject('Account').create({ Name: 'Twin Corp', Industry: 'Energy' })
    ).id!;
    await ctx.stack.notify('Account', id, { source: 'created' });
    const outcome = await ctx.stack.waitForPasses('Account', id, 1);
    assert.equal(outcome.outcome, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.failure, 'MultipleMatches');
    assert.match(outcome.message ?? '', new RegExp(`\\b${first.id}\\b.*\\b${twin.id}\\b`));
    assert.deepEqual(outcome.details, { candidateIds: [first.id, twin.id] });
    assert.deepEqual(
      (await requestLog()).slice(mark).filter((e) => e.method !== 'GET'),
      [],
    );
    assert.equal((await ctx.stack.zendesk.get('organizations').json<{ count: number }>()).count, orgsBefore);
    assert.equal(
      (await ctx.stack.salesforce.sobject('Account').retrieve(id)).Zendesk_Organization_Id__c,
      null,
    );
  });

  for (const role of ['agent', 'admin'] as const) {
    it(`never writes to an ${role} whose email matches a contact`, async () => {
      const staff = await createZendeskUser({
        name: `Staff ${role}`,
        email: `staff.${role}@support.test`,
        role,
      });
      const since = (await requestLog()).length;
      const { outcome } = await syncNewContact({ LastName: 'Impostor', Email: `STAFF.${role}@support.test` });
      assert.equal(outcome.outcome, 'failed', JSON.stringify(outcome));
      assert.equal(outcome.failure, 'ProtectedUser');
      assert.match(outcome.message ?? '', new RegExp(`${staff.id}.*${role}`));

      assert.deepEqual(writesTo(await requestsSince(since), staff.id), []);
      const after = await user(staff.id);
      assert.deepEqual([after.name, after.role, after.external_id], [`Staff ${role}`, role, null]);
    });
  }

  it('stops writing to a linked end-user once Zendesk promotes them to agent', async () => {
    const { id, outcome } = await syncNewContact({
      FirstName: 'Soon',
      LastName: 'Agent',
      Email: 'soon.agent@example.test',
    });
    assert.equal(outcome.outcome, 'created', JSON.stringify(outcome));
    const userId = outcome.zendeskId!;
    await ctx.stack.zendesk.put(`users/${userId}`, { json: { user: { role: 'agent' } } });

    const since = (await requestLog()).length;
    await ctx.stack.salesforce
      .sobject('Contact')
      .update({ Id: id, LastName: 'Renamed', Phone: '+14155550177' });
    await ctx.stack.notify('Contact', id, { source: 'cdc', changedFields: ['LastName', 'Phone'] });
    const second = await ctx.stack.waitForPasses('Contact', id, 2);
    assert.equal(second.outcome, 'failed', JSON.stringify(second));
    assert.equal(second.failure, 'ProtectedUser');
    assert.deepEqual(writesTo(await requestsSince(since), userId), []);
    const u = await user(userId);
    assert.deepEqual([u.name, u.role], ['Soon Agent', 'agent']);
  });
});
