import type { SalesforceObject, SyncOutcomeName } from './sync-types';

export interface BulkResyncInput {
  object: SalesforceObject;
  /** A SOQL condition supplied by the user; validated and re-serialized, never concatenated raw. */
  where?: string;
  /** Hand off only records that pass the configured sync filters. */
  inScopeOnly?: boolean;
  /** Records per page (and per handoff activity). */
  pageSize?: number;
  /** Parallel signal-with-start calls inside one handoff. */
  concurrency?: number;
  /**
   * Accounts only: sync each page through Zendesk's batch endpoints (organizations/create_many,
   * update_many, show_many) and Salesforce composite collections, then hand each result to its record
   * workflow (`batchSynced`). With a write-back field, an account that has no record workflow gets none:
   * the written-back Zendesk ID is the record of its link (docs/architecture.md, "A batch backfill starts
   * no workflows"). Users always take the per-record path.
   */
  batch?: boolean;
  /** Batch pages run at once (default 2). */
  batchParallelPages?: number;
  /** Carried across continue-as-new. */
  progress?: BulkProgress;
}

export interface BulkProgress {
  /** Records matching the query when the run started (null until counted). */
  total: number | null;
  /** Records whose workflow has been signalled. */
  done: number;
  /** Records whose signal failed (listed in `failures`, up to 50). */
  failed: number;
  /** Records skipped because they are outside the configured filters (with inScopeOnly). */
  skipped: number;
  failures: Array<{ salesforceId: string; message: string }>;
  /** With `batch`: what the batch pages did (`fallback` = handed to the per-record path). */
  batch?: BatchCounts;
  /** The last Salesforce ID handed off: the run resumes after it. */
  cursor?: string;
  startedAt: string;
  finishedAt?: string;
}

export interface RecordPage {
  /** Every ID read on this page, in order (the cursor advances over all of them). */
  scannedIds: string[];
  /** The IDs to hand off (all of them, or those in scope). */
  ids: string[];
}

export interface HandoffResult {
  handedOff: number;
  failures: Array<{ salesforceId: string; message: string }>;
}

export interface BatchCounts {
  created: number;
  updated: number;
  failed: number;
  /** Filtered out, skipped (update-only) or deleted in Salesforce. */
  other: number;
  /** Handed to the per-record path: busy record workflows, lost links, Zendesk duplicate-name refusals. */
  fallback: number;
  /**
   * Of the above, records that had no record workflow and got none: their link is the Zendesk ID
   * written back to Salesforce, adopted by the workflow their next change starts. Absent in the progress
   * of a run started before this count existed.
   */
  withoutWorkflow: number;
}

export interface BatchPageInput {
  ids: string[];
  /** Identifies the bulk run: the worker keeps one listing of Zendesk organizations per run. */
  runKey: string;
  /** Parallel Temporal calls (state queries, signals). */
  concurrency: number;
}

export interface BatchPageResult extends HandoffResult {
  counts: BatchCounts;
}

/**
 * What a batch page did for one record, handed to the record workflow (`batchSynced` signal), which
 * records it as a pass. `basedOnPasses` is the workflow's pass count when the batch read its state
 * (0 when it had no workflow): if a pass ran since, the workflow does not adopt the result as-is.
 */
export interface BatchSyncResult {
  basedOnPasses: number;
  outcome: Exclude<SyncOutcomeName, 'unchanged'>;
  zendeskId?: number;
  /** The organization was created by this batch (the link's `via`). */
  created?: boolean;
  fingerprint?: string;
  /** The Zendesk ID is in Salesforce's syncedIdField (written now or before). */
  writtenBack?: boolean;
  label?: string;
  failure?: string;
  message?: string;
  details?: unknown;
}
