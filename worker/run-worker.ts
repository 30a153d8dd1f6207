/**
 * The worker process: parse the environment, log in to both systems, validate the sync configuration
 * against their live schemas, then poll the task queue until SIGINT/SIGTERM. Any problem before
 * polling stops the process with a message that names the variable or config path at fault.
 */
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities';
import { ensureSearchAttributes } from '../client/search-attributes';
import { buildActivityDeps } from './build-deps';
import { createSyncWorker } from './create-worker';
import { configHealth, startHealthServer } from './health';
import {
  readSalesforceCredentials,
  readWorkerDeployEnv,
  readWorkerTuning,
  readZendeskCredentials,
  readSchemaRefreshEvery,
  collectEnvErrors,
} from './env';
import { connectClient, readTemporalConnection, workerConnectionOptions } from './temporal-connection';
import { installTelemetry, readTelemetryEnv } from './telemetry';

export interface RunWorkerOptions {
  env?: NodeJS.ProcessEnv;
  /** Called once the worker polls, e.g. to print "ready". */
  onReady?: (info: { taskQueue: string; namespace: string; address: string }) => void;
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
  // Before any connection: the runtime is created by the first connection otherwise, without our options.
  installTelemetry(telemetry);

  const temporalEnv = temporal.env;
  const { connection, client } = await connectClient(temporal);
  const nativeConnection = await NativeConnection.connect(workerConnectionOptions(temporal)).catch(
    async (err: unknown) => {
      await connection.close();
      throw err;
    },
  );
  try {
    await ensureSearchAttributes(connection, temporalEnv.TEMPORAL_NAMESPACE);
    const deps = await buildActivityDeps({
      salesforce,
      zendesk,
      configPath,
      temporal: client,
      schemaRefreshMs,
    });
    const worker = await createSyncWorker({
      connection: nativeConnection,
      namespace: temporalEnv.TEMPORAL_NAMESPACE,
      taskQueue: temporalEnv.TEMPORAL_TASK_QUEUE,
      activities: createActivities(deps),
      dataConverter: temporal.dataConverter,
      tuning,
      ...(deploy.workflowBundlePath ? { workflowBundle: { codePath: deploy.workflowBundlePath } } : {}),
    });
    const health =
      deploy.healthPort === undefined
        ? undefined
        : await startHealthServer(worker, deploy.healthPort, undefined, () =>
            configHealth(deps.syncContext.current()),
          );
    opts.onReady?.({
      taskQueue: temporalEnv.TEMPORAL_TASK_QUEUE,
      namespace: temporalEnv.TEMPORAL_NAMESPACE,
      address: temporalEnv.TEMPORAL_ADDRESS,
    });
    try {
      await worker.run();
    } finally {
      deps.syncContext.stop();
      await health?.close();
    }
  } finally {
    await nativeConnection.close();
    await connection.close();
  }
}
