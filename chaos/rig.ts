/**
 * The product as separate processes for chaos runs: a Temporal dev server on a SQLite file (so it can be
 * killed and restarted on the same file and port), a worker child process (so it can be `kill -9`ed), and
 * both sandboxes in this process (so the invariant checker reads their state and request logs directly).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { stringify } from 'yaml';
import { readChangeFeedState, startChangeFeed } from '../client/listener/start-change-feed';
import { notifyRecordChange, readRecordState } from '../common/record-workflows';
import { waitUntilReachable } from '../client/start/dev-server';
import { ensureTemporalCli, PROJECT_ROOT } from '../client/temporal-cli';
import { startSalesforceSandbox, type SalesforceSandbox } from '../sandbox/salesforce';
import { WriteTransaction } from '../sandbox/salesforce/store';
import { sandboxCredentialEnv } from '../sandbox/start-sandboxes';
import { startZendeskSandbox, type ZendeskSandbox } from '../sandbox/zendesk';
import { WORKFLOWS_PATH } from '../worker/create-worker';
import type { ChangeFeedInput, ChangeFeedState } from '../workflows/change-feed';
import { syncConfig } from '../test/fixtures/sync-config';
import type { RecordStateView } from '../workflows/record-messages';
import type { ChangeNotice, RecordTuning, SalesforceObject } from '../workflows/sync-types';

export interface Target {
  object: SalesforceObject;
  salesforceId: string;
}

/** The tests' base configuration without the Segment__c -> tags mapping (chaos seeds no segments). */
export const CHAOS_CONFIG = syncConfig({
  accounts: {
    fields: [
      { salesforce: 'Name', zendesk: 'name' },
      { salesforce: 'Industry', zendesk: 'organization_fields.industry' },
    ],
  },
});

export const INDUSTRIES = ['Banking', 'Agriculture', 'Apparel', 'Biotechnology'] as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let bundlePath: Promise<string> | undefined;
/** One workflow bundle per chaos process: 20 worker restarts must not each run webpack. */
function workflowBundle(): Promise<string> {
  bundlePath ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger }).then(
    ({ code }) => {
      const file = join(mkdtempSync(join(tmpdir(), 'sfzd-chaos-bundle-')), 'workflow-bundle.js');
      writeFileSync(file, code);
      return file;
    },
  );
  return bundlePath;
}

const noop = () => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

/** `temporal server start-dev` on a SQLite file, killable with SIGKILL and restartable on the same file and port. */
export class DevServerProcess {
  private child: ChildProcess | undefined;
  readonly address: string;
  kills = 0;

  private constructor(
    private readonly port: number,
    readonly dbFile: string,
    private readonly log: WriteStream,
  ) {
    this.address = `127.0.0.1:${port}`;
  }

  static async start(dir: string, log: WriteStream): Promise<DevServerProcess> {
    const server = new DevServerProcess(await freePort(), join(dir, 'temporal.db'), log);
    await server.launch();
    return server;
  }

  async launch(): Promise<void> {
    const cli = ensureTemporalCli({ install: true });
    const child = spawn(
      cli.path,
      [
        'server',
        'start-dev',
        '--ip',
        '127.0.0.1',
        '--port',
        String(this.port),
        '--headless',
        '--db-filename',
        this.dbFile,
        '--log-level',
        'error',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    this.child = child;
    await waitUntilReachable(this.address, child, 60_000);
  }

  /** SIGKILL: no graceful shutdown, as when the machine loses power. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    this.kills += 1;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000)]);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}

/** The worker as `node --require tsx/cjs worker/main.ts`, exactly as `npm run worker` runs it. */
export class WorkerProcess {
  private child: ChildProcess | undefined;
  kills = 0;
  starts = 0;
  /** Milliseconds from spawn to "worker ready", per start. */
  readonly startMs: number[] = [];

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly log: WriteStream,
  ) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    const started = Date.now();
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'worker/main.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts += 1;
    child.stderr?.pipe(this.log, { end: false });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('the worker did not get ready within 120 s')), 120_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        this.log.write(chunk);
        if (out.length < 10_000) out += chunk.toString();
        if (out.includes('worker ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the worker exited before it was ready (code ${code}, signal ${signal})`));
      });
    });
    this.startMs.push(Date.now() - started);
  }

  /** `kill -9`: the process dies mid-activity, with no chance to report anything to Temporal. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    this.kills += 1;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000)]);
    if (this.running) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}

export interface RigOptions {
  name: string;
  config?: Record<string, unknown>;
  /** Extra worker environment, e.g. TEMPORAL_MAX_CACHED_WORKFLOWS. */
  workerEnv?: NodeJS.ProcessEnv;
  /** Record workflow tuning sent with every change the rig signals (e.g. a shorter activity timeout). */
  tuning?: RecordTuning;
}

export class Rig {
  readonly logPath: string;
  private seeds = 0;
  private constructor(
    readonly taskQueue: string,
    readonly opts: RigOptions,
    readonly dir: string,
    readonly sf: SalesforceSandbox,
    readonly zd: ZendeskSandbox,
    readonly server: DevServerProcess,
    readonly worker: WorkerProcess,
    private connection: Connection,
    readonly client: Client,
    private readonly log: WriteStream,
  ) {
    this.logPath = join(dir, 'processes.log');
  }

  static async start(opts: RigOptions): Promise<Rig> {
    const dir = mkdtempSync(join(tmpdir(), `sfzd-chaos-${opts.name}-`));
    const log = createWriteStream(join(dir, 'processes.log'));
    const sf = await startSalesforceSandbox({ port: 0, longPollTimeoutSeconds: 2 });
    sf.store.importSnapshot({ ...sf.store.exportSnapshot(), counter: randomInt(1e9, 1e12) });
    const zd = await startZendeskSandbox({ port: 0, rateLimitPerMinute: 1_000_000 });
    await fetch(`${zd.url}/api/v2/organization_fields`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from('admin@sandbox.test/token:sandbox').toString('base64')}`,
      },
      body: JSON.stringify({ organization_field: { key: 'industry', type: 'text', title: 'Industry' } }),
    });
    const configPath = join(dir, 'sync.config.yaml');
    writeFileSync(configPath, stringify(opts.config ?? CHAOS_CONFIG));
    let server: DevServerProcess | undefined;
    let bundle: string;
    let connection: Connection;
    try {
      [server, bundle] = await Promise.all([DevServerProcess.start(dir, log), workflowBundle()]);
      connection = await Connection.connect({ address: server.address });
    } catch (err) {
      await server?.stop();
      await Promise.all([sf.close(), zd.close()]);
      log.end();
      throw err;
    }
    const taskQueue = `chaos-${randomUUID()}`;
    const client = new Client({ connection });
    const worker = new WorkerProcess(
      {
        TEMPORAL_ADDRESS: server.address,
        SYNC_CONFIG: configPath,
        WORKFLOW_BUNDLE_PATH: bundle,
        TEMPORAL_TASK_QUEUE: taskQueue,
        LOG_LEVEL: 'WARN',
        ...sandboxCredentialEnv(sf.url, zd.url),
        ...opts.workerEnv,
      },
      log,
    );
    const rig = new Rig(taskQueue, opts, dir, sf, zd, server, worker, connection, client, log);
    try {
      await worker.start();
    } catch (err) {
      await rig.close(true);
      throw err;
    }
    return rig;
  }

  /** Accounts with `contactsPerAccount` contacts each, unique names and emails, E.164 phones; no CDC events. */
  seed(accounts: number, contactsPerAccount: number, publish = false): Target[] {
    const tx = new WriteTransaction({ changeOrigin: '', publish });
    // Unique per seed call too: scenarios sharing a rig (CI) must not match each other's records.
    const run = `${this.taskQueue.slice(6, 14)}-${++this.seeds}`;
    const targets: Target[] = [];
    for (let a = 0; a < accounts; a++) {
      const accountId = this.sf.store.create(
        'Account',
        { Name: `Chaos ${run} Account ${a}`, Industry: INDUSTRIES[a % INDUSTRIES.length] },
        tx,
      );
      targets.push({ object: 'Account', salesforceId: accountId });
      for (let c = 0; c < contactsPerAccount; c++) {
        const n = a * contactsPerAccount + c;
        const contactId = this.sf.store.create(
          'Contact',
          {
            FirstName: `Contact${n}`,
            LastName: `Chaos ${run}`,
            Email: `contact${n}.${run}@chaos.example`,
            Phone: `+1415555${String(n % 10_000).padStart(4, '0')}`,
            AccountId: accountId,
          },
          tx,
        );
        targets.push({ object: 'Contact', salesforceId: contactId });
      }
    }
    return targets;
  }

  /** Signal-with-start, as the listener and reconcile do, with the rig's record tuning. */
  async notify(target: Target, notice: ChangeNotice = { source: 'cdc' }): Promise<void> {
    await notifyRecordChange(this.client, this.taskQueue, target, notice, this.opts.tuning);
  }

  /** Notifies every target, `concurrency` at a time, retrying while the server is down. */
  async notifyAll(targets: readonly Target[], concurrency = 20): Promise<void> {
    let next = 0;
    const lane = async () => {
      while (next < targets.length) {
        const target = targets[next++]!;
        for (let attempt = 0; ; attempt++) {
          try {
            await this.notify(target);
            break;
          } catch (err) {
            if (attempt > 120) throw err;
            await sleep(1_000);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
  }

  async state(target: Target): Promise<RecordStateView> {
    return readRecordState(this.client, target);
  }

  /** Every target's state once each has run at least `minPasses` passes and nothing is pending or running. */
  async waitIdle(targets: readonly Target[], timeoutMs: number, minPasses = 1): Promise<RecordStateView[]> {
    const deadline = Date.now() + timeoutMs;
    const states: RecordStateView[] = [];
    let next = 0;
    const lane = async () => {
      while (next < targets.length) {
        const i = next++;
        for (;;) {
          const s = await this.state(targets[i]!).catch(() => undefined);
          if (s && s.passes >= minPasses && !s.pending && !s.running) {
            states[i] = s;
            break;
          }
          if (Date.now() > deadline)
            throw new Error(
              `${targets[i]!.object} ${targets[i]!.salesforceId} is not idle after ${timeoutMs} ms: ${JSON.stringify(s)}`,
            );
          await sleep(200);
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, lane));
    return states;
  }

  /** Polls `done` (cheap, in-process) until it holds. */
  async until(what: string, done: () => boolean, timeoutMs: number, everyMs = 500): Promise<number> {
    const started = Date.now();
    while (!done()) {
      if (Date.now() - started > timeoutMs)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(everyMs);
    }
    return Date.now() - started;
  }

  async startFeed(tuning: NonNullable<ChangeFeedInput['tuning']>): Promise<string> {
    const workflowId = `salesforce-change-feed/${this.taskQueue}`;
    await startChangeFeed(this.client, this.taskQueue, { workflowId, input: { tuning } });
    return workflowId;
  }

  feedState(workflowId: string): Promise<ChangeFeedState> {
    return readChangeFeedState(this.client, workflowId);
  }

  /** Kills the dev server (SIGKILL) and starts it again on the same SQLite file and port. */
  async restartServer(downMs = 2_000): Promise<void> {
    await this.server.kill();
    await sleep(downMs);
    await this.server.launch();
  }

  async close(keepDir = false): Promise<void> {
    for await (const wf of this.client.workflow.list({
      query: `ExecutionStatus = "Running" AND TaskQueue = "${this.taskQueue}"`,
    })) {
      await this.client.workflow
        .getHandle(wf.workflowId, wf.runId)
        .terminate('chaos run finished')
        .catch(() => undefined);
    }
    await this.worker.stop();
    await this.connection.close().catch(() => undefined);
    await this.server.stop();
    await this.sf.close();
    await this.zd.close();
    this.log.end();
    if (!keepDir) rmSync(this.dir, { recursive: true, force: true });
  }
}
