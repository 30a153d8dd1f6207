/**
 * `sfzd dry-run` on the real stack: it runs fetch, filter and match through the real worker and prints
 * the Zendesk requests a pass would send as a diff, while both sandboxes' request logs prove that
 * nothing was written (no POST/PUT/PATCH/DELETE on either API).
 */
import assert from 'node:assert/strict';
import type { DryRunView } from '../../client/cli/dry-run';
import { runCli } from '../../client/cli/program';
import type { LoggedRequest } from '../../sandbox/common/request-log';
import { useStack } from '../helpers/stack';

interface Org {
  id: number;
  name: string;
  tags: string[];
  organization_fields: Record<string, unknown>;
}

/** Data writes; the OAuth token endpoint is a login, not a write to the org's data. */
const writes = (entries: LoggedRequest[]) =>
  entries.filter((e) => e.method !== 'GET' && e.method !== 'HEAD' && !e.path.includes('/oauth2/token'));

describe('sfzd dry-run (end to end)', function () {
  this.timeout(60_000);

  const ctx = useStack();

  async function sfzd(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      env: ctx.stack.workerEnv(),
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
    });
    return { code, stdout, stderr };
  }
  /** Runs a dry-run and checks that neither sandbox received a write while it ran. */
  async function dryRunWritingNothing(
    ...argv: string[]
  ): Promise<{ code: number; out: DryRunView; text: string }> {
    const zdMark = ctx.stack.zd.log.entries().length;
    const sfMark = ctx.stack.sf.log.entries().length;
    const run = await sfzd('--json', 'dry-run', ...argv);
    const zdSeen = ctx.stack.zd.log.entries().slice(zdMark);
    const sfSeen = ctx.stack.sf.log.entries().slice(sfMark);
    assert.ok(
      zdSeen.some((e) => e.method === 'GET'),
      'the dry-run read Zendesk',
    );
    assert.ok(
      sfSeen.some((e) => e.method === 'GET'),
      'the dry-run read Salesforce',
    );
    assert.deepEqual(writes(zdSeen), [], 'no Zendesk writes');
    assert.deepEqual(writes(sfSeen), [], 'no Salesforce writes');
    return { code: run.code, out: JSON.parse(run.stdout) as DryRunView, text: run.stderr };
  }

  it('a linked account shows an update of its linked organization, field by field, and writes nothing', async () => {
    const id = (
      await ctx.stack.salesforce.sobject('Account').create({ Name: 'Dry Run Linked Co', Industry: 'Energy' })
    ).id!;
    await ctx.stack.notify('Account', id, { source: 'created' });
    assert.equal((await ctx.stack.waitForPasses('Account', id, 1)).outcome, 'created');
    const linked = (await ctx.stack.state('Account', id)).link!.zendeskId;

    // The new name belongs to another Zendesk organization: matching would find that one, the link must win.
    const other = (
      await ctx.stack.zendesk
        .post('organizations', { json: { organization: { name: 'Dry Run Renamed Co' } } })
        .json<{ organization: Org }>()
    ).organization;
    await ctx.stack.salesforce
      .sobject('Account')
      .update({ Id: id, Name: 'Dry Run Renamed Co', Industry: 'Retail', Segment__c: 'SMB' });

    const { code, out } = await dryRunWritingNothing('Account', id);
    assert.equal(code, 0);
    assert.equal(out.verdict, 'would-update', out.message);
    assert.equal(out.foundBy, 'link');
    assert.equal(out.zendeskId, linked);
    assert.notEqual(out.zendeskId, other.id);
    assert.match(out.workflowId, new RegExp(`^dry-run/Account/${id}/`));
    const row = (field: string) => out.diff.find((r) => r.field === field);
    assert.deepEqual(row('name'), {
      field: 'name',
      current: 'Dry Run Linked Co',
      new: 'Dry Run Renamed Co',
      op: 'set',
      changed: true,
    });
    assert.deepEqual(row('organization_fields.industry'), {
      field: 'organization_fields.industry',
      current: 'Energy',
      new: 'Retail',
      op: 'set',
      changed: true,
    });
    assert.equal(row('tags')?.op, 'append');
    assert.equal(row('tags')?.changed, true);
    assert.deepEqual(row('external_id'), {
      field: 'external_id',
      current: id,
      new: id,
      op: 'set',
      changed: false,
    });
    assert.deepEqual(
      out.requests.map((r) => `${r.method} ${r.path}`),
      [`PUT organizations/${linked}`, `PUT organizations/${linked}/tags`],
    );

    // Zendesk still has the old values, and the record workflow ran no pass.
    const org = (await ctx.stack.zendesk.get(`organizations/${linked}`).json<{ organization: Org }>())
      .organization;
    assert.deepEqual([org.name, org.organization_fields.industry], ['Dry Run Linked Co', 'Energy']);
    assert.equal((await ctx.stack.state('Account', id)).passes, 1);

    // The UI shows what each workflow is: the record's fixed details (IDs only) and the dry-run's summary.
    const record = await ctx.stack.client.workflow.getHandle(`salesforce/Account/${id}`).describe();
    const details = (await record.staticDetails()) ?? '';
    assert.match(details, new RegExp(`Salesforce Account \`${id}\``));
    assert.ok(
      details.includes(`sfzd resync Account ${id}`) && details.includes(`sfzd dry-run Account ${id}`),
    );
    assert.ok(!details.includes('Dry Run'), 'no record values in static details');
    const dry = await ctx.stack.client.workflow.getHandle(out.workflowId).describe();
    assert.equal(await dry.staticSummary(), `dry-run Account ${id} (writes nothing)`);
  });

  it('a contact that never synced shows a create, with its emails and phones as appended identities', async () => {
    const id = (
      await ctx.stack.salesforce.sobject('Contact').create({
        LastName: 'Dryrun',
        FirstName: 'Dana',
        Email: 'dana.dryrun@example.test',
        Phone: '+15550001111',
      })
    ).id!;
    const { code, out } = await dryRunWritingNothing('Contact', id);
    assert.equal(code, 0);
    assert.equal(out.verdict, 'would-create', out.message);
    assert.equal(out.zendeskKind, 'user');
    assert.equal(out.zendeskId, undefined);
    assert.deepEqual(
      out.requests.map((r) => `${r.method} ${r.path}`),
      ['POST users'],
    );
    assert.deepEqual(
      out.diff.find((r) => r.field === 'emails'),
      { field: 'emails', current: [], new: ['dana.dryrun@example.test'], op: 'append', changed: true },
    );
    assert.equal(out.diff.find((r) => r.field === 'name')?.new, 'Dana Dryrun');
    const phones = out.diff.find((r) => r.field === 'phones');
    assert.deepEqual([phones?.op, phones?.changed], ['append', true]);
    assert.match(JSON.stringify(phones?.new), /5550001111/);
    assert.equal(out.writeBack?.field, 'Zendesk_User_Id__c');
    const users = (await ctx.stack.zendesk.get('users').json<{ users: Array<{ email: string | null }> }>())
      .users;
    assert.ok(!users.some((u) => u.email === 'dana.dryrun@example.test'));
  });

  it('reports several matches and an agent as no-write verdicts, in JSON and in the human output', async () => {
    const first = (
      await ctx.stack.zendesk
        .post('organizations', { json: { organization: { name: 'Dry Run Twin Corp' } } })
        .json<{ organization: Org }>()
    ).organization;
    const twin = {
      ...ctx.stack.zd.store.organizations.get(first.id)!,
      id: ctx.stack.zd.store.nextId('organization'),
    };
    ctx.stack.zd.store.organizations.set(twin.id, twin);
    const id = (await ctx.stack.salesforce.sobject('Account').create({ Name: 'Dry Run Twin Corp' })).id!;
    const { out } = await dryRunWritingNothing('Account', id);
    assert.equal(out.verdict, 'multiple-matches');
    assert.deepEqual([...(out.candidateIds ?? [])].sort(), [first.id, twin.id].sort());

    // An agent or admin is never modified: the dry-run says so instead of showing a write.
    const agent = (
      await ctx.stack.zendesk
        .post('users', {
          json: { user: { name: 'Dry Agent', email: 'dry.agent@support.test', role: 'agent' } },
        })
        .json<{ user: { id: number } }>()
    ).user;
    const contact = (
      await ctx.stack.salesforce
        .sobject('Contact')
        .create({ LastName: 'Agentish', Email: 'dry.agent@support.test' })
    ).id!;
    const protectedRun = await dryRunWritingNothing('Contact', contact);
    assert.equal(protectedRun.out.verdict, 'protected', protectedRun.out.message);
    assert.equal(protectedRun.out.zendeskId, agent.id);
    assert.match(protectedRun.out.message, /agents and admins are never modified/);
    assert.deepEqual(protectedRun.out.requests, []);

    const run = await sfzd('dry-run', 'Account', id);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Verdict:\s+multiple-matches/);
    assert.match(run.stdout, /nothing was written/);
  });
});
