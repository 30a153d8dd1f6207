/**
 * Sustained syncs per second for a burst of changes to distinct records (`npm run bench:throughput`),
 * with one and with two real worker processes (`node bin/sfzd.js worker`, as the Docker image runs it, with
 * the default tuning unless TEMPORAL_* or WORKER_* variables are set), the CPU each process spent per
 * sync, and the resident memory of each worker.
 *
 * Each run gets its own Temporal dev server (in-memory, free port), fresh sandboxes in this process, and
 * BENCH_RECORDS Accounts created in the Salesforce sandbox (through the composite collections API, before
 * any worker starts). The burst: one signal-with-start per record from this process, 32 in flight, as the
 * listener's handoff does for a CDC burst. Every record is new to Zendesk, so each sync is a full first
 * sync: Salesforce read, Zendesk search, organization create, write-back. A sync counts as done at its
 * write-back (the Salesforce sandbox's PATCH log entry), which is its last call.
 *
 * BENCH_UPDATE_BURST=1 adds a second burst once the first is done: every Account's Industry (a mapped
 * field) changes in Salesforce, then one signal per record again. Each is a linked update (Salesforce
 * read, organization update), done at its Zendesk `PUT organizations/{id}`. When the worker's sticky
 * cache holds fewer workflows than there are records, most of these passes replay their workflow's
 * history first: this burst shows that cost, in syncs/s, worker CPU per sync and memory.
 *
 * CPU is read from /proc (bench/proc.ts) every 500 ms for the dev server, this process (the sandboxes
 * and the signalling) and each worker, and reported over the steady stretch of each burst (10 % to 90 %
 * of its records done) as % of one core and as CPU ms per sync.
 *
 * BENCH_RECORDS (default 10000; BENCH_QUICK=1: 200), BENCH_WORKERS (default "1,2"), BENCH_UPDATE_BURST,
 * BENCH_RSS_AT (first syncs done at which each worker's VmRSS is read, default "2000,10000,100000"),
 * BENCH_WORKER_LOG_LEVEL (default WARN: INFO logs every activity, which a benchmark would mostly measure).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomInt, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import got from 'got';
import { Connection } from 'jsforce';
import { stringify } from 'yaml';
import { notifyRecordChange } from '../common/record-workflows';
import type { LoggedRequest } from '../sandbox/common/request-log';
import { startSalesforceSandbox } from '../sandbox/salesforce';
import { sandboxCredentialEnv } from '../sandbox/start-sandboxes';
import { startZendeskSandbox } from '../sandbox/zendesk';
import { baseSyncConfig } from '../test/fixtures/sync-config';
import { DEFAULT_ORG_FIELDS } from '../test/helpers/stack';
import { teardownTemporalEnv, temporalEnv } from '../test/helpers/temporal-env';
import { envNumber, noiseNote, printTable, QUICK, ratio, round, writeResult } from './lib';
import { cpuMs, findDevServerPid, statusMiB } from './proc';

const RECORDS = envNumber('BENCH_RECORDS', QUICK ? 200 : 10_000);
const wholeNumbers = (name: string, fallback: string) =>
  (process.env[name] || fallback).split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must list whole numbers >= 1, got "${s}"`);
    return n;
  });
const WORKER_COUNTS = wholeNumbers('BENCH_WORKERS', '1,2');
const RSS_AT = wholeNumbers('BENCH_RSS_AT', '2000,10000,100000');
const UPDATE_BURST = process.env.BENCH_UPDATE_BURST === '1' || process.env.BENCH_UPDATE_BURST === 'true';
const WORKER_LOG_LEVEL = process.env.BENCH_WORKER_LOG_LEVEL ?? 'WARN';
const SIGNAL_CONCURRENCY = 32;
/** Width of the windows the steady median is taken over. */
const BUCKET_S = 5;
/** How often CPU times and memory are read from /proc. */
const SAMPLE_MS = 500;
const ROOT = resolve(__dirname, '..');
/** The whole burst must finish in this time (generous: a 2-core shared machine). */
const RUN_TIMEOUT_MS = envNumber('BENCH_TIMEOUT_S', 3_600) * 1_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** Peak resident set (VmHWM) in MiB, last read. */
  peakMiB: number;
  exited: Promise<number | null>;
}

async function spawnWorker(env: NodeJS.ProcessEnv, index: number): Promise<WorkerProcess> {
  // As the Docker image runs it (`node bin/sfzd.js worker`, tsx's CommonJS hook), with no tuning
  // variable unless the caller sets one: the defaults are what is measured. node itself, not a
  // wrapper, so the pid is the worker's and /proc shows its memory and CPU.
  const child = spawn(process.execPath, ['bin/sfzd.js', 'worker'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  // Drain its log so a chatty worker never blocks on a full pipe.
  child.stdout.resume();
  let stderr = '';
  // `sfzd worker` reports "worker ready" on stderr (its progress stream), the JSON log on stdout.
  let ready = false;
  const readyListeners: (() => void)[] = [];
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4_000);
    if (!ready && stderr.includes('worker ready')) {
      ready = true;
      readyListeners.forEach((f) => f());
    }
  });
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker ${index} not ready in 120 s: ${stderr}`)),
      120_000,
    );
    const onReady = () => {
      clearTimeout(timer);
      resolveReady();
    };
    if (ready) onReady();
    else readyListeners.push(onReady);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker ${index} exited (${code}) before ready: ${stderr}`));
    });
  });
  return { child, pid: child.pid!, peakMiB: statusMiB(child.pid!, 'VmHWM') ?? 0, exited };
}

async function stopWorker(w: WorkerProcess): Promise<void> {
  w.peakMiB = statusMiB(w.pid, 'VmHWM') ?? w.peakMiB;
  w.child.kill('SIGTERM');
  const code = await Promise.race([w.exited, sleep(15_000).then(() => 'timeout' as const)]);
  if (code === 'timeout') {
    w.child.kill('SIGKILL');
    await w.exited;
  }
}

async function seedAccounts(conn: Connection, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < n; start += 200) {
    const batch = Array.from({ length: Math.min(200, n - start) }, (_, i) => ({
      Name: `Throughput Co ${start + i}`,
      Industry: 'Banking',
      Segment__c: 'Enterprise',
    }));
    const results = await conn.sobject('Account').create(batch, { allOrNone: true });
    for (const r of results) {
      if (!r.success) throw new Error(`seeding failed: ${JSON.stringify(r)}`);
      ids.push(r.id);
    }
  }
  return ids;
}

/** A mapped field changed on every record, through the same API: the update burst's Salesforce side. */
async function changeIndustry(conn: Connection, ids: readonly string[]): Promise<void> {
  for (let start = 0; start < ids.length; start += 200) {
    const batch = ids.slice(start, start + 200).map((Id) => ({ Id, Industry: 'Insurance' }));
    const results = await conn.sobject('Account').update(batch, { allOrNone: true });
    for (const r of results) if (!r.success) throw new Error(`update failed: ${JSON.stringify(r)}`);
  }
}

/** CPU time (ms) used so far by each watched process, read at `at`. */
interface CpuSample {
  at: number;
  server?: number;
  bench?: number;
  workers: Array<number | undefined>;
}

/** CPU over a burst's steady stretch. `…Percent` is of one core (200 % = both cores of this machine). */
export interface CpuFigures {
  /** The stretch the figures cover: sample times (ms after the burst's first signal) and syncs done in it. */
  fromMs: number;
  toMs: number;
  syncs: number;
  /** The Temporal dev server process; null when its pid was not found. */
  serverPercent: number | null;
  /** This process: the Salesforce and Zendesk sandboxes and the signalling. */
  benchPercent: number | null;
  workerPercent: Array<number | null>;
  serverMsPerSync: number | null;
  benchMsPerSync: number | null;
  /** All worker processes together, per sync. */
  workersMsPerSync: number | null;
}

/** One burst of signals, one per record, and what it cost. */
export interface BurstResult {
  kind: 'first sync' | 'linked update';
  synced: number;
  handoffSeconds: number;
  wallSeconds: number;
  /** Median rate over 5-second windows between 10% and 90% of the records done. */
  steadyMedianPerSecond: number;
  /** (80% of the records) / (time from 10% to 90% done). */
  steadyMeanPerSecond: number;
  overallPerSecond: number;
  cpu: CpuFigures;
  /** Each worker's VmRSS (resident now) when the burst was done, MiB. */
  rssAfterMiB: Array<number | null>;
  /** Each worker's VmHWM (peak resident so far) when the burst was done, MiB. */
  peakRssAfterMiB: Array<number | null>;
  zendeskCalls: number;
  salesforceCalls: number;
  /** Each record's completion, in ms after the burst's first signal (to recompute rates differently). */
  completedAtMs: number[];
}

export interface RunResult {
  workers: number;
  records: number;
  /** The first-sync burst's figures, at the top level as before the update burst existed. */
  synced: number;
  handoffSeconds: number;
  wallSeconds: number;
  steadyMedianPerSecond: number;
  steadyMeanPerSecond: number;
  overallPerSecond: number;
  cpu: CpuFigures;
  /** Peak resident set (VmHWM) per worker over the whole run, MiB. */
  peakRssMiB: number[];
  /** Each worker's VmRSS when that many first syncs were done (only the BENCH_RSS_AT counts reached). */
  rssAtMiB: Array<{ synced: number; workerMiB: Array<number | null> }>;
  zendeskCalls: number;
  salesforceCalls: number;
  completedAtMs: number[];
  /** BENCH_UPDATE_BURST=1 only. */
  updateBurst?: BurstResult;
  serverPid: number | null;
}

const pct = (cpuDeltaMs: number, wallMs: number) => round((cpuDeltaMs / wallMs) * 100);

/**
 * CPU figures between the last sample at or before `from` and the first at or after `to` (the steady
 * stretch). Tiny bursts can fall between two samples; then the whole burst's samples are used.
 */
function cpuOver(samples: readonly CpuSample[], t0: number, from: number, to: number, times: number[]) {
  let a = [...samples].reverse().find((s) => s.at <= from) ?? samples[0]!;
  let b = samples.find((s) => s.at >= to) ?? samples[samples.length - 1]!;
  if (b.at - a.at < SAMPLE_MS) {
    a = samples[0]!;
    b = samples[samples.length - 1]!;
  }
  const wall = Math.max(1, b.at - a.at);
  const syncs = times.filter((t) => t > a.at && t <= b.at).length;
  const delta = (x?: number, y?: number) => (x === undefined || y === undefined ? null : y - x);
  const server = delta(a.server, b.server);
  const bench = delta(a.bench, b.bench);
  const workers = a.workers.map((w, i) => delta(w, b.workers[i]));
  const workersTotal = workers.reduce<number | null>(
    (sum, w) => (sum === null || w === null ? null : sum + w),
    0,
  );
  const perSync = (ms: number | null) => (ms === null || syncs === 0 ? null : round(ms / syncs));
  return {
    fromMs: a.at - t0,
    toMs: b.at - t0,
    syncs,
    serverPercent: server === null ? null : pct(server, wall),
    benchPercent: bench === null ? null : pct(bench, wall),
    workerPercent: workers.map((w) => (w === null ? null : pct(w, wall))),
    serverMsPerSync: perSync(server),
    benchMsPerSync: perSync(bench),
    workersMsPerSync: perSync(workersTotal),
  } satisfies CpuFigures;
}

/** Steady-rate figures from completion times (absolute ms), as the first version of this script had them. */
function rates(times: number[], t0: number, records: number) {
  const wallSeconds = (times[times.length - 1]! - t0) / 1000;
  const t10 = times[Math.floor(times.length * 0.1)]!;
  const t90 = times[Math.min(times.length - 1, Math.ceil(times.length * 0.9) - 1)]!;
  // Windows of BUCKET_S seconds: one-second buckets hold a handful of syncs at low rates, so their
  // median is too coarse to compare runs.
  const windows = new Map<number, number>();
  for (const t of times)
    if (t >= t10 && t <= t90) {
      const w = Math.floor((t - t10) / (BUCKET_S * 1000));
      windows.set(w, (windows.get(w) ?? 0) + 1);
    }
  const fullWindows = Math.max(1, Math.floor((t90 - t10) / (BUCKET_S * 1000)));
  const sorted = Array.from({ length: fullWindows }, (_, w) => (windows.get(w) ?? 0) / BUCKET_S).sort(
    (a, b) => a - b,
  );
  const steadyCount = times.filter((t) => t >= t10 && t <= t90).length;
  return {
    t10,
    t90,
    wallSeconds: round(wallSeconds),
    steadyMedianPerSecond: round(sorted[Math.floor(sorted.length / 2)]!),
    steadyMeanPerSecond: round(steadyCount / Math.max(0.001, (t90 - t10) / 1000)),
    overallPerSecond: round(records / wallSeconds),
  };
}

interface BurstContext {
  client: Client;
  taskQueue: string;
  ids: string[];
  procs: WorkerProcess[];
  serverPid: number | undefined;
  sf: Awaited<ReturnType<typeof startSalesforceSandbox>>;
  zd: Awaited<ReturnType<typeof startZendeskSandbox>>;
}

/**
 * Signals every record once and waits until each is done (`isDone` on a sandbox log entry, keyed by
 * path), sampling CPU and memory meanwhile. `onProgress` sees the done count at each poll.
 */
async function runBurst(
  ctx: BurstContext,
  kind: BurstResult['kind'],
  log: 'salesforce' | 'zendesk',
  isDone: (e: LoggedRequest) => boolean,
  onProgress: (done: number) => void = () => {},
): Promise<BurstResult> {
  const { client, taskQueue, ids, procs, sf, zd } = ctx;
  const doneLog = log === 'salesforce' ? sf.log : zd.log;
  const samples: CpuSample[] = [];
  const sample = () => {
    samples.push({
      at: Date.now(),
      server: ctx.serverPid === undefined ? undefined : cpuMs(ctx.serverPid),
      bench: cpuMs(process.pid),
      workers: procs.map((p) => cpuMs(p.pid)),
    });
    for (const p of procs) p.peakMiB = Math.max(p.peakMiB, statusMiB(p.pid, 'VmHWM') ?? 0);
  };
  sf.log.reset();
  zd.log.reset();
  const t0 = Date.now();
  sample();
  const sampler = setInterval(sample, SAMPLE_MS);
  try {
    let next = 0;
    let handoffSeconds: number | undefined;
    // The handoff runs while records already sync; progress shows both.
    const handoff = Promise.all(
      Array.from({ length: SIGNAL_CONCURRENCY }, async () => {
        while (next < ids.length) {
          const salesforceId = ids[next++]!;
          await notifyRecordChange(client, taskQueue, { object: 'Account', salesforceId }, { source: 'cdc' });
        }
      }),
    ).then(() => {
      handoffSeconds = (Date.now() - t0) / 1000;
    });
    let handoffError: Error | undefined;
    handoff.catch((err: unknown) => (handoffError = err instanceof Error ? err : new Error(String(err))));

    let lastReport = 0;
    for (const deadline = t0 + RUN_TIMEOUT_MS; ; await sleep(500)) {
      const done = new Set(
        doneLog
          .entries()
          .filter(isDone)
          .map((e) => e.path),
      ).size;
      if (handoffError) throw handoffError;
      onProgress(done);
      if (done >= ids.length) break;
      if (Date.now() - lastReport > 15_000) {
        lastReport = Date.now();
        console.log(
          `  ${kind}: ${done}/${ids.length} done, ${Math.min(next, ids.length)} signalled after ${round((Date.now() - t0) / 1000)} s`,
        );
      }
      if (Date.now() > deadline) throw new Error(`only ${done}/${ids.length} done within the time limit`);
      if (procs.some((p) => p.child.exitCode !== null)) throw new Error('a worker process exited mid-run');
    }
    await handoff;
    clearInterval(sampler);
    sample();
    // First completion per record.
    const firstDone = new Map<string, number>();
    for (const e of doneLog.entries()) if (isDone(e) && !firstDone.has(e.path)) firstDone.set(e.path, e.at);
    const times = [...firstDone.values()].sort((a, b) => a - b);
    const r = rates(times, t0, ids.length);
    return {
      kind,
      synced: firstDone.size,
      handoffSeconds: round(handoffSeconds ?? NaN),
      wallSeconds: r.wallSeconds,
      steadyMedianPerSecond: r.steadyMedianPerSecond,
      steadyMeanPerSecond: r.steadyMeanPerSecond,
      overallPerSecond: r.overallPerSecond,
      cpu: cpuOver(samples, t0, r.t10, r.t90, times),
      rssAfterMiB: procs.map((p) => statusMiB(p.pid, 'VmRSS') ?? null),
      peakRssAfterMiB: procs.map((p) => statusMiB(p.pid, 'VmHWM') ?? null),
      zendeskCalls: zd.log.summary().total,
      salesforceCalls: sf.log.summary().total,
      completedAtMs: times.map((t) => t - t0),
    };
  } finally {
    clearInterval(sampler);
  }
}

const isWriteBack = (e: LoggedRequest) =>
  e.method === 'PATCH' && e.status < 300 && e.path.includes('/sobjects/Account/');
/** A linked update's organization write (`PUT organizations/{id}`, activities/zendesk/client.ts). */
const isOrganizationUpdate = (e: LoggedRequest) =>
  e.method === 'PUT' && e.status < 300 && /\/organizations\/\d+(\.json)?$/.test(e.path);

async function runOnce(workers: number): Promise<RunResult> {
  const env = await temporalEnv();
  const sf = await startSalesforceSandbox({ port: 0, longPollTimeoutSeconds: 2 });
  sf.store.importSnapshot({ ...sf.store.exportSnapshot(), counter: randomInt(1e9, 1e12) });
  const zd = await startZendeskSandbox({ port: 0, rateLimitPerMinute: 10_000_000 });
  const procs: WorkerProcess[] = [];
  try {
    const zendesk = got.extend({
      prefixUrl: `${zd.url}/api/v2/`,
      username: 'admin@sandbox.test/token',
      password: 'sandbox',
      responseType: 'json',
    });
    for (const field of DEFAULT_ORG_FIELDS)
      await zendesk.post('organization_fields', { json: { organization_field: field } });
    const configPath = join(mkdtempSync(join(tmpdir(), 'sfzd-bench-')), 'sync.config.yaml');
    writeFileSync(configPath, stringify(baseSyncConfig()));

    const conn = new Connection({
      oauth2: { clientId: 'sandbox', clientSecret: 'sandbox', loginUrl: sf.url },
      loginUrl: sf.url,
      version: '62.0',
    });
    await conn.authorize({ grant_type: 'client_credentials' });
    process.stdout.write(`  seeding ${RECORDS} Accounts… `);
    const ids = await seedAccounts(conn, RECORDS);
    console.log('done');

    const taskQueue = `bench-${randomUUID()}`;
    const workerEnv = {
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SYNC_CONFIG: configPath,
      LOG_LEVEL: WORKER_LOG_LEVEL,
      ...sandboxCredentialEnv(sf.url, zd.url),
    };
    for (let i = 0; i < workers; i++) procs.push(await spawnWorker(workerEnv, i + 1));
    const serverPid = findDevServerPid(env.address);
    console.log(
      `  ${workers} worker process(es) ready (pids ${procs.map((p) => p.pid).join(', ')}); dev server pid ${serverPid ?? 'not found'}`,
    );
    const ctx: BurstContext = { client: env.client, taskQueue, ids, procs, serverPid, sf, zd };

    const rssAt: RunResult['rssAtMiB'] = [];
    const first = await runBurst(ctx, 'first sync', 'salesforce', isWriteBack, (done) => {
      for (const at of RSS_AT)
        if (done >= at && !rssAt.some((r) => r.synced === at))
          rssAt.push({ synced: at, workerMiB: procs.map((p) => statusMiB(p.pid, 'VmRSS') ?? null) });
    });
    let updateBurst: BurstResult | undefined;
    if (UPDATE_BURST) {
      process.stdout.write(`  changing Industry on ${ids.length} Accounts… `);
      await changeIndustry(conn, ids);
      console.log('done');
      updateBurst = await runBurst(ctx, 'linked update', 'zendesk', isOrganizationUpdate);
    }
    for (const p of procs) await stopWorker(p);
    const { kind: _kind, rssAfterMiB: _rss, peakRssAfterMiB: _peak, ...firstFigures } = first;
    return {
      workers,
      records: ids.length,
      ...firstFigures,
      peakRssMiB: procs.map((p) => p.peakMiB),
      rssAtMiB: [
        ...rssAt,
        // Always one row at the end of the burst, so a run smaller than every BENCH_RSS_AT has one too.
        ...(rssAt.some((r) => r.synced === ids.length)
          ? []
          : [{ synced: ids.length, workerMiB: first.rssAfterMiB }]),
      ].sort((a, b) => a.synced - b.synced),
      updateBurst,
      serverPid: serverPid ?? null,
    };
  } finally {
    for (const p of procs) if (p.child.exitCode === null) await stopWorker(p);
    await sf.close();
    await zd.close();
    // A fresh dev server per run: the previous run's record workflows stay open and would weigh on it.
    await teardownTemporalEnv();
  }
}

const show = (n: number | null | undefined) => (n === null || n === undefined ? '—' : String(n));
const list = (ns: Array<number | null>) => ns.map(show).join(' / ');

type BurstRow = Pick<
  BurstResult,
  | 'kind'
  | 'steadyMedianPerSecond'
  | 'steadyMeanPerSecond'
  | 'overallPerSecond'
  | 'wallSeconds'
  | 'handoffSeconds'
  | 'cpu'
>;

function printResults(results: RunResult[]): void {
  const one = results.find((r) => r.workers === 1);
  const bursts = results.flatMap((r) => [
    { r, b: { ...r, kind: 'first sync' } satisfies BurstRow },
    ...(r.updateBurst ? [{ r, b: r.updateBurst }] : []),
  ]);
  console.log('\nRate (steady: 10–90 % of the records done):');
  printTable(
    bursts.map(({ r, b }) => ({
      workers: r.workers,
      burst: b.kind,
      records: r.records,
      'steady/s (median)': b.steadyMedianPerSecond,
      'steady/s (mean)': b.steadyMeanPerSecond,
      'overall/s': b.overallPerSecond,
      'wall s': b.wallSeconds,
      'handoff s': b.handoffSeconds,
      'vs 1 worker':
        one && b.kind === 'first sync' ? ratio(b.steadyMedianPerSecond, one.steadyMedianPerSecond) : '—',
    })),
  );
  console.log('\nCPU over the steady stretch (% of one core; ms per sync):');
  printTable(
    bursts.map(({ r, b }) => ({
      workers: r.workers,
      burst: b.kind,
      'server %': show(b.cpu.serverPercent),
      'worker % each': list(b.cpu.workerPercent),
      'bench %': show(b.cpu.benchPercent),
      'server ms/sync': show(b.cpu.serverMsPerSync),
      'workers ms/sync': show(b.cpu.workersMsPerSync),
      'bench ms/sync': show(b.cpu.benchMsPerSync),
      'over s': round((b.cpu.toMs - b.cpu.fromMs) / 1000),
    })),
  );
  console.log('\nWorker memory (MiB per worker):');
  printTable(
    results.map((r) => ({
      workers: r.workers,
      ...Object.fromEntries(r.rssAtMiB.map((x) => [`RSS at ${x.synced} first syncs`, list(x.workerMiB)])),
      ...(r.updateBurst
        ? {
            'RSS after updates': list(r.updateBurst.rssAfterMiB),
            'peak after updates': list(r.updateBurst.peakRssAfterMiB),
          }
        : {}),
      'peak (VmHWM)': r.peakRssMiB.join(' / '),
    })),
  );
}

async function main(): Promise<void> {
  const results: RunResult[] = [];
  for (const workers of WORKER_COUNTS) {
    console.log(
      `throughput: ${RECORDS} records, ${workers} worker process(es)${UPDATE_BURST ? ', then an update burst' : ''}`,
    );
    results.push(await runOnce(workers));
  }
  printResults(results);
  const one = results.find((r) => r.workers === 1);
  console.log(
    `\n${noiseNote()} With 2 cores, a second worker competes with the first, with the dev server and with the sandboxes (this process) for the same CPUs.`,
  );
  console.log(
    `written to ${writeResult('throughput', {
      records: RECORDS,
      signalConcurrency: SIGNAL_CONCURRENCY,
      workerLogLevel: WORKER_LOG_LEVEL,
      maxCachedWorkflows: process.env.TEMPORAL_MAX_CACHED_WORKFLOWS ?? '(default)',
      scenario: 'first sync (create) of distinct Accounts, one signal-with-start each',
      updateScenario: UPDATE_BURST ? 'then Industry changed on every Account: one linked update each' : null,
      runs: results,
      twoVsOne: (() => {
        const two = results.find((r) => r.workers === 2);
        return one && two ? ratio(two.steadyMedianPerSecond, one.steadyMedianPerSecond) : null;
      })(),
    })}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
