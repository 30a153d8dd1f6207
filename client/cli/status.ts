/**
 * `sfzd status <object> <id>`: what the sync believes about one record (its workflow's state query).
 * `sfzd status [object]`: how many running record workflows ended their last pass with each outcome,
 * and the latest batch run of Accounts with its counts (batch-run.ts): the accounts it linked without a
 * workflow are in no record workflow count.
 */
import type { Client } from '@temporalio/client';
import { describeMembershipChange } from '../../core';
import { describeFeed, readFeedSummary, type FeedSummary } from '../listener/feed-summary';
import { CHANGE_FEED_WORKFLOW_ID } from '../../workflows/change-feed';
import { RETRY_RULES, type FailureTypeName } from '../../workflows/failure-types';
import type { SalesforceObject, SyncOutcomeName } from '../../workflows/sync-types';
import { syncingRecordText } from '../../workflows/record-details';
import { describeBatchRun, latestBatchRun, type BatchRunSummary } from './batch-run';
import { failureDetailLines } from './failure-details';
import { keyValues, table } from './format';
import { fetchRecordState } from './record-state';
import type { CommandContext, CommandResult } from './result';
import { q, recordWorkflowQuery, withTemporal } from './temporal';

const OUTCOMES: readonly SyncOutcomeName[] = [
  'created',
  'updated',
  'unchanged',
  'filtered-out',
  'skipped-update-only',
  'deleted-in-salesforce',
  'deleted-tagged',
  'deleted-unlinked',
  'merged',
  'restored',
  'lead-converted',
  'membership-added',
  'failed',
];

export async function recordStatus(
  ctx: CommandContext,
  object: SalesforceObject,
  salesforceId: string,
): Promise<CommandResult> {
  return withTemporal(ctx.env, async ({ client }) => {
    const state = await fetchRecordState(client, object, salesforceId);
    const outcomes = state.outcomes.map((o) => [
      o.at,
      o.trigger,
      o.outcome === 'failed' ? `failed:${o.failure ?? 'Unknown'}` : o.outcome,
      o.zendeskId,
      [o.organizations ? describeMembershipChange(o.organizations) : '', o.message ?? '']
        .filter(Boolean)
        .join('; ') || undefined,
    ]);
    const text = [
      keyValues([
        ['Record', `${object} ${salesforceId}`],
        [
          'Zendesk ID',
          state.link ? `${state.link.zendeskId} (${state.link.via} ${state.link.linkedAt})` : null,
        ],
        ['Written back', state.writtenBack ? 'yes' : 'no'],
        ['Syncing record', state.link?.syncingRecord !== undefined ? syncingRecordText(state) : null],
        [
          'Default org',
          state.link?.defaultOrganizationId !== undefined
            ? `${state.link.defaultOrganizationId} (the default the sync set)`
            : null,
        ],
        ['Passes', state.passes],
        ['Running', state.running ? 'yes' : 'no'],
        [
          'Pending',
          state.pending ? `${state.pending.source}${state.pending.force ? ' (forced)' : ''}` : null,
        ],
        [
          'Retrying',
          state.retrying
            ? `yes: attempt ${state.retrying.attempt} of ${state.retrying.activity} since ${state.retrying.since}, next try ${state.retrying.nextRetryAt}${state.retrying.giveUpAt ? `, gives up ${state.retrying.giveUpAt}` : ''}`
            : 'no',
        ],
        [
          'Last error',
          // While retrying, the error of the last failed attempt; otherwise the last failed pass's.
          state.retrying
            ? `${state.retrying.failure}: ${state.retrying.message} (${state.retrying.at}, retrying)`
            : state.lastError
              ? `${state.lastError.type}: ${state.lastError.message} (${state.lastError.at})`
              : null,
        ],
      ]),
      ...errorDetailLines(state.lastError),
      '',
      table(['AT', 'TRIGGER', 'OUTCOME', 'ZENDESK ID', 'MESSAGE'], outcomes),
    ].join('\n');
    return { json: state, text };
  });
}

/** The last error's details under it: the values Zendesk cannot hold, or Zendesk's per-field reasons. */
function errorDetailLines(error: { type: string; details?: unknown } | undefined): string[] {
  const lines = error ? failureDetailLines(error.type, error.details) : [];
  return lines.length ? ['Details:', ...lines.map((l) => `  ${l}`)] : [];
}

export interface OutcomeCounts {
  object: SalesforceObject | null;
  total: number;
  byOutcome: Record<string, number>;
  /** Records whose pass is retrying right now (SyncRetrying is set), by the failure type of the last attempt. */
  retrying: { total: number; byFailure: Record<string, number> };
  /** The change feed: listening, paused on the daily event delivery allocation, or not running. */
  changeFeed: FeedSummary;
  /** The latest batch run of Accounts (null: none, or only Contacts asked for). */
  batchRun: BatchRunSummary | null;
}

export async function outcomeCounts(
  ctx: CommandContext,
  object: SalesforceObject | undefined,
): Promise<CommandResult> {
  return withTemporal(ctx.env, async ({ client, temporal }) => {
    const base = `${recordWorkflowQuery(temporal.TEMPORAL_TASK_QUEUE, object)} AND ExecutionStatus = "Running"`;
    const counts = await countByOutcome(client, base);
    const retrying = await countRetrying(client, base);
    const changeFeed = await readFeedSummary(client, CHANGE_FEED_WORKFLOW_ID);
    const withBatch = object === undefined || object === 'Account';
    const batchRun = withBatch ? await latestBatchRun(client, temporal.TEMPORAL_TASK_QUEUE) : null;
    const json: OutcomeCounts = { object: object ?? null, ...counts, retrying, changeFeed, batchRun };
    const rows = Object.entries(counts.byOutcome).map(([k, v]) => [k, v]);
    const retryRows = Object.entries(retrying.byFailure).map(([k, v]) => [k, v]);
    const text = [
      `${object ?? 'All objects'}: ${counts.total} record workflow${counts.total === 1 ? '' : 's'} running`,
      table(['OUTCOME', 'COUNT'], rows),
      '',
      `Retrying now: ${retrying.total} (see \`sfzd failures\`)`,
      ...(retryRows.length ? [table(['RETRYING ON', 'COUNT'], retryRows)] : []),
      '',
      `Change feed: ${describeFeed(changeFeed)}`,
      ...(withBatch ? [describeBatchRun(batchRun)] : []),
    ].join('\n');
    return { json, text };
  });
}

/** One GROUP BY count where the server supports it; otherwise one count per known outcome. */
async function countByOutcome(
  client: Client,
  base: string,
): Promise<{ total: number; byOutcome: Record<string, number> }> {
  try {
    const result = await client.workflow.count(`${base} GROUP BY SyncOutcome`);
    const byOutcome: Record<string, number> = {};
    for (const g of result.groups) {
      const value = g.groupValues[0];
      byOutcome[typeof value === 'string' ? value : '(none yet)'] = g.count;
    }
    return { total: result.count, byOutcome };
  } catch {
    const [total, ...each] = await Promise.all([
      client.workflow.count(base),
      ...OUTCOMES.map((o) => client.workflow.count(`${base} AND SyncOutcome = ${q(o)}`)),
    ]);
    const byOutcome: Record<string, number> = {};
    OUTCOMES.forEach((o, i) => {
      if (each[i]!.count > 0) byOutcome[o] = each[i]!.count;
    });
    const counted = Object.values(byOutcome).reduce((a, b) => a + b, 0);
    if (total.count > counted) byOutcome['(none yet)'] = total.count - counted;
    return { total: total.count, byOutcome };
  }
}

/** Record workflows whose pass is between failed attempts, by the failure type of the last one. */
async function countRetrying(
  client: Client,
  base: string,
): Promise<{ total: number; byFailure: Record<string, number> }> {
  const query = `${base} AND SyncRetrying IS NOT NULL`;
  try {
    const result = await client.workflow.count(`${query} GROUP BY SyncRetrying`);
    const byFailure: Record<string, number> = {};
    for (const g of result.groups) byFailure[String(g.groupValues[0])] = g.count;
    return { total: result.count, byFailure };
  } catch {
    // Servers that group by ExecutionStatus only: one count per type that retries.
    const [total, ...each] = await Promise.all([
      client.workflow.count(query),
      ...RETRYABLE.map((t) => client.workflow.count(`${base} AND SyncRetrying = ${q(t)}`)),
    ]);
    const byFailure: Record<string, number> = {};
    RETRYABLE.forEach((t, i) => {
      if (each[i]!.count > 0) byFailure[t] = each[i]!.count;
    });
    return { total: total.count, byFailure };
  }
}

const RETRYABLE = (Object.keys(RETRY_RULES) as FailureTypeName[]).filter((t) => RETRY_RULES[t].retry);
