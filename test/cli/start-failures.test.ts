/**
 * Every long-running process, spawned as the container or npm runs it, when it cannot start: Temporal
 * unreachable, credentials refused, a port in use. Each exits 1 within a minute with one line that says
 * what to fix (a stack trace only at LOG_LEVEL=debug); SIGTERM or SIGINT while it waits for Temporal
 * stops it at once with exit 0, closing what it started.
 */
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../sandbox/salesforce';
import { sandboxCredentialEnv } from '../../sandbox/start-sandboxes';
import { startZendeskSandbox, type ZendeskSandbox } from '../../sandbox/zendesk';
import { baseEnv, blackHole, freePort, isFree, startProcess, type Proc } from '../deploy/processes';
import { temporalEnv } from '../helpers/temporal-env';

/** The entry points as package.json and the image run them. */
const NPM_RUN_WORKER = ['node', '--require', 'tsx/cjs', 'worker/main.ts'];
const NPM_RUN_LISTEN = ['node', '--import', 'tsx', 'client/listener/main.ts'];
const NPM_START = ['node', '--import', 'tsx', 'client/start/main.ts'];
const SFZD = ['node', 'bin/sfzd.js'];

/** Credentials that parse; nothing answers at these URLs. */
const FAKE_CREDENTIALS = {
  SALESFORCE_LOGIN_URL: 'http://127.0.0.1:9',
  SALESFORCE_CLIENT_ID: 'id',
  SALESFORCE_CLIENT_SECRET: 'secret',
  ZENDESK_URL: 'http://127.0.0.1:9',
  ZENDESK_EMAIL: 'admin@example.com',
  ZENDESK_API_TOKEN: 'token',
};

interface Ended {
  argv: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  output: string;
}

async function runTimed(argv: string[], env: NodeJS.ProcessEnv): Promise<Ended> {
  const started = Date.now();
  const p = startProcess(argv, env);
  const { code, signal } = await p.exited;
  return { argv: argv.join(' '), code, signal, ms: Date.now() - started, output: p.output() };
}

/** Exit 1 within a minute, with exactly one line of output and no stack trace. */
function assertOneLineFailure(r: Ended, message: RegExp): void {
  const where = `${r.argv}:\n${r.output}`;
  assert.equal(r.code, 1, where);
  assert.ok(r.ms < 60_000, `${r.argv} took ${r.ms} ms`);
  assert.equal(r.output.trim().split('\n').length, 1, `one line: ${where}`);
  assert.match(r.output, message, where);
  assert.doesNotMatch(r.output, /\n\s+at /, `no stack trace: ${where}`);
}

describe('processes that cannot start (real processes)', function () {
  this.timeout(120_000);

  it('Temporal unreachable: worker, listen, npm start and sfzd exit 1 within a minute, one line each', async () => {
    const closed = await freePort();
    const env = baseEnv({ ...FAKE_CREDENTIALS, TEMPORAL_ADDRESS: `127.0.0.1:${closed}` });
    const sandboxPorts = {
      SANDBOX_SALESFORCE_PORT: String(await freePort()),
      SANDBOX_ZENDESK_PORT: String(await freePort()),
    };
    const results = await Promise.all([
      runTimed(NPM_RUN_WORKER, env),
      runTimed([...SFZD, 'worker'], env),
      runTimed(NPM_RUN_LISTEN, env),
      runTimed([...SFZD, 'listen'], env),
      runTimed([...SFZD, 'status', 'Account'], env),
      // npm start with an external Temporal and the sandboxes (no credentials).
      runTimed(
        NPM_START,
        baseEnv({ TEMPORAL_ADDRESS: `127.0.0.1:${closed}`, SANDBOX_DATA_DIR: '', ...sandboxPorts }),
      ),
    ]);
    for (const r of results)
      assertOneLineFailure(
        r,
        new RegExp(
          `^(sfzd: )?cannot connect to Temporal at 127\\.0\\.0\\.1:${closed} \\(namespace default, plaintext\\): .+; start it \\(npm start\\) or set TEMPORAL_ADDRESS\\n$`,
        ),
      );
    // npm start closed the sandboxes it had started.
    for (const port of Object.values(sandboxPorts))
      assert.ok(await isFree(Number(port)), `port ${port} freed`);
  });

  it('the same failure shows the stack trace with LOG_LEVEL=debug or --verbose', async () => {
    const env = baseEnv({ ...FAKE_CREDENTIALS, TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
    const [debug, verbose] = await Promise.all([
      runTimed(NPM_RUN_WORKER, { ...env, LOG_LEVEL: 'debug' }),
      runTimed([...SFZD, '--verbose', 'worker'], env),
    ]);
    for (const r of [debug, verbose]) {
      assert.equal(r.code, 1, r.output);
      assert.match(r.output, /TemporalUnreachableError: cannot connect to Temporal at .*\n\s+at /, r.output);
    }
  });

  it('a port in use: HEALTH_PORT, METRICS_PORT, codec-server --port, npm start ports: exit 1 at once, naming the setting', async () => {
    const taken = createHttpServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    try {
      // Bound before connecting: no Temporal is needed to find the conflict.
      const env = baseEnv({ ...FAKE_CREDENTIALS, TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
      const free = String(await freePort());
      const [health, metrics, sfzdHealth, codec, devServer, sandbox] = await Promise.all([
        runTimed(NPM_RUN_WORKER, { ...env, HEALTH_PORT: String(port) }),
        runTimed(NPM_RUN_WORKER, { ...env, METRICS_PORT: String(port) }),
        runTimed([...SFZD, 'worker'], { ...env, HEALTH_PORT: String(port) }),
        runTimed([...SFZD, 'codec-server', '--port', String(port)], {
          ...env,
          SYNC_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
          SYNC_ENCRYPTION_KEY_ID: 'k1',
        }),
        // npm start: its dev server's port, then (with an external Temporal) a sandbox's port.
        runTimed(NPM_START, baseEnv({ TEMPORAL_DEV_PORT: String(port), TEMPORAL_DEV_UI_PORT: free })),
        runTimed(
          NPM_START,
          baseEnv({
            TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS,
            SANDBOX_DATA_DIR: '',
            SANDBOX_SALESFORCE_PORT: free,
            SANDBOX_ZENDESK_PORT: String(port),
          }),
        ),
      ]);
      const inUse = (setting: string) =>
        new RegExp(
          `^(sfzd: )?${setting}: cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use; stop the other process or choose another port\\n$`,
        );
      assertOneLineFailure(health, inUse('HEALTH_PORT'));
      assertOneLineFailure(metrics, inUse('METRICS_PORT'));
      assertOneLineFailure(sfzdHealth, inUse('HEALTH_PORT'));
      assertOneLineFailure(codec, inUse('--port'));
      assertOneLineFailure(devServer, inUse('TEMPORAL_DEV_PORT'));
      assertOneLineFailure(sandbox, inUse('SANDBOX_ZENDESK_PORT'));
      assert.ok(await isFree(Number(free)), 'npm start closed the Salesforce sandbox it had started');
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });

  describe('with Temporal and the sandboxes', () => {
    let sf: SalesforceSandbox;
    let zd: ZendeskSandbox;
    let address: string;

    before(async () => {
      address = (await temporalEnv()).address;
      sf = await startSalesforceSandbox({ port: 0 });
      zd = await startZendeskSandbox({ port: 0, seed: true });
    });
    after(async () => {
      await sf?.close();
      await zd?.close();
    });

    it('credentials refused by Salesforce or Zendesk: exit 1, one line naming the variables', async () => {
      const env = (extra: NodeJS.ProcessEnv) =>
        baseEnv({ TEMPORAL_ADDRESS: address, ...sandboxCredentialEnv(sf.url, zd.url), ...extra });
      const [salesforce, zendesk, sfzdZendesk, validate] = await Promise.all([
        runTimed(NPM_RUN_WORKER, env({ SALESFORCE_CLIENT_SECRET: 'wrong-secret' })),
        runTimed(NPM_RUN_WORKER, env({ ZENDESK_API_TOKEN: 'wrong-token' })),
        runTimed([...SFZD, 'worker'], env({ ZENDESK_API_TOKEN: 'wrong-token' })),
        runTimed(
          [...SFZD, 'config', 'validate', '--online'],
          env({ SALESFORCE_CLIENT_SECRET: 'wrong-secret' }),
        ),
      ]);
      assertOneLineFailure(
        salesforce,
        /^Salesforce at http:\/\/127\.0\.0\.1:\d+ refused the login \(invalid_client: .*\): check SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET/,
      );
      assertOneLineFailure(
        zendesk,
        /^Zendesk at http:\/\/127\.0\.0\.1:\d+ refused the credentials \(401 .*\): check ZENDESK_EMAIL and ZENDESK_API_TOKEN/,
      );
      assertOneLineFailure(sfzdZendesk, /^sfzd: Zendesk at .* refused the credentials/);
      assertOneLineFailure(validate, /^sfzd: Salesforce at .* refused the login/);
      for (const r of [salesforce, zendesk, sfzdZendesk, validate])
        assert.ok(!/wrong-secret|wrong-token/.test(r.output), 'the rejected value is not printed');
    });
  });

  it('SIGTERM or SIGINT while waiting for Temporal stops worker, listen and npm start at once (exit 0)', async () => {
    const cases: Array<{ argv: string[]; signal: NodeJS.Signals; extra?: NodeJS.ProcessEnv }> = [
      { argv: ['npm', 'run', '-s', 'worker'], signal: 'SIGTERM' },
      { argv: [...SFZD, 'worker'], signal: 'SIGTERM' },
      { argv: NPM_RUN_WORKER, signal: 'SIGINT' },
      { argv: [...SFZD, 'listen'], signal: 'SIGTERM' },
      { argv: NPM_RUN_LISTEN, signal: 'SIGINT' },
      {
        argv: NPM_START,
        signal: 'SIGTERM',
        extra: {
          SANDBOX_DATA_DIR: '',
          SANDBOX_SALESFORCE_PORT: String(await freePort()),
          SANDBOX_ZENDESK_PORT: String(await freePort()),
        },
      },
    ];
    const holes = await Promise.all(cases.map(() => blackHole()));
    const procs: Proc[] = [];
    try {
      await Promise.all(
        cases.map(async (c, i) => {
          const env = baseEnv({
            ...(c.argv === NPM_START ? {} : FAKE_CREDENTIALS),
            TEMPORAL_ADDRESS: `127.0.0.1:${holes[i]!.port}`,
            ...c.extra,
          });
          const proc = startProcess(c.argv, env);
          procs.push(proc);
          await holes[i]!.connected; // the process now waits for Temporal's answer
          const sent = Date.now();
          proc.child.kill(c.signal);
          const { code } = await proc.exited;
          const ms = Date.now() - sent;
          const where = `${c.argv.join(' ')} ${c.signal}:\n${proc.output()}`;
          assert.equal(code, 0, where);
          assert.ok(ms < 10_000, `stopped ${ms} ms after ${c.signal}: ${where}`);
          assert.match(proc.output(), new RegExp(`stopped by ${c.signal} before start-up finished`), where);
          assert.doesNotMatch(proc.output(), /\n\s+at /, where);
          for (const port of [c.extra?.SANDBOX_SALESFORCE_PORT, c.extra?.SANDBOX_ZENDESK_PORT])
            if (port) assert.ok(await isFree(Number(port)), `npm start closed its sandbox on ${port}`);
        }),
      );
    } finally {
      for (const p of procs) p.kill();
      await Promise.all(holes.map((h) => h.close()));
    }
  });
});
