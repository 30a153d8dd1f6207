/**
 * Starting or signalling a record's workflow. Signal-with-start makes "first change" and "later
 * change" the same call: the workflow is created if needed and the change is queued on it atomically.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { BatchSyncResult } from '../workflows/bulk-types';
import {
  batchSyncedSignal,
  changedSignal,
  stateQuery,
  type RecordStateView,
} from '../workflows/record-messages';
import type { syncRecord } from '../workflows/sync-record';
import { SalesforceId, SalesforceObject as SalesforceObjectKey } from '../workflows/search-attributes';
import {
  recordWorkflowId,
  zendeskKindOf,
  type ChangeNotice,
  type RecordTuning,
  type SalesforceObject,
} from '../workflows/sync-types';

export interface RecordTarget {
  object: SalesforceObject;
  salesforceId: string;
}

/**
 * The UI's fixed "Details" of a record workflow: what it is and how to act on it. IDs only: static
 * details are stored unencrypted and shown to every UI user, so no names, emails or phones.
 */
export function recordStaticDetails(object: SalesforceObject, salesforceId: string): string {
  const kind = zendeskKindOf(object);
  return [
    `**Salesforce ${object} \`${salesforceId}\`** → Zendesk ${kind}`,
    '',
    `This workflow keeps the Zendesk ${kind} in step with the Salesforce ${object}: each change (CDC, reconcile, resync) ` +
      'is a signal, and each pass fetches, filters, matches (until linked), writes and writes the Zendesk ID back once. ' +
      'The current details below show the link, the last outcome and the last error; the `state` query returns all of it.',
    '',
    `- Status: \`sfzd status ${object} ${salesforceId}\``,
    `- Preview without writing: \`sfzd dry-run ${object} ${salesforceId}\``,
    `- Resync now: \`sfzd resync ${object} ${salesforceId}\``,
  ].join('\n');
}

/** Signal-with-start of one record's workflow, with the summary, details and search attributes it starts with. */
async function signalRecord<Arg>(
  client: Client,
  taskQueue: string,
  target: RecordTarget,
  signal: SignalDefinition<[Arg]>,
  arg: Arg,
  tuning?: RecordTuning,
): Promise<void> {
  const { object, salesforceId } = target;
  await client.workflow.signalWithStart<typeof syncRecord, [Arg]>('syncRecord', {
    workflowId: recordWorkflowId(object, salesforceId),
    taskQueue,
    args: [{ object, salesforceId, ...(tuning ? { tuning } : {}) }],
    signal,
    signalArgs: [arg],
    workflowIdConflictPolicy: 'USE_EXISTING',
    staticSummary: `${object} ${salesforceId} → Zendesk ${zendeskKindOf(object)}`,
    staticDetails: recordStaticDetails(object, salesforceId),
    typedSearchAttributes: [
      { key: SalesforceObjectKey, value: object },
      { key: SalesforceId, value: salesforceId },
    ],
  });
}

export function notifyRecordChange(
  client: Client,
  taskQueue: string,
  target: RecordTarget,
  notice: ChangeNotice,
  /** Per-record tuning for a workflow this call starts (tests and the chaos rig shorten timeouts). */
  tuning?: RecordTuning,
): Promise<void> {
  return signalRecord(client, taskQueue, target, changedSignal, notice, tuning);
}

/**
 * Signals a record's workflow only if it is running, for a change that matters only to a record the sync
 * already knows (a delete: a record without a workflow has no link). Returns whether it was signalled.
 */
export async function notifyExistingRecord(
  client: Client,
  target: RecordTarget,
  notice: ChangeNotice,
): Promise<boolean> {
  try {
    await client.workflow
      .getHandle(recordWorkflowId(target.object, target.salesforceId))
      .signal(changedSignal, notice);
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** Hands a batch page's result for one record to its workflow (starting it if needed). */
export function deliverBatchResult(
  client: Client,
  taskQueue: string,
  target: RecordTarget,
  result: BatchSyncResult,
): Promise<void> {
  return signalRecord(client, taskQueue, target, batchSyncedSignal, result);
}

export async function readRecordState(client: Client, target: RecordTarget): Promise<RecordStateView> {
  return client.workflow.getHandle(recordWorkflowId(target.object, target.salesforceId)).query(stateQuery);
}

/** IDs per visibility query: keeps the query text short (a 200-ID list is about 6 KB). */
const LISTED_PER_QUERY = 200;

/**
 * The records among `salesforceIds` that have a running record workflow: one visibility list call per
 * 200 IDs instead of one query or start per record. Visibility is eventually consistent (a workflow
 * started a moment ago can be missing), so a caller that acts on "no workflow" lists again right before
 * it acts (activities/bulk/batch-accounts.ts).
 */
export async function runningRecordWorkflows(
  client: Client,
  object: SalesforceObject,
  salesforceIds: readonly string[],
): Promise<Set<string>> {
  const running = new Set<string>();
  for (let i = 0; i < salesforceIds.length; i += LISTED_PER_QUERY) {
    const group = salesforceIds.slice(i, i + LISTED_PER_QUERY);
    if (group.length === 0) continue;
    // Workflow IDs are built from validated Salesforce IDs ([A-Za-z0-9]{15,18}): nothing to escape.
    const ids = group.map((id) => `'${recordWorkflowId(object, id)}'`).join(', ');
    const query = `WorkflowType = 'syncRecord' AND ExecutionStatus = 'Running' AND WorkflowId IN (${ids})`;
    for await (const info of client.workflow.list({ query, pageSize: LISTED_PER_QUERY })) {
      const id = info.workflowId.slice(recordWorkflowId(object, '').length);
      running.add(id);
    }
  }
  return running;
}
