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
import type { BulkProgress, BulkResyncInput } from './bulk-types';
import { NON_RETRYABLE_FAILURES } from './failure-types';

export const progressQuery = defineQuery<BulkProgress>('progress');

const FAILURES_KEPT = 50;
const PAGES_PER_RUN = 100;

const { countRecords, listRecordPage } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumInterval: '5 minutes', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURES] },
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
  const pageSize = input.pageSize ?? 200;

  if (progress.total === null) progress.total = await countRecords(query);

  for (let pages = 0; ; pages++) {
    if (pages >= PAGES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof bulkResync>({ ...input, progress });
    }
    const page = await listRecordPage({
      ...query,
      afterId: progress.cursor,
      limit: pageSize,
      inScopeOnly: input.inScopeOnly,
    });
    if (page.scannedIds.length === 0) break;
    const result = page.ids.length
      ? await handOffRecords({
          object: input.object,
          ids: page.ids,
          notice: { source: 'bulk-resync', force: true },
          concurrency: input.concurrency ?? 20,
        })
      : { handedOff: 0, failures: [] };
    progress.done += result.handedOff;
    progress.failed += result.failures.length;
    progress.skipped += page.scannedIds.length - page.ids.length;
    progress.failures = [...progress.failures, ...result.failures].slice(-FAILURES_KEPT);
    progress.cursor = page.scannedIds[page.scannedIds.length - 1];
  }
  progress.finishedAt = new Date().toISOString();
  return progress;
}
