/** What every route of the Salesforce sandbox shares: the org's state and its identity. */
import type { ApiUsage } from './api-usage';
import type { QueryCursors } from './query-cursors';
import type { RecordStore } from './store';
import type { TokenRegistry } from './tokens';

export interface OrgIdentity {
  orgId: string;
  userId: string;
  username: string;
  password: string;
  clientId: string;
  clientSecret: string;
}

export interface SalesforceContext {
  org: OrgIdentity;
  store: RecordStore;
  tokens: TokenRegistry;
  usage: ApiUsage;
  cursors: QueryCursors;
}
