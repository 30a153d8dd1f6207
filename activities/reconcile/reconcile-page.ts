/**
 * One page of reconciliation: the records modified since the watermark, with the fields the sync uses.
 * Each in-scope record's mapped values are fingerprinted exactly as a sync pass does, and compared with
 * the fingerprint its workflow last synced; only records that differ (or never synced) are signalled.
 * So a change is caught even when the change stream was down longer than its retention window, and an
 * unchanged record costs no Zendesk call.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { fieldsToFetch } from '../../core';
import { stateQuery } from '../../workflows/record-messages';
import type { ModstampCursor, ReconcilePageResult } from '../../workflows/reconcile-types';
import { recordWorkflowId, type SalesforceObject } from '../../workflows/sync-types';
import { notifyRecordChange } from '../../client/record-workflows';
import { soqlDateTime } from '../change-feed/reconcile-since';
import { toSalesforceApiError } from '../salesforce/errors';
import type { SyncDeps } from '../sync/deps';
import { evaluateScope, mapRecord, sectionFor } from '../sync/fetch-and-plan';
import { runClassified } from '../sync/run-classified';
import { isSalesforceId } from '../sync/salesforce-ids';

export interface ReconcilePageInput {
  object: SalesforceObject;
  sinceMs: number;
  after?: ModstampCursor;
  limit: number;
}

const MODSTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?(Z|[+-]\d{2}:?\d{2})$/;

/** Salesforce returns `2024-01-01T00:00:00.000+0000`; SOQL wants `2024-01-01T00:00:00.000+00:00` or Z. */
export function soqlDateTimeLiteral(value: string): string {
  if (!MODSTAMP.test(value)) throw new Error(`unexpected SystemModstamp ${value}`);
  return value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
}

async function lastFingerprint(
  deps: SyncDeps,
  object: SalesforceObject,
  id: string,
): Promise<string | undefined | null> {
  try {
    const state = await deps.temporal.workflow.getHandle(recordWorkflowId(object, id)).query(stateQuery);
    return state.fingerprint ?? null;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

export function createReconcilePage(deps: SyncDeps) {
  return async function reconcilePage(input: ReconcilePageInput): Promise<ReconcilePageResult> {
    return runClassified(deps, async () => {
      const found = sectionFor(deps, input.object);
      if ('disabled' in found) return { scanned: 0, signalled: 0 };
      const { section } = found;
      const { config } = deps.context();
      const fields = [...new Set([...fieldsToFetch(config, input.object), 'SystemModstamp'])];
      const since = `SystemModstamp >= ${soqlDateTime(input.sinceMs)}`;
      let after = '';
      if (input.after) {
        if (!isSalesforceId(input.object, input.after.id)) throw new Error(`bad cursor id ${input.after.id}`);
        const t = soqlDateTimeLiteral(input.after.systemModstamp);
        after = ` AND (SystemModstamp > ${t} OR (SystemModstamp = ${t} AND Id > '${input.after.id}'))`;
      }
      const limit = Math.max(1, Math.min(2000, Math.floor(input.limit)));
      const soql = `SELECT ${fields.join(', ')} FROM ${input.object} WHERE ${since}${after} ORDER BY SystemModstamp, Id LIMIT ${limit}`;
      const conn = await deps.salesforce.connection();
      let records: Array<Record<string, unknown>>;
      try {
        records = (await conn.query<Record<string, unknown>>(soql)).records;
      } catch (err) {
        throw toSalesforceApiError(err, `reconcile ${input.object}`);
      }
      const taskQueue = Context.current().info.taskQueue;
      let signalled = 0;
      for (const record of records) {
        const id = record.Id as string;
        if (!evaluateScope(deps, input.object, section, record).pass) continue;
        const { fingerprint } = mapRecord(deps, input.object, section, record);
        if ((await lastFingerprint(deps, input.object, id)) === fingerprint) continue;
        await notifyRecordChange(
          deps.temporal,
          taskQueue,
          { object: input.object, salesforceId: id },
          { source: 'reconcile' },
        );
        signalled += 1;
      }
      const last = records[records.length - 1];
      return {
        scanned: records.length,
        signalled,
        next:
          records.length === limit && last
            ? { systemModstamp: last.SystemModstamp as string, id: last.Id as string }
            : undefined,
      };
    });
  };
}
