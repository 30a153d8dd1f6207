/**
 * `sfzd failures`: record workflows whose last pass failed (SyncOutcome = "failed") or whose pass is
 * retrying right now (SyncRetrying is set), each with the reason from its state query: the last error's
 * message and, for MultipleMatches, the candidate IDs; for a retrying record, the attempt.
 */
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { SalesforceId, SalesforceObject as SalesforceObjectKey } from '../../workflows/search-attributes';
import type { SalesforceObject } from '../../workflows/sync-types';
import { failureDetailLines } from './failure-details';
import { table } from './format';
import { fetchRecordState } from './record-state';
import type { CommandContext, CommandResult } from './result';
import { q, recordWorkflowQuery, withTemporal } from './temporal';

export interface FailuresOptions {
  object?: SalesforceObject;
  type?: string;
  since?: Date;
  limit: number;
}

export interface FailureRow {
  object: SalesforceObject;
  salesforceId: string;
  workflowId: string;
  /** `failed`: the last pass ended failed; `retrying`: the current pass is retrying (see `attempt`). */
  status: 'failed' | 'retrying';
  failure: string;
  message: string;
  at: string | null;
  trigger: string | null;
  candidateIds?: number[];
  details?: unknown;
  /** Retrying: Temporal's attempt number of the last failed attempt, and the activity. */
  attempt?: number;
  activity?: string;
  nextRetryAt?: string;
}

export function failuresQuery(taskQueue: string, opts: FailuresOptions): string {
  const failed = [
    `SyncOutcome = "failed"`,
    ...(opts.type ? [`SyncFailure = ${q(opts.type)}`] : []),
    ...(opts.since ? [`LastSyncedAt > ${q(opts.since.toISOString())}`] : []),
  ].join(' AND ');
  // Retrying now is always current, whatever --since says.
  const retrying = opts.type ? `SyncRetrying = ${q(opts.type)}` : 'SyncRetrying IS NOT NULL';
  return `${recordWorkflowQuery(taskQueue, opts.object)} AND ((${failed}) OR ${retrying})`;
}

export async function listFailures(ctx: CommandContext, opts: FailuresOptions): Promise<CommandResult> {
  return withTemporal(ctx.env, async ({ client, temporal }) => {
    const infos: WorkflowExecutionInfo[] = [];
    for await (const info of client.workflow.list({
      query: failuresQuery(temporal.TEMPORAL_TASK_QUEUE, opts),
    })) {
      infos.push(info);
      if (infos.length >= opts.limit) break;
    }
    const rows: FailureRow[] = [];
    for (const info of infos) {
      const object = info.typedSearchAttributes.get(SalesforceObjectKey) as SalesforceObject | undefined;
      const salesforceId = info.typedSearchAttributes.get(SalesforceId);
      if (!object || !salesforceId) continue;
      const state = await fetchRecordState(client, object, salesforceId).catch(() => undefined);
      const last = state?.outcomes[0];
      const retry = state?.retrying;
      if (retry) {
        rows.push({
          object,
          salesforceId,
          workflowId: info.workflowId,
          status: 'retrying',
          failure: retry.failure,
          message: retry.message,
          at: retry.at,
          trigger: state.pending?.source ?? last?.trigger ?? null,
          attempt: retry.attempt,
          activity: retry.activity,
          nextRetryAt: retry.nextRetryAt,
        });
        continue;
      }
      // The state is newer than the (eventually consistent) search attributes: trust it.
      if (state && (!last || last.outcome !== 'failed')) continue;
      const error = state?.lastError;
      const candidateIds = candidateIdsOf(error?.details);
      rows.push({
        object,
        salesforceId,
        workflowId: info.workflowId,
        status: 'failed',
        failure: error?.type ?? last?.failure ?? 'Unknown',
        message: error?.message ?? '(state query failed)',
        at: error?.at ?? null,
        trigger: last?.trigger ?? null,
        ...(candidateIds ? { candidateIds } : {}),
        ...(error?.details !== undefined ? { details: error.details } : {}),
      });
    }
    const text = rows.length
      ? table(
          ['OBJECT', 'SALESFORCE ID', 'FAILURE', 'AT', 'REASON'],
          rows.map((r) => [
            r.object,
            r.salesforceId,
            r.status === 'retrying' ? `${r.failure} (retrying, attempt ${r.attempt})` : r.failure,
            r.at,
            withDetails(
              r.candidateIds ? `${r.message} (candidates ${r.candidateIds.join(', ')})` : r.message,
              failureDetailLines(r.failure, r.details),
            ),
          ]),
        )
      : 'No failed or retrying records.';
    return { json: { failures: rows }, text };
  });
}

/** The reason with what the details add (the values Zendesk cannot hold, Zendesk's per-field reasons). */
function withDetails(reason: string, lines: string[]): string {
  return lines.length ? `${reason} [${lines.join('; ')}]` : reason;
}

function candidateIdsOf(details: unknown): number[] | undefined {
  const ids = (details as { candidateIds?: unknown } | undefined)?.candidateIds;
  return Array.isArray(ids) && ids.every((i) => typeof i === 'number') ? ids : undefined;
}
