/**
 * `sfzd resync <object> <id...>`: a forced pass for each record (signal-with-start, trigger `resync`).
 * `sfzd resync <object> --all`: a bulk resync workflow, watched through its `progress` query;
 * `--detach` returns at once, `--attach <workflowId>` watches a running one again.
 */
import {
  WorkflowFailedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { bulkProgress, startBulkResync } from '../bulk-resync';
import { notifyRecordChange } from '../../common/record-workflows';
import type { BulkProgress } from '../../workflows/bulk-types';
import { recordWorkflowId, type SalesforceObject } from '../../workflows/sync-types';
import { CliError, UsageError } from './errors';
import { keyValues, table } from './format';
import type { CommandContext, CommandResult } from './result';
import { withTemporal } from './temporal';

export async function resyncRecords(
  ctx: CommandContext,
  object: SalesforceObject,
  ids: string[],
): Promise<CommandResult> {
  return withTemporal(ctx.env, async ({ client, temporal }) => {
    const signalled: Array<{ object: SalesforceObject; salesforceId: string; workflowId: string }> = [];
    for (const salesforceId of ids) {
      await notifyRecordChange(
        client,
        temporal.TEMPORAL_TASK_QUEUE,
        { object, salesforceId },
        {
          source: 'resync',
          force: true,
        },
      );
      signalled.push({ object, salesforceId, workflowId: recordWorkflowId(object, salesforceId) });
    }
    return {
      json: { signalled },
      text: `Resync requested for ${signalled.length} record${signalled.length === 1 ? '' : 's'} (see \`sfzd status ${object} <id>\`):\n${table(
        ['OBJECT', 'SALESFORCE ID', 'WORKFLOW'],
        signalled.map((s) => [s.object, s.salesforceId, s.workflowId]),
      )}`,
    };
  });
}

export interface BulkOptions {
  where?: string;
  inScopeOnly?: boolean;
  detach?: boolean;
  /** Accounts: the batch path (Zendesk create_many/update_many); refused for users. */
  batch?: boolean;
  pollMs: number;
}

export async function startBulk(
  ctx: CommandContext,
  object: SalesforceObject,
  opts: BulkOptions,
): Promise<CommandResult> {
  if (opts.batch && object !== 'Account')
    throw new UsageError('--batch is for Accounts only: users always sync record by record');
  return withTemporal(ctx.env, async ({ client, temporal }) => {
    const handle = await startBulkResync(client, temporal.TEMPORAL_TASK_QUEUE, {
      object,
      where: opts.where,
      inScopeOnly: opts.inScopeOnly,
      ...(opts.batch ? { batch: true } : {}),
    });
    if (opts.detach) {
      return {
        json: { workflowId: handle.workflowId, detached: true },
        text: `Bulk resync started: ${handle.workflowId}\nWatch it with: sfzd resync --attach ${handle.workflowId}`,
      };
    }
    ctx.progress(`Bulk resync ${handle.workflowId} started`);
    return watch(ctx, handle, opts.pollMs);
  });
}

export async function attachBulk(
  ctx: CommandContext,
  workflowId: string,
  pollMs: number,
): Promise<CommandResult> {
  return withTemporal(ctx.env, async ({ client }) => watch(ctx, getBulkHandle(client, workflowId), pollMs));
}

function getBulkHandle(client: Client, workflowId: string): WorkflowHandle {
  if (!workflowId.startsWith('bulk-resync/'))
    throw new CliError(
      'NOT_A_BULK_RESYNC',
      `${workflowId} is not a bulk resync workflow id (they start with bulk-resync/)`,
      2,
    );
  return client.workflow.getHandle(workflowId);
}

export interface ProgressView extends BulkProgress {
  workflowId: string;
  /** Records handed off per second since the start. */
  rate: number | null;
  /** Seconds until done at that rate (null when unknown). */
  etaSeconds: number | null;
}

export function progressView(workflowId: string, p: BulkProgress, now = Date.now()): ProgressView {
  const end = p.finishedAt ? Date.parse(p.finishedAt) : now;
  const elapsed = (end - Date.parse(p.startedAt)) / 1000;
  const processed = p.done + p.failed + p.skipped;
  const rate = elapsed > 0 ? Math.round((processed / elapsed) * 10) / 10 : null;
  const remaining = p.total === null ? null : Math.max(0, p.total - processed);
  const etaSeconds = p.finishedAt ? 0 : remaining !== null && rate ? Math.ceil(remaining / rate) : null;
  return { workflowId, ...p, rate, etaSeconds };
}

function progressLine(v: ProgressView): string {
  const eta = v.etaSeconds === null ? '?' : `${v.etaSeconds}s`;
  return `total ${v.total ?? '?'}  done ${v.done}  failed ${v.failed}  skipped ${v.skipped}  rate ${v.rate ?? '?'}/s  ETA ${eta}`;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function watch(ctx: CommandContext, handle: WorkflowHandle, pollMs: number): Promise<CommandResult> {
  let settled: { ok: true; value: BulkProgress } | { ok: false; error: unknown } | undefined;
  const result = (handle.result() as Promise<BulkProgress>).then(
    (value) => (settled = { ok: true, value }),
    (error: unknown) => (settled = { ok: false, error }),
  );
  for (;;) {
    if (settled) break;
    const p = await bulkProgress(handle).catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError)
        throw new CliError(
          'BULK_NOT_FOUND',
          `no bulk resync ${handle.workflowId}: check the id (sfzd resync --detach prints it)`,
        );
      return undefined; // between runs (continue-as-new) the query can fail: ask again
    });
    if (p) ctx.progress(progressLine(progressView(handle.workflowId, p)));
    await Promise.race([result, sleep(pollMs)]);
  }
  const done = await result;
  if (!done.ok) {
    const err = done.error;
    if (err instanceof WorkflowFailedError) {
      const root = rootCause(err);
      throw new CliError('BULK_FAILED', `bulk resync ${handle.workflowId} failed: ${root}`);
    }
    throw err;
  }
  const view = progressView(handle.workflowId, done.value);
  return {
    json: view,
    text: keyValues([
      ['Bulk resync', view.workflowId],
      ['Total', view.total],
      ['Done', view.done],
      ['Failed', view.failed],
      ['Skipped', view.skipped],
      ['Rate', view.rate === null ? null : `${view.rate}/s`],
      ['Finished', view.finishedAt],
      ...view.failures.map((f): [string, string] => [`Failed ${f.salesforceId}`, f.message]),
    ]),
    exitCode: view.failed > 0 ? 1 : 0,
  };
}

function rootCause(err: Error): string {
  let e: Error = err;
  while (e.cause instanceof Error) e = e.cause;
  return e.message;
}
