import assert from 'node:assert/strict';
import { WorkflowNotFoundError } from '@temporalio/client';
import { startBulkResync } from '../../client/bulk-resync';
import type { ZendeskOrganization } from '../../activities/zendesk/client';
import { syncConfig } from '../fixtures/sync-config';
import { useStack } from '../helpers/stack';
import { recordWorkflowId } from '../../workflows/sync-types';
import { cdcUpdatesOf } from '../sync/durability-support';

/**
 * The batch path of a bulk resync of Accounts, end to end: a few hundred accounts of every kind go
 * through Zendesk's batch endpoints. A record workflow that exists ends with the outcome a pass would
 * give; an account without one gets none unless it failed, and its link is the written-back Zendesk ID
 * (test/bulk/batch-adoption.test.ts shows a later change adopting it).
 */
describe('batch bulk resync of accounts (end to end)', function () {
  this.timeout(240_000);

  const config = syncConfig({
    accounts: {
      filters: { all: [{ field: 'Type', operator: 'is_not', value: 'Prospect' }], any: [] },
      fields: [
        { salesforce: 'Name', zendesk: 'name' },
        { salesforce: 'Industry', zendesk: 'organization_fields.industry' },
        { salesforce: 'Segment__c', zendesk: 'tags' },
        { salesforce: 'Phone', zendesk: 'organization_fields.phone' },
      ],
    },
  });

  const ctx = useStack({
    config,
    organizationFields: [
      { key: 'industry', type: 'text', title: 'Industry' },
      { key: 'phone', type: 'regexp', title: 'Phone', regexp_for_validation: '^[0-9+ ()-]*$' },
    ],
  });

  async function createAccounts(records: Array<Record<string, unknown>>): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < records.length; i += 200) {
      const results = await ctx.stack.salesforce.sobject('Account').create(records.slice(i, i + 200));
      for (const r of results) {
        assert.ok(r.success, JSON.stringify(r));
        ids.push(r.id);
      }
    }
    return ids;
  }
  const orgs = async () => [...ctx.stack.zd.store.organizations.values()];
  const accountField = async (id: string) =>
    (await ctx.stack.salesforce.sobject('Account').retrieve(id)) as unknown as Record<string, unknown>;
  const hasWorkflow = async (id: string) => {
    try {
      await ctx.stack.client.workflow.getHandle(recordWorkflowId('Account', id)).describe();
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  };

  it('syncs linked, matching, new, filtered, ambiguous and rejected accounts with a few batch calls', async () => {
    const account = (name: string, extra: Record<string, unknown> = {}) => ({
      Name: name,
      Industry: 'Banking',
      Segment__c: 'Enterprise',
      Type: 'Customer - Direct',
      Phone: '+1 555 0100',
      ...extra,
    });
    const linked = await createAccounts(Array.from({ length: 30 }, (_, i) => account(`Linked ${i}`)));
    const matching = await createAccounts(Array.from({ length: 40 }, (_, i) => account(`Matching ${i}`)));
    const fresh = await createAccounts(Array.from({ length: 180 }, (_, i) => account(`Fresh ${i}`)));
    const filtered = await createAccounts(
      Array.from({ length: 15 }, (_, i) => account(`Filtered ${i}`, { Type: 'Prospect' })),
    );
    const [twin] = await createAccounts([account('Twin Org')]);
    const [rejected] = await createAccounts([account('Rejected Org', { Phone: 'call me maybe' })]);
    // Two new accounts of one name: one organization, as a sequential sync would make.
    const [dupA, dupB] = await createAccounts([
      account('Dup Org'),
      account('dup org', { Industry: 'Energy' }),
    ]);

    // Linked: synced once record by record; then Zendesk gains a tag and Salesforce a new industry.
    await Promise.all(linked.map((id) => ctx.stack.notify('Account', id, { source: 'created' })));
    const linkedOrg = new Map<string, number>();
    for (const id of linked) {
      const o = await ctx.stack.waitForPasses('Account', id, 1, 60_000);
      assert.equal(o.outcome, 'created');
      linkedOrg.set(id, o.zendeskId!);
    }
    await ctx.stack.zendesk.put(`organizations/${linkedOrg.get(linked[0]!)}/tags`, {
      json: { tags: ['keepme'] },
    });
    await ctx.stack.salesforce
      .sobject('Account')
      .update(linked.slice(0, 10).map((Id) => ({ Id, Industry: 'Energy' })));
    // Matching: organizations already in Zendesk under the same names (case differs), with a tag.
    for (let i = 0; i < 40; i++)
      await ctx.stack.zendesk.post('organizations', {
        json: { organization: { name: `MATCHING ${i}`, tags: ['existing'] } },
      });
    // Two organizations named like one account: Zendesk refuses duplicate names, but documents that a
    // race of identical creates can make them, so the second is put straight into the sandbox's store.
    const first = (
      await ctx.stack.zendesk
        .post('organizations', { json: { organization: { name: 'Twin Org' } } })
        .json<{ organization: ZendeskOrganization }>()
    ).organization;
    const second = {
      ...ctx.stack.zd.store.organizations.get(first.id)!,
      id: ctx.stack.zd.store.nextId('organization'),
    };
    ctx.stack.zd.store.organizations.set(second.id, second);
    const orgsBefore = (await orgs()).length;

    ctx.stack.zd.log.reset();
    ctx.stack.sf.log.reset();
    const handle = await startBulkResync(ctx.stack.client, ctx.stack.taskQueue, {
      object: 'Account',
      batch: true,
      pageSize: 100,
    });
    const progress = await handle.result();
    const all = [...linked, ...matching, ...fresh, ...filtered, twin!, rejected!, dupA!, dupB!];
    assert.equal(progress.done, all.length);
    assert.equal(progress.failed, 0);
    // Only the 30 linked accounts had workflows; the 2 failures get one; the other 237 get none.
    assert.deepEqual(progress.batch, {
      created: 181,
      updated: 71,
      failed: 2,
      other: 15,
      fallback: 0,
      withoutWorkflow: 237,
    });

    // Far fewer Zendesk calls than records, and no per-record endpoint at all.
    const zd = ctx.stack.zd.log.summary();
    assert.ok(zd.total <= 30, `Zendesk calls: ${zd.total} ${JSON.stringify(zd.byEndpoint)}`);
    for (const route of Object.keys(zd.byEndpoint))
      assert.match(route, /show_many|create_many|update_many|GET \/api\/v2\/organizations$/, route);

    // Every existing record workflow recorded the batch's outcome as a pass.
    const outcomeOf = async (id: string, passes: number) =>
      ctx.stack.waitForPasses('Account', id, passes, 60_000);
    const after = await orgs();
    const byName = (name: string) => after.filter((o) => o.name.toLowerCase() === name.toLowerCase());
    assert.equal(after.length, orgsBefore + 181, 'one organization per new name, no duplicates');
    const [dupOrg] = byName('Dup Org');
    assert.deepEqual(
      [
        (await accountField(dupA!)).Zendesk_Organization_Id__c,
        (await accountField(dupB!)).Zendesk_Organization_Id__c,
      ],
      [String(dupOrg!.id), String(dupOrg!.id)],
    );
    assert.equal(dupOrg!.organization_fields.industry, 'Energy', 'the later account was written last');

    for (const [i, id] of linked.entries()) {
      const o = await outcomeOf(id, 2);
      assert.equal(o.outcome, 'updated');
      assert.equal(o.trigger, 'bulk-resync');
      assert.equal(o.zendeskId, linkedOrg.get(id));
      const org = after.find((x) => x.id === linkedOrg.get(id))!;
      assert.equal(org.organization_fields.industry, i < 10 ? 'Energy' : 'Banking');
      assert.equal(cdcUpdatesOf(ctx.stack, id, 'Zendesk_Organization_Id__c'), 1, 'written back once, ever');
    }
    const kept = after.find((x) => x.id === linkedOrg.get(linked[0]!))!;
    assert.deepEqual([...kept.tags].sort(), ['enterprise', 'keepme'], 'tags are appended, never replaced');

    // Matched and created without a workflow: the written-back Zendesk ID is the link.
    for (const [i, id] of matching.entries()) {
      const [org] = byName(`Matching ${i}`);
      assert.deepEqual([...org!.tags].sort(), ['enterprise', 'existing']);
      assert.equal(org!.external_id, id);
      assert.equal((await accountField(id)).Zendesk_Organization_Id__c, String(org!.id));
      assert.equal(cdcUpdatesOf(ctx.stack, id, 'Zendesk_Organization_Id__c'), 1);
      assert.equal(await hasWorkflow(id), false);
    }
    for (const [i, id] of fresh.entries()) {
      const [org] = byName(`Fresh ${i}`);
      assert.deepEqual(org!.tags, ['enterprise']);
      assert.equal(org!.external_id, id);
      assert.equal((await accountField(id)).Zendesk_Organization_Id__c, String(org!.id));
      assert.equal(cdcUpdatesOf(ctx.stack, id, 'Zendesk_Organization_Id__c'), 1);
      assert.equal(await hasWorkflow(id), false);
    }
    for (const id of filtered) assert.equal(await hasWorkflow(id), false);
    assert.equal(byName('Filtered 0').length, 0);

    const ambiguous = await outcomeOf(twin!, 1);
    assert.equal(ambiguous.outcome, 'failed');
    assert.equal(ambiguous.failure, 'MultipleMatches');
    assert.deepEqual(
      (ambiguous.details as { candidateIds: number[] }).candidateIds.sort(),
      [first.id, second.id].sort(),
    );
    assert.equal(after.find((o) => o.id === first.id)!.external_id, null, 'nothing written to a candidate');
    assert.equal((await ctx.stack.state('Account', twin!)).link, undefined);

    const refused = await outcomeOf(rejected!, 1);
    assert.equal(refused.outcome, 'failed');
    assert.equal(refused.failure, 'ZendeskRejected');
    assert.match(refused.message ?? '', /create_many: InvalidValue/);
    assert.equal(byName('Rejected Org').length, 0);

    // A second run: everything is linked now. Updates only, no write-back, still a few calls.
    ctx.stack.zd.log.reset();
    ctx.stack.sf.log.reset();
    const again = await (
      await startBulkResync(ctx.stack.client, ctx.stack.taskQueue, {
        object: 'Account',
        batch: true,
        pageSize: 100,
      })
    ).result();
    assert.equal(again.batch?.updated, 252);
    assert.equal(again.batch?.fallback, 0);
    assert.equal(again.batch?.withoutWorkflow, 237);
    assert.ok(ctx.stack.zd.log.summary().total <= 20, JSON.stringify(ctx.stack.zd.log.summary().byEndpoint));
    assert.equal(
      Object.keys(ctx.stack.sf.log.summary().byEndpoint).filter((r) => r.includes('composite')).length,
      0,
      'no second write-back',
    );
    for (const id of [...linked, ...fresh])
      assert.equal(cdcUpdatesOf(ctx.stack, id, 'Zendesk_Organization_Id__c'), 1);
    for (const id of linked)
      assert.equal((await ctx.stack.state('Account', id)).outcomes[0]?.outcome, 'updated');
    assert.equal((await orgs()).length, orgsBefore + 181);
  });

  it("links legacy organizations holding an account's Id (18 or 15 characters) before matching by name", async () => {
    const [long, short] = await createAccounts([
      { Name: 'Legacy Long Renamed', Industry: 'Banking', Type: 'Customer - Direct' },
      { Name: 'Legacy Short Renamed', Industry: 'Banking', Type: 'Customer - Direct' },
    ]);
    const legacy = async (name: string, external_id: string) =>
      (
        await ctx.stack.zendesk
          .post('organizations', { json: { organization: { name, external_id } } })
          .json<{ organization: ZendeskOrganization }>()
      ).organization.id;
    const longOrg = await legacy('Legacy Long (old CRM)', long!);
    const shortOrg = await legacy('Legacy Short (old CRM)', short!.slice(0, 15));
    const before = (await orgs()).length;
    const progress = await (
      await startBulkResync(ctx.stack.client, ctx.stack.taskQueue, {
        object: 'Account',
        batch: true,
        where: `Name LIKE 'Legacy % Renamed'`,
      })
    ).result();
    assert.deepEqual(progress.batch, {
      created: 0,
      updated: 2,
      failed: 0,
      other: 0,
      fallback: 0,
      withoutWorkflow: 2,
    });
    assert.equal((await orgs()).length, before, 'no second organization');
    for (const [id, orgId, name] of [
      [long!, longOrg, 'Legacy Long Renamed'],
      [short!, shortOrg, 'Legacy Short Renamed'],
    ] as const) {
      assert.equal(await hasWorkflow(id), false);
      const org = ctx.stack.zd.store.organizations.get(orgId)!;
      assert.deepEqual([org.name, org.external_id], [name, id]);
      assert.equal((await accountField(id)).Zendesk_Organization_Id__c, String(orgId));
    }
  });

  it('hands a record whose workflow is mid-pass to the per-record path instead of racing it', async () => {
    const [id] = await createAccounts([
      { Name: 'Busy Corp', Industry: 'Banking', Segment__c: 'SMB', Type: 'Customer - Direct' },
    ]);
    // Slow Zendesk down so the record's own pass is still running when the batch reads its state.
    ctx.stack.zd.faults.update({ latencyMs: 1500 });
    await ctx.stack.notify('Account', id!, { source: 'created' });
    await new Promise((r) => setTimeout(r, 300));
    const progress = await (
      await startBulkResync(ctx.stack.client, ctx.stack.taskQueue, {
        object: 'Account',
        batch: true,
        where: `Name = 'Busy Corp'`,
      })
    ).result();
    ctx.stack.zd.faults.reset();
    assert.equal(progress.batch?.fallback, 1, JSON.stringify(progress));
    const o = await ctx.stack.waitForPasses('Account', id!, 2, 60_000);
    assert.ok(['created', 'updated'].includes(o.outcome), JSON.stringify(o));
    assert.equal((await orgs()).filter((x) => x.name === 'Busy Corp').length, 1);
    assert.equal(cdcUpdatesOf(ctx.stack, id!, 'Zendesk_Organization_Id__c'), 1);
  });
});
