/**
 * Re-syncs every record of an entity modified since a point in time: the hand-off for GAP_OVERFLOW
 * (an overflow event names no records) and for a replay position that fell out of the retention window.
 * Reusable by the scheduled reconciliation.
 */
import type { Client } from '@temporalio/client';
import type { Connection } from 'jsforce';
import type { ChangeNotice } from '../../workflows/sync-types';
import { toSalesforceApiError } from '../salesforce/errors';
import type { BackoffPolicy } from './backoff';
import { notifyRecords } from './notify-records';
import type { FeedObject } from './types';

export interface ReconcileSinceOptions {
  conn: Connection;
  client: Client;
  taskQueue: string;
  object: FeedObject;
  /** Epoch ms; records whose SystemModstamp is at or after it are notified. */
  sinceMs: number;
  notice: ChangeNotice;
  signal: AbortSignal;
  backoff: BackoffPolicy;
}

/** SOQL datetime literals are unquoted ISO-8601 in UTC. */
export function soqlDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function modifiedSinceSoql(object: FeedObject, sinceMs: number): string {
  return `SELECT Id FROM ${object} WHERE SystemModstamp >= ${soqlDateTime(sinceMs)} ORDER BY SystemModstamp`;
}

/** Pages through the query (queryMore) and notifies each page before reading the next. Returns the count. */
export async function reconcileModifiedSince(opts: ReconcileSinceOptions): Promise<number> {
  const soql = modifiedSinceSoql(opts.object, opts.sinceMs);
  let notified = 0;
  try {
    let page = await opts.conn.query<{ Id: string }>(soql);
    for (;;) {
      const ids = page.records.map((r) => r.Id);
      notified += await notifyRecords(opts, opts.object, ids, opts.notice);
      if (page.done || !page.nextRecordsUrl) return notified;
      page = await opts.conn.queryMore<{ Id: string }>(page.nextRecordsUrl);
    }
  } catch (err) {
    if ((err as Error).name === 'ListenerStoppedError') throw err;
    throw toSalesforceApiError(err, `reconcile ${opts.object} modified since ${soqlDateTime(opts.sinceMs)}`);
  }
}
