/**
 * The Salesforce side of deletes and lead conversion for a pass (core/lifecycle.ts has the rules): the extra
 * fields a Lead's query reads, and what a record that `query` no longer returns is: deleted, or merged into
 * another record. `query` leaves deleted records out; `queryAll` also returns those in the recycle bin, with
 * MasterRecordId set on a merge's losers:
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_queryall.htm ,
 * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_triggers_merge_statements.htm
 */
import { LEAD_CONVERSION_FIELDS } from '../../core/lifecycle';
import type { ObjectSyncConfig } from '../../core';
import type { SalesforceObject, SyncPlan } from '../../workflows/sync-types';
import { toSalesforceApiError } from '../salesforce/errors';
import type { SyncDeps } from './deps';

/** The fields of a pass's query plus, for a Lead, those that tell a converted one (no duplicates). */
export function lifecycleFields(object: SalesforceObject, fields: string[]): string[] {
  if (object !== 'Lead') return fields;
  const have = new Set(fields.map((f) => f.toLowerCase()));
  return [...fields, ...LEAD_CONVERSION_FIELDS.filter((f) => !have.has(f.toLowerCase()))];
}

/**
 * The plan for a record `query` did not return: the section's delete settings, and the winner's Id when a
 * merge deleted it. A record already purged from the recycle bin is simply deleted. The Id was validated
 * by the caller (assertSalesforceId).
 */
export async function deletedPlan(
  deps: SyncDeps,
  object: SalesforceObject,
  section: ObjectSyncConfig,
  salesforceId: string,
): Promise<Extract<SyncPlan, { kind: 'deleted' }>> {
  const conn = await deps.salesforce.connection();
  let row: { MasterRecordId?: string | null } | undefined;
  try {
    row = (
      await conn.query<{ MasterRecordId?: string | null }>(
        `SELECT Id, MasterRecordId FROM ${object} WHERE Id = '${salesforceId}'`,
        { scanAll: true },
      )
    ).records[0];
  } catch (err) {
    throw toSalesforceApiError(err, `queryAll ${object} ${salesforceId}`);
  }
  const mergedInto =
    typeof row?.MasterRecordId === 'string' && row.MasterRecordId ? row.MasterRecordId : undefined;
  return {
    kind: 'deleted',
    rule: {
      onDelete: section.onDelete,
      deletedTag: section.deletedTag,
      mergedTag: section.mergedTag,
      externalId: section.externalId,
    },
    ...(mergedInto ? { mergedInto } : {}),
  };
}
