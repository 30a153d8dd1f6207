import type { Client } from '@temporalio/client';
import type { BackoffSettings } from '../failures';
import type { SalesforceSession } from '../salesforce/session';
import type { ZendeskClient } from '../zendesk/client';
import type { SyncContext } from './context';

/** What the sync activities need; built once per worker process. */
export interface SyncDeps {
  salesforce: SalesforceSession;
  zendesk: ZendeskClient;
  /** Called per activity, so a reloaded configuration reaches the next pass (and never a running replay). */
  context: () => SyncContext;
  /** Reads other record workflows' links (a contact's account organization). */
  temporal: Client;
  backoff?: BackoffSettings;
}
