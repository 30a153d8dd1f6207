/**
 * One page of reconciliation: the records modified since the watermark, with the fields the sync uses.
 * Each in-scope record's mapped values are fingerprinted exactly as a sync pass does, and the record is
 * signalled only for a change the trigger rule syncs ("a mapped field is updated … or a new record is
 * created"; unmapped changes never sync), decided by `missedChange` below. So a change is caught even
 * when the change stream was down longer than its retention window, an unchanged record costs no
 * Zendesk call, and a record whose only change was unmapped is left alone.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { fieldsToFetch, isPersonContact, personAccountFields, relationshipSubqueries } from '../../core';
import { leadConversion } from '../../core/lifecycle';
import { stateQuery } from '../../workflows/record-messages';
import type { ModstampCursor, ReconcilePageResult } from '../../workflows/reconcile-types';
import { recordWorkflowId, type SalesforceObject, type SyncOutcomeName } from '../../workflows/sync-types';
import { notifyRecordChange } from '../../common/record-workflows';
import { soqlDateTime } from '../change-feed/reconcile-since';
import { toSalesforceApiError } from '../salesforce/errors';
import type { SyncDeps } from '../sync/deps';
import { lifecycleFields } from '../sync/deleted-record';
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

/** What the record's workflow knows of it; undefined when the sync never saw the record. */
export interface KnownRecord {
  /** The mapped values at its last successful write (the record is synced). */
  fingerprint?: string;
  /** The mapped values its last pass read, whatever the outcome. */
  seenFingerprint?: string;
  lastOutcome?: SyncOutcomeName;
}

export type MissedChange = 'mapped-change' | 'came-into-scope' | 'create';

/**
 * Whether an in-scope record modified in the window had a change the sync must catch up on, and which.
 * Salesforce keeps no record of which fields an update changed (only Field History Tracking, where it
 * is on), so the mapped values are compared with the last ones the sync saw:
 * - synced before: its mapped values differ from the last write's;
 * - seen but never synced (its passes failed): its mapped values differ from the last pass's;
 * - last pass found it outside the filters, and it is inside now: a filter field changed;
 * - never seen: only a record created inside the window (CreatedDate ≥ the window's start), whose create
 *   event was missed. An older never-synced record changed in the window may have had an unmapped change
 *   only, which must not sync; a mapped change to it is caught by the change stream, not here (the limit
 *   docs/architecture.md documents, "Reconciliation keeps the trigger rule").
 */
export function missedChange(
  fingerprint: string,
  createdAtMs: number,
  sinceMs: number,
  known: KnownRecord | undefined,
): MissedChange | undefined {
  if (known?.fingerprint !== undefined)
    return known.fingerprint === fingerprint ? undefined : 'mapped-change';
  if (known?.lastOutcome === 'filtered-out') return 'came-into-scope';
  if (known?.seenFingerprint !== undefined)
    return known.seenFingerprint === fingerprint ? undefined : 'mapped-change';
  return createdAtMs >= sinceMs ? 'create' : undefined;
}

async function knownRecord(
  deps: SyncDeps,
  object: SalesforceObject,
  id: string,
): Promise<KnownRecord | undefined> {
  try {
    const state = await deps.temporal.workflow.getHandle(recordWorkflowId(object, id)).query(stateQuery);
    return {
      fingerprint: state.fingerprint,
      seenFingerprint: state.seenFingerprint,
      lastOutcome: state.outcomes[0]?.outcome,
    };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** `2024-01-01T00:00:00.000+0000` (Salesforce's format) → epoch ms. */
const salesforceDateMs = (value: unknown): number =>
  typeof value === 'string' ? Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : Number.NaN;

export function createReconcilePage(deps: SyncDeps) {
  return async function reconcilePage(input: ReconcilePageInput): Promise<ReconcilePageResult> {
    return runClassified(deps, async () => {
      const found = sectionFor(deps, input.object);
      if ('disabled' in found) return { scanned: 0, signalled: 0 };
      const { section } = found;
      const { config } = deps.context();
      const fields = [
        ...new Set([
          ...lifecycleFields(input.object, fieldsToFetch(config, input.object)),
          ...personAccountFields(
            input.object,
            deps.context().schemas.salesforce[input.object],
            fieldsToFetch(config, input.object),
          ),
          'SystemModstamp',
          'CreatedDate',
        ]),
        // The same relationships a pass reads, so the fingerprints compare like for like.
        ...relationshipSubqueries(config, input.object),
      ];
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
        // A conversion the change feed missed: its pass ends as lead-converted, whatever the filters say.
        const converted = input.object === 'Lead' && leadConversion(record) !== undefined;
        if (!converted && !evaluateScope(deps, input.object, section, record).pass) continue;
        // A person account's own contact is never synced (core/person-accounts.ts): nothing was missed.
        if (isPersonContact(input.object, record)) continue;
        const known = await knownRecord(deps, input.object, id);
        const missed = converted
          ? // A lead the sync never saw has nothing in Zendesk: its conversion needs no pass.
            known !== undefined && known.lastOutcome !== 'lead-converted'
          : missedChange(
              mapRecord(deps, input.object, section, record).fingerprint,
              salesforceDateMs(record.CreatedDate),
              input.sinceMs,
              known,
            ) !== undefined;
        if (!missed) continue;
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
