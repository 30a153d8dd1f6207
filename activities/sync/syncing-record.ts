/**
 * Claims the syncing record of a Zendesk user for a contact, or says which contact holds it
 * (workflows/syncing-record.ts explains why a workflow ID decides it). Idempotent: a retried claim that
 * had already succeeded finds its own Id as the holder.
 */
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { SalesforceId, ZendeskId } from '../../workflows/search-attributes';
import { syncingRecordWorkflowId, type SyncingRecordInput } from '../../workflows/syncing-record';
import type { SyncDeps } from './deps';
import { runClassified } from './run-classified';
import { isSalesforceId } from './salesforce-ids';

export interface SyncingRecordClaim {
  /** The Salesforce Contact Id of the user's syncing record (the claimant's own when it won). */
  syncingRecord: string;
}

/** The contact holding the user's syncing record, if one does (read-only: `sfzd dry-run`). */
async function holderOf(deps: SyncDeps, workflowId: string): Promise<string | undefined> {
  try {
    const holder = await deps.temporal.workflow.getHandle(workflowId).describe();
    const id = holder.typedSearchAttributes.get(SalesforceId);
    return holder.status.name === 'RUNNING' && id !== undefined && isSalesforceId('Contact', id)
      ? id
      : undefined;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

export function createReadSyncingRecord(deps: SyncDeps) {
  return async function readSyncingRecord(input: { zendeskUserId: number }): Promise<string | null> {
    return runClassified(
      deps,
      async () => (await holderOf(deps, syncingRecordWorkflowId(input.zendeskUserId))) ?? null,
    );
  };
}

export function createClaimSyncingRecord(deps: SyncDeps) {
  return async function claimSyncingRecord(input: SyncingRecordInput): Promise<SyncingRecordClaim> {
    return runClassified(deps, async () => {
      const workflowId = syncingRecordWorkflowId(input.zendeskUserId);
      const taskQueue = Context.current().info.taskQueue;
      // Two rounds: the holder may be terminated between a refused start and the describe.
      for (let round = 0; round < 2; round++) {
        try {
          await deps.temporal.workflow.start('userSyncingRecord', {
            workflowId,
            taskQueue,
            args: [input],
            workflowIdConflictPolicy: 'FAIL',
            // IDs only: search attributes are never encrypted.
            typedSearchAttributes: [
              { key: ZendeskId, value: String(input.zendeskUserId) },
              { key: SalesforceId, value: input.salesforceId },
            ],
          });
          return { syncingRecord: input.salesforceId };
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        }
        const holder = await holderOf(deps, workflowId);
        if (holder !== undefined) return { syncingRecord: holder };
      }
      throw new Error(
        `the syncing record of Zendesk user ${input.zendeskUserId} could not be claimed or read`,
      );
    });
  };
}
