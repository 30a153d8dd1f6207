/**
 * The reconciliation watermark lives in its Schedule's action arguments: each run reads it from its
 * input, and once every page was handed off, moves it forward for the next run. A run that dies before
 * that leaves it where it was, so the next run re-checks the same window (harmless: unchanged records
 * are not signalled).
 */
import { ScheduleNotFoundError } from '@temporalio/client';
import type { SyncDeps } from '../sync/deps';
import type { ReconcileInput } from '../../workflows/reconcile-types';

export function createAdvanceWatermark(deps: SyncDeps) {
  return async function advanceReconcileWatermark(input: {
    scheduleId: string;
    watermarkMs: number;
  }): Promise<boolean> {
    let advanced = false;
    try {
      await deps.temporal.schedule.getHandle(input.scheduleId).update((prev) => {
        const action = prev.action;
        if (action.type !== 'startWorkflow') return prev;
        const [current] = (action.args ?? []) as ReconcileInput[];
        // Never move backwards (an older, slower run finishing after a newer one).
        if ((current?.watermarkMs ?? 0) >= input.watermarkMs) return prev;
        advanced = true;
        return {
          ...prev,
          action: {
            ...action,
            args: [{ ...current, scheduleId: input.scheduleId, watermarkMs: input.watermarkMs }],
          },
        };
      });
    } catch (err) {
      // The Schedule was deleted while this run went on: there is no watermark left to move, and
      // retrying cannot bring it back (it would only keep a finished run open for minutes).
      if (err instanceof ScheduleNotFoundError) return false;
      throw err;
    }
    return advanced;
  };
}
