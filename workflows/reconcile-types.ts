import type { SalesforceObject } from './sync-types';

export interface ReconcileInput {
  /** Epoch ms: records modified at or after (watermark − margin) are checked. Absent: now − lookback. */
  watermarkMs?: number;
  /** First run without a watermark looks back this far (default 1 hour). */
  lookbackMs?: number;
  /** Overlap with the previous run, covering clock skew between Salesforce and the worker (default 60 s). */
  marginMs?: number;
  /** The Schedule that runs this workflow: its stored watermark is advanced after a complete handoff. */
  scheduleId?: string;
  pageSize?: number;
}

/** Keyset position in `ORDER BY SystemModstamp, Id`. */
export interface ModstampCursor {
  systemModstamp: string;
  id: string;
}

export interface ReconcilePageResult {
  scanned: number;
  /**
   * Records whose workflow was signalled: a mapped change since the sync last saw them, a record that came
   * into the filters' scope, or a create the change stream missed (activities/reconcile/reconcile-page.ts).
   */
  signalled: number;
  next?: ModstampCursor;
}

export interface ReconcileSummary {
  sinceMs: number;
  upToMs: number;
  perObject: Partial<Record<SalesforceObject, { scanned: number; signalled: number }>>;
  watermarkAdvanced: boolean;
}
