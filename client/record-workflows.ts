/**
 * Starting or signalling a record's workflow. Signal-with-start makes "first change" and "later
 * change" the same call: the workflow is created if needed and the change is queued on it atomically.
 */
import type { Client } from '@temporalio/client';
import { changedSignal, stateQuery, type RecordStateView } from '../workflows/record-messages';
import type { syncRecord } from '../workflows/sync-record';
import { SalesforceId, SalesforceObject as SalesforceObjectKey } from '../workflows/search-attributes';
import {
  recordWorkflowId,
  zendeskKindOf,
  type ChangeNotice,
  type SalesforceObject,
} from '../workflows/sync-types';

export interface RecordTarget {
  object: SalesforceObject;
  salesforceId: string;
}

export async function notifyRecordChange(
  client: Client,
  taskQueue: string,
  target: RecordTarget,
  notice: ChangeNotice,
): Promise<void> {
  const { object, salesforceId } = target;
  await client.workflow.signalWithStart<typeof syncRecord, [ChangeNotice]>('syncRecord', {
    workflowId: recordWorkflowId(object, salesforceId),
    taskQueue,
    args: [{ object, salesforceId }],
    signal: changedSignal,
    signalArgs: [notice],
    workflowIdConflictPolicy: 'USE_EXISTING',
    staticSummary: `${object} ${salesforceId} → Zendesk ${zendeskKindOf(object)}`,
    typedSearchAttributes: [
      { key: SalesforceObjectKey, value: object },
      { key: SalesforceId, value: salesforceId },
    ],
  });
}

export async function readRecordState(client: Client, target: RecordTarget): Promise<RecordStateView> {
  return client.workflow.getHandle(recordWorkflowId(target.object, target.salesforceId)).query(stateQuery);
}
