/**
 * The latest batch run (a bulk resync of Accounts with `--batch`) for `sfzd status`. A batch backfill
 * starts no record workflow for an account that had none (docs/architecture.md, "A batch backfill starts
 * no workflows"), so the record workflow counts do not show what it linked: its own counts do.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { progressQuery } from '../../workflows/bulk-resync';
import type { BulkProgress } from '../../workflows/bulk-types';
import { q } from './temporal';

export interface BatchRunSummary {
  workflowId: string;
  /** Temporal's execution status: RUNNING, COMPLETED, FAILED, TERMINATED… */
  status: string;
  startedAt: string;
  closedAt: string | null;
  /** The run's progress (its query while running, its result once completed); null if unreadable. */
  progress: BulkProgress | null;
}

/** Bulk resyncs looked at to find the latest batch one (a per-record run has no batch counts). */
const LOOKED_AT = 20;

/** The most recently started bulk resync of Accounts on this task queue that ran the batch path. */
export async function latestBatchRun(client: Client, taskQueue: string): Promise<BatchRunSummary | null> {
  const query = `WorkflowType = "bulkResync" AND TaskQueue = ${q(taskQueue)} AND WorkflowId STARTS_WITH "bulk-resync/Account/"`;
  const runs: Array<{ workflowId: string; runId: string; status: string; start: Date; close?: Date }> = [];
  for await (const info of client.workflow.list({ query, pageSize: LOOKED_AT })) {
    runs.push({
      workflowId: info.workflowId,
      runId: info.runId,
      status: info.status.name,
      start: info.startTime,
      close: info.closeTime,
    });
    if (runs.length >= LOOKED_AT) break;
  }
  runs.sort((a, b) => b.start.getTime() - a.start.getTime());
  for (const run of runs) {
    const progress = await readProgress(client, run.workflowId, run.runId, run.status);
    if (progress && !progress.batch) continue; // a per-record bulk resync
    return {
      workflowId: run.workflowId,
      status: run.status,
      startedAt: run.start.toISOString(),
      closedAt: run.close?.toISOString() ?? null,
      progress,
    };
  }
  return null;
}

async function readProgress(
  client: Client,
  workflowId: string,
  runId: string,
  status: string,
): Promise<BulkProgress | null> {
  try {
    if (status === 'COMPLETED')
      return (await client.workflow.getHandle(workflowId, runId).result()) as BulkProgress;
    if (status === 'RUNNING') return await client.workflow.getHandle(workflowId).query(progressQuery);
    // Continued-as-new: the latest run of the chain carries the progress.
    if (status === 'CONTINUED_AS_NEW') return await readProgress(client, workflowId, '', 'RUNNING');
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) return null;
  }
  return null;
}

/** One line for `sfzd status`. */
export function describeBatchRun(run: BatchRunSummary | null): string {
  if (!run) return 'Latest batch run: none';
  const head = `Latest batch run: ${run.workflowId} (${run.status.toLowerCase()}${run.closedAt ? ` ${run.closedAt}` : ''})`;
  const p = run.progress;
  if (!p?.batch) return `${head}: progress unavailable`;
  const b = p.batch;
  const counts = [
    `${p.done}${p.total !== null ? `/${p.total}` : ''} accounts`,
    `${b.created} created`,
    `${b.updated} updated`,
    `${b.failed} failed`,
    `${b.other} other`,
    `${b.fallback} per-record`,
  ];
  if (b.withoutWorkflow !== undefined)
    counts.push(`${b.withoutWorkflow} linked without a workflow (their link is the write-back field)`);
  return `${head}: ${counts.join(', ')}`;
}
