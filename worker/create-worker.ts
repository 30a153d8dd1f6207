/**
 * Builds the Temporal Worker for the sync. The worker entry point, `npm start` and the tests all use
 * this one function, so what is tested is what runs.
 */
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { RECORD_PASS_ACTIVITIES, type Activities } from '../activities';
import { bundleWorkflows, WORKFLOWS_PATH } from './bundle-workflows';
import { heartbeatWhileRunning } from './heartbeat-interceptor';

export interface SyncWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  activities: Activities;
  /** The deployment's data converter (payload encryption), from readTemporalConnection. */
  dataConverter?: WorkerOptions['dataConverter'];
  /** A pre-built bundle (production image); otherwise workflows/ is bundled at start-up (bundle-workflows.ts). */
  workflowBundle?: WorkerOptions['workflowBundle'];
  tuning?: Pick<
    WorkerOptions,
    'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions' | 'maxCachedWorkflows'
  >;
}

export { WORKFLOWS_PATH };

export async function createSyncWorker(opts: SyncWorkerOptions): Promise<Worker> {
  const workflowBundle =
    opts.workflowBundle ??
    (await bundleWorkflows({
      dataConverter: opts.dataConverter,
      meta: { sdkComponent: 'worker', taskQueue: opts.taskQueue },
    }));
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue,
    activities: opts.activities,
    // A pass's activities prove they are alive, so a dead worker's activity moves on after the heartbeat timeout.
    interceptors: { activity: [heartbeatWhileRunning(RECORD_PASS_ACTIVITIES)] },
    ...(opts.dataConverter ? { dataConverter: opts.dataConverter } : {}),
    workflowBundle,
    ...opts.tuning,
  });
}
