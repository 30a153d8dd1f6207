/**
 * Starts the Salesforce change feed, or finds the one already running: the workflow ID is fixed and the
 * conflict policy is USE_EXISTING, so however often this runs (every deploy, every operator), exactly one
 * feed listens.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import {
  CHANGE_FEED_WORKFLOW_ID,
  changeFeedStateQuery,
  type ChangeFeedInput,
  type ChangeFeedState,
  type salesforceChangeFeed,
} from '../../workflows/change-feed';

export interface StartChangeFeedOptions {
  /** Default CHANGE_FEED_WORKFLOW_ID; tests sharing one Temporal server use their own. */
  workflowId?: string;
  /** Only used when a new feed starts: where to begin and tuning (a running feed keeps its own). */
  input?: ChangeFeedInput;
}

export async function startChangeFeed(
  client: Client,
  taskQueue: string,
  opts: StartChangeFeedOptions = {},
): Promise<WorkflowHandle<typeof salesforceChangeFeed>> {
  return client.workflow.start<typeof salesforceChangeFeed>('salesforceChangeFeed', {
    workflowId: opts.workflowId ?? CHANGE_FEED_WORKFLOW_ID,
    taskQueue,
    args: [opts.input ?? {}],
    workflowIdConflictPolicy: 'USE_EXISTING',
    staticSummary: 'Salesforce Change Data Capture → record sync workflows',
  });
}

export function readChangeFeedState(
  client: Client,
  workflowId = CHANGE_FEED_WORKFLOW_ID,
): Promise<ChangeFeedState> {
  return client.workflow.getHandle(workflowId).query(changeFeedStateQuery);
}
