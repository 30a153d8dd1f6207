/**
 * external_id mapped from a Salesforce field (`externalId: false`): Zendesk keeps external ids unique
 * (case-insensitively) and refuses a taken one with 422 `external_id: DuplicateValue` ("External: has
 * already been taken"), which names neither the value nor the holder. So the write looks the value up
 * first (organizations/search?external_id=, users/search?external_id=: exact lookups that read the
 * database, not the search index) and fails the pass before its first write, naming the holder's ID.
 * A refusal that still comes (another write took the value in between) gets the same failure.
 */
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../../workflows/failure-types';
import type { SalesforceObject, ZendeskChanges } from '../../workflows/sync-types';
import { ZendeskApiError } from '../zendesk/errors';
import type { SyncDeps } from './deps';

const kindOf = (object: SalesforceObject) => (object === 'Account' ? 'organization' : 'user');

/** The external_id a write sets: mapped from a field, or the record's Salesforce Id (`externalId: true`). */
function externalIdOf(changes: ZendeskChanges): string | undefined {
  const mapped = changes.fields.external_id;
  if (typeof mapped === 'string' && mapped !== '') return mapped;
  return changes.externalId;
}

/** The Zendesk records other than `zendeskId` that hold `value` as external_id. */
async function holdersOf(
  deps: SyncDeps,
  object: SalesforceObject,
  value: string,
  zendeskId: number | undefined,
): Promise<number[]> {
  const found =
    object === 'Account'
      ? await deps.zendesk.searchOrganizations({ external_id: value })
      : await deps.zendesk.searchUsersByExternalId(value);
  return found.map((r) => r.id).filter((id) => id !== zendeskId);
}

function externalIdTaken(
  object: SalesforceObject,
  value: string,
  holderId: number | undefined,
  zendeskId: number | undefined,
  what = 'the mapped external_id',
): ApplicationFailure {
  const kind = kindOf(object);
  const holder = holderId !== undefined ? `Zendesk ${kind} ${holderId}` : `another Zendesk ${kind}`;
  const target = zendeskId !== undefined ? `${kind} ${zendeskId}` : `a new ${kind}`;
  return ApplicationFailure.create({
    type: FailureType.ExternalIdTaken,
    nonRetryable: true,
    // IDs only: the value (a customer number, say) goes into the details, which are encrypted payloads.
    message: `${what} is already held by ${holder} (Zendesk keeps external ids unique), so it cannot be written to ${target}; nothing was written`,
    details: [{ field: 'external_id', value, ...(holderId !== undefined ? { heldBy: holderId } : {}) }],
  });
}

/**
 * Before the first write to `zendeskId` (undefined: a create): ExternalIdTaken when the mapped
 * external_id belongs to another record. `current` is the record's external_id when the caller has
 * read it already: unchanged, nothing to look up.
 */
export async function assertExternalIdFree(
  deps: SyncDeps,
  object: SalesforceObject,
  changes: ZendeskChanges,
  zendeskId: number | undefined,
  current?: string | null,
): Promise<void> {
  const value = changes.fields.external_id;
  if (typeof value !== 'string' || value === '') return;
  if (current !== undefined && current?.trim().toLowerCase() === value.trim().toLowerCase()) return;
  const [holder] = await holdersOf(deps, object, value, zendeskId);
  if (holder !== undefined) throw externalIdTaken(object, value, holder, zendeskId);
}

/** Zendesk's `external_id: DuplicateValue` as ExternalIdTaken naming the holder; any other error as it is. */
export async function explainExternalIdRefusal(
  deps: SyncDeps,
  object: SalesforceObject,
  changes: ZendeskChanges,
  zendeskId: number | undefined,
  err: unknown,
): Promise<unknown> {
  if (!(err instanceof ZendeskApiError && err.hasDetail('external_id', 'DuplicateValue'))) return err;
  const value = externalIdOf(changes);
  if (value === undefined) return err;
  const [holder] = await holdersOf(deps, object, value, zendeskId).catch(() => []);
  const what =
    value === changes.externalId ? "the record's Salesforce Id (external_id)" : 'the mapped external_id';
  return externalIdTaken(object, value, holder, zendeskId, what);
}
