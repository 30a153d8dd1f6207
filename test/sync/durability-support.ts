/**
 * Shared helpers of the durability, fault, replay and config-error tests: starting a record workflow
 * with test tuning, reading its history, and the sandboxes' request logs.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { notifyRecordChange } from '../../common/record-workflows';
import {
  recordWorkflowId,
  type ChangeNotice,
  type RecordTuning,
  type SalesforceObject,
} from '../../workflows/sync-types';
import type { Stack } from '../helpers/stack';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
export type HistoryEvent = NonNullable<History['events']>[number];

/** Signal-with-start as the listener does, but with test tuning (which only a start can set). */
export async function notifyTuned(
  stack: Pick<Stack, 'client' | 'taskQueue'>,
  object: SalesforceObject,
  salesforceId: string,
  tuning: RecordTuning,
  notice: ChangeNotice = { source: 'cdc' },
): Promise<void> {
  await notifyRecordChange(stack.client, stack.taskQueue, { object, salesforceId }, notice, tuning);
}

/** The events of the record workflow's current run. */
export async function historyOf(
  client: Client,
  object: SalesforceObject,
  salesforceId: string,
): Promise<HistoryEvent[]> {
  const history = await client.workflow.getHandle(recordWorkflowId(object, salesforceId)).fetchHistory();
  return history.events ?? [];
}

/** Activity failures in a history, as `{activity, failureType, attempt}`. */
export function activityFailures(
  events: HistoryEvent[],
): Array<{ activity: string; failureType: string; attempt: number }> {
  const scheduled = new Map<string, string>();
  const started = new Map<string, number>();
  const out: Array<{ activity: string; failureType: string; attempt: number }> = [];
  for (const e of events) {
    const id = String(e.eventId);
    if (e.activityTaskScheduledEventAttributes)
      scheduled.set(id, e.activityTaskScheduledEventAttributes.activityType?.name ?? '?');
    if (e.activityTaskStartedEventAttributes)
      started.set(id, e.activityTaskStartedEventAttributes.attempt ?? 0);
    const failed = e.activityTaskFailedEventAttributes;
    if (failed) {
      out.push({
        activity: scheduled.get(String(failed.scheduledEventId)) ?? '?',
        failureType: failed.failure?.applicationFailureInfo?.type ?? failed.failure?.message ?? '?',
        attempt: started.get(String(failed.startedEventId)) ?? 0,
      });
    }
  }
  return out;
}

/**
 * The attempt that completed each activity, as `{activity, attempt}` in history order. Temporal records
 * the failed attempts of a retried activity only in the final Started event's `attempt` (and its
 * `lastFailure`), so this is where retries show.
 */
export function completedAttempts(
  events: HistoryEvent[],
): Array<{ activity: string; attempt: number; lastFailureType?: string }> {
  const scheduled = new Map<string, string>();
  const started = new Map<string, { attempt: number; lastFailureType?: string }>();
  const out: Array<{ activity: string; attempt: number; lastFailureType?: string }> = [];
  for (const e of events) {
    const id = String(e.eventId);
    if (e.activityTaskScheduledEventAttributes)
      scheduled.set(id, e.activityTaskScheduledEventAttributes.activityType?.name ?? '?');
    const s = e.activityTaskStartedEventAttributes;
    if (s)
      started.set(id, {
        attempt: s.attempt ?? 0,
        lastFailureType: s.lastFailure?.applicationFailureInfo?.type ?? s.lastFailure?.message ?? undefined,
      });
    const done = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes;
    if (done) {
      const st = started.get(String(done.startedEventId)) ?? { attempt: 0 };
      out.push({ activity: scheduled.get(String(done.scheduledEventId)) ?? '?', ...st });
    }
  }
  return out;
}

/** Zendesk API writes (anything but GET) logged since `since` (epoch ms). */
export function zendeskWritesSince(stack: Pick<Stack, 'zd'>, since: number): string[] {
  return stack.zd.log
    .entries()
    .filter((e) => e.at >= since && e.method !== 'GET')
    .map((e) => `${e.route} ${e.status}`);
}

/** CDC UPDATE events of one record whose changedFields include `field`. */
export function cdcUpdatesOf(stack: Pick<Stack, 'sf'>, salesforceId: string, field: string): number {
  return stack.sf.cdc.retained().filter((ev) => {
    const h = ev.data.payload.ChangeEventHeader;
    return h.changeType === 'UPDATE' && h.recordIds.includes(salesforceId) && h.changedFields.includes(field);
  }).length;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs` with `what`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
