/**
 * Bulk resync: page through every record of an object (optionally narrowed by a validated WHERE clause
 * or by the configured filters) and signal each record's workflow to run a forced pass. Progress is a
 * query (`progress`); the cursor (the last handed-off Id) advances only after its page was handed off
 * and is carried across continue-as-new, so a worker restart resumes without re-sending earlier pages.
 */
import {
  condition,
  continueAsNew,
  defineQuery,
  proxyActivities,
  setHandler,
  workflowInfo,
  allHandlersFinished,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { BatchPageResult, BulkProgress, BulkResyncInput, HandoffResult } from './bulk-types';
import { NON_RETRYABLE_FAILURES } from './failure-types';

export const progressQuery = defineQuery<BulkProgress>('progress');

const FAILURES_KEPT = 50;
const PAGES_PER_RUN = 100;

const { countRecords, listRecordPage } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumInterval: '5 minutes', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURES] },
});
const { batchSyncAccounts } = proxyActivities<Activities>({
  // A page waits for Zendesk's rate budget and its jobs; the heartbeat shows it is alive meanwhile.
  startToCloseTimeout: '15 minutes',
  // Generous: on a loaded worker a heartbeat can take many seconds, and a retried page is costly.
  heartbeatTimeout: '5 minutes',
  retry: { maximumInterval: '1 minute', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURES] },
});
const { handOffRecords } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { maximumInterval: '1 minute' },
});

export async function bulkResync(input: BulkResyncInput): Promise<BulkProgress> {
  const progress: BulkProgress = input.progress ?? {
    total: null,
    done: 0,
    failed: 0,
    skipped: 0,
    failures: [],
    startedAt: new Date().toISOString(),
  };
  setHandler(progressQuery, () => progress);
  const query = { object: input.object, where: input.where };
  const batch = input.batch === true && input.object === 'Account';
  const pageSize = batch ? Math.min(input.pageSize ?? 200, 2000) : (input.pageSize ?? 200);
  // Batch pages run a few at a time: one page's Temporal work overlaps another's Zendesk calls.
  const parallel = batch ? Math.max(1, Math.min(8, input.batchParallelPages ?? 2)) : 1;
  const runKey = `${workflowInfo().workflowId}`;
  if (batch)
    progress.batch ??= { created: 0, updated: 0, failed: 0, other: 0, fallback: 0, withoutWorkflow: 0 };

  if (progress.total === null) progress.total = await countRecords(query);

  for (let pages = 0; ; pages++) {
    if (pages >= PAGES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof bulkResync>({ ...input, progress });
    }
    // List up to `parallel` pages, then process them at once; the cursor moves past all of them only
    // after every one was handed off, so a restart re-sends at most this group.
    const pagesOfGroup: Array<{ scannedIds: string[]; ids: string[] }> = [];
    let after = progress.cursor;
    for (let i = 0; i < parallel; i++) {
      const page = await listRecordPage({
        ...query,
        afterId: after,
        limit: pageSize,
        inScopeOnly: input.inScopeOnly,
      });
      if (page.scannedIds.length === 0) break;
      pagesOfGroup.push(page);
      after = page.scannedIds[page.scannedIds.length - 1];
    }
    if (pagesOfGroup.length === 0) break;
    const results = await Promise.all(
      pagesOfGroup.map((page): Promise<HandoffResult | BatchPageResult> => {
        if (page.ids.length === 0) return Promise.resolve({ handedOff: 0, failures: [] });
        if (batch) return batchSyncAccounts({ ids: page.ids, runKey, concurrency: input.concurrency ?? 20 });
        return handOffRecords({
          object: input.object,
          ids: page.ids,
          notice: { source: 'bulk-resync', force: true },
          concurrency: input.concurrency ?? 20,
        });
      }),
    );
    results.forEach((result, i) => {
      const page = pagesOfGroup[i]!;
      progress.done += result.handedOff;
      progress.failed += result.failures.length;
      progress.skipped += page.scannedIds.length - page.ids.length;
      progress.failures = [...progress.failures, ...result.failures].slice(-FAILURES_KEPT);
      if ('counts' in result && progress.batch) {
        // The keys of the run's own progress: a run started before a count existed does not gain it.
        for (const key of Object.keys(progress.batch) as Array<keyof typeof result.counts>)
          progress.batch[key] += result.counts[key] ?? 0;
      }
    });
    progress.cursor = after;
    pages += pagesOfGroup.length - 1;
  }
  progress.finishedAt = new Date().toISOString();
  return progress;
}
