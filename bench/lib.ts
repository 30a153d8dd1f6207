/** Small helpers shared by the benchmark scripts: percentiles, tables, result files. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarize(samples: readonly number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

export function printTable(rows: Array<Record<string, string | number>>): void {
  if (rows.length === 0) return;
  const keys = Object.keys(rows[0]!);
  const width = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i]!)).join('  ');
  console.log(line(keys));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(keys.map((k) => String(r[k]))));
}

export function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    /** 1-minute load average when the result was written: above the CPU count, the machine was shared. */
    loadAverage1m: Math.round(loadavg()[0]! * 10) / 10,
  };
}

/** bench/results/, or BENCH_RESULTS_DIR (the smoke test writes elsewhere so it never overwrites figures). */
export function resultsDir(): string {
  return process.env.BENCH_RESULTS_DIR || join(__dirname, 'results');
}

export function writeResult(name: string, data: unknown): string {
  const dir = resultsDir();
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ benchmark: name, at: new Date().toISOString(), machine: machine(), ...(data as object) }, null, 2)}\n`,
  );
  return file;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** BENCH_QUICK=1: tiny sizes, a smoke run that proves the script works (figures meaningless). */
export const QUICK = process.env.BENCH_QUICK === '1' || process.env.BENCH_QUICK === 'true';

/** A positive number from the environment, or `fallback`; a bad value stops the script naming the variable. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number >= 0, got "${raw}"`);
  return n;
}

/** a/b to two decimals ('—' when b is 0 or either is missing). */
export function ratio(a: number, b: number): number | string {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? round(a / b, 2) : '—';
}

export function noiseNote(): string {
  const m = machine();
  return `note: ${m.cpus} CPU(s), ${m.memoryGiB} GiB, ${m.node}, load average ${m.loadAverage1m}; on a shared machine these figures are noisy: compare ratios measured in one run rather than absolute times across runs.`;
}
