/**
 * The contract between the Salesforce sandbox's record store (REST writes) and its Change Data Capture
 * feed (CometD). Every committed write becomes one RecordChange; the CDC side turns it into a Salesforce-shaped
 * event with a monotonically increasing replayId.
 */
export type CdcEntity = 'Account' | 'Contact' | 'Lead';

export type ChangeType =
  | 'CREATE'
  | 'UPDATE'
  | 'DELETE'
  | 'UNDELETE'
  | 'GAP_CREATE'
  | 'GAP_UPDATE'
  | 'GAP_DELETE'
  | 'GAP_UNDELETE'
  | 'GAP_OVERFLOW';

export interface RecordChange {
  entityName: CdcEntity;
  changeType: ChangeType;
  /** Empty only for GAP_OVERFLOW. */
  recordIds: string[];
  /** UPDATE: the changed field names (always including LastModifiedDate). Empty for other types. */
  changedFields: string[];
  /** CREATE/UNDELETE: all non-empty fields; UPDATE: only the changed fields (null when nulled); DELETE and GAP_*: none. */
  fields: Record<string, unknown>;
  /** `com/salesforce/api/rest/<ver>;client=<Sforce-Call-Options client>` for API writes, '' otherwise. */
  changeOrigin: string;
  /** Epoch milliseconds of the commit. */
  commitTimestamp: number;
  transactionKey: string;
  sequenceNumber: number;
}

export interface ChangeSink {
  publish(change: RecordChange): void;
}
