/**
 * A local Salesforce org for jsforce: OAuth token endpoint, REST sObjects/query/composite/limits, and
 * Change Data Capture over CometD, with the `/__sandbox` control API for tests and benchmarks.
 */
import type { Express } from 'express';
import { createSandboxApp, finishSandboxApp } from '../common/app';
import { Faults } from '../common/faults';
import { listen, type RunningServer } from '../common/listen';
import { RequestLog } from '../common/request-log';
import { readSnapshot, writeSnapshot } from '../common/snapshot';
import type { SalesforceSeedOptions } from '../seed/salesforce-seed';
import { ApiUsage } from './api-usage';
import { createCdcFeed, type CdcFeed } from './cdc';
import type { ChangeSink } from './change-events';
import { registerCompositeRequestRoutes } from './composite-requests';
import { registerCompositeRoutes } from './composite-routes';
import type { OrgIdentity, SalesforceContext } from './context';
import { registerControlRoutes } from './control-routes';
import { sendSalesforceError } from './http';
import { to18 } from './ids';
import { registerOAuthRoutes } from './oauth-routes';
import { QueryCursors } from './query-cursors';
import { registerQueryRoutes } from './query-routes';
import { restApi, restGuard, sendGuardFailure } from './rest-guard';
import { loadSalesforceSeed, type SeedSummary } from './seed-loader';
import { registerSObjectRoutes } from './sobject-routes';
import { registerTreeRoutes } from './tree-routes';
import { registerUpsertRoutes } from './upsert-routes';
import { RecordStore, type StoreSnapshot } from './store';
import { TokenRegistry } from './tokens';
import { MAX_API_VERSION, versionList } from './versions';

export type { SalesforceSeedOptions } from '../seed/salesforce-seed';
export type { RecordChange, ChangeSink } from './change-events';
export { RecordStore, WriteTransaction } from './store';
export { TokenRegistry } from './tokens';
export { SalesforceApiError } from './errors';

export interface SalesforceSandboxOptions {
  host?: string;
  /** Default 7401; 0 picks a free port (tests). */
  port?: number;
  clientId?: string;
  clientSecret?: string;
  username?: string;
  password?: string;
  /** The org's newest API version (for CometD); REST serves 37.0 up to 66.0. */
  apiVersion?: string;
  /** Persist records to this JSON file: loaded on start, saved (debounced) after writes and on close. */
  snapshotFile?: string;
  /** Seed data loaded on start when the store is empty. */
  seed?: SalesforceSeedOptions;
  orgId?: string;
  /** Daily API allocation (`DailyApiRequests.Max`); Enterprise Edition's base is 100,000. */
  dailyApiLimit?: number;
  /** Session lifetime; by default sessions last until `/__sandbox/tokens/expire`. */
  tokenTtlMs?: number;
  /**
   * Where committed writes go. By default the built-in CDC feed (CometD on the same port); pass a sink to
   * record changes directly instead (the CDC feed then still runs but receives nothing).
   */
  changeSink?: ChangeSink;
  /** CometD long-poll timeout (Salesforce: 110 s); tests use ~1 s. */
  longPollTimeoutSeconds?: number;
  /**
   * Daily CDC event delivery allocation (`DailyDeliveredPlatformEvents.Max`); Enterprise Edition's default
   * is 25,000. Also settable at run time: `POST /__sandbox/cometd/delivery-allocation`.
   */
  dailyDeliveryAllocation?: number;
  /**
   * Person accounts (an org option, off in a new org): Account gets the person fields and the
   * "Person Account" record type. Also settable through `POST /__sandbox/settings`.
   */
  personAccounts?: boolean;
}

export interface SalesforceSandbox {
  url: string;
  port: number;
  org: OrgIdentity;
  store: RecordStore;
  tokens: TokenRegistry;
  usage: ApiUsage;
  log: RequestLog;
  faults: Faults;
  cdc: CdcFeed;
  app: Express;
  running: RunningServer;
  seed(opts: SalesforceSeedOptions): SeedSummary;
  close(): Promise<void>;
}

const SNAPSHOT_DEBOUNCE_MS = 250;

export async function startSalesforceSandbox(
  opts: SalesforceSandboxOptions = {},
): Promise<SalesforceSandbox> {
  const org: OrgIdentity = {
    orgId: opts.orgId ?? to18('00D8d000000SbXk'),
    userId: to18('0058d000001AdMn'),
    username: opts.username ?? 'admin@sandbox.test',
    password: opts.password ?? 'sandbox',
    clientId: opts.clientId ?? 'sandbox',
    clientSecret: opts.clientSecret ?? 'sandbox',
  };
  const tokens = new TokenRegistry(org.orgId, opts.tokenTtlMs);
  const cdc = createCdcFeed({
    validateToken: (t) => tokens.validateToken(t),
    apiVersion: opts.apiVersion ?? `${MAX_API_VERSION}.0`,
    defaultCommitUser: org.userId,
    ...(opts.longPollTimeoutSeconds !== undefined
      ? { longPollTimeoutSeconds: opts.longPollTimeoutSeconds }
      : {}),
    ...(opts.dailyDeliveryAllocation !== undefined
      ? { dailyDeliveryAllocation: opts.dailyDeliveryAllocation }
      : {}),
  });
  const startSettings = { personAccounts: opts.personAccounts === true };
  const store = new RecordStore({
    userId: org.userId,
    identity: { orgId: org.orgId, username: org.username },
    settings: startSettings,
    sink: opts.changeSink ?? cdc.sink,
  });
  const ctx: SalesforceContext = {
    org,
    store,
    tokens,
    usage: new ApiUsage(opts.dailyApiLimit ?? 100_000),
    cursors: new QueryCursors(),
    streaming: { deliveries: cdc.deliveries, clientCount: () => cdc.clientCount() },
    // The org's metadata is fixed for the sandbox's life: it counts as changed when the sandbox started.
    metadataModifiedAt: Math.floor(Date.now() / 1000) * 1000,
  };

  const snapshotFile = opts.snapshotFile;
  if (snapshotFile) {
    const snapshot = readSnapshot<StoreSnapshot>(snapshotFile);
    if (snapshot) store.importSnapshot(snapshot);
  }
  if (opts.seed && store.count('Account') + store.count('Contact') + store.count('Lead') === 0) {
    loadSalesforceSeed(store, opts.seed);
  }
  let saveTimer: NodeJS.Timeout | undefined;
  const saveNow = () => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    if (snapshotFile) writeSnapshot(snapshotFile, store.exportSnapshot());
  };
  if (snapshotFile) {
    store.onWrite(() => {
      saveTimer ??= setTimeout(saveNow, SNAPSHOT_DEBOUNCE_MS);
    });
  }

  const log = new RequestLog();
  const faults = new Faults();
  const app = createSandboxApp({ name: 'Salesforce', log, faults, sendError: sendSalesforceError });

  registerControlRoutes(app, ctx, { onReset: () => undefined, startSettings });
  app.use('/__sandbox/cometd', cdc.controlRouter());

  registerOAuthRoutes(app, ctx);
  app.get(['/services/data', '/services/data/'], (_req, res) => {
    res.json(versionList());
  });
  app.use('/services/data', restGuard(ctx));
  const api = restApi(app);
  registerSObjectRoutes(api, ctx);
  registerQueryRoutes(api, ctx);
  registerCompositeRoutes(api, ctx);
  registerUpsertRoutes(api, ctx);
  registerCompositeRequestRoutes(api, ctx);
  registerTreeRoutes(api, ctx);

  finishSandboxApp(app, {
    notFound: (_req, res) => {
      if (!sendGuardFailure(res))
        sendSalesforceError(res, 404, 'NOT_FOUND', 'The requested resource does not exist');
    },
    malformedBody: (res, err) => sendSalesforceError(res, 400, 'JSON_PARSER_ERROR', err.message),
  });

  const running = await listen(app, { host: opts.host ?? '127.0.0.1', port: opts.port ?? 7401 });
  cdc.attach(running.server);

  return {
    url: running.url,
    port: running.port,
    org,
    store,
    tokens,
    usage: ctx.usage,
    log,
    faults,
    cdc,
    app,
    running,
    seed: (seedOpts) => loadSalesforceSeed(store, seedOpts),
    close: async () => {
      await cdc.close();
      await running.close();
      if (snapshotFile) saveNow();
    },
  };
}
