/**
 * Reading the records a bulk resync covers: a count, then pages keyed by Id (`Id > cursor ORDER BY Id`),
 * which stay correct when records are added or deleted during the run and need no server-side cursor.
 */
import { ApplicationFailure } from '@temporalio/common';
import { compileWhereClause, WhereClauseError } from '../../core/soql';
import { evaluateFilters, fieldTypesOf } from '../../core';
import { redactContactValues } from '../../core/redact';
import type { RecordPage } from '../../workflows/bulk-types';
import { FailureType } from '../../workflows/failure-types';
import type { SalesforceObject } from '../../workflows/sync-types';
import { toSalesforceApiError } from '../salesforce/errors';
import type { SyncDeps } from '../sync/deps';
import { runClassified } from '../sync/run-classified';
import { isSalesforceId } from '../sync/salesforce-ids';

export interface RecordQuery {
  object: SalesforceObject;
  where?: string;
}

/** Compiles the user's clause against describe; an invalid clause fails the run at once, saying why. */
export function safeWhere(deps: SyncDeps, q: RecordQuery): string | undefined {
  if (q.where === undefined || q.where.trim() === '') return undefined;
  try {
    return compileWhereClause(q.object, q.where, deps.context().schemas.salesforce[q.object]);
  } catch (err) {
    if (!(err instanceof WhereClauseError)) throw err;
    throw ApplicationFailure.create({
      type: FailureType.SalesforceRejected,
      nonRetryable: true,
      // A parse error can quote the clause's literals (an email the operator filtered on).
      message: `--where: ${redactContactValues(err.message)}`,
    });
  }
}

export function createRecordActivities(deps: SyncDeps) {
  return {
    async countRecords(q: RecordQuery): Promise<number> {
      return runClassified(deps, async () => {
        const where = safeWhere(deps, q);
        const conn = await deps.salesforce.connection();
        try {
          return (await conn.query(`SELECT COUNT() FROM ${q.object}${where ? ` WHERE ${where}` : ''}`))
            .totalSize;
        } catch (err) {
          throw toSalesforceApiError(err, `count ${q.object}`);
        }
      });
    },

    async listRecordPage(
      input: RecordQuery & { afterId?: string; limit: number; inScopeOnly?: boolean },
    ): Promise<RecordPage> {
      return runClassified(deps, async () => {
        const where = safeWhere(deps, input);
        if (input.afterId !== undefined && !isSalesforceId(input.object, input.afterId)) {
          throw ApplicationFailure.create({
            type: FailureType.SalesforceRejected,
            nonRetryable: true,
            message: `bad cursor ${input.afterId}`,
          });
        }
        const limit = Math.max(1, Math.min(2000, Math.floor(input.limit)));
        const { config, schemas } = deps.context();
        const section = input.object === 'Account' ? config.accounts : config.users;
        const filterFields = input.inScopeOnly
          ? [...section.filters.all, ...section.filters.any].map((c) => c.field)
          : [];
        const select = [...new Set(['Id', ...filterFields])].join(', ');
        const conditions = [where, input.afterId ? `Id > '${input.afterId}'` : undefined].filter(Boolean);
        const soql = `SELECT ${select} FROM ${input.object}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''} ORDER BY Id LIMIT ${limit}`;
        const conn = await deps.salesforce.connection();
        let records: Array<Record<string, unknown>>;
        try {
          records = (await conn.query<Record<string, unknown>>(soql)).records;
        } catch (err) {
          throw toSalesforceApiError(err, `list ${input.object}`);
        }
        const scannedIds = records.map((r) => r.Id as string);
        if (!input.inScopeOnly) return { scannedIds, ids: scannedIds };
        const types = fieldTypesOf(schemas.salesforce[input.object]);
        return {
          scannedIds,
          ids: records
            .filter((r) => evaluateFilters(section.filters, r, types).pass)
            .map((r) => r.Id as string),
        };
      });
    },
  };
}
