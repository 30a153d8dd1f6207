import type { SalesforceObject } from './sync-types';

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
