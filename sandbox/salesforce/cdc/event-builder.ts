/**
 * Turns a RecordChange from the record store into the body of a Salesforce CometD change event
 * (`data` of the Bayeux message), minus the replayId, which the event store assigns.
 */
import { createHash } from 'node:crypto';
import type { CdcEntity, ChangeType, RecordChange } from '../change-events';

export interface ChangeEventHeader {
  entityName: CdcEntity;
  recordIds: string[];
  changeType: ChangeType;
  changedFields: string[];
  nulledFields: string[];
  diffFields: string[];
  changeOrigin: string;
  transactionKey: string;
  sequenceNumber: number;
  commitTimestamp: number;
  commitNumber: number;
  commitUser: string;
}

export interface ChangeEventPayload {
  ChangeEventHeader: ChangeEventHeader;
  [field: string]: unknown;
}

/** The `data` member of a delivered CometD CDC message. */
export interface ChangeEventData {
  schema: string;
  payload: ChangeEventPayload;
  event: { replayId: number };
}

/** A delivered CometD message: `channel` is the channel the client subscribed to. */
export interface ChangeEventMessage {
  channel: string;
  data: ChangeEventData;
}

/** Salesforce's system user id shape; used when a change does not say who made it. */
export const DEFAULT_COMMIT_USER = '005000000000001AAA';

/**
 * Salesforce schema ids are 22-character base64url digests of the event's Avro schema. The sandbox's schemas
 * never change, so a digest of the event name is stable across runs, as a real org's is between schema edits.
 */
export function schemaIdFor(entity: CdcEntity): string {
  return createHash('sha256').update(`${entity}ChangeEvent`).digest('base64url').slice(0, 22);
}

const BODYLESS: ReadonlySet<ChangeType> = new Set([
  'DELETE',
  'GAP_CREATE',
  'GAP_UPDATE',
  'GAP_DELETE',
  'GAP_UNDELETE',
  'GAP_OVERFLOW',
]);

const isEmpty = (value: unknown) => value === null || value === undefined || value === '';

function bodyFields(change: RecordChange): Record<string, unknown> {
  if (BODYLESS.has(change.changeType)) return {};
  if (change.changeType === 'UPDATE') return { ...change.fields };
  // CREATE / UNDELETE: CometD sends only non-empty fields.
  return Object.fromEntries(Object.entries(change.fields).filter(([, value]) => !isEmpty(value)));
}

function commitUserOf(change: RecordChange, fallback: string): string {
  for (const key of ['LastModifiedById', 'CreatedById']) {
    const value = change.fields[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return fallback;
}

/**
 * Numbers commits the way Salesforce's commitNumber does: one value per transaction, increasing.
 * Changes of one transaction arrive back to back, so remembering the last transaction is enough.
 */
export class CommitNumbers {
  private lastKey: string | undefined;
  private current: number;

  constructor(start = 10_650_112_000_000) {
    this.current = start;
  }

  for(transactionKey: string): number {
    if (transactionKey !== this.lastKey) {
      this.current += 1;
      this.lastKey = transactionKey;
    }
    return this.current;
  }
}

export function buildEventData(
  change: RecordChange,
  replayId: number,
  commitNumber: number,
  defaultCommitUser: string,
): ChangeEventData {
  const fields = bodyFields(change);
  const header: ChangeEventHeader = {
    entityName: change.entityName,
    recordIds: change.changeType === 'GAP_OVERFLOW' ? [] : [...change.recordIds],
    changeType: change.changeType,
    changedFields: change.changeType === 'UPDATE' ? [...change.changedFields] : [],
    nulledFields:
      change.changeType === 'UPDATE'
        ? Object.entries(fields)
            .filter(([, value]) => value === null)
            .map(([name]) => name)
        : [],
    diffFields: [],
    changeOrigin: change.changeOrigin,
    transactionKey: change.transactionKey,
    sequenceNumber: change.sequenceNumber,
    commitTimestamp: change.commitTimestamp,
    commitNumber,
    commitUser: commitUserOf(change, defaultCommitUser),
  };
  return {
    schema: schemaIdFor(change.entityName),
    payload: { ChangeEventHeader: header, ...fields },
    event: { replayId },
  };
}
