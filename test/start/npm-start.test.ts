/**
 * Smoke test of `npm start` as a newcomer runs it: one process brings up the dev server, the sandboxes,
 * the worker and the change feed; a change made through the Salesforce sandbox's REST API reaches
 * Zendesk with no other action; Ctrl-C (SIGINT to the terminal's whole process group) or SIGTERM shuts
 * everything down cleanly: the worker drains before the dev server stops, so nothing logs a warning. The
 * start is quiet too: the workflow bundle is one INFO line, webpack's report only at DEBUG.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import got from 'got';
import { touchRecord } from '../../client/demo/touch';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** A log line that warns: the worker's JSON lines at WARN/ERROR, the dev server's `level=…` lines, gRPC retries. */
const WARNING = /"level":"(WARN|ERROR)"|level=(WARN|ERROR)|tcp connect error/;

/** The start's log holds the bundle's one INFO line and nothing of webpack's report. */
function assertQuietBundle(output: string): void {
  const bundleLines = output.split('\n').filter((l) => /workflow bundle|workflow-bundle/i.test(l));
  assert.equal(bundleLines.length, 1, `one line about the workflow bundle:\n${bundleLines.join('\n')}`);
  const entry = JSON.parse(bundleLines[0]!) as { level: string; message: string };
  assert.equal(entry.level, 'INFO');
  assert.match(entry.message, /^workflow bundle built in \d+\.\d s, \d+ KiB$/);
  assert.doesNotMatch(output, /modules by path|Workflow bundle created/, "webpack's report stays at DEBUG");
}

function assertNoWarnings(output: string): void {
  const warnings = output.split('\n').filter((l) => WARNING.test(l));
  assert.deepEqual(warnings, [], `no warnings while starting and stopping\n${output.slice(-3000)}`);
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  temporalPort: number;
  uiPort: number;
  sfPort: number;
  zdPort: number;
}

/** `npm start` (its command, `node --import tsx client/start/main.ts`) on free ports, in its own process group. */
async function startNpmStart(): Promise<Started> {
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
  // detached: a process group of its own, as a shell gives a foreground job, so that Ctrl-C can be sent
  // the way a terminal sends it (to the whole group).
  const child = spawn(process.execPath, ['--import', 'tsx', 'client/start/main.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

  const deadline = Date.now() + 120_000;
  while (!output.includes('salesforce-zendesk-sync is running.')) {
    assert.ok(child.exitCode === null, `npm start exited early:\n${output}`);
    assert.ok(Date.now() < deadline, `npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, output: () => output, exited, temporalPort, uiPort, sfPort, zdPort };
}

/** Waits until the record's workflow has an activity past fetchAndPlan (one that calls Zendesk) running. */
async function waitForZendeskActivity(temporalPort: number, workflowId: string): Promise<void> {
  const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
  try {
    const client = new Client({ connection });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const described = await client.workflow
        .getHandle(workflowId)
        .describe()
        .catch(() => undefined);
      const pending = (described?.raw.pendingActivities ?? []).map((a) => a.activityType?.name);
      if (pending.some((name) => name && name !== 'fetchAndPlan')) return;
      assert.ok(Date.now() < deadline, `no Zendesk activity in flight for ${workflowId}: ${pending.join()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await connection.close();
  }
}

async function assertStopsCleanly(started: Started): Promise<void> {
  const code = await Promise.race([
    started.exited,
    new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000)),
  ]);
  assert.equal(code, 0, `clean shutdown\n${started.output().slice(-3000)}`);
  // The dev server it started is gone too.
  const probe = createServer();
  await new Promise<void>((ok, fail) =>
    probe.once('error', fail).listen(started.temporalPort, '127.0.0.1', ok),
  );
  await new Promise((r) => probe.close(r));
  assertNoWarnings(started.output());
  assertQuietBundle(started.output());
}

describe('npm start (smoke)', function () {
  this.timeout(180_000);
  let started: Started | undefined;

  afterEach(() => {
    // On failure, take the whole process group down, so no worker outlives the test (the dev server,
    // in a group of its own, is killed when npm start exits).
    const child = started?.child;
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    started = undefined;
  });

  it('syncs a change made through the Salesforce sandbox, then stops cleanly on Ctrl-C', async () => {
    started = await startNpmStart();
    const { child, uiPort, sfPort, zdPort } = started;
    const output = started.output;
    assert.match(output(), new RegExp(`Temporal UI:  http://127.0.0.1:${uiPort}/`));

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
      `the change reached Zendesk\n${output().slice(-3000)}`,
    );

    // Ctrl-C while a pass waits on Zendesk: the worker drains that activity, and reports it to a dev server
    // that must still be up (one that took the terminal's SIGINT too would be gone: tcp connect errors).
    await got.put(`http://127.0.0.1:${zdPort}/__sandbox/faults`, { json: { latencyMs: 4_000 } });
    const second = await touchRecord(`http://127.0.0.1:${sfPort}`, 'Account');
    await waitForZendeskActivity(started.temporalPort, second.workflowId);
    // Ctrl-C as a terminal sends it: SIGINT to every process of the foreground group.
    process.kill(-child.pid!, 'SIGINT');
    await assertStopsCleanly(started);
  });

  it('stops cleanly on SIGTERM (a process manager stopping it): the worker drains, then the dev server stops', async () => {
    started = await startNpmStart();
    started.child.kill('SIGTERM');
    await assertStopsCleanly(started);
  });
});
