/**
 * Builds everything the activities need from credentials and a config path. Shared by the worker
 * process, `npm start` and the end-to-end tests, so they all run the same wiring.
 */
import type { Client } from '@temporalio/client';
import type { ActivityDeps } from '../activities';
import type { BackoffSettings } from '../activities/failures';
import { SalesforceSession } from '../activities/salesforce/session';
import { loadSyncContext, type SyncContext } from '../activities/sync/context';
import { ZendeskClient } from '../activities/zendesk/client';
import { createZendeskHttp } from '../activities/zendesk/http';
import type { SalesforceCredentials, ZendeskCredentials } from './env';

export interface BuildDepsOptions {
  salesforce: SalesforceCredentials;
  zendesk: ZendeskCredentials;
  configPath: string;
  temporal: Client;
  backoff?: BackoffSettings;
}

export async function buildActivityDeps(
  opts: BuildDepsOptions,
): Promise<ActivityDeps & { syncContext: SyncContext }> {
  const salesforce = new SalesforceSession(opts.salesforce);
  const zendesk = new ZendeskClient(createZendeskHttp(opts.zendesk));
  const syncContext = await loadSyncContext(opts.configPath, salesforce, zendesk);
  return {
    salesforce,
    zendesk,
    temporal: opts.temporal,
    backoff: opts.backoff,
    context: () => syncContext,
    syncContext,
  };
}
