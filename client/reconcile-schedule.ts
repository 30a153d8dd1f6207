/**
 * The Temporal Schedule that runs reconciliation. Created once (ID `salesforce-reconcile`), updated in
 * place when the interval changes, never reset: its action arguments hold the watermark.
 */
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { ReconcileInput } from '../workflows/reconcile-types';

export const RECONCILE_SCHEDULE_ID = 'salesforce-reconcile';

export interface ReconcileScheduleOptions {
  scheduleId?: string;
  everyMs?: number;
}

export async function ensureReconcileSchedule(
  client: Client,
  taskQueue: string,
  opts: ReconcileScheduleOptions = {},
): Promise<string> {
  const scheduleId = opts.scheduleId ?? RECONCILE_SCHEDULE_ID;
  const everyMs = opts.everyMs ?? 5 * 60_000;
  const handle = client.schedule.getHandle(scheduleId);
  try {
    const current = await handle.describe();
    const interval = current.spec.intervals?.[0]?.every;
    const currentMs = typeof interval === 'number' ? interval : undefined;
    if (currentMs !== everyMs || current.action.taskQueue !== taskQueue) {
      await handle.update((prev) => ({
        ...prev,
        spec: { intervals: [{ every: everyMs }] },
        action: { ...prev.action, taskQueue },
      }));
    }
    return scheduleId;
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
  const args: [ReconcileInput] = [{ scheduleId }];
  await client.schedule.create({
    scheduleId,
    spec: { intervals: [{ every: everyMs }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'reconcile',
      taskQueue,
      args,
      staticSummary: 'Reconcile Salesforce changes missed by the change stream',
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 minutes' },
  });
  return scheduleId;
}
