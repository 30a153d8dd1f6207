/**
 * What one change event asks of the sync. Pure, so the rule is testable without CometD.
 *
 * - CREATE / UNDELETE: sync each record.
 * - UPDATE of a Lead that converts it (IsConverted among changedFields): sync, mapped or not, so the pass
 *   can end as `lead-converted` (core/lifecycle.ts).
 * - UPDATE: sync only if a mapped, match or filter field changed (core isMappedChange). Ignored as our own
 *   write-back: changeOrigin's `client=` is exactly SALESFORCE_CLIENT_NAME and every changed field is the
 *   section's syncedIdField or a system audit field (LastModifiedDate, LastModifiedById, SystemModstamp).
 *   Any other change made through our client (none exist today) still follows the mapped-field rule.
 * - DELETE: with the section's `onDelete: ignore` (the default, Zendesk's own behaviour) nothing. With `tag` or
 *   `unlink`, the record's workflow is signalled if it exists (`existingOnly`: a record that never had a
 *   workflow has no link, so nothing to do); its pass tells a merge from a delete. Nothing is ever deleted
 *   in Zendesk.
 * - GAP_CREATE/UPDATE/DELETE/UNDELETE: the event has no fields, so force a pass that re-reads each record.
 * - GAP_OVERFLOW: no record ids; reconcile the entity from the event's commit time.
 * - anything else (SNAPSHOT, unknown types, a wildcard id like `001*`): ignored, and counted.
 */
import { isLeadConversionChange, isMappedChange, type SyncConfig } from '../../core';
import { SALESFORCE_CLIENT_NAME } from '../salesforce/connection';
import type { ChangeNotice } from '../../workflows/sync-types';
import type { ChangeEventHeader } from './cdc-message';
import type { FeedObject } from './types';

export type IgnoreReason =
  'delete' | 'unmapped-fields' | 'own-write-back' | 'unsupported-change-type' | 'no-record-ids';

export type EventAction =
  /** `existingOnly`: signal the record workflows that exist, start none. */
  | { kind: 'notify'; recordIds: string[]; notice: ChangeNotice; existingOnly?: boolean }
  | { kind: 'reconcile'; sinceMs: number }
  | { kind: 'ignore'; reason: IgnoreReason };

const AUDIT_FIELDS = new Set(['lastmodifieddate', 'lastmodifiedbyid', 'systemmodstamp']);
const GAP_TYPES = new Set(['GAP_CREATE', 'GAP_UPDATE', 'GAP_DELETE', 'GAP_UNDELETE']);

/** The `client=` part of `com/salesforce/api/rest/62.0;client=salesforce-zendesk-sync`. */
export function originClient(changeOrigin: string): string | undefined {
  for (const part of changeOrigin.split(';')) {
    const [key, value] = part.split('=', 2);
    if (key?.trim() === 'client' && value !== undefined) return value.trim();
  }
  return undefined;
}

function syncedIdFieldOf(config: SyncConfig, object: FeedObject): string | undefined {
  return object === 'Account' ? config.accounts.syncedIdField : config.users.syncedIdField;
}

function onDeleteOf(config: SyncConfig, object: FeedObject) {
  return object === 'Account' ? config.accounts.onDelete : config.users.onDelete;
}

export function isOwnWriteBack(config: SyncConfig, object: FeedObject, header: ChangeEventHeader): boolean {
  if (originClient(header.changeOrigin) !== SALESFORCE_CLIENT_NAME) return false;
  const synced = syncedIdFieldOf(config, object)?.toLowerCase();
  if (!synced) return false;
  const fields = header.changedFields.map((f) => f.toLowerCase());
  return fields.includes(synced) && fields.every((f) => f === synced || AUDIT_FIELDS.has(f));
}

/** Salesforce sends a wildcard like `001*` for some bulk field conversions: not a record to notify. */
const realIds = (ids: string[]): string[] => ids.filter((id) => id !== '' && !id.includes('*'));

export function decideAction(config: SyncConfig, object: FeedObject, header: ChangeEventHeader): EventAction {
  const type = header.changeType;
  if (type === 'GAP_OVERFLOW') return { kind: 'reconcile', sinceMs: header.commitTimestamp };
  const recordIds = realIds(header.recordIds);
  if (GAP_TYPES.has(type)) {
    if (recordIds.length === 0) return { kind: 'ignore', reason: 'no-record-ids' };
    return { kind: 'notify', recordIds, notice: { source: 'gap', force: true } };
  }
  switch (type) {
    case 'CREATE':
    case 'UNDELETE':
      if (recordIds.length === 0) return { kind: 'ignore', reason: 'no-record-ids' };
      return { kind: 'notify', recordIds, notice: { source: 'cdc' } };
    case 'UPDATE':
      if (isOwnWriteBack(config, object, header)) return { kind: 'ignore', reason: 'own-write-back' };
      if (object === 'Lead' && isLeadConversionChange(header.changedFields) && recordIds.length > 0)
        return { kind: 'notify', recordIds, notice: { source: 'cdc', changedFields: header.changedFields } };
      if (!isMappedChange(config, object, header.changedFields))
        return { kind: 'ignore', reason: 'unmapped-fields' };
      if (recordIds.length === 0) return { kind: 'ignore', reason: 'no-record-ids' };
      return { kind: 'notify', recordIds, notice: { source: 'cdc', changedFields: header.changedFields } };
    case 'DELETE':
      if (onDeleteOf(config, object) === 'ignore') return { kind: 'ignore', reason: 'delete' };
      if (recordIds.length === 0) return { kind: 'ignore', reason: 'no-record-ids' };
      return { kind: 'notify', recordIds, notice: { source: 'cdc' }, existingOnly: true };
    default:
      return { kind: 'ignore', reason: 'unsupported-change-type' };
  }
}
