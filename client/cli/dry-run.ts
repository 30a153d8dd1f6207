/**
 * `sfzd dry-run <object> <id>`: runs the dryRunRecord workflow on the sync's task queue (so the
 * worker's configuration and credentials apply, and the CLI needs neither) and prints the Zendesk
 * requests a pass would send, as a diff against the current Zendesk record. Nothing is written.
 */
import { randomUUID } from 'node:crypto';
import type { dryRunRecord } from '../../workflows/dry-run';
import { dryRunWorkflowId, type DiffRow, type DryRunResult } from '../../workflows/dry-run-types';
import type { SalesforceObject } from '../../workflows/sync-types';
import { failureDetailLines } from './failure-details';
import { keyValues, table } from './format';
import type { CommandContext, CommandResult } from './result';
import { withTemporal } from './temporal';

export interface DryRunView extends DryRunResult {
  /** The dry-run's own workflow, to open in the Temporal UI. */
  workflowId: string;
}

const show = (v: unknown): string => {
  if (v === null || v === undefined) return '(empty)';
  if (Array.isArray(v)) return v.length ? v.join(', ') : '(none)';
  return typeof v === 'string' ? v : JSON.stringify(v);
};

function diffRows(rows: DiffRow[]): Array<Array<string>> {
  return rows.map((r) => [
    r.changed ? r.op : 'same',
    r.field,
    show(r.current),
    r.op === 'append' ? (r.changed ? `+ ${show(r.new)}` : '(all present)') : show(r.new),
  ]);
}

export async function dryRun(
  ctx: CommandContext,
  object: SalesforceObject,
  salesforceId: string,
): Promise<CommandResult> {
  return withTemporal(ctx.env, async ({ client, temporal }) => {
    const workflowId = dryRunWorkflowId(object, salesforceId, randomUUID());
    const result = await client.workflow.execute<typeof dryRunRecord>('dryRunRecord', {
      workflowId,
      taskQueue: temporal.TEMPORAL_TASK_QUEUE,
      args: [{ object, salesforceId }],
      // A dry-run nobody is waiting for any more should not linger.
      workflowExecutionTimeout: '5 minutes',
      staticSummary: `dry-run ${object} ${salesforceId} (writes nothing)`,
    });
    const json: DryRunView = { ...result, workflowId };
    const lines = [
      keyValues([
        ['Record', `${object} ${salesforceId}`],
        ['Verdict', result.verdict],
        [
          'Zendesk',
          result.zendeskId
            ? `${result.zendeskKind} ${result.zendeskId}${result.foundBy ? ` (by ${result.foundBy})` : ''}`
            : null,
        ],
        [
          'Write-back',
          result.writeBack ? `${result.writeBack.field} (now ${show(result.writeBack.current)})` : null,
        ],
        ['Workflow', workflowId],
      ]),
      '',
      result.message,
    ];
    if (result.diff.length)
      lines.push('', table(['CHANGE', 'FIELD', 'ZENDESK NOW', 'WOULD BE'], diffRows(result.diff)));
    if (result.requests.length)
      lines.push(
        '',
        result.verdict === 'no-change'
          ? 'Requests a pass would still send (they carry values Zendesk already has, so they change nothing):'
          : 'Requests it would send:',
        ...result.requests.map((r) => `  ${r.method} /api/v2/${r.path}  ${JSON.stringify(r.body)}`),
      );
    const details = result.failure ? failureDetailLines(result.failure.type, result.failure.details) : [];
    if (details.length) lines.push('', 'Details:', ...details.map((l) => `  ${l}`));
    lines.push('', 'Dry-run: nothing was written to Zendesk or Salesforce.');
    // A dry-run that could not even be evaluated is an operational error for scripts.
    return { json, text: lines.join('\n'), exitCode: result.verdict === 'failed' ? 1 : 0 };
  });
}
