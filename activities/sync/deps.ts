import type { Client } from '@temporalio/client';
import type { BackoffSettings } from '../failures';
import type { SalesforceSession } from '../salesforce/session';
import type { ZendeskClient } from '../zendesk/client';
import type { SyncContext } from './context';
import type { SchemaRefreshScope } from './live-context';

/** What the sync activities need; built once per worker process. */
export interface SyncDeps {
  salesforce: SalesforceSession;
  zendesk: ZendeskClient;
  /** Called per activity, so refreshed schemas reach the next pass (and never a running replay). */
  context: () => SyncContext;
  /**
   * Reads the schemas again now (activities/sync/live-context.ts): a pass calls it when a value finds no
   * Zendesk option or field, and the write when Zendesk refuses a custom field. Absent: no refresh.
   */
  refreshSchemas?: (scope: SchemaRefreshScope) => Promise<unknown>;
  /** Reads other record workflows' links (a contact's account organization). */
  temporal: Client;
  backoff?: BackoffSettings;
}
