import assert from 'node:assert/strict';
import { WorkflowNotFoundError } from '@temporalio/client';
import { startBulkResync } from '../../client/bulk-resync';
import { runCli } from '../../client/cli/program';
import type { OutcomeCounts } from '../../client/cli/status';
import { recordWorkflowId, type SalesforceObject } from '../../workflows/sync-types';
import { syncConfig } from '../fixtures/sync-config';
import { useStack, type Stack } from '../helpers/stack';
import { cdcUpdatesOf } from '../sync/durability-support';

/**
 * A batch backfill starts no record workflows (docs/architecture.md, "A batch backfill starts no
 * workflows"): the Zendesk ID written back to Salesforce is the record of the link. A later change starts
 * the record's workflow, which adopts that link instead of matching again, unless the value is not the
 * record's own (a clone carrying its original's value).
 */
async function hasWorkflow(stack: Stack, object: SalesforceObject, id: string): Promise<boolean> {
  try {
    await stack.client.workflow.getHandle(recordWorkflowId(object, id)).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

function adoptionSuite(externalId: boolean): void {
  describe(`batch backfill without workflows, then adoption (externalId: ${externalId})`, function () {
    this.timeout(240_000);

    const ctx = useStack({
      config: syncConfig({
        accounts: {
          externalId,
          fields: [
            { salesforce: 'Name', zendesk: 'name' },
            { salesforce: 'Industry', zendesk: 'organization_fields.industry' },
            { salesforce: 'Phone', zendesk: 'organization_fields.phone' },
          ],
        },
      }),
      organizationFields: [
        { key: 'industry', type: 'text', title: 'Industry' },
        { key: 'phone', type: 'regexp', title: 'Phone', regexp_for_validation: '^[0-9+ ()-]*$' },
      ],
    });

    const createAccount = async (fields: Record<string, unknown>): Promise<string> => {
      const r = await ctx.stack.salesforce.sobject('Account').create({ Industry: 'Banking', ...fields });
      assert.ok(r.success, JSON.stringify(r));
      return r.id;
    };
    const writtenBack = async (id: string) =>
      ((await ctx.stack.salesforce.sobject('Account').retrieve(id)) as unknown as Record<string, unknown>)
        .Zendesk_Organization_Id__c as string | null;
    const orgCount = () => ctx.stack.zd.store.organizations.size;

    it('links accounts without starting workflows; a later change adopts the link, a clone does not', async () => {
      const suffix = externalId ? 'X' : 'N';
      const fresh = await createAccount({ Name: `Adopt Fresh ${suffix}` });
      const matching = await createAccount({ Name: `Adopt Matching ${suffix}` });
      const rejected = await createAccount({ Name: `Adopt Rejected ${suffix}`, Phone: 'call me maybe' });
      await ctx.stack.zendesk.post('organizations', {
        json: { organization: { name: `Adopt Matching ${suffix}` } },
      });

      const progress = await (
        await startBulkResync(ctx.stack.client, ctx.stack.taskQueue, {
          object: 'Account',
          batch: true,
          where: `Name LIKE 'Adopt % ${suffix}'`,
        })
      ).result();
      assert.deepEqual(progress.batch, {
        created: 1,
        updated: 1,
        failed: 1,
        other: 0,
        fallback: 0,
        withoutWorkflow: 2,
      });
      // `sfzd status` names the run and its counts: these accounts are in no record workflow count.
      let stdout = '';
      const code = await runCli(['--json', 'status', 'Account'], {
        env: ctx.stack.workerEnv(),
        stdout: (out) => (stdout += out),
        stderr: () => undefined,
      });
      assert.equal(code, 0);
      const status = JSON.parse(stdout) as OutcomeCounts;
      assert.match(status.batchRun?.workflowId ?? '', /^bulk-resync\/Account\//);
      assert.equal(status.batchRun?.status, 'COMPLETED');
      assert.deepEqual(status.batchRun?.progress?.batch, progress.batch);

      // The links are in Salesforce's write-back field, and no workflow was started for them.
      const freshOrg = Number(await writtenBack(fresh));
      const matchingOrg = Number(await writtenBack(matching));
      assert.equal(ctx.stack.zd.store.organizations.get(freshOrg)?.name, `Adopt Fresh ${suffix}`);
      assert.equal(ctx.stack.zd.store.organizations.get(matchingOrg)?.name, `Adopt Matching ${suffix}`);
      assert.equal(await hasWorkflow(ctx.stack, 'Account', fresh), false);
      assert.equal(await hasWorkflow(ctx.stack, 'Account', matching), false);
      // A failure still gets a workflow, so it shows in the UI and in `sfzd failures`.
      const failed = await ctx.stack.waitForPasses('Account', rejected, 1, 60_000);
      assert.deepEqual([failed.outcome, failed.failure], ['failed', 'ZendeskRejected']);

      // A later change: the new workflow adopts the written-back link, with no search and no new organization.
      await ctx.stack.salesforce.sobject('Account').update({ Id: fresh, Industry: 'Energy' });
      const before = orgCount();
      ctx.stack.zd.log.reset();
      await ctx.stack.notify('Account', fresh, { source: 'cdc' });
      const adopted = await ctx.stack.waitForPasses('Account', fresh, 1, 60_000);
      assert.deepEqual([adopted.outcome, adopted.zendeskId], ['updated', freshOrg], JSON.stringify(adopted));
      assert.match(adopted.message ?? '', /adopted the link/);
      assert.equal(orgCount(), before, 'no second organization');
      const routes = Object.keys(ctx.stack.zd.log.summary().byEndpoint);
      assert.ok(!routes.some((r) => r.includes('search')), `no search: ${routes.join(', ')}`);
      assert.equal(ctx.stack.zd.store.organizations.get(freshOrg)?.organization_fields.industry, 'Energy');
      const state = await ctx.stack.state('Account', fresh);
      assert.deepEqual([state.link?.zendeskId, state.writtenBack], [freshOrg, true]);
      assert.equal(cdcUpdatesOf(ctx.stack, fresh, 'Zendesk_Organization_Id__c'), 1, 'no second write-back');

      // A contact of an account without a workflow joins the organization in the account's write-back field.
      const contact = await ctx.stack.salesforce.sobject('Contact').create({
        LastName: `Adopt Contact ${suffix}`,
        Email: `adopt.contact.${suffix.toLowerCase()}@example.com`,
        AccountId: matching,
      });
      assert.ok(contact.success);
      await ctx.stack.notify('Contact', contact.id, { source: 'created' });
      const user = await ctx.stack.waitForPasses('Contact', contact.id, 1, 60_000);
      assert.equal(user.outcome, 'created', JSON.stringify(user));
      const shown = await ctx.stack.zendesk
        .get(`users/${user.zendeskId}`)
        .json<{ user: { organization_id: number | null } }>();
      assert.equal(shown.user.organization_id, matchingOrg);

      // A clone carries its original's write-back value: refused, so it is matched (here: created) anew.
      const clone = await createAccount({
        Name: `Adopt Clone ${suffix}`,
        Zendesk_Organization_Id__c: String(freshOrg),
      });
      await ctx.stack.notify('Account', clone, { source: 'created' });
      const cloned = await ctx.stack.waitForPasses('Account', clone, 1, 60_000);
      assert.equal(cloned.outcome, 'created', JSON.stringify(cloned));
      assert.notEqual(cloned.zendeskId, freshOrg);
      assert.match(cloned.message ?? '', /not adopted: .*clone/);
      assert.equal(await writtenBack(clone), String(cloned.zendeskId), 'its own link is written back');
      assert.equal(ctx.stack.zd.store.organizations.get(freshOrg)?.name, `Adopt Fresh ${suffix}`);
    });
  });
}

adoptionSuite(true);
adoptionSuite(false);
