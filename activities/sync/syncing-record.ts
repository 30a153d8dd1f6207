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
        try {
          const holder = await deps.temporal.workflow.getHandle(workflowId).describe();
          const id = holder.typedSearchAttributes.get(SalesforceId);
          if (holder.status.name === 'RUNNING' && id !== undefined && isSalesforceId('Contact', id))
            return { syncingRecord: id };
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        }
      }
      throw new Error(
        `the syncing record of Zendesk user ${input.zendeskUserId} could not be claimed or read`,
      );
    });
  };
}
