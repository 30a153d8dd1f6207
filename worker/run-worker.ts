/**
 * The worker process: parse the environment, log in to both systems, validate the sync configuration
 * against their live schemas, then poll the task queue until SIGINT/SIGTERM. Any problem before
 * polling stops the process with a message that names the variable or config path at fault.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities';
import { ensureSearchAttributes } from '../client/search-attributes';
import { buildActivityDeps } from './build-deps';
import { createSyncWorker } from './create-worker';
import { startHealthServer } from './health';
import {
  readSalesforceCredentials,
  readTemporalEnv,
  readWorkerDeployEnv,
  readWorkerTuning,
  readZendeskCredentials,
  collectEnvErrors,
} from './env';
import { installTelemetry, readTelemetryEnv } from './telemetry';

export interface RunWorkerOptions {
  env?: NodeJS.ProcessEnv;
  /** Called once the worker polls, e.g. to print "ready". */
  onReady?: (info: { taskQueue: string; namespace: string; address: string }) => void;
}

export async function runWorker(opts: RunWorkerOptions = {}): Promise<void> {
  const env = opts.env ?? process.env;
  const [telemetry, temporalEnv, tuning, deploy, salesforce, zendesk] = collectEnvErrors(
    () => readTelemetryEnv(env),
    () => readTemporalEnv(env),
    () => readWorkerTuning(env),
    () => readWorkerDeployEnv(env),
    () => readSalesforceCredentials(env),
    () => readZendeskCredentials(env),
  );
  const configPath = env.SYNC_CONFIG ?? 'sync.config.yaml';
  // Before any connection: the runtime is created by the first connection otherwise, without our options.
  installTelemetry(telemetry);

  const connection = await Connection.connect({ address: temporalEnv.TEMPORAL_ADDRESS });
  const nativeConnection = await NativeConnection.connect({ address: temporalEnv.TEMPORAL_ADDRESS });
  try {
    await ensureSearchAttributes(connection, temporalEnv.TEMPORAL_NAMESPACE);
    const client = new Client({ connection, namespace: temporalEnv.TEMPORAL_NAMESPACE });
    const deps = await buildActivityDeps({ salesforce, zendesk, configPath, temporal: client });
    const worker = await createSyncWorker({
      connection: nativeConnection,
      namespace: temporalEnv.TEMPORAL_NAMESPACE,
      taskQueue: temporalEnv.TEMPORAL_TASK_QUEUE,
      activities: createActivities(deps),
      tuning,
      ...(deploy.workflowBundlePath ? { workflowBundle: { codePath: deploy.workflowBundlePath } } : {}),
    });
    const health =
      deploy.healthPort === undefined ? undefined : await startHealthServer(worker, deploy.healthPort);
    opts.onReady?.({
      taskQueue: temporalEnv.TEMPORAL_TASK_QUEUE,
      namespace: temporalEnv.TEMPORAL_NAMESPACE,
      address: temporalEnv.TEMPORAL_ADDRESS,
    });
    try {
      await worker.run();
    } finally {
      await health?.close();
    }
  } finally {
    await nativeConnection.close();
    await connection.close();
  }
}
