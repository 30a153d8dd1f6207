/**
 * Smoke test of `npm start` as a newcomer runs it: one process brings up the dev server, the sandboxes,
 * the worker and the change feed; a change made through the Salesforce sandbox's REST API reaches
 * Zendesk with no other action; Ctrl-C shuts everything down cleanly.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import got from 'got';
import { touchRecord } from '../../client/demo/touch';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('npm start (smoke)', function () {
  this.timeout(180_000);
  let child: ChildProcess | undefined;
  let output = '';

  after(() => {
    // On failure, take the whole process group down, so no dev server outlives the test.
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  });

  it('syncs a change made through the Salesforce sandbox, then stops cleanly on Ctrl-C', async () => {
    const [temporalPort, uiPort, sfPort, zdPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const dir = mkdtempSync(join(tmpdir(), 'sfzd-start-'));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH,
    };
    Object.assign(env, {
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_DEV_UI_PORT: String(uiPort),
      TEMPORAL_DEV_DB: join(dir, 'temporal.db'),
      SANDBOX_SALESFORCE_PORT: String(sfPort),
      SANDBOX_ZENDESK_PORT: String(zdPort),
      SANDBOX_DATA_DIR: join(dir, 'sandbox'),
      SANDBOX_SEED_ACCOUNTS: '5',
      SANDBOX_SEED_CONTACTS_PER_ACCOUNT: '1',
      SANDBOX_SEED_LEADS: '0',
    });
    const root = resolve(__dirname, '..', '..');
    child = spawn(process.execPath, ['--import', 'tsx', 'client/start/main.ts'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));

    const deadline = Date.now() + 120_000;
    while (!output.includes('salesforce-zendesk-sync is running.')) {
      assert.ok(child.exitCode === null, `npm start exited early:\n${output}`);
      assert.ok(Date.now() < deadline, `npm start did not come up:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.match(output, new RegExp(`Temporal UI:  http://127.0.0.1:${uiPort}/`));

    const touched = await touchRecord(`http://127.0.0.1:${sfPort}`, 'Account');
    const employees = Number(touched.change.split('= ')[1]);
    const zendesk = got.extend({
      prefixUrl: `http://127.0.0.1:${zdPort}/api/v2/`,
      username: 'admin@sandbox.test/token',
      password: 'sandbox',
    });
    let org: { organization_fields: Record<string, unknown> } | undefined;
    for (
      const until = Date.now() + 60_000;
      Date.now() < until;
      await new Promise((r) => setTimeout(r, 250))
    ) {
      const res = await zendesk
        .get('organizations/search', { searchParams: { external_id: touched.id } })
        .json<{ organizations: Array<{ organization_fields: Record<string, unknown> }> }>();
      org = res.organizations[0];
      if (org?.organization_fields.employees === employees) break;
    }
    assert.equal(
      org?.organization_fields.employees,
      employees,
      `the change reached Zendesk\n${output.slice(-3000)}`,
    );

    child.kill('SIGINT');
    const code = await Promise.race([
      exited,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000)),
    ]);
    assert.equal(code, 0, `clean shutdown\n${output.slice(-3000)}`);
    // The dev server it started is gone too.
    const probe = createServer();
    await new Promise<void>((ok, fail) => probe.once('error', fail).listen(temporalPort, '127.0.0.1', ok));
    await new Promise((r) => probe.close(r));
  });
});
