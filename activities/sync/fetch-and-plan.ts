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
  fingerprintMappedValues,
  getFieldValue,
  isPersonContact,
  PERSON_CONTACT_REASON,
  personAccountFields,
  planMatch,
  relationshipSubqueries,
  secondaryAccountIds,
  type ConfigIssue,
  type MatchLookup,
  type ObjectSyncConfig,
} from '../../core';
import { FailureType } from '../../workflows/failure-types';
import { zendeskKindOf, type SalesforceObject, type SyncPlan } from '../../workflows/sync-types';
import { toSalesforceApiError } from '../salesforce/errors';
import type { SyncDeps } from './deps';
import { runClassified } from './run-classified';
import { assertSalesforceId } from './salesforce-ids';
import { configNoLongerFits, dependsOnZendeskSchema, valueNotRepresentable } from './unrepresentable';
import { deletedPlan, lifecycleFields } from './deleted-record';
import { leadConversion } from '../../core/lifecycle';

export interface FetchAndPlanInput {
  object: SalesforceObject;
  salesforceId: string;
  /**
   * Whether the record is already linked to a Zendesk record. A linked record is not matched again, so
   * a missing or invalid match key does not stop its sync.
   */
  linked?: boolean;
}

export function sectionFor(
  deps: SyncDeps,
  object: SalesforceObject,
): { section: ObjectSyncConfig } | { disabled: string } {
  const { config } = deps.context();
  if (object === 'Account')
    return config.accounts.enabled ? { section: config.accounts } : { disabled: 'accounts.enabled is false' };
  if (!config.users.enabled) return { disabled: 'users.enabled is false' };
  if (config.users.source !== object)
    return { disabled: `users.source is ${config.users.source}, so ${object} records are not synced` };
  return { section: config.users };
}

/** Why the record cannot sync, and the one fix that would help (update-only mode can never create, so externalId would not). */
function noMatchKeyMessage(
  match: { reason: string; message: string },
  kind: 'organization' | 'user',
  section: ObjectSyncConfig,
): string {
  if (match.reason !== 'NO_MATCH_KEY' || kind !== 'user') return match.message;
  if (section.mode === 'update-only')
    return `${match.message}; users.mode is update-only, so a record without a match key cannot be matched to a Zendesk user`;
  return `${match.message}; set users.externalId: true to sync records without a match key`;
}

/**
 * `externalId: true`: the record's own Id is looked up as external_id before the configured criterion,
 * unless that criterion is already exactly this lookup (a contact without email, below).
 */
function ownIdFirst(
  section: ObjectSyncConfig,
  record: Record<string, unknown>,
  lookup: MatchLookup | undefined,
): { externalIdFirst: string } | undefined {
  const id = record.Id;
  if (!section.externalId || typeof id !== 'string') return undefined;
  if (lookup?.kind === 'user_by_external_id' && lookup.value === id) return undefined;
  return { externalIdFirst: id };
}

/** Whether the configured filters put the record in scope. */
export function evaluateScope(
  deps: SyncDeps,
  object: SalesforceObject,
  section: ObjectSyncConfig,
  record: Record<string, unknown>,
) {
  return evaluateFilters(section.filters, record, fieldTypesOf(deps.context().schemas.salesforce[object]));
}

/**
 * The Zendesk changes a record maps to, and the fingerprint of its mapped Salesforce values: what
 * "nothing mapped changed" is judged by, in a pass and in reconciliation alike (core/fingerprint.ts).
 */
export function mapRecord(
  deps: SyncDeps,
  object: SalesforceObject,
  section: ObjectSyncConfig,
  record: Record<string, unknown>,
) {
  const { config, schemas } = deps.context();
  const kind = zendeskKindOf(object);
  const zendeskFields =
    kind === 'organization' ? schemas.zendesk.organizationFields : schemas.zendesk.userFields;
  const changes = buildZendeskChanges(kind, section, record, zendeskFields, {
    ...('phone' in section ? { phone: section.phone } : {}),
    zendeskValidatesPhones: schemas.zendesk.settings?.validatesPhoneNumbers,
  });
  const accountId =
    object === 'Contact' && config.users.organizationMembership
      ? ((record.AccountId as string | null) ?? undefined)
      : undefined;
  // Secondary relationships decide memberships too, so a new one is a change (for reconciliation as well).
  const secondary = relationshipSubqueries(config, object).length ? secondaryAccountIds(record) : undefined;
  const multipicklists = new Set(
    schemas.salesforce[object].filter((f) => f.type === 'multipicklist').map((f) => f.name.toLowerCase()),
  );
  const fingerprint = fingerprintMappedValues({
    mapping: {
      fields: section.fields,
      externalId: section.externalId,
      ...('phone' in section ? { phone: section.phone } : {}),
    },
    values: section.fields.map((f) => ({
      field: f.salesforce,
      value: getFieldValue(record, f.salesforce),
      multipicklist: multipicklists.has(f.salesforce.toLowerCase()),
    })),
    ...(accountId ? { accountId } : {}),
    ...(secondary ? { secondaryAccountIds: secondary } : {}),
  });
  return { changes, accountId, secondaryAccountIds: secondary, fingerprint };
}

/** The issues of a section after a schema refresh (`accounts.…` or `users.…`). */
export function sectionIssues(deps: SyncDeps, object: SalesforceObject): ConfigIssue[] {
  const prefix = object === 'Account' ? 'accounts' : 'users';
  return deps.context().issues.filter((i) => i.path === prefix || i.path.startsWith(`${prefix}.`));
}

/**
 * The record's mapping, or ValueNotRepresentable before anything is written. A value that found no
 * Zendesk option or field first makes the worker read Zendesk's definitions again, so an option added
 * in Zendesk since the last read is used at once.
 */
async function mapOrFail(
  deps: SyncDeps,
  object: SalesforceObject,
  section: ObjectSyncConfig,
  record: Record<string, unknown>,
): Promise<ReturnType<typeof mapRecord>> {
  let mapped = mapRecord(deps, object, section, record);
  if (mapped.changes.problems.some(dependsOnZendeskSchema) && deps.refreshSchemas) {
    await deps.refreshSchemas('zendesk');
    const issues = sectionIssues(deps, object);
    if (issues.length > 0) throw configNoLongerFits(issues);
    mapped = mapRecord(deps, object, section, record);
  }
  if (mapped.changes.problems.length > 0) throw valueNotRepresentable(object, mapped.changes.problems);
  return mapped;
}

export function createFetchAndPlan(deps: SyncDeps) {
  return async function fetchAndPlan(input: FetchAndPlanInput): Promise<SyncPlan> {
    return runClassified(deps, async () => {
      const { object, salesforceId } = input;
      const found = sectionFor(deps, object);
      if ('disabled' in found) return { kind: 'disabled', reason: found.disabled };
      const { section } = found;
      assertSalesforceId(object, salesforceId);
      // A configuration that stopped fitting the schemas (a field deleted in Zendesk or Salesforce) fails
      // this section's records visibly, without a query that would fail on a missing field.
      const issues = sectionIssues(deps, object);
      if (issues.length > 0) throw configNoLongerFits(issues);
      const { config } = deps.context();

      // Field names come from the validated configuration (checked against describe at start-up) and
      // the Id was validated above, so nothing user-controlled is concatenated into this query.
      const fields = [
        ...lifecycleFields(object, fieldsToFetch(config, object)),
        ...personAccountFields(
          object,
          deps.context().schemas.salesforce[object],
          fieldsToFetch(config, object),
        ),
        ...relationshipSubqueries(config, object),
      ];
      const soql = `SELECT ${fields.join(', ')} FROM ${object} WHERE Id = '${salesforceId}'`;
      const conn = await deps.salesforce.connection();
      let record: Record<string, unknown> | undefined;
      try {
        record = (await conn.query<Record<string, unknown>>(soql)).records[0];
      } catch (err) {
        throw toSalesforceApiError(err, `query ${object} ${salesforceId}`);
      }
      if (!record) return deletedPlan(deps, object, section, salesforceId);
      // Before the filters: a converted lead's own outcome says more than the status filter it now fails.
      const conversion = object === 'Lead' ? leadConversion(record) : undefined;
      if (conversion) return { kind: 'converted', conversion };
      if (isPersonContact(object, record)) return { kind: 'filtered-out', reasons: [PERSON_CONTACT_REASON] };

      const filter = evaluateScope(deps, object, section, record);
      if (!filter.pass) return { kind: 'filtered-out', reasons: filter.reasons };

      const kind = zendeskKindOf(object);
      const match = planMatch(kind, section.match, record, {
        phone: kind === 'user' ? config.users.phone : undefined,
      });
      let lookup: MatchLookup | undefined;
      if (match.ok) {
        lookup = match.lookup;
      } else if (
        match.reason === 'NO_MATCH_KEY' &&
        kind === 'user' &&
        section.externalId &&
        section.mode === 'upsert'
      ) {
        // A contact without email can still become a user, keyed by external_id (read-after-write
        // consistent): it is matched on that, so a user an earlier sync created is found again, by a
        // retried create or by a new workflow for the record.
        lookup = { kind: 'user_by_external_id', value: salesforceId };
      } else if (!input.linked) {
        // Unlinked and unmatchable: creating would risk a duplicate the next time the key appears.
        throw ApplicationFailure.create({
          type: FailureType.NoMatchKey,
          nonRetryable: true,
          message: noMatchKeyMessage(match, kind, section),
          // The refused value only in the details, which are payloads (encrypted with the codec).
          ...(match.value !== undefined ? { details: [{ field: match.field, value: match.value }] } : {}),
        });
      }
      const { changes, accountId, secondaryAccountIds, fingerprint } = await mapOrFail(
        deps,
        object,
        section,
        record,
      );
      const syncedIdField = section.syncedIdField;
      return {
        kind: 'sync',
        fingerprint,
        label: typeof record.Name === 'string' ? record.Name.slice(0, 80) : salesforceId,
        mode: section.mode,
        // Absent only for a linked record without a usable key; used if the link turns out to be lost.
        match: lookup,
        ...(ownIdFirst(section, record, lookup) ?? {}),
        accountId,
        ...(object === 'Contact' && config.users.multipleOrganizations ? { sharedUsers: true } : {}),
        ...(secondaryAccountIds?.length ? { secondaryAccountIds } : {}),
        syncedIdField,
        syncedIdValue: syncedIdField
          ? ((record[syncedIdField] as string | null | undefined) ?? null)
          : undefined,
        changes,
      };
    });
  };
}
