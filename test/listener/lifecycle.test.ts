/**
 * Deletes, undeletes, merges and lead conversion end to end: jsforce and the Salesforce sandbox's control API
 * (SOAP undelete/merge/convertLead as an org does them) publish the real change events, the CDC listener
 * hands them to the record workflows on the stack's real worker, and the Zendesk sandbox shows the result.
 */
import assert from 'node:assert/strict';
import got from 'got';
import { WriteTransaction } from '../../sandbox/salesforce';
import type { LoggedRequest } from '../../sandbox/common/request-log';
import type { ZendeskOrganization as Org, ZendeskUser as User } from '../../activities/zendesk/client';
import { recordWorkflowId, type SalesforceObject } from '../../workflows/sync-types';
import { SyncOutcome, ZendeskId } from '../../workflows/search-attributes';
import { syncConfig } from '../fixtures/sync-config';
import { useStack, type Stack } from '../helpers/stack';
import { runSfzd } from '../helpers/sfzd';
import { sandboxControl, startTestFeed, type TestFeed } from './feed-helpers';

async function searchAttributes(stack: Stack, object: SalesforceObject, id: string) {
  const d = await stack.client.workflow.getHandle(recordWorkflowId(object, id)).describe();
  return {
    outcome: d.typedSearchAttributes.get(SyncOutcome),
    zendeskId: d.typedSearchAttributes.get(ZendeskId),
  };
}

const org = async (stack: Stack, id: number): Promise<Org> =>
  (await stack.zendesk.get(`organizations/${id}`).json<{ organization: Org }>()).organization;
const user = async (stack: Stack, id: number): Promise<User> =>
  (await stack.zendesk.get(`users/${id}`).json<{ user: User }>()).user;

describe('Deletes, undeletes and merges from Change Data Capture (end to end)', function () {
  this.timeout(90_000);
  let feed: TestFeed;

  const ctx = useStack(
    {
      config: syncConfig({ accounts: { onDelete: 'tag' }, users: { onDelete: 'unlink' } }),
    },
    {
      beforeClose: async () => {
        await feed?.handle.cancel().catch(() => undefined);
        await feed?.handle.result().catch(() => undefined);
      },
    },
  );
  before(async () => {
    feed = await startTestFeed(ctx.stack);
    await feed.waitFor('both channels subscribed', (s) => s.subscribed.length === 2);
  });

  it('onDelete: tag tags the organization and keeps the link; an undelete removes the tag (restored)', async () => {
    const id = (
      await ctx.stack.salesforce.sobject('Account').create({ Name: 'Life Tag Co', Segment__c: 'SMB' })
    ).id!;
    const created = await ctx.stack.waitForPasses('Account', id, 1);
    assert.equal(created.outcome, 'created', JSON.stringify(created));
    const orgId = created.zendeskId!;

    await ctx.stack.salesforce.sobject('Account').destroy(id);
    const deleted = await ctx.stack.waitForPasses('Account', id, 2);
    assert.equal(deleted.outcome, 'deleted-tagged', JSON.stringify(deleted));
    assert.equal(deleted.zendeskId, orgId);
    assert.match(deleted.message ?? '', new RegExp(`organization ${orgId} tagged salesforce_deleted`));
    assert.deepEqual((await org(ctx.stack, orgId)).tags.sort(), ['salesforce_deleted', 'smb']);
    const state = await ctx.stack.state('Account', id);
    assert.equal(state.link?.zendeskId, orgId, 'the link is kept');
    assert.equal(state.deleted?.tag, 'salesforce_deleted');
    assert.deepEqual(await searchAttributes(ctx.stack, 'Account', id), {
      outcome: 'deleted-tagged',
      zendeskId: String(orgId),
    });
    const status = await runSfzd(ctx.stack, 'status', 'Account', id);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /deleted-tagged/);

    // A later pass on the deleted record (a gap event) repeats the outcome and writes nothing.
    const writes = ctx.stack.zd.log.entries().filter((e) => e.method !== 'GET').length;
    await ctx.stack.notify('Account', id, { source: 'gap' });
    const again = await ctx.stack.waitForPasses('Account', id, 3);
    assert.equal(again.outcome, 'deleted-tagged', JSON.stringify(again));
    assert.match(again.message ?? '', /^already handled at /);
    assert.equal(ctx.stack.zd.log.entries().filter((e) => e.method !== 'GET').length, writes);

    await sandboxControl(ctx.stack, '/undelete', { ids: [id] });
    const restored = await ctx.stack.waitForPasses('Account', id, 4);
    assert.equal(restored.outcome, 'restored', JSON.stringify(restored));
    assert.equal(restored.trigger, 'cdc');
    assert.match(restored.message ?? '', /tag salesforce_deleted removed/);
    assert.deepEqual((await org(ctx.stack, orgId)).tags, ['smb'], 'only the tag the sync added is removed');
    const after = await ctx.stack.state('Account', id);
    assert.equal(after.deleted, undefined);
    assert.equal(after.link?.zendeskId, orgId);
    assert.equal((await searchAttributes(ctx.stack, 'Account', id)).outcome, 'restored');
  });

  it('onDelete: unlink forgets the link and clears the external_id it set; an undelete matches the user again', async () => {
    const id = (
      await ctx.stack.salesforce
        .sobject('Contact')
        .create({ LastName: 'Unlinked', Email: 'unlink@life.test' })
    ).id!;
    const created = await ctx.stack.waitForPasses('Contact', id, 1);
    assert.equal(created.outcome, 'created', JSON.stringify(created));
    const userId = created.zendeskId!;
    assert.equal((await user(ctx.stack, userId)).external_id, id);

    await ctx.stack.salesforce.sobject('Contact').destroy(id);
    const deleted = await ctx.stack.waitForPasses('Contact', id, 2);
    assert.equal(deleted.outcome, 'deleted-unlinked', JSON.stringify(deleted));
    assert.match(deleted.message ?? '', /link to user \d+ forgotten; its external_id cleared/);
    const u = await user(ctx.stack, userId);
    assert.equal(u.external_id, null);
    assert.deepEqual(u.tags, [], 'unlink adds no tag');
    assert.equal(u.email, 'unlink@life.test', 'the user itself stays');
    const state = await ctx.stack.state('Contact', id);
    assert.equal(state.link, undefined);
    assert.equal((await searchAttributes(ctx.stack, 'Contact', id)).zendeskId, undefined);

    await sandboxControl(ctx.stack, '/undelete', { ids: [id] });
    const restored = await ctx.stack.waitForPasses('Contact', id, 3);
    assert.equal(restored.outcome, 'restored', JSON.stringify(restored));
    assert.equal(restored.zendeskId, userId, 'matched the same user again by email');
    assert.equal((await user(ctx.stack, userId)).external_id, id);
    assert.equal((await ctx.stack.state('Contact', id)).link?.via, 'matched');
  });

  it('a DELETE of a record the sync never saw starts no workflow', async () => {
    // A contact that exists only in Salesforce: created without a change event, so never synced.
    const silent = ctx.stack.sf.store.create(
      'Contact',
      { LastName: 'Silent' },
      new WriteTransaction({ changeOrigin: '', publish: false }),
    );
    const before = await feed.state();
    await ctx.stack.salesforce.sobject('Contact').destroy(silent);
    await feed.waitCaughtUp('/data/ContactChangeEvent');
    const after = await feed.state();
    assert.equal(after.counters.notified, before.counters.notified, 'nothing was signalled');
    await assert.rejects(ctx.stack.state('Contact', silent), /not found/i);
  });

  it("an account merge keeps the winner's link, gives the loser's users the winner's organization and tags the loser's", async () => {
    const [winnerId, loserId] = (
      await ctx.stack.salesforce
        .sobject('Account')
        .create([{ Name: 'Merge Winner Co' }, { Name: 'Merge Loser Co' }])
    ).map((r) => r.id!);
    const winnerOrg = (await ctx.stack.waitForPasses('Account', winnerId!, 1)).zendeskId!;
    const loserOrg = (await ctx.stack.waitForPasses('Account', loserId!, 1)).zendeskId!;
    assert.notEqual(winnerOrg, loserOrg);
    // A contact of the loser (its user joins the loser's organization), a user put there by hand in Zendesk,
    // and an agent of that organization, whom the sync never touches.
    const contactId = (
      await ctx.stack.salesforce
        .sobject('Contact')
        .create({ LastName: 'Member', Email: 'member@merge.test', AccountId: loserId })
    ).id!;
    const contactUser = (await ctx.stack.waitForPasses('Contact', contactId, 1)).zendeskId!;
    assert.equal((await user(ctx.stack, contactUser)).organization_id, loserOrg);
    const byHand = (
      await ctx.stack.zendesk
        .post('users', {
          json: { user: { name: 'By Hand', email: 'hand@merge.test', organization_id: loserOrg } },
        })
        .json<{ user: User }>()
    ).user.id;
    const agent = (
      await ctx.stack.zendesk
        .post('users', {
          json: {
            user: { name: 'Agent', email: 'agent@merge.test', role: 'agent', organization_id: loserOrg },
          },
        })
        .json<{ user: User }>()
    ).user.id;

    await sandboxControl(ctx.stack, '/merge', { type: 'Account', masterId: winnerId, loserIds: [loserId] });
    const merged = await ctx.stack.waitForPasses('Account', loserId!, 2);
    assert.equal(merged.outcome, 'merged', JSON.stringify(merged));
    // The merge re-parents the contact in Salesforce, so the contact's own pass (its AccountId changed)
    // may move its user to the winner's organization before the account's merge pass gets there: on a
    // loaded machine the merge then sets 1 default (the user added by hand), otherwise 2. Where every
    // user ends up is checked below either way.
    const details = merged.details as { defaultsSet: number };
    assert.ok([1, 2].includes(details.defaultsSet), JSON.stringify(merged.details));
    assert.deepEqual(merged.details, {
      masterId: winnerId,
      winnerZendeskId: winnerOrg,
      target: 'apply',
      defaultsSet: details.defaultsSet,
      membershipsAdded: 0,
      skippedProtected: 1,
    });
    assert.match(merged.message ?? '', new RegExp(`merged into Account ${winnerId}`));

    assert.ok(
      (await org(ctx.stack, loserOrg)).tags.includes('salesforce_merged'),
      'the loser organization is tagged',
    );
    assert.ok(!(await org(ctx.stack, winnerOrg)).tags.includes('salesforce_merged'));
    // Multiple organizations are off (a new Zendesk account): the users move to the winner's organization.
    assert.equal((await user(ctx.stack, contactUser)).organization_id, winnerOrg);
    assert.equal((await user(ctx.stack, byHand)).organization_id, winnerOrg);
    assert.equal((await user(ctx.stack, agent)).organization_id, loserOrg, 'agents are never touched');

    const winner = await ctx.stack.state('Account', winnerId!);
    assert.equal(winner.link?.zendeskId, winnerOrg, "the winner's link is kept");
    assert.equal((await searchAttributes(ctx.stack, 'Account', winnerId!)).zendeskId, String(winnerOrg));
    const loser = await ctx.stack.state('Account', loserId!);
    assert.equal(loser.deleted?.mergedInto, winnerId);
    assert.equal(loser.link?.zendeskId, loserOrg, 'onDelete: tag keeps the loser link too');
    assert.equal((await searchAttributes(ctx.stack, 'Account', loserId!)).outcome, 'merged');
  });

  it("with multiple organizations on, a merge adds the winner's organization and keeps the loser's membership", async () => {
    ctx.stack.zd.updateSettings({ multipleOrganizations: true });
    try {
      const [winnerId, loserId, otherId] = (
        await ctx.stack.salesforce
          .sobject('Account')
          .create([{ Name: 'Multi Winner Co' }, { Name: 'Multi Loser Co' }, { Name: 'Multi Other Co' }])
      ).map((r) => r.id!);
      const [winnerOrg, loserOrg, otherOrg] = (await Promise.all(
        [winnerId!, loserId!, otherId!].map(
          async (id) => (await ctx.stack.waitForPasses('Account', id, 1)).zendeskId!,
        ),
      )) as [number, number, number];
      const defaultInLoser = (
        await ctx.stack.zendesk
          .post('users', {
            json: { user: { name: 'Default', email: 'default@multi.test', organization_id: loserOrg } },
          })
          .json<{ user: User }>()
      ).user.id;
      const secondaryInLoser = (
        await ctx.stack.zendesk
          .post('users', {
            json: { user: { name: 'Second', email: 'second@multi.test', organization_id: otherOrg } },
          })
          .json<{ user: User }>()
      ).user.id;
      await ctx.stack.zendesk.post('organization_memberships', {
        json: { organization_membership: { user_id: secondaryInLoser, organization_id: loserOrg } },
      });

      await sandboxControl(ctx.stack, '/merge', { type: 'Account', masterId: winnerId, loserIds: [loserId] });
      const merged = await ctx.stack.waitForPasses('Account', loserId!, 2);
      assert.equal(merged.outcome, 'merged', JSON.stringify(merged));
      const report = merged.details as { defaultsSet: number; membershipsAdded: number };
      assert.deepEqual([report.defaultsSet, report.membershipsAdded], [1, 1]);
      type Row = [organizationId: number, isDefault: boolean];
      const byOrganization = (rows: Row[]): Row[] => rows.sort((a, b) => a[0] - b[0]);
      const membershipsOf = async (userId: number): Promise<Row[]> =>
        byOrganization(
          (
            await ctx.stack.zendesk.get(`users/${userId}/organization_memberships`).json<{
              organization_memberships: Array<{ organization_id: number; default: boolean | null }>;
            }>()
          ).organization_memberships.map((m): Row => [m.organization_id, m.default === true]),
        );
      // The loser was the default: the winner's becomes it, the loser's membership stays (never deleted).
      assert.deepEqual(
        await membershipsOf(defaultInLoser),
        byOrganization([
          [winnerOrg, true],
          [loserOrg, false],
        ]),
      );
      // The loser was a secondary membership: the winner's is added beside it.
      assert.deepEqual(
        await membershipsOf(secondaryInLoser),
        byOrganization([
          [winnerOrg, false],
          [loserOrg, false],
          [otherOrg, true],
        ]),
      );
    } finally {
      ctx.stack.zd.updateSettings({ multipleOrganizations: false });
    }
  });

  it("a contact merge whose loser shares the winner's user leaves that user alone and forgets the loser's link", async () => {
    const winnerId = (
      await ctx.stack.salesforce.sobject('Contact').create({ LastName: 'Twin', Email: 'twin@merge.test' })
    ).id!;
    const userId = (await ctx.stack.waitForPasses('Contact', winnerId, 1)).zendeskId!;
    // The duplicate, created once the user exists: it matches that user by email.
    const loserId = (
      await ctx.stack.salesforce
        .sobject('Contact')
        .create({ LastName: 'Twin (dup)', Email: 'twin@merge.test' })
    ).id!;
    assert.equal((await ctx.stack.waitForPasses('Contact', loserId, 1)).zendeskId, userId);

    await sandboxControl(ctx.stack, '/merge', { type: 'Contact', masterId: winnerId, loserIds: [loserId] });
    const merged = await ctx.stack.waitForPasses('Contact', loserId, 2);
    assert.equal(merged.outcome, 'merged', JSON.stringify(merged));
    assert.equal((merged.details as { target: string }).target, 'same-record');
    assert.match(merged.message ?? '', /linked to the same Zendesk user/);
    assert.deepEqual((await user(ctx.stack, userId)).tags, [], 'the shared user is not tagged');
    assert.equal(
      (await ctx.stack.state('Contact', loserId)).link,
      undefined,
      'onDelete: unlink forgets the link',
    );
    assert.equal((await ctx.stack.state('Contact', winnerId)).link?.zendeskId, userId);
  });
});

describe('Lead conversion and onDelete: ignore (end to end)', function () {
  this.timeout(90_000);
  let feed: TestFeed;

  const ctx = useStack(
    {
      config: syncConfig({
        accounts: { enabled: false },
        users: {
          source: 'Lead',
          fields: [
            { salesforce: 'Name', zendesk: 'name' },
            { salesforce: 'Email', zendesk: 'email' },
            { salesforce: 'Company', zendesk: 'notes' },
          ],
          // A converted lead leaves this filter: its outcome still says it was converted.
          filters: { all: [{ field: 'Status', operator: 'is_not', value: 'Closed - Converted' }] },
          organizationMembership: undefined, // Leads have no account: the default (off) applies
        },
      }),
    },
    {
      beforeClose: async () => {
        await feed?.handle.cancel().catch(() => undefined);
        await feed?.handle.result().catch(() => undefined);
      },
    },
  );
  before(async () => {
    feed = await startTestFeed(ctx.stack);
    await feed.waitFor('the Lead channel subscribed', (s) => s.subscribed.length === 1);
  });

  const zendeskWrites = async (): Promise<LoggedRequest[]> =>
    (
      await got(`${ctx.stack.zd.url}/__sandbox/requests`, { searchParams: { entries: 1 } }).json<{
        entries: LoggedRequest[];
      }>()
    ).entries.filter((e) => e.method !== 'GET');

  it('a converted lead ends its pass as lead-converted, with the converted IDs, and writes nothing', async () => {
    const leadId = (
      await ctx.stack.salesforce.sobject('Lead').create({
        FirstName: 'Conny',
        LastName: 'Verted',
        Company: 'Convert Co',
        Email: 'conny@convert.test',
      })
    ).id!;
    const created = await ctx.stack.waitForPasses('Lead', leadId, 1);
    assert.equal(created.outcome, 'created', JSON.stringify(created));
    const before = await user(ctx.stack, created.zendeskId!);
    const writesBefore = (await zendeskWrites()).length;

    const result = (await sandboxControl(ctx.stack, '/leads/convert', {
      leadId,
      convertedStatus: 'Closed - Converted',
    })) as { contactId: string; accountId: string };
    const converted = await ctx.stack.waitForPasses('Lead', leadId, 2);
    assert.equal(converted.outcome, 'lead-converted', JSON.stringify(converted));
    assert.equal(converted.trigger, 'cdc');
    assert.deepEqual(
      [
        (converted.details as Record<string, unknown>).convertedContactId,
        (converted.details as Record<string, unknown>).convertedAccountId,
      ],
      [result.contactId, result.accountId],
    );
    assert.match(
      converted.message ?? '',
      new RegExp(
        `Lead ${leadId} was converted to Contact ${result.contactId} \\(Account ${result.accountId}\\)`,
      ),
    );
    for (const value of ['Conny', 'Verted', 'conny@convert.test', 'Convert Co'])
      assert.ok(!(converted.message ?? '').includes(value), 'IDs only, no names or emails');
    assert.deepEqual((await zendeskWrites()).slice(writesBefore), [], 'nothing was written to Zendesk');
    assert.deepEqual(
      await user(ctx.stack, created.zendeskId!),
      before,
      'the user made from the lead stays as it is',
    );

    const state = await ctx.stack.state('Lead', leadId);
    assert.equal(state.converted?.contactId, result.contactId);
    assert.equal(state.link?.zendeskId, created.zendeskId);
    assert.equal((await searchAttributes(ctx.stack, 'Lead', leadId)).outcome, 'lead-converted');
    const counts = await runSfzd(ctx.stack, 'status', 'Lead', leadId);
    assert.match(counts.stdout, /lead-converted/);

    // A resync of the converted lead still writes nothing.
    await ctx.stack.notify('Lead', leadId, { source: 'resync', force: true });
    assert.equal((await ctx.stack.waitForPasses('Lead', leadId, 3)).outcome, 'lead-converted');
    assert.deepEqual((await zendeskWrites()).slice(writesBefore), []);
  });

  it('onDelete: ignore (the default) leaves Zendesk and the record workflow as they were', async () => {
    const leadId = (
      await ctx.stack.salesforce
        .sobject('Lead')
        .create({ LastName: 'Stays', Company: 'Ignore Co', Email: 'stays@ignore.test' })
    ).id!;
    const created = await ctx.stack.waitForPasses('Lead', leadId, 1);
    assert.equal(created.outcome, 'created');
    const writesBefore = (await zendeskWrites()).length;
    const ignoredBefore = (await feed.state()).counters.ignored;

    await ctx.stack.salesforce.sobject('Lead').destroy(leadId);
    const caughtUp = await feed.waitCaughtUp('/data/LeadChangeEvent');
    assert.ok(caughtUp.counters.ignored > ignoredBefore, 'the DELETE was seen and ignored');
    const state = await ctx.stack.state('Lead', leadId);
    assert.equal(state.passes, 1, JSON.stringify(state.outcomes));
    assert.equal(state.link?.zendeskId, created.zendeskId);
    assert.deepEqual((await zendeskWrites()).slice(writesBefore), []);
    assert.deepEqual((await user(ctx.stack, created.zendeskId!)).tags, []);

    // A forced pass on the deleted lead reports it, and still writes nothing.
    await ctx.stack.notify('Lead', leadId, { source: 'resync', force: true });
    const resync = await ctx.stack.waitForPasses('Lead', leadId, 2);
    assert.equal(resync.outcome, 'deleted-in-salesforce', JSON.stringify(resync));
    assert.match(resync.message ?? '', /onDelete is ignore/);
    assert.deepEqual((await zendeskWrites()).slice(writesBefore), []);
  });
});
