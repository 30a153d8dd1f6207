/**
 * The Temporal runtime of this process, for code that runs outside an activity (start-up logins, the
 * schema refresh timer): its meter and its logger. Inside an activity, the activity's own are used.
 * worker/telemetry.ts hands the runtime over when it installs it (or finds one installed); until then
 * there is none, so nothing here ever creates a runtime, and the SDK's private singleton is not read.
 */
import type { Logger, MetricMeter } from '@temporalio/common';

export interface ProcessRuntime {
  /** Read at each use: a runtime that shuts down replaces it by a no-op meter. */
  readonly metricMeter: MetricMeter;
  readonly logger: Logger;
}

let current: ProcessRuntime | undefined;

/** Sets (or, with undefined, forgets) the runtime of this process. */
export function useProcessRuntime(runtime: ProcessRuntime | undefined): void {
  current = runtime;
}

/** The runtime set by useProcessRuntime, if any. */
export function processRuntime(): ProcessRuntime | undefined {
  return current;
}
