/**
 * The CometD Change Data Capture message as Salesforce delivers it (jsforce's StreamingMessage type is
 * for PushTopics). Only the header is read: every sync pass re-reads the record, so the body is unused.
 */
export type ChangeType =
  | 'CREATE'
  | 'UPDATE'
  | 'DELETE'
  | 'UNDELETE'
  | 'GAP_CREATE'
  | 'GAP_UPDATE'
  | 'GAP_DELETE'
  | 'GAP_UNDELETE'
  | 'GAP_OVERFLOW';

export interface ChangeEventHeader {
  entityName: string;
  recordIds: string[];
  /** A ChangeType, or a type this code does not know (e.g. SNAPSHOT), which the listener ignores. */
  changeType: string;
  changedFields: string[];
  changeOrigin: string;
  transactionKey?: string;
  sequenceNumber?: number;
  commitTimestamp: number;
}

export interface CdcEvent {
  replayId: number;
  header: ChangeEventHeader;
}

export class MalformedChangeEventError extends Error {
  override readonly name = 'MalformedChangeEventError';
  readonly code = 'MALFORMED_CHANGE_EVENT';
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const stringArray = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** Reads the `data` of a delivered message; throws MalformedChangeEventError naming what is missing. */
export function parseChangeEvent(data: unknown): CdcEvent {
  if (!isObject(data)) throw new MalformedChangeEventError('change event data is not an object');
  const event = data.event;
  const replayId = isObject(event) ? event.replayId : undefined;
  if (typeof replayId !== 'number' || !Number.isFinite(replayId))
    throw new MalformedChangeEventError('change event has no numeric event.replayId');
  const header = isObject(data.payload) ? data.payload.ChangeEventHeader : undefined;
  if (!isObject(header))
    throw new MalformedChangeEventError(`change event ${replayId} has no payload.ChangeEventHeader`);
  if (typeof header.changeType !== 'string')
    throw new MalformedChangeEventError(`change event ${replayId} has no changeType`);
  return {
    replayId,
    header: {
      entityName: typeof header.entityName === 'string' ? header.entityName : '',
      recordIds: stringArray(header.recordIds),
      changeType: header.changeType,
      changedFields: stringArray(header.changedFields),
      changeOrigin: typeof header.changeOrigin === 'string' ? header.changeOrigin : '',
      transactionKey: typeof header.transactionKey === 'string' ? header.transactionKey : undefined,
      sequenceNumber: typeof header.sequenceNumber === 'number' ? header.sequenceNumber : undefined,
      commitTimestamp: typeof header.commitTimestamp === 'number' ? header.commitTimestamp : Date.now(),
    },
  };
}
