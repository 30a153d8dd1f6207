/** Starting and watching a bulk resync (the workflow is workflows/bulk-resync.ts). */
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { bulkResync } from '../workflows/bulk-resync';
import { progressQuery } from '../workflows/bulk-resync';
import type { BulkProgress, BulkResyncInput } from '../workflows/bulk-types';

export async function startBulkResync(
  client: Client,
  taskQueue: string,
  input: BulkResyncInput,
  now = new Date(),
): Promise<WorkflowHandle<typeof bulkResync>> {
  return client.workflow.start<typeof bulkResync>('bulkResync', {
    taskQueue,
    workflowId: `bulk-resync/${input.object}/${now.toISOString()}`,
    args: [input],
    // Not the --where clause itself: summaries are stored in clear, and a clause can hold an email or a
    // name (`Email = '…'`); it stays in the workflow's input, a payload.
    staticSummary: `Bulk resync of ${input.object}${input.where ? ' (filtered by --where)' : ''}${input.inScopeOnly ? ' (in scope only)' : ''}${input.batch ? ' (batch)' : ''}`,
  });
}

export function bulkProgress(handle: WorkflowHandle): Promise<BulkProgress> {
  return handle.query(progressQuery);
}
