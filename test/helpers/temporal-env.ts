/**
 * One real Temporal dev server (the CLI's `server start-dev`) shared by every test file, started on a
 * free port the first time a test asks for it and torn down by test/hooks.ts.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { useProcessRuntime } from '../../activities/process-runtime';
import { findTemporalCli, TemporalCliNotFoundError } from '../../client/temporal-cli';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

let envPromise: Promise<TestWorkflowEnvironment> | undefined;

/** One Temporal runtime per test process, whichever helper comes first. */
export function installTestRuntime(): void {
  // Worker lifecycle lines at INFO drown test output; warnings and errors still show.
  try {
    Runtime.install({ logger: new DefaultLogger(process.env.TEST_LOG_LEVEL === 'debug' ? 'DEBUG' : 'WARN') });
  } catch {
    // A test ran the worker in-process first, and its telemetry already installed the runtime.
  }
  // Counts and logs outside an activity (schema refresh of an in-process stack) go to it, as in a worker.
  useProcessRuntime(Runtime.instance());
}

/**
 * A dev server of its own, as the shared one is started. For a test whose histories must stay off the
 * shared server (encrypted ones: test/sync/replay.test.ts replays every history there without the codec).
 */
export async function createTemporalEnv(): Promise<TestWorkflowEnvironment> {
  installTestRuntime();
  const cli = findTemporalCli();
  const server = {
    searchAttributes: ALL_SEARCH_ATTRIBUTES,
    log: { format: 'pretty', level: 'warn' } as const,
  };
  if (cli)
    return TestWorkflowEnvironment.createLocal({
      server: { ...server, executable: { type: 'existing-path', path: cli.path } },
    });
  try {
    // Step 4 of the lookup: @temporalio/testing's own download, for machines with internet access.
    return await TestWorkflowEnvironment.createLocal({
      server: { ...server, executable: { type: 'cached-download' } },
    });
  } catch (err) {
    throw new TemporalCliNotFoundError(`the download fallback failed too: ${(err as Error).message}`);
  }
}

export function temporalEnv(): Promise<TestWorkflowEnvironment> {
  envPromise ??= createTemporalEnv();
  return envPromise;
}

export async function teardownTemporalEnv(): Promise<void> {
  if (!envPromise) return;
  const env = await envPromise.catch(() => undefined);
  envPromise = undefined;
  await env?.teardown();
}
