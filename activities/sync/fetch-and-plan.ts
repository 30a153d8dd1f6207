/**
 * Step 1 and 2 of a pass: read the record with one SOQL query (only the fields the sync uses), then
 * apply the worker's configuration to it: filters, match key, field mapping, fingerprint. The result is
 * recorded in the workflow history, which is how configuration reaches the workflow without breaking replay.
 */
import { ApplicationFailure } from '@temporalio/common';
import {
  buildZendeskChanges,
  evaluateFilters,
  fieldTypesOf,
  fieldsToFetch,
  fingerprintChanges,
  planMatch,
  type ObjectSyncConfig,
} from '../../core';
import { FailureType } from '../../workflows/failure-types';
import { zendeskKindOf, type SalesforceObject, type SyncPlan } from '../../workflows/sync-types';
import { toSalesforceApiError } from '../salesforce/errors';
import type { SyncDeps } from './deps';
import { runClassified } from './run-classified';
import { assertSalesforceId } from './salesforce-ids';

export interface FetchAndPlanInput {
  object: SalesforceObject;
  salesforceId: string;
}

function sectionFor(deps: SyncDeps, object: SalesforceObject): { section: ObjectSyncConfig } | { disabled: string } {
  const { config } = deps.context();
  if (object === 'Account') return config.accounts.enabled ? { section: config.accounts } : { disabled: 'accounts.enabled is false' };
  if (!config.users.enabled) return { disabled: 'users.enabled is false' };
  if (config.users.source !== object) return { disabled: `users.source is ${config.users.source}, so ${object} records are not synced` };
  return { section: config.users };
}

export function createFetchAndPlan(deps: SyncDeps) {
  return async function fetchAndPlan(input: FetchAndPlanInput): Promise<SyncPlan> {
    return runClassified(deps.backoff, async () => {
      const { object, salesforceId } = input;
      const found = sectionFor(deps, object);
      if ('disabled' in found) return { kind: 'disabled', reason: found.disabled };
      const { section } = found;
      assertSalesforceId(object, salesforceId);
      const { config, schemas } = deps.context();

      // Field names come from the validated configuration (checked against describe at start-up) and
      // the Id was validated above, so nothing user-controlled is concatenated into this query.
      const fields = fieldsToFetch(config, object);
      const soql = `SELECT ${fields.join(', ')} FROM ${object} WHERE Id = '${salesforceId}'`;
      const conn = await deps.salesforce.connection();
      let record: Record<string, unknown> | undefined;
      try {
        record = (await conn.query<Record<string, unknown>>(soql)).records[0];
      } catch (err) {
        throw toSalesforceApiError(err, `query ${object} ${salesforceId}`);
      }
      if (!record) return { kind: 'deleted' };

      const filter = evaluateFilters(section.filters, record, fieldTypesOf(schemas.salesforce[object]));
      if (!filter.pass) return { kind: 'filtered-out', reasons: filter.reasons };

      const kind = zendeskKindOf(object);
      const match = planMatch(kind, section.match, record);
      if (!match.ok) {
        // A contact without email can still become a user, keyed by external_id (read-after-write
        // consistent), so a retried create finds the earlier attempt's user instead of duplicating it.
        const creatableWithoutKey = match.reason === 'NO_MATCH_KEY' && kind === 'user' && section.externalId && section.mode === 'upsert';
        if (!creatableWithoutKey) {
          throw ApplicationFailure.create({
            type: FailureType.NoMatchKey,
            nonRetryable: true,
            message:
              match.reason === 'NO_MATCH_KEY' && kind === 'user'
                ? `${match.message}; set users.externalId: true to sync records without a match key`
                : match.message,
          });
        }
      }
      const zendeskFields = kind === 'organization' ? schemas.zendesk.organizationFields : schemas.zendesk.userFields;
      const changes = buildZendeskChanges(kind, section, record, zendeskFields);
      const accountId = object === 'Contact' && config.users.organizationMembership ? (record.AccountId as string | null) ?? undefined : undefined;
      const syncedIdField = section.syncedIdField;
      return {
        kind: 'sync',
        fingerprint: `${fingerprintChanges(changes)}:${accountId ?? ''}`,
        label: typeof record.Name === 'string' ? record.Name.slice(0, 80) : salesforceId,
        mode: section.mode,
        match: match.ok ? match.lookup : undefined,
        accountId,
        syncedIdField,
        syncedIdValue: syncedIdField ? ((record[syncedIdField] as string | null | undefined) ?? null) : undefined,
        changes,
      };
    });
  };
}
