/**
 * Each benchmark script runs end to end at tiny sizes and writes a result with the shape `npm run bench`
 * and docs/benchmarks.md rely on. No figure is asserted (benchmarks print figures; tests do not time things),
 * only counts that are exact: samples taken, records synced, calls logged.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

  it('throughput: one worker process syncs every record and reports its peak memory', async () => {
    const { dir } = await runBench('bench/throughput.ts', { BENCH_RECORDS: '20', BENCH_WORKERS: '1' });
    const r = result<{
      runs: Array<{ workers: number; records: number; synced: number; peakRssMiB: number[] }>;
    }>(dir, 'throughput');
    assert.equal(r.runs.length, 1);
    assert.equal(r.runs[0]!.synced, 20);
    assert.equal(r.runs[0]!.peakRssMiB.length, 1);
    assert.ok(r.runs[0]!.peakRssMiB[0]! > 0, 'VmHWM was read from /proc');
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
    const { dir } = await runBench('bench/temporal-cost.ts', { BENCH_ACCOUNTS: '2' });
    const r = result<{ rows: Array<{ pass: string; passes: number; actionsMax: number }> }>(
      dir,
      'temporal-cost',
    );
    const max = Object.fromEntries(r.rows.map((row) => [row.pass, row.actionsMax]));
    assert.deepEqual(
      r.rows.slice(0, 4).map((row) => [row.pass, row.passes]),
      [
        ['first sync', 2],
        ['linked update', 2],
        ['unchanged', 2],
        ['batch per account', 2],
      ],
    );
    assert.ok(
      max['first sync']! <= 7 && max['linked update']! <= 4 && max['unchanged']! <= 2,
      JSON.stringify(max),
    );
  });
});
