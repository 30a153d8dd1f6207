/**
 * Builds everything the activities need from credentials and a config path. Shared by the worker
 * process, `npm start` and the end-to-end tests, so they all run the same wiring.
 */
import type { Client } from '@temporalio/client';
import type { ActivityDeps } from '../activities';
import type { BackoffSettings } from '../activities/failures';
import { SalesforceSession } from '../activities/salesforce/session';
import { loadSyncContext } from '../activities/sync/context';
import { LiveSyncContext } from '../activities/sync/live-context';
import { ZendeskClient } from '../activities/zendesk/client';
import { createZendeskHttp } from '../activities/zendesk/http';
import type { SalesforceCredentials, ZendeskCredentials } from '../common/env';

/** Default interval of the schema refresh (SCHEMA_REFRESH_EVERY). */
export const DEFAULT_SCHEMA_REFRESH_MS = 5 * 60_000;

export interface BuildDepsOptions {
  salesforce: SalesforceCredentials;
  zendesk: ZendeskCredentials;
  configPath: string;
  temporal: Client;
  backoff?: BackoffSettings;
  /** How often describe and the Zendesk field definitions are read again; 0: only on a miss. */
  schemaRefreshMs?: number;
}

/**
 * Loads and checks the configuration (throws ConfigError at start-up) and starts the schema refresh;
 * `syncContext.stop()` ends it.
 */
export async function buildActivityDeps(
  opts: BuildDepsOptions,
): Promise<ActivityDeps & { syncContext: LiveSyncContext }> {
  const salesforce = new SalesforceSession(opts.salesforce);
  const zendesk = new ZendeskClient(createZendeskHttp(opts.zendesk));
  const initial = await loadSyncContext(opts.configPath, salesforce, zendesk);
  const syncContext = new LiveSyncContext(initial, salesforce, zendesk, {
    everyMs: opts.schemaRefreshMs ?? DEFAULT_SCHEMA_REFRESH_MS,
  });
  syncContext.start();
  return {
    salesforce,
    zendesk,
    temporal: opts.temporal,
    backoff: opts.backoff,
    context: syncContext.current,
    refreshSchemas: (scope) => syncContext.refresh(scope),
    syncContext,
  };
}
