/** What every route of the Salesforce sandbox shares: the org's state and its identity. */
import type { ApiUsage } from './api-usage';
import type { DeliveryAllocation } from './cdc/delivery-allocation';
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
  /** The CDC feed's figures that `limits` reports. */
  streaming: { deliveries: DeliveryAllocation; clientCount(): number };
  /** When the org's metadata last changed (epoch ms, whole seconds): describe's Last-Modified. */
  metadataModifiedAt: number;
}
