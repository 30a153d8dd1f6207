/**
 * The whole product on loopback for end-to-end tests: both sandboxes, the shared Temporal dev server,
 * and a real worker with its real activities, wired exactly as the worker process wires them.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import got, { type Got } from 'got';
import { Connection } from 'jsforce';
import { stringify } from 'yaml';
import { createActivities } from '../../activities';
import type { BackoffSettings } from '../../activities/failures';
import type { LiveSyncContext } from '../../activities/sync/live-context';
import { notifyRecordChange, readRecordState } from '../../common/record-workflows';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../sandbox/salesforce';
import { sandboxCredentialEnv } from '../../sandbox/start-sandboxes';
import { startZendeskSandbox, type ZendeskSandbox } from '../../sandbox/zendesk';
import { buildActivityDeps } from '../../worker/build-deps';
import { createSyncWorker } from '../../worker/create-worker';
import type { RecordStateView } from '../../workflows/record-messages';
import type { ChangeNotice, OutcomeEntry, SalesforceObject } from '../../workflows/sync-types';
import { baseSyncConfig } from '../fixtures/sync-config';
import { temporalEnv } from './temporal-env';
import { sharedWorkflowBundle } from './workflow-bundle';

/** The production decision table (workflows/failure-types.ts) with its minute-long first waits shortened. */
export const TEST_BACKOFF: BackoffSettings = {
  SalesforceRequestLimit: { retry: true, firstMs: 300, maxMs: 2_000, giveUpAfterMs: 60 * 60_000 },
  SalesforceAuthFailed: { retry: true, firstMs: 300, maxMs: 2_000, giveUpAfterMs: 60 * 60_000 },
  ZendeskAuthFailed: { retry: true, firstMs: 300, maxMs: 2_000, giveUpAfterMs: 60 * 60_000 },
};

export interface StackOptions {
  /** The sync configuration to write (default: test/fixtures/sync-config.ts's base). */
  config?: object;
  /** Zendesk custom fields to define before the worker checks the config. */
  organizationFields?: Array<Record<string, unknown>>;
  userFields?: Array<Record<string, unknown>>;
  zendeskRateLimitPerMinute?: number;
  /** ZENDESK_RETRY_AFTER_MAX_SECONDS of the stack's worker (default: production's 15 minutes). */
  zendeskRetryAfterMaxSeconds?: number;
  /** A Temporal environment of the test's own (e.g. a dev server with the UI); default: the shared one. */
  env?: TestWorkflowEnvironment;
  /** E.g. payload encryption: used by the worker and by the stack's client (`stack.client`). */
  dataConverter?: DataConverter;
  /** Interval of the worker's schema refresh (default 0: off, so no test sees background calls). */
  schemaRefreshMs?: number;
  /** Zendesk's multiple-organizations setting when the worker starts (default off, as a new account). */
  multipleOrganizations?: boolean;
  /** Salesforce's person accounts (an org option, default off) when the worker starts. */
  personAccounts?: boolean;
}

export interface Stack {
  sf: SalesforceSandbox;
  zd: ZendeskSandbox;
  /** jsforce, logged in to the Salesforce sandbox, for arranging test data (as a human user would). */
  salesforce: Connection;
  /** got against the Zendesk sandbox API, for arranging and asserting. */
  zendesk: Got;
  client: Client;
  taskQueue: string;
  configPath: string;
  /** The worker's live view of the configuration and schemas (activities/sync/live-context.ts). */
  syncContext: LiveSyncContext;
  notify(object: SalesforceObject, salesforceId: string, notice?: ChangeNotice): Promise<void>;
  state(object: SalesforceObject, salesforceId: string): Promise<RecordStateView>;
  /** The environment a worker process (worker/run-worker.ts) needs to join this stack, plus `extra`. */
  workerEnv(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** Terminates every running workflow on a task queue (default: the stack's own), e.g. when a test ends. */
  terminateRunning(taskQueue?: string): Promise<void>;
  /** Stops the worker (letting in-flight tasks finish or fail over) and starts a fresh one on the same queue. */
  restartWorker(): Promise<void>;
  /** Waits until the record workflow has recorded `passes` passes and nothing is pending, then returns its latest outcome. */
  waitForPasses(
    object: SalesforceObject,
    salesforceId: string,
    passes: number,
    timeoutMs?: number,
  ): Promise<OutcomeEntry>;
  close(): Promise<void>;
}

export const DEFAULT_ORG_FIELDS = [{ key: 'industry', type: 'text', title: 'Industry' }];

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const env = opts.env ?? (await temporalEnv());
  const client = opts.dataConverter
    ? new Client({ connection: env.connection, namespace: env.namespace, dataConverter: opts.dataConverter })
    : env.client;
  const sf = await startSalesforceSandbox({
    port: 0,
    longPollTimeoutSeconds: 2,
    ...(opts.personAccounts ? { personAccounts: true } : {}),
  });
  // Every sandbox numbers its records from 1, but record workflow IDs are global on the shared Temporal
  // server: start this sandbox's ID counter somewhere unique so stacks never share a record workflow.
  sf.store.importSnapshot({ ...sf.store.exportSnapshot(), counter: randomInt(1e9, 1e12) });
  const zd = await startZendeskSandbox({
    port: 0,
    rateLimitPerMinute: opts.zendeskRateLimitPerMinute ?? 100_000,
    ...(opts.multipleOrganizations !== undefined
      ? { multipleOrganizations: opts.multipleOrganizations }
      : {}),
  });
  const zendesk = got.extend({
    prefixUrl: `${zd.url}/api/v2/`,
    username: 'admin@sandbox.test/token',
    password: 'sandbox',
    responseType: 'json',
    retry: { limit: 0 },
  });
  for (const field of opts.organizationFields ?? DEFAULT_ORG_FIELDS)
    await zendesk.post('organization_fields', { json: { organization_field: field } });
  for (const field of opts.userFields ?? [])
    await zendesk.post('user_fields', { json: { user_field: field } });

  const dir = mkdtempSync(join(tmpdir(), 'sfzd-stack-'));
  const configPath = join(dir, 'sync.config.yaml');
  writeFileSync(configPath, stringify(opts.config ?? baseSyncConfig()));

  const salesforceCreds = {
    loginUrl: sf.url,
    apiVersion: '62.0',
    clientId: 'sandbox',
    clientSecret: 'sandbox',
  };
  const deps = await buildActivityDeps({
    salesforce: salesforceCreds,
    zendesk: {
      baseUrl: zd.url,
      auth: { kind: 'token', email: 'admin@sandbox.test', apiToken: 'sandbox' },
      ...(opts.zendeskRetryAfterMaxSeconds === undefined
        ? {}
        : { retryAfterMaxMs: opts.zendeskRetryAfterMaxSeconds * 1000 }),
    },
    configPath,
    temporal: client,
    backoff: TEST_BACKOFF,
    schemaRefreshMs: opts.schemaRefreshMs ?? 0,
  });
  const taskQueue = `test-${randomUUID()}`;
  const activities = createActivities(deps);
  // One webpack bundle per test process, not one per stack and restart.
  const workflowBundle = await sharedWorkflowBundle(opts.dataConverter);
  let worker: Worker = await createSyncWorker({
    connection: env.nativeConnection,
    taskQueue,
    activities,
    dataConverter: opts.dataConverter,
    workflowBundle,
  });
  let running = worker.run();

  const salesforce = new Connection({
    oauth2: { clientId: 'sandbox', clientSecret: 'sandbox', loginUrl: sf.url },
    loginUrl: sf.url,
    version: '62.0',
  });
  await salesforce.authorize({ grant_type: 'client_credentials' });

  const stack: Stack = {
    sf,
    zd,
    salesforce,
    zendesk,
    client,
    taskQueue,
    configPath,
    syncContext: deps.syncContext,
    notify: (object, salesforceId, notice = { source: 'cdc' }) =>
      notifyRecordChange(client, taskQueue, { object, salesforceId }, notice),
    state: (object, salesforceId) => readRecordState(client, { object, salesforceId }),
    async waitForPasses(object, salesforceId, passes, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = await stack.state(object, salesforceId).catch(() => undefined);
        if (s && s.passes >= passes && !s.pending && !s.running && s.outcomes[0]) return s.outcomes[0];
        if (Date.now() > deadline)
          throw new Error(
            `timed out waiting for ${passes} passes of ${object} ${salesforceId}: ${JSON.stringify(s)}`,
          );
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    workerEnv: (extra = {}) => ({
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SYNC_CONFIG: configPath,
      ...sandboxCredentialEnv(sf.url, zd.url),
      ...extra,
    }),
    async restartWorker() {
      worker.shutdown();
      await running;
      worker = await createSyncWorker({
        connection: env.nativeConnection,
        taskQueue,
        activities,
        dataConverter: opts.dataConverter,
        workflowBundle,
      });
      running = worker.run();
    },
    async terminateRunning(queue = taskQueue) {
      // Record workflows never end by themselves; leaving them running would pile up on the shared server.
      for await (const wf of client.workflow.list({
        query: `ExecutionStatus = "Running" AND TaskQueue = "${queue}"`,
      })) {
        await client.workflow
          .getHandle(wf.workflowId, wf.runId)
          .terminate('the test stack closed')
          .catch(() => undefined);
      }
    },
    async close() {
      await stack.terminateRunning();
      deps.syncContext.stop();
      worker.shutdown();
      await running;
      await sf.close();
      await zd.close();
    },
  };
  return stack;
}

/** What useStack() gives a describe: its stack, once the describe's `before` hooks have started it. */
export interface StackContext {
  /** The running stack; available in `it` and in the hooks registered after useStack(). */
  readonly stack: Stack;
}

export interface UseStackHooks {
  /** Clean-up that needs the running stack (`ctx.stack`: cancel a feed, stop a worker process) before it closes. */
  beforeClose?: () => unknown;
}

/**
 * Starts a stack before the current describe's tests and closes it after them, registering mocha's
 * `before` and `after` hooks where it is called. Hooks registered after it see the stack in `before`,
 * and run their `after` once it has closed: clean-up that needs the stack goes in `beforeClose`.
 *
 * @example
 * const ctx = useStack({ zendeskRateLimitPerMinute: 120 });
 * it('…', async () => { await ctx.stack.notify('Account', id); });
 */
export function useStack(options: StackOptions = {}, hooks: UseStackHooks = {}): StackContext {
  let current: Stack | undefined;
  before(async () => {
    current = await startStack(options);
  });
  after(async () => {
    if (!current) return; // the start failed: its own error is the one to read
    try {
      await hooks.beforeClose?.();
    } finally {
      await current.close();
      current = undefined;
    }
  });
  return {
    get stack(): Stack {
      if (!current)
        throw new Error('useStack(): the stack runs only inside it() and hooks registered after useStack()');
      return current;
    },
  };
}
