/**
 * The worker process: parse the environment, log in to both systems, validate the sync configuration
 * against their live schemas, then poll the task queue until SIGINT/SIGTERM. Any problem before
 * polling stops the process with a message that names the variable or config path at fault, and
 * closes everything it opened so that the process exits (a SIGINT/SIGTERM during start-up too).
 */
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { ensureSearchAttributes } from '../common/search-attributes';
import { buildActivityDeps } from './build-deps';
import { createSyncWorker } from './create-worker';
import { configHealth, startHealthServer, type HealthServer } from './health';
import { DEFAULT_HEAP_GROWTH_PERCENT, limitHeapGrowth } from './heap-growth';
import {
  readSalesforceCredentials,
  readWorkerDeployEnv,
  readWorkerTuning,
  readZendeskCredentials,
  readSchemaRefreshEvery,
  collectEnvErrors,
} from '../common/env';
import { explainStartupFailure } from './startup-errors';
import { abortable, listenForStop } from './stop-signals';
import {
  connectClient,
  readTemporalConnection,
  temporalUnreachable,
  workerConnectionOptions,
} from '../common/temporal-connection';
import { installTelemetry, readTelemetryEnv, releaseTelemetry } from './telemetry';

export interface RunWorkerOptions {
  env?: NodeJS.ProcessEnv;
  /** Called once the worker polls, e.g. to print "ready". */
  onReady?: (info: { taskQueue: string; namespace: string; address: string }) => void;
}

/** Releases a worker that was created but will not run (start-up stopped): it holds its connection. */
async function discardWorker(worker: Worker): Promise<void> {
  await worker.runUntil(Promise.resolve()).catch(() => undefined);
}

export async function runWorker(opts: RunWorkerOptions = {}): Promise<void> {
  const env = opts.env ?? process.env;
  const [telemetry, temporal, tuning, deploy, salesforce, zendesk, schemaRefreshMs] = collectEnvErrors(
    () => readTelemetryEnv(env),
    () => readTemporalConnection(env),
    () => readWorkerTuning(env),
    () => readWorkerDeployEnv(env),
    () => readSalesforceCredentials(env),
    () => readZendeskCredentials(env),
    () => readSchemaRefreshEvery(env),
  );
  const configPath = env.SYNC_CONFIG ?? 'sync.config.yaml';
  // Before the workflow thread starts and the activities allocate: its heap follows the same factor.
  limitHeapGrowth(deploy.heapGrowthPercent ?? DEFAULT_HEAP_GROWTH_PERCENT);
  // Before any connection: the runtime is created by the first connection otherwise, without our options.
  const ownsRuntime = installTelemetry(telemetry);
  const stop = listenForStop();
  let worker: Worker | undefined;
  let health: HealthServer | undefined;
  let nativeConnection: NativeConnection | undefined;
  let connection: Awaited<ReturnType<typeof connectClient>>['connection'] | undefined;
  let deps: Awaited<ReturnType<typeof buildActivityDeps>> | undefined;
  try {
    // First the local port, so that a port in use fails in milliseconds; 503 until the worker polls.
    if (deploy.healthPort !== undefined)
      health = await startHealthServer(
        { getState: () => worker?.getState() ?? 'INITIALIZED' },
        deploy.healthPort,
        deploy.healthHost,
        () => (deps ? configHealth(deps.syncContext.current()) : {}),
      );
    const temporalEnv = temporal.env;
    const connected = await abortable(connectClient(temporal), stop.signal, (c) => c.connection.close());
    connection = connected.connection;
    nativeConnection = await abortable(
      NativeConnection.connect(workerConnectionOptions(temporal)).catch((err: unknown) => {
        throw temporalUnreachable(temporal, err);
      }),
      stop.signal,
      (c) => c.close(),
    );
    await abortable(ensureSearchAttributes(connection, temporalEnv.TEMPORAL_NAMESPACE), stop.signal);
    deps = await abortable(
      buildActivityDeps({ salesforce, zendesk, configPath, temporal: connected.client, schemaRefreshMs }),
      stop.signal,
    ).catch((err: unknown) => {
      throw explainStartupFailure(err, { salesforce, zendesk });
    });
    worker = await abortable(
      createSyncWorker({
        connection: nativeConnection,
        namespace: temporalEnv.TEMPORAL_NAMESPACE,
        taskQueue: temporalEnv.TEMPORAL_TASK_QUEUE,
        activities: createActivities(deps),
        dataConverter: temporal.dataConverter,
        tuning,
        ...(deploy.workflowBundlePath ? { workflowBundle: { codePath: deploy.workflowBundlePath } } : {}),
      }),
      stop.signal,
      discardWorker,
    );
    if (stop.signal.aborted) {
      await discardWorker(worker);
      stop.throwIfStopped();
    }
    // From here the SDK's runtime handles SIGINT/SIGTERM: the worker drains and run() returns.
    stop.dispose();
    const running = worker.run();
    try {
      opts.onReady?.({
        taskQueue: temporalEnv.TEMPORAL_TASK_QUEUE,
        namespace: temporalEnv.TEMPORAL_NAMESPACE,
        address: temporalEnv.TEMPORAL_ADDRESS,
      });
    } catch (err) {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      throw err;
    }
    await running;
  } finally {
    stop.dispose();
    deps?.syncContext.stop();
    await health?.close();
    await nativeConnection?.close();
    await connection?.close();
    if (ownsRuntime) await releaseTelemetry();
  }
}
