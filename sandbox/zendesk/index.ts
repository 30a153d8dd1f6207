/**
 * A loopback Zendesk Support API (the parts a Salesforce -> Zendesk sync uses), built on the shared
 * sandbox skeleton. Wiring only: the rules live in the service modules next to this file.
 */
import { Router, type Response } from 'express';
import { createSandboxApp, finishSandboxApp } from '../common/app';
import { Faults } from '../common/faults';
import { listen } from '../common/listen';
import { RequestLog } from '../common/request-log';
import { readSnapshot, writeSnapshot } from '../common/snapshot';
import { installApiGuard } from './api-guard';
import { EndpointLimits } from './endpoint-limits';
import { JobRunner } from './jobs';
import { RateLimiter } from './rate-limit';
import { accountSettingsRoutes } from './routes/account-settings';
import { controlRoutes } from './routes/control';
import { fieldRoutes } from './routes/fields';
import type { RouteDeps } from './routes/http';
import { identityRoutes } from './routes/identities';
import { incrementalRoutes } from './routes/incremental';
import { jobRoutes } from './routes/jobs';
import { membershipRoutes } from './routes/memberships';
import { organizationRoutes } from './routes/organizations';
import { searchRoutes } from './routes/search';
import { tagRoutes } from './routes/tags';
import { userRoutes } from './routes/users';
import { SearchIndex } from './search-index';
import { seedZendesk, type SeedSummary, type ZendeskSeedOptions } from './seed';
import { DEFAULT_SETTINGS, mergeSettings, type ZendeskContext, type ZendeskSettings } from './settings';
import { ZendeskStore, type StoreSnapshot } from './store';
import { createUser, findUserByEmail } from './users';

export { RATE_LIMIT_PRESETS, RateLimiter } from './rate-limit';
export type { ZendeskSeedOptions, SeedSummary } from './seed';
export type { ZendeskSettings } from './settings';
export { ZendeskStore } from './store';
export type * from './types';

export interface ZendeskSandboxOptions {
  host?: string;
  port?: number;
  /** The account owner (an admin); Basic auth is `${email}/token:${apiToken}`. */
  email?: string;
  apiToken?: string;
  /** Accepted `Authorization: Bearer` tokens; they act as the owner. */
  oauthTokens?: string[];
  rateLimitPerMinute?: number;
  validatePhoneNumbers?: boolean;
  searchIndexDelayMs?: number;
  jobDelayMs?: number;
  /** Account setting "Allow users to belong to multiple organizations" (off on a new account). */
  multipleOrganizations?: boolean;
  /** Bulk user import enabled by Zendesk Support (off by default: users/create_many answers 403). */
  bulkUserImport?: boolean;
  /** Load state from this JSON file at start (if it exists) and save it (debounced, and on close). */
  snapshotFile?: string;
  /** `true` or options: add the deterministic seed data at start. */
  seed?: boolean | ZendeskSeedOptions;
  /** Injectable clock (epoch ms) for the rate-limit window, timestamps and the search-index lag. */
  now?: () => number;
}

export interface ZendeskSandbox {
  url: string;
  port: number;
  store: ZendeskStore;
  log: RequestLog;
  faults: Faults;
  rateLimiter: RateLimiter;
  settings(): ZendeskSettings;
  updateSettings(partial: Partial<ZendeskSettings>): ZendeskSettings;
  reset(): void;
  seed(opts?: ZendeskSeedOptions): SeedSummary;
  close(): Promise<void>;
}

const SNAPSHOT_DEBOUNCE_MS = 250;

function sendZendeskError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: code, description: message });
}

export async function startZendeskSandbox(opts: ZendeskSandboxOptions = {}): Promise<ZendeskSandbox> {
  const now = opts.now ?? Date.now;
  const ownerEmail = opts.email ?? 'admin@sandbox.test';
  const initialSettings = mergeSettings(
    { ...DEFAULT_SETTINGS },
    Object.fromEntries(
      Object.entries({
        validatePhoneNumbers: opts.validatePhoneNumbers,
        searchIndexDelayMs: opts.searchIndexDelayMs,
        jobDelayMs: opts.jobDelayMs,
        multipleOrganizations: opts.multipleOrganizations,
        bulkUserImport: opts.bulkUserImport,
      }).filter(([, v]) => v !== undefined),
    ),
  );
  const store = new ZendeskStore(now);
  const ctx: ZendeskContext = { store, settings: { ...initialSettings } };
  const limiter = new RateLimiter(opts.rateLimitPerMinute ?? 700, now);
  const jobs = new JobRunner(store, () => ctx.settings.jobDelayMs);
  const index = new SearchIndex(store, () => ctx.settings.searchIndexDelayMs);
  const limits = new EndpointLimits(now);
  const log = new RequestLog();
  const faults = new Faults();

  /** The owner must exist: it is the user behind every API token and OAuth request. */
  const ensureOwner = () => {
    if (!findUserByEmail(store, ownerEmail))
      createUser(
        ctx,
        { name: 'Sandbox Owner', email: ownerEmail, role: 'admin', verified: true },
        { skipVerifyEmail: true },
      );
  };
  const reset = () => {
    jobs.stop();
    store.clear();
    limiter.reset();
    limits.reset();
    ctx.settings = { ...initialSettings };
    ensureOwner();
    index.rebuild();
  };
  /** Seed data is the account's existing data: already indexed, whatever the search lag. */
  const seed = (seedOpts: ZendeskSeedOptions = {}) => {
    const summary = seedZendesk(ctx, seedOpts);
    index.rebuild();
    return summary;
  };

  const saved = opts.snapshotFile ? readSnapshot<StoreSnapshot>(opts.snapshotFile) : undefined;
  if (saved) {
    store.loadSnapshot(saved);
    // Timers do not survive a restart: a job still queued in the file can never finish, so say so.
    for (const job of store.jobs.values())
      if (job.status === 'queued' || job.status === 'working')
        Object.assign(job, { status: 'failed', message: 'Sandbox restarted before the job ran' });
  }
  ensureOwner();
  index.rebuild();
  if (opts.seed) seed(opts.seed === true ? {} : opts.seed);

  let saveTimer: NodeJS.Timeout | undefined;
  const saveNow = () => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    if (opts.snapshotFile) writeSnapshot(opts.snapshotFile, store.toSnapshot());
  };
  if (opts.snapshotFile) {
    store.onChange(() => {
      if (saveTimer) return;
      saveTimer = setTimeout(saveNow, SNAPSHOT_DEBOUNCE_MS);
      saveTimer.unref();
    });
  }

  const app = createSandboxApp({ name: 'Zendesk', log, faults, sendError: sendZendeskError });
  const updateSettings = (partial: Partial<ZendeskSettings> | Record<string, unknown>) => {
    ctx.settings = mergeSettings(ctx.settings, partial);
    return { ...ctx.settings };
  };
  controlRoutes(app, { store, limiter, reset, seed, settings: () => ({ ...ctx.settings }), updateSettings });
  installApiGuard(app, {
    store,
    limiter,
    auth: {
      ownerEmail,
      apiToken: opts.apiToken ?? 'sandbox',
      oauthTokens: opts.oauthTokens ?? ['sandbox-oauth-token'],
    },
  });
  const api = Router();
  const deps: RouteDeps = {
    ctx,
    jobs,
    index,
    limits,
    ownerId: () => findUserByEmail(store, ownerEmail)?.id,
  };
  searchRoutes(api, deps);
  incrementalRoutes(api, deps);
  organizationRoutes(api, deps);
  userRoutes(api, deps);
  identityRoutes(api, deps);
  tagRoutes(api, deps);
  fieldRoutes(api, deps);
  membershipRoutes(api, deps);
  jobRoutes(api, deps);
  accountSettingsRoutes(api, { settings: () => ({ ...ctx.settings }), updateSettings });
  app.use('/api/v2', api);
  finishSandboxApp(app, {
    notFound: (_req, res) => res.status(404).json({ error: 'InvalidEndpoint', description: 'Not found' }),
    // Zendesk answers a body it cannot parse with 400 (text varies; the code is what clients branch on).
    malformedBody: (res, err) =>
      sendZendeskError(res, 400, 'InvalidJSON', `The request body is not valid JSON: ${err.message}`),
  });

  const running = await listen(app, { host: opts.host ?? '127.0.0.1', port: opts.port ?? 7402 });
  return {
    url: running.url,
    port: running.port,
    store,
    log,
    faults,
    rateLimiter: limiter,
    settings: () => ({ ...ctx.settings }),
    updateSettings,
    reset,
    seed,
    close: async () => {
      jobs.stop();
      if (opts.snapshotFile) saveNow();
      await running.close();
    },
  };
}
