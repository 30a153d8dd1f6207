/**
 * Reconciliation, run by a Temporal Schedule (every 5 minutes by default): checks every record modified
 * since the watermark and signals those whose mapped values differ from what was last synced. It is
 * the safety net under the change stream: an outage longer than CDC's retention, an exhausted event
 * allocation or a lost event still ends in a sync.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { NON_RETRYABLE_FAILURES } from './failure-types';
import type { ModstampCursor, ReconcileInput, ReconcileSummary } from './reconcile-types';
import type { SalesforceObject } from './sync-types';

const { reconcilePage, advanceReconcileWatermark, syncedObjects } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumInterval: '5 minutes', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURES] },
});

export async function reconcile(input: ReconcileInput = {}): Promise<ReconcileSummary> {
  const upToMs = Date.now(); // workflow time: deterministic
  const sinceMs =
    (input.watermarkMs ?? upToMs - (input.lookbackMs ?? 60 * 60_000)) - (input.marginMs ?? 60_000);
  const summary: ReconcileSummary = { sinceMs, upToMs, perObject: {}, watermarkAdvanced: false };
  const objects: SalesforceObject[] = await syncedObjects();
  for (const object of objects) {
    const totals = { scanned: 0, signalled: 0 };
    let after: ModstampCursor | undefined;
    do {
      const page = await reconcilePage({ object, sinceMs, after, limit: input.pageSize ?? 200 });
      totals.scanned += page.scanned;
      totals.signalled += page.signalled;
      after = page.next;
    } while (after);
    summary.perObject[object] = totals;
  }
  if (input.scheduleId) {
    summary.watermarkAdvanced = await advanceReconcileWatermark({
      scheduleId: input.scheduleId,
      watermarkMs: upToMs,
    });
  }
  return summary;
}
