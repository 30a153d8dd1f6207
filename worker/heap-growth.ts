/**
 * How far a worker's V8 heaps grow past their live data before a full garbage collection.
 *
 * V8 sets the next full-GC threshold at the live size times a factor it picks from how fast it collects,
 * between 1.1 and 4 (`heap-controller.cc`, kMinGrowingFactor / kMaxGrowingFactor). A worker under a
 * burst allocates fast and collects fast, so V8 let its main heap reach about three times its 65 MiB of
 * live data and the process passed 450 MiB with a sticky cache of 100 workflows. A fixed factor of 1.5
 * kept it under 370 MiB with no measurable loss of throughput (docs/benchmarks.md, "Worker memory").
 *
 * Why a growth factor and not a heap cap (`--max-old-space-size`): a cap makes a worker that needs more,
 * e.g. while a batch backfill lists 250,000 organizations, crash with an out-of-memory error; a factor
 * only makes it collect sooner. And a flag set here reaches every launch (npm run worker, sfzd worker,
 * the image) without a wrapper. V8 reads the flag at each collection, of the main heap and of the
 * workflow thread's, so setting it after start-up takes effect.
 */
import { setFlagsFromString } from 'node:v8';

/** WORKER_HEAP_GROWTH_PERCENT when unset: the heap may grow by half its live size. */
export const DEFAULT_HEAP_GROWTH_PERCENT = 50;

/** Sets V8's heap growing factor to 1 + percent/100; 0 leaves V8's own heuristics. */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
