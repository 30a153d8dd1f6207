/**
 * `sfzd status <object> <id>`: what the sync believes about one record (its workflow's state query).
 * `sfzd status [object]`: how many running record workflows ended their last pass with each outcome.
 */
import type { Client } from '@temporalio/client';
import type { SalesforceObject, SyncOutcomeName } from '../../workflows/sync-types';
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
      o.message,
    ]);
    const text = [
      keyValues([
        ['Record', `${object} ${salesforceId}`],
        [
          'Zendesk ID',
          state.link ? `${state.link.zendeskId} (${state.link.via} ${state.link.linkedAt})` : null,
        ],
        ['Written back', state.writtenBack ? 'yes' : 'no'],
        ['Passes', state.passes],
        ['Running', state.running ? 'yes' : 'no'],
        [
          'Pending',
          state.pending ? `${state.pending.source}${state.pending.force ? ' (forced)' : ''}` : null,
        ],
        [
          'Last error',
          state.lastError
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
}

export async function outcomeCounts(
  ctx: CommandContext,
  object: SalesforceObject | undefined,
): Promise<CommandResult> {
  return withTemporal(ctx.env, async ({ client, temporal }) => {
    const base = `${recordWorkflowQuery(temporal.TEMPORAL_TASK_QUEUE, object)} AND ExecutionStatus = "Running"`;
    const counts = await countByOutcome(client, base);
    const json: OutcomeCounts = { object: object ?? null, ...counts };
    const rows = Object.entries(counts.byOutcome).map(([k, v]) => [k, v]);
    const text = `${object ?? 'All objects'}: ${counts.total} record workflow${counts.total === 1 ? '' : 's'} running\n${table(['OUTCOME', 'COUNT'], rows)}`;
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
