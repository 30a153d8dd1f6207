/**
 * Sustained syncs per second for a burst of changes to distinct records (`npm run bench:throughput`),
 * with one and with two real worker processes (`node bin/sfzd.js worker`, as the Docker image runs it, with
 * the default tuning unless TEMPORAL_* variables are set), and the peak resident memory (VmHWM) of each
 * worker.
 *
 * Each run gets its own Temporal dev server (in-memory, free port), fresh sandboxes in this process, and
 * BENCH_RECORDS Accounts created in the Salesforce sandbox (through the composite collections API, before
 * any worker starts). The burst: one signal-with-start per record from this process, 32 in flight, as the
 * listener's handoff does for a CDC burst. Every record is new to Zendesk, so each sync is a full first
 * sync: Salesforce read, Zendesk search, organization create, write-back. A sync counts as done at its
 * write-back (the Salesforce sandbox's PATCH log entry), which is its last call.
 *
 * BENCH_RECORDS (default 10000; BENCH_QUICK=1: 200), BENCH_WORKERS (default "1,2"),
 * BENCH_WORKER_LOG_LEVEL (default WARN: INFO logs every activity, which a benchmark would mostly measure).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomInt, randomUUID } from 'node:crypto';
import got from 'got';
import { Connection } from 'jsforce';
import { stringify } from 'yaml';
import { notifyRecordChange } from '../common/record-workflows';
import { startSalesforceSandbox } from '../sandbox/salesforce';
import { sandboxCredentialEnv } from '../sandbox/start-sandboxes';
import { startZendeskSandbox } from '../sandbox/zendesk';
import { baseSyncConfig } from '../test/fixtures/sync-config';
import { DEFAULT_ORG_FIELDS } from '../test/helpers/stack';
import { teardownTemporalEnv, temporalEnv } from '../test/helpers/temporal-env';
import { envNumber, noiseNote, printTable, QUICK, ratio, round, writeResult } from './lib';

const RECORDS = envNumber('BENCH_RECORDS', QUICK ? 200 : 10_000);
const WORKER_COUNTS = (process.env.BENCH_WORKERS ?? '1,2').split(',').map((s) => {
  const n = Number(s.trim());
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`BENCH_WORKERS must list whole numbers >= 1, got "${s}"`);
  return n;
});
const WORKER_LOG_LEVEL = process.env.BENCH_WORKER_LOG_LEVEL ?? 'WARN';
const SIGNAL_CONCURRENCY = 32;
/** Width of the windows the steady median is taken over. */
const BUCKET_S = 5;
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

function readPeakMiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? round(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

async function spawnWorker(env: NodeJS.ProcessEnv, index: number): Promise<WorkerProcess> {
  // As the Docker image runs it (`node bin/sfzd.js worker`, tsx's CommonJS hook), with no tuning
  // variable unless the caller sets one: the defaults are what is measured. node itself, not a
  // wrapper, so the pid is the worker's and /proc shows its memory.
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
  return { child, pid: child.pid!, peakMiB: readPeakMiB(child.pid!) ?? 0, exited };
}

async function stopWorker(w: WorkerProcess): Promise<void> {
  w.peakMiB = readPeakMiB(w.pid) ?? w.peakMiB;
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

export interface RunResult {
  workers: number;
  records: number;
  synced: number;
  handoffSeconds: number;
  wallSeconds: number;
  /** Median rate over 5-second windows between 10% and 90% of the records done. */
  steadyMedianPerSecond: number;
  /** (80% of the records) / (time from 10% to 90% done). */
  steadyMeanPerSecond: number;
  overallPerSecond: number;
  peakRssMiB: number[];
  zendeskCalls: number;
  salesforceCalls: number;
  /** Each record's write-back, in ms after the first signal (to recompute rates differently). */
  completedAtMs: number[];
}

async function runOnce(workers: number): Promise<RunResult> {
  const env = await temporalEnv();
  const sf = await startSalesforceSandbox({ port: 0, longPollTimeoutSeconds: 2 });
  sf.store.importSnapshot({ ...sf.store.exportSnapshot(), counter: randomInt(1e9, 1e12) });
  const zd = await startZendeskSandbox({ port: 0, rateLimitPerMinute: 10_000_000 });
  const procs: WorkerProcess[] = [];
  let sampler: NodeJS.Timeout | undefined;
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
    sampler = setInterval(() => {
      for (const p of procs) p.peakMiB = Math.max(p.peakMiB, readPeakMiB(p.pid) ?? 0);
    }, 1_000);
    console.log(`  ${workers} worker process(es) ready (pids ${procs.map((p) => p.pid).join(', ')})`);

    sf.log.reset();
    zd.log.reset();
    const t0 = Date.now();
    let next = 0;
    let handoffSeconds: number | undefined;
    // The handoff runs while records already sync; progress shows both.
    const handoff = Promise.all(
      Array.from({ length: SIGNAL_CONCURRENCY }, async () => {
        while (next < ids.length) {
          const salesforceId = ids[next++]!;
          await notifyRecordChange(
            env.client,
            taskQueue,
            { object: 'Account', salesforceId },
            { source: 'cdc' },
          );
        }
      }),
    ).then(() => {
      handoffSeconds = (Date.now() - t0) / 1000;
    });
    let handoffError: Error | undefined;
    handoff.catch((err: unknown) => (handoffError = err instanceof Error ? err : new Error(String(err))));

    const isWriteBack = (e: { method: string; path: string; status: number }) =>
      e.method === 'PATCH' && e.status < 300 && e.path.includes('/sobjects/Account/');
    let lastReport = 0;
    for (const deadline = t0 + RUN_TIMEOUT_MS; ; await sleep(500)) {
      const done = new Set(
        sf.log
          .entries()
          .filter(isWriteBack)
          .map((e) => e.path),
      ).size;
      if (handoffError) throw handoffError;
      if (done >= ids.length) break;
      if (Date.now() - lastReport > 15_000) {
        lastReport = Date.now();
        console.log(
          `  ${done}/${ids.length} synced, ${Math.min(next, ids.length)} signalled after ${round((Date.now() - t0) / 1000)} s`,
        );
      }
      if (Date.now() > deadline) throw new Error(`only ${done}/${ids.length} synced within the time limit`);
      if (procs.some((p) => p.child.exitCode !== null)) throw new Error('a worker process exited mid-run');
    }
    await handoff;
    // First write-back per record: its completion time.
    const firstDone = new Map<string, number>();
    for (const e of sf.log.entries())
      if (isWriteBack(e) && !firstDone.has(e.path)) firstDone.set(e.path, e.at);
    const times = [...firstDone.values()].sort((a, b) => a - b);
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
    const rates = Array.from({ length: fullWindows }, (_, w) => (windows.get(w) ?? 0) / BUCKET_S).sort(
      (a, b) => a - b,
    );
    const median = round(rates[Math.floor(rates.length / 2)]!);
    const steadyCount = times.filter((t) => t >= t10 && t <= t90).length;

    const result: RunResult = {
      workers,
      records: ids.length,
      synced: firstDone.size,
      handoffSeconds: round(handoffSeconds ?? NaN),
      wallSeconds: round(wallSeconds),
      steadyMedianPerSecond: median,
      steadyMeanPerSecond: round(steadyCount / Math.max(0.001, (t90 - t10) / 1000)),
      overallPerSecond: round(ids.length / wallSeconds),
      peakRssMiB: [],
      zendeskCalls: zd.log.summary().total,
      salesforceCalls: sf.log.summary().total,
      completedAtMs: times.map((t) => t - t0),
    };
    clearInterval(sampler);
    for (const p of procs) await stopWorker(p);
    result.peakRssMiB = procs.map((p) => p.peakMiB);
    return result;
  } finally {
    if (sampler) clearInterval(sampler);
    for (const p of procs) if (p.child.exitCode === null) await stopWorker(p);
    await sf.close();
    await zd.close();
    // A fresh dev server per run: the previous run's record workflows stay open and would weigh on it.
    await teardownTemporalEnv();
  }
}

async function main(): Promise<void> {
  const results: RunResult[] = [];
  for (const workers of WORKER_COUNTS) {
    console.log(`throughput: ${RECORDS} records, ${workers} worker process(es)`);
    results.push(await runOnce(workers));
  }
  const one = results.find((r) => r.workers === 1);
  printTable(
    results.map((r) => ({
      workers: r.workers,
      records: r.records,
      'steady syncs/s (median)': r.steadyMedianPerSecond,
      'steady syncs/s (mean)': r.steadyMeanPerSecond,
      'overall syncs/s': r.overallPerSecond,
      'wall s': r.wallSeconds,
      'handoff s': r.handoffSeconds,
      'peak RSS MiB per worker': r.peakRssMiB.join(' / '),
      'vs 1 worker': one ? ratio(r.steadyMedianPerSecond, one.steadyMedianPerSecond) : '—',
    })),
  );
  console.log(
    `\n${noiseNote()} With 2 cores, a second worker competes with the first, with the dev server and with the sandboxes (this process) for the same CPUs.`,
  );
  console.log(
    `written to ${writeResult('throughput', {
      records: RECORDS,
      signalConcurrency: SIGNAL_CONCURRENCY,
      workerLogLevel: WORKER_LOG_LEVEL,
      scenario: 'first sync (create) of distinct Accounts, one signal-with-start each',
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
