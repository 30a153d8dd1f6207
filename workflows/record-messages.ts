/**
 * The record workflow's signals and query, in their own module so the client, the listener and
 * activities can import the definitions without importing workflow code.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { BatchSyncResult } from './bulk-types';
import type { ChangeNotice, RecordState, RetryReport } from './sync-types';

export interface RecordStateView extends RecordState {
  pending?: ChangeNotice;
  running: boolean;
}

/** A change to the record (or a reconcile/bulk request). Coalesces with other pending changes. */
export const changedSignal = defineSignal<[ChangeNotice]>('changed');
/** Force a full pass even when nothing mapped changed. */
export const resyncSignal = defineSignal<[]>('resync');
/** A batch bulk resync synced this record (workflows/bulk-resync.ts): record it as a pass. */
export const batchSyncedSignal = defineSignal<[BatchSyncResult]>('batchSynced');
/** An activity of the running pass failed and will be retried (sent by the activity, run-classified.ts). */
export const retryingSignal = defineSignal<[RetryReport]>('retrying');
export const stateQuery = defineQuery<RecordStateView>('state');
