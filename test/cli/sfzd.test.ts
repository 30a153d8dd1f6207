/**
 * The sfzd CLI, run in-process with --json against the real stack (sandboxes, Temporal dev server,
 * real worker): every assertion reads the CLI's parsed JSON output and its exit code.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../client/cli/program';
import type { FailureRow } from '../../client/cli/failures';
import type { ProgressView } from '../../client/cli/resync';
import type { OutcomeCounts } from '../../client/cli/status';
import type { RecordStateView } from '../../workflows/record-messages';
import { useStack } from '../helpers/stack';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('sfzd CLI (end to end)', function () {
  this.timeout(60_000);

  const ctx = useStack();

  async function sfzd(...argv: string[]): Promise<Run> {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      env: ctx.stack.workerEnv(),
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
    });
    return { code, stdout, stderr };
  }
  async function sfzdJson<T>(...argv: string[]): Promise<{ code: number; out: T; stderr: string }> {
    const run = await sfzd('--json', ...argv);
    return { code: run.code, out: JSON.parse(run.stdout) as T, stderr: run.stderr };
  }
  async function syncedAccount(name: string): Promise<string> {
    const id = (await ctx.stack.salesforce.sobject('Account').create({ Name: name, Industry: 'Energy' })).id!;
    await ctx.stack.notify('Account', id, { source: 'created' });
    assert.equal((await ctx.stack.waitForPasses('Account', id, 1)).outcome, 'created');
    return id;
  }
  /** Visibility (search attributes) is eventually consistent: ask until `ok` or the deadline. */
  async function eventually<T>(ask: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await ask();
      if (ok(v) || Date.now() > deadline) return v;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  describe('config validate', () => {
    it('accepts the stack configuration, offline and online (exit 0)', async () => {
      const offline = await sfzdJson<{ valid: boolean; file: string }>('config', 'validate');
      assert.equal(offline.code, 0, offline.stderr);
      assert.deepEqual([offline.out.valid, offline.out.file], [true, ctx.stack.configPath]);
      const online = await sfzdJson<{ valid: boolean; online: boolean }>('config', 'validate', '--online');
      assert.equal(online.code, 0, online.stderr);
      assert.deepEqual([online.out.valid, online.out.online], [true, true]);
    });

    it('accepts writing the Zendesk ID back to the standard AccountNumber field, checked against describe', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'sfzd-cli-')), 'account-number.yaml');
      const text = readFileSync(ctx.stack.configPath, 'utf8').replace(
        'syncedIdField: Zendesk_Organization_Id__c',
        'syncedIdField: AccountNumber',
      );
      assert.ok(text.includes('syncedIdField: AccountNumber'));
      writeFileSync(file, text);
      const online = await sfzdJson<{ valid: boolean; online: boolean; issues: unknown[] }>(
        'config',
        'validate',
        file,
        '--online',
      );
      assert.equal(online.code, 0, JSON.stringify(online.out));
      assert.deepEqual([online.out.valid, online.out.online, online.out.issues], [true, true, []]);
      // A read-only standard field is refused by the same check.
      writeFileSync(file, text.replace('syncedIdField: AccountNumber', 'syncedIdField: PhotoUrl'));
      const refused = await sfzdJson<{ valid: boolean; issues: Array<{ path: string }> }>(
        'config',
        'validate',
        file,
        '--online',
      );
      assert.equal(refused.code, 1);
      assert.deepEqual(
        refused.out.issues.map((i) => i.path),
        ['accounts.syncedIdField'],
      );
    });

    it('lists every problem of a bad file with its config path (exit 1)', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'sfzd-cli-')), 'bad.yaml');
      writeFileSync(file, 'accounts:\n  enabled: true\n  mode: sideways\n  filterz: {}\n');
      const { code, out } = await sfzdJson<{
        valid: boolean;
        issues: Array<{ path: string; message: string }>;
      }>('config', 'validate', file);
      assert.equal(code, 1);
      assert.equal(out.valid, false);
      const paths = out.issues.map((i) => i.path);
      assert.ok(paths.includes('accounts.mode'), JSON.stringify(out.issues));
      assert.ok(
        out.issues.some((i) => /filterz/.test(i.message)),
        JSON.stringify(out.issues),
      );
    });
  });

  it('status of a synced account shows its Zendesk organization link and outcome', async () => {
    const id = await syncedAccount('Cli Status Corp');
    const { code, out } = await sfzdJson<RecordStateView>('status', 'Account', id);
    assert.equal(code, 0);
    const orgs = (
      await ctx.stack.zendesk
        .get('organizations')
        .json<{ organizations: Array<{ id: number; external_id: string }> }>()
    ).organizations.filter((o) => o.external_id === id);
    assert.equal(orgs.length, 1);
    assert.equal(out.link?.zendeskId, orgs[0]!.id);
    assert.equal(out.writtenBack, true);
    assert.equal(out.outcomes[0]?.outcome, 'created');
    assert.equal(out.outcomes[0]?.trigger, 'created');

    const counts = await eventually(
      async () => (await sfzdJson<OutcomeCounts>('status', 'Account')).out,
      (c) => (c.byOutcome.created ?? 0) >= 1,
    );
    assert.ok((counts.byOutcome.created ?? 0) >= 1, JSON.stringify(counts));
    assert.ok(counts.total >= counts.byOutcome.created!);
  });

  it('prints tables for humans without --json', async () => {
    const id = await syncedAccount('Cli Table Co');
    const state = await ctx.stack.state('Account', id);
    const run = await sfzd('status', 'Account', id);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`Zendesk ID:\\s+${state.link!.zendeskId} \\(created`));
    assert.match(run.stdout, /AT\s+TRIGGER\s+OUTCOME/);
    assert.match(run.stdout, /created\s+created/);
  });

  it('status of a record that never synced is one operational error line (exit 1)', async () => {
    const run = await sfzd('status', 'Account', '001000000000000AAA');
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^sfzd: no sync workflow salesforce\/Account\/001000000000000AAA.*sfzd resync/);
    assert.equal(run.stderr.trim().split('\n').length, 1);
  });

  it('failures lists a contact blocked by an agent with the reason (ProtectedUser)', async () => {
    const agent = (
      await ctx.stack.zendesk
        .post('users', {
          json: { user: { name: 'Cli Agent', email: 'cli.agent@support.test', role: 'agent' } },
        })
        .json<{ user: { id: number } }>()
    ).user;
    const id = (
      await ctx.stack.salesforce
        .sobject('Contact')
        .create({ LastName: 'Impostor', Email: 'cli.agent@support.test' })
    ).id!;
    await ctx.stack.notify('Contact', id, { source: 'created' });
    assert.equal((await ctx.stack.waitForPasses('Contact', id, 1)).failure, 'ProtectedUser');

    const { code, out } = await eventually(
      () => sfzdJson<{ failures: FailureRow[] }>('failures', '--type', 'ProtectedUser', '--since', '1h'),
      (r) => r.out.failures.some((f) => f.salesforceId === id),
    );
    assert.equal(code, 0);
    const row = out.failures.find((f) => f.salesforceId === id);
    assert.ok(row, JSON.stringify(out));
    assert.equal(row.object, 'Contact');
    assert.equal(row.failure, 'ProtectedUser');
    assert.match(row.message, new RegExp(`${agent.id}.*agent`));

    // Other failure types are filtered out.
    const other = await sfzdJson<{ failures: FailureRow[] }>('failures', '--type', 'MultipleMatches');
    assert.ok(!other.out.failures.some((f) => f.salesforceId === id));
  });

  it('failures --type MultipleMatches shows the candidate organization ids', async () => {
    // The Zendesk API refuses duplicate names, so the twin goes straight into the sandbox store
    // (as in test/sync/matching-link-and-protect.test.ts).
    const first = (
      await ctx.stack.zendesk
        .post('organizations', { json: { organization: { name: 'Cli Twin Corp' } } })
        .json<{ organization: { id: number } }>()
    ).organization;
    const twin = {
      ...ctx.stack.zd.store.organizations.get(first.id)!,
      id: ctx.stack.zd.store.nextId('organization'),
    };
    ctx.stack.zd.store.organizations.set(twin.id, twin);
    const id = (await ctx.stack.salesforce.sobject('Account').create({ Name: 'Cli Twin Corp' })).id!;
    await ctx.stack.notify('Account', id, { source: 'created' });
    assert.equal((await ctx.stack.waitForPasses('Account', id, 1)).failure, 'MultipleMatches');

    const { code, out } = await eventually(
      () => sfzdJson<{ failures: FailureRow[] }>('failures', 'Account', '--type', 'MultipleMatches'),
      (r) => r.out.failures.some((f) => f.salesforceId === id),
    );
    assert.equal(code, 0);
    const row = out.failures.find((f) => f.salesforceId === id);
    assert.ok(row, JSON.stringify(out));
    assert.deepEqual(
      [...(row.candidateIds ?? [])].sort((a, b) => a - b),
      [first.id, twin.id].sort((a, b) => a - b),
    );
  });

  it('resync of one id runs a new forced pass triggered by resync', async () => {
    const id = await syncedAccount('Cli Resync Ltd');
    const { code, out } = await sfzdJson<{ signalled: Array<{ salesforceId: string }> }>(
      'resync',
      'Account',
      id,
    );
    assert.equal(code, 0);
    assert.deepEqual(
      out.signalled.map((s) => s.salesforceId),
      [id],
    );
    const outcome = await ctx.stack.waitForPasses('Account', id, 2);
    assert.equal(outcome.trigger, 'resync');
    assert.equal(outcome.outcome, 'updated', 'forced: written even though nothing changed');
  });

  it('resync --all runs a bulk resync to done == total and prints its final progress', async () => {
    for (const name of ['Bulk One', 'Bulk Two', 'Bulk Three'])
      await ctx.stack.salesforce.sobject('Account').create({ Name: `Cli ${name}` });
    const expected = (await ctx.stack.salesforce.query('SELECT Id FROM Account')).totalSize;
    const { code, out, stderr } = await sfzdJson<ProgressView>('resync', 'Account', '--all', '--poll', '100');
    assert.equal(code, 0, stderr);
    assert.ok(out.workflowId.startsWith('bulk-resync/Account/'));
    assert.equal(out.total, expected);
    assert.equal(out.done, out.total);
    assert.equal(out.failed, 0);
    assert.ok(out.finishedAt);

    const attached = await sfzdJson<ProgressView>('resync', '--attach', out.workflowId);
    assert.equal(attached.code, 0);
    assert.equal(attached.out.done, expected);
  });

  it('resync --all --detach prints the workflow id; a rejected --where fails with one line (exit 1)', async () => {
    await ctx.stack.salesforce.sobject('Account').create({ Name: 'Cli Detach One' });
    const detached = await sfzdJson<{ workflowId: string; detached: boolean }>(
      'resync',
      'Account',
      '--all',
      '--detach',
      '--where',
      "Name = 'Cli Detach One'",
    );
    assert.equal(detached.code, 0, detached.stderr);
    assert.equal(detached.out.detached, true);
    const attached = await sfzdJson<ProgressView>(
      'resync',
      '--attach',
      detached.out.workflowId,
      '--poll',
      '100',
    );
    assert.equal(attached.code, 0, attached.stderr);
    assert.deepEqual([attached.out.total, attached.out.done], [1, 1]);

    const unsafe = await sfzd(
      'resync',
      'Account',
      '--all',
      '--poll',
      '100',
      '--where',
      "Name = 'x') OR (Name != null",
    );
    assert.equal(unsafe.code, 1);
    const lines = unsafe.stderr.trim().split('\n');
    assert.match(
      lines[lines.length - 1]!,
      /^sfzd: bulk resync bulk-resync\/Account\/.* failed: .*not a valid SOQL condition/,
    );
  });

  it('usage mistakes exit 2 with one line', async () => {
    for (const argv of [['status', 'Opportunity', '006000000000000'], ['resync', 'Account'], ['nope']]) {
      const run = await sfzd(...argv);
      assert.equal(run.code, 2, `${argv.join(' ')}: ${run.stderr}`);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    }
  });
});
