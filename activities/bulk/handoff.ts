/**
 * Signals a page of record workflows (signal-with-start), a bounded number at a time. The index of the
 * last contiguous handed-off record is heartbeated, so an attempt retried after a worker died resumes
 * there instead of signalling the whole page again.
 */
import { Context } from '@temporalio/activity';
import { notifyRecordChange } from '../../common/record-workflows';
import type { HandoffResult } from '../../workflows/bulk-types';
import type { ChangeNotice, SalesforceObject } from '../../workflows/sync-types';
import type { SyncDeps } from '../sync/deps';

export interface HandoffInput {
  object: SalesforceObject;
  ids: string[];
  notice: ChangeNotice;
  concurrency: number;
}

export function createHandoff(deps: SyncDeps) {
  return {
    async handOffRecords(input: HandoffInput): Promise<HandoffResult> {
      const ctx = Context.current();
      // Record workflows run on this worker's task queue.
      const taskQueue = ctx.info.taskQueue;
      const resumeAt = (ctx.info.heartbeatDetails as { next?: number } | undefined)?.next ?? 0;
      const failures: HandoffResult['failures'] = [];
      const width = Math.max(1, Math.min(100, input.concurrency));
      for (let start = resumeAt; start < input.ids.length; start += width) {
        const slice = input.ids.slice(start, start + width);
        const results = await Promise.allSettled(
          slice.map((salesforceId) =>
            notifyRecordChange(
              deps.temporal,
              taskQueue,
              { object: input.object, salesforceId },
              input.notice,
            ),
          ),
        );
        results.forEach((r, i) => {
          if (r.status === 'rejected')
            failures.push({ salesforceId: slice[i]!, message: (r.reason as Error).message });
        });
        ctx.heartbeat({ next: start + slice.length });
      }
      // Records an earlier attempt handed off count as done (their failures, if any, were not kept).
      return { handedOff: input.ids.length - failures.length, failures };
    },
  };
}
