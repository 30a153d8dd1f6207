/**
 * Each benchmark script runs end to end at tiny sizes and writes a result with the shape `npm run bench`
 * and docs/benchmarks.md rely on. No figure is asserted (benchmarks print figures; tests do not time things),
 * only counts that are exact (samples taken, records synced, calls logged) and that CPU and memory figures
 * were read at all (positive, within what the machine's cores allow).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

async function runBench(script: string, env: NodeJS.ProcessEnv): Promise<{ dir: string; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sfzd-bench-smoke-'));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, BENCH_QUICK: '1', BENCH_RESULTS_DIR: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  assert.equal(code, 0, `${script} exited with ${code}:\n${output.slice(-3_000)}`);
  return { dir, output };
}

function result<T>(dir: string, name: string): T {
  return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as T;
}

describe('benchmark scripts (smoke, tiny sizes)', function () {
  // Generous: each script starts its own dev server (and the throughput one a worker process).
  this.timeout(240_000);

  it('latency: samples every change for ours and the baseline', async () => {
    const { dir, output } = await runBench('bench/latency.ts', { BENCH_CHANGES: '3', BENCH_LATENCY_MS: '0' });
    const r = result<{ ours: { n: number; samples: number[] }; baseline: { n: number; samples: number[] } }>(
      dir,
      'latency-0ms',
    );
    assert.equal(r.ours.n, 3);
    assert.equal(r.baseline.n, 3);
    assert.ok([...r.ours.samples, ...r.baseline.samples].every((ms) => ms >= 0));
    assert.match(output, /ratio ours\/baseline/);
  });

  it('throughput: one worker process syncs every record, then updates it; CPU and memory are reported', async () => {
    const { dir, output } = await runBench('bench/throughput.ts', {
      BENCH_RECORDS: '20',
      BENCH_WORKERS: '1',
      BENCH_UPDATE_BURST: '1',
      BENCH_RSS_AT: '10',
    });
    interface Cpu {
      syncs: number;
      serverPercent: number | null;
      benchPercent: number | null;
      workerPercent: Array<number | null>;
      serverMsPerSync: number | null;
      workersMsPerSync: number | null;
    }
    const r = result<{
      runs: Array<{
        workers: number;
        records: number;
        synced: number;
        peakRssMiB: number[];
        cpu: Cpu;
        serverPid: number | null;
        rssAtMiB: Array<{ synced: number; workerMiB: Array<number | null> }>;
        updateBurst?: {
          kind: string;
          synced: number;
          cpu: Cpu;
          rssAfterMiB: Array<number | null>;
          peakRssAfterMiB: Array<number | null>;
        };
      }>;
    }>(dir, 'throughput');
    assert.equal(r.runs.length, 1);
    const run = r.runs[0]!;
    assert.equal(run.synced, 20);
    assert.equal(run.peakRssMiB.length, 1);
    assert.ok(run.peakRssMiB[0]! > 0, 'VmHWM was read from /proc');
    assert.ok(run.serverPid, 'the dev server process was found');

    // A process uses at most every core; 10 % over for the sampling's granularity.
    const maxPercent = cpus().length * 100 * 1.1;
    const sane = (what: string, cpu: Cpu) => {
      assert.ok(cpu.syncs > 0, `${what}: the CPU window holds syncs`);
      for (const [name, v] of Object.entries({
        server: cpu.serverPercent,
        bench: cpu.benchPercent,
        worker: cpu.workerPercent[0],
      }))
        assert.ok(v !== null && v! > 0 && v! <= maxPercent, `${what}: ${name} CPU % is ${v}`);
      assert.equal(cpu.workerPercent.length, 1);
      assert.ok(cpu.serverMsPerSync! > 0, `${what}: server ms/sync is ${cpu.serverMsPerSync}`);
      assert.ok(cpu.workersMsPerSync! > 0, `${what}: workers ms/sync is ${cpu.workersMsPerSync}`);
    };
    sane('first sync', run.cpu);

    // RSS at the 10th first sync, and at the end of the burst (20).
    assert.deepEqual(
      run.rssAtMiB.map((x) => x.synced),
      [10, 20],
    );
    for (const x of run.rssAtMiB)
      assert.ok(x.workerMiB[0]! > 0 && x.workerMiB[0]! <= run.peakRssMiB[0]!, `RSS ${x.workerMiB[0]} ≤ peak`);

    const u = run.updateBurst!;
    assert.equal(u.kind, 'linked update');
    assert.equal(u.synced, 20, 'every record was updated in Zendesk');
    sane('linked update', u.cpu);
    assert.ok(u.rssAfterMiB[0]! > 0 && u.rssAfterMiB[0]! <= u.peakRssAfterMiB[0]!);
    assert.ok(u.peakRssAfterMiB[0]! <= run.peakRssMiB[0]!);

    for (const column of ['server %', 'workers ms/sync', 'RSS at 10 first syncs', 'peak after updates'])
      assert.ok(output.includes(column), `the table shows "${column}"`);
  });

  it('api cost: an unchanged change costs us no Zendesk call and the baseline one write', async () => {
    const { dir } = await runBench('bench/api-cost.ts', { BENCH_RECORDS: '2' });
    const r = result<{
      rows: Array<{
        scenario: string;
        ours?: { zendeskPerRecord: number };
        baseline?: { zendeskPerRecord: number };
      }>;
    }>(dir, 'api-cost');
    const unchanged = r.rows.find((row) => row.scenario === 'unchanged change')!;
    assert.equal(unchanged.ours!.zendeskPerRecord, 0);
    assert.equal(unchanged.baseline!.zendeskPerRecord, 1);
    const bulk = r.rows.find((row) => row.scenario.startsWith('bulk resync (sfzd resync --all'))!;
    assert.ok(bulk.ours && bulk.baseline, 'the bulk resync ran for both');
  });
  it('temporal cost: every pass kind is counted, within the issue-17 goals (exact counts)', async () => {
    // Three of each: the median stays exact if one pass's activity is retried on a loaded machine.
    const { dir } = await runBench('bench/temporal-cost.ts', { BENCH_ACCOUNTS: '3' });
    const r = result<{ rows: Array<{ pass: string; passes: number; actionsMedian: number }> }>(
      dir,
      'temporal-cost',
    );
    const max = Object.fromEntries(r.rows.map((row) => [row.pass, row.actionsMedian]));
    assert.deepEqual(
      r.rows.slice(0, 4).map((row) => [row.pass, row.passes]),
      [
        ['first sync', 3],
        ['linked update', 3],
        ['unchanged', 3],
        ['batch, account with a workflow', 3],
      ],
    );
    assert.ok(
      max['first sync']! <= 7 && max['linked update']! <= 4 && max['unchanged']! <= 2,
      JSON.stringify(max),
    );
  });
});
