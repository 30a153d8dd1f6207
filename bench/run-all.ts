/**
 * Every benchmark in sequence (`npm run bench`; `BENCH_QUICK=1 npm run bench` for a smoke run with tiny
 * sizes): latency at 0 and 80 ms, throughput with 1 and 2 workers, API cost (all three against the
 * baseline in the same run), Temporal cost per pass, and the rate-limited bulk resync when
 * bench/rate-limited-bulk.ts exists.
 * Each runs as its own process (its own dev server and sandboxes); this script then reads their JSON
 * results, prints one summary table and writes bench/results/summary.json (BENCH_SUMMARY_ONLY=1: only
 * that, from the result files already there).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { machine, noiseNote, printTable, QUICK, resultsDir, writeResult } from './lib';

const ROOT = resolve(__dirname, '..');

interface Step {
  name: string;
  script: string;
  env?: NodeJS.ProcessEnv;
  /** The result files it writes (bench/results/<name>.json). */
  results: string[];
  note?: string;
}

const steps: Step[] = [
  {
    name: 'latency 0 ms',
    script: 'bench/latency.ts',
    env: { BENCH_LATENCY_MS: '0' },
    results: ['latency-0ms'],
  },
  {
    name: 'latency 80 ms',
    script: 'bench/latency.ts',
    env: { BENCH_LATENCY_MS: '80' },
    results: ['latency-80ms'],
  },
  {
    name: 'throughput',
    script: 'bench/throughput.ts',
    env: { BENCH_WORKERS: '1,2' },
    results: ['throughput'],
  },
  { name: 'api cost', script: 'bench/api-cost.ts', results: ['api-cost'] },
  { name: 'temporal cost', script: 'bench/temporal-cost.ts', results: ['temporal-cost'] },
];
if (existsSync(join(ROOT, 'bench', 'rate-limited-bulk.ts')))
  steps.push({
    name: 'rate-limited bulk',
    script: 'bench/rate-limited-bulk.ts',
    results: ['rate-limited-bulk'],
    note: 'written separately (bench/rate-limited-bulk.ts); its own table is printed above',
  });

function run(step: Step): Promise<number | null> {
  console.log(`\n=== ${step.name}: ${step.script} ${JSON.stringify(step.env ?? {})} ===`);
  const child = spawn(process.execPath, ['--import', 'tsx', step.script], {
    cwd: ROOT,
    env: { ...process.env, ...step.env },
    stdio: 'inherit',
  });
  return new Promise((r) => child.on('exit', (code) => r(code)));
}

/** A result file written after `since`, or undefined (missing, unreadable or left over from an older run). */
function readResult(name: string, since: number): Record<string, unknown> | undefined {
  try {
    const data = JSON.parse(readFileSync(join(resultsDir(), `${name}.json`), 'utf8')) as Record<
      string,
      unknown
    >;
    return Date.parse(String(data.at)) >= since ? data : undefined;
  } catch {
    return undefined;
  }
}

type Cells = Record<string, string | number>;

function latencyRows(name: string, r: Record<string, unknown> | undefined): Cells[] {
  if (!r) return [{ benchmark: name, metric: '(no result)', ours: '—', baseline: '—', ratio: '—' }];
  const o = r.ours as Record<string, number>;
  const b = r.baseline as Record<string, number>;
  const ratios = r.ratioOursToBaseline as Record<string, number>;
  return (['p50', 'p95', 'p99'] as const).map((p) => ({
    benchmark: name,
    metric: `${p} ms (${o.n} changes)`,
    ours: o[p]!,
    baseline: b[p]!,
    ratio: ratios[p]!,
  }));
}

function throughputRows(r: Record<string, unknown> | undefined): Cells[] {
  if (!r) return [{ benchmark: 'throughput', metric: '(no result)', ours: '—', baseline: '—', ratio: '—' }];
  const runs = r.runs as Array<{
    workers: number;
    records: number;
    steadyMedianPerSecond: number;
    wallSeconds: number;
    peakRssMiB: number[];
  }>;
  const rows: Cells[] = runs.flatMap((run) => [
    {
      benchmark: 'throughput',
      metric: `${run.workers} worker(s): steady syncs/s (median), ${run.records} records`,
      ours: run.steadyMedianPerSecond,
      baseline: '—',
      ratio: '—',
    },
    {
      benchmark: 'throughput',
      metric: `${run.workers} worker(s): wall s / peak RSS MiB`,
      ours: `${run.wallSeconds} / ${run.peakRssMiB.join(' + ')}`,
      baseline: '—',
      ratio: '—',
    },
  ]);
  if (r.twoVsOne !== null && r.twoVsOne !== undefined)
    rows.push({
      benchmark: 'throughput',
      metric: '2 workers vs 1 (steady median)',
      ours: '',
      baseline: '',
      ratio: r.twoVsOne as number,
    });
  return rows;
}

function apiCostRows(r: Record<string, unknown> | undefined): Cells[] {
  if (!r) return [{ benchmark: 'api cost', metric: '(no result)', ours: '—', baseline: '—', ratio: '—' }];
  const rows = r.rows as Array<{
    scenario: string;
    ours?: { salesforcePerRecord: number; zendeskPerRecord: number };
    baseline?: { salesforcePerRecord: number; zendeskPerRecord: number };
    note?: string;
  }>;
  const fmt = (c?: { salesforcePerRecord: number; zendeskPerRecord: number }) =>
    c ? `SF ${c.salesforcePerRecord} + ZD ${c.zendeskPerRecord}` : '—';
  return rows.map((row) => ({
    benchmark: 'api cost',
    metric: `${row.scenario} (calls/record)`,
    ours: row.ours ? fmt(row.ours) : (row.note ?? '—'),
    baseline: fmt(row.baseline),
    ratio:
      row.ours && row.baseline
        ? Math.round(
            ((row.ours.salesforcePerRecord + row.ours.zendeskPerRecord) /
              Math.max(0.01, row.baseline.salesforcePerRecord + row.baseline.zendeskPerRecord)) *
              100,
          ) / 100
        : '—',
  }));
}

/**
 * The rate-limited bulk script is written separately: show its scalar figures as they are, top-level
 * ones and those of each entry of a top-level list (e.g. one per path, labelled by its `path`).
 */
function genericRows(name: string, r: Record<string, unknown> | undefined): Cells[] {
  if (!r) return [{ benchmark: name, metric: '(no result)', ours: '—', baseline: '—', ratio: '—' }];
  const scalar = (v: unknown) => ['number', 'string', 'boolean'].includes(typeof v);
  const rows: Cells[] = [];
  for (const [k, v] of Object.entries(r)) {
    if (['benchmark', 'at'].includes(k)) continue;
    if (scalar(v)) rows.push({ benchmark: name, metric: k, ours: String(v), baseline: '—', ratio: '—' });
    if (Array.isArray(v))
      v.forEach((item: unknown, i) => {
        if (!item || typeof item !== 'object') return;
        const entry = item as Record<string, unknown>;
        const label = typeof entry.path === 'string' ? entry.path : `${k}[${i}]`;
        for (const [field, value] of Object.entries(entry))
          if (scalar(value) && field !== 'path')
            rows.push({
              benchmark: name,
              metric: `${label}: ${field}`,
              ours: String(value),
              baseline: '—',
              ratio: '—',
            });
      });
  }
  return rows;
}

/** Events and billable actions per pass (bench/temporal-cost.ts). */
function temporalCostRows(r: Record<string, unknown> | undefined): Cells[] {
  if (!r)
    return [{ benchmark: 'temporal cost', metric: '(no result)', ours: '—', baseline: '—', ratio: '—' }];
  const rows = r.rows as Array<{ pass: string; eventsMedian: number; actionsMedian: number }>;
  return rows.map((row) => ({
    benchmark: 'temporal cost',
    metric: `${row.pass}: history events / billable actions (median)`,
    ours: `${row.eventsMedian} / ${row.actionsMedian}`,
    baseline: '—',
    ratio: '—',
  }));
}

/** BENCH_SUMMARY_ONLY=1: run nothing, summarize the result files already there (e.g. after separate runs). */
const SUMMARY_ONLY = process.env.BENCH_SUMMARY_ONLY === '1';

async function main(): Promise<void> {
  const since = SUMMARY_ONLY ? 0 : Date.now();
  const status: Record<string, string> = {};
  for (const step of steps) {
    if (SUMMARY_ONLY) {
      status[step.name] = 'not run (summary only)';
      continue;
    }
    const code = await run(step);
    status[step.name] = code === 0 ? 'ok' : `failed (exit ${code})`;
  }
  const get = (name: string) => readResult(name, since);
  const rows: Cells[] = [
    ...latencyRows('latency 0 ms', get('latency-0ms')),
    ...latencyRows('latency 80 ms', get('latency-80ms')),
    ...throughputRows(get('throughput')),
    ...apiCostRows(get('api-cost')),
    ...temporalCostRows(get('temporal-cost')),
    ...(steps.some((s) => s.name === 'rate-limited bulk')
      ? genericRows('rate-limited bulk', get('rate-limited-bulk'))
      : [
          {
            benchmark: 'rate-limited bulk',
            metric: 'bench/rate-limited-bulk.ts not present: skipped',
            ours: '—',
            baseline: '—',
            ratio: '—',
          },
        ]),
  ];
  console.log(`\n=== summary${QUICK ? ' (BENCH_QUICK: smoke sizes, figures not meaningful)' : ''} ===`);
  printTable(rows);
  console.log(
    '\nsteps:',
    Object.entries(status)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', '),
  );
  console.log(noiseNote());
  console.log(
    `written to ${writeResult('summary', {
      quick: QUICK,
      machine: machine(),
      steps: status,
      notes: steps.filter((s) => s.note).map((s) => `${s.name}: ${s.note}`),
      rows,
      results: Object.fromEntries(steps.flatMap((s) => s.results.map((n) => [n, get(n) ?? null]))),
    })}`,
  );
  if (!SUMMARY_ONLY && Object.values(status).some((s) => s !== 'ok')) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
