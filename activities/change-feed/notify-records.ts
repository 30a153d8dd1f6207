/**
 * Hands record ids to their record workflows (signal-with-start). A notification is retried until
 * Temporal accepts it or the listener stops: the caller advances its replay position only afterwards,
 * so an unreachable Temporal pauses the feed instead of dropping events.
 */
import type { Client } from '@temporalio/client';
import { notifyExistingRecord, notifyRecordChange } from '../../common/record-workflows';
import type { ChangeNotice } from '../../workflows/sync-types';
import { backoffDelay, pause, type BackoffPolicy } from './backoff';
import type { FeedObject } from './types';

export class ListenerStoppedError extends Error {
  override readonly name = 'ListenerStoppedError';
  readonly code = 'LISTENER_STOPPED';
}

export interface NotifyOptions {
  client: Client;
  taskQueue: string;
  signal: AbortSignal;
  backoff: BackoffPolicy;
  /** Called with each failed attempt, so the listener can report it. */
  onRetry?: (err: Error) => void;
  concurrency?: number;
}

async function notifyOne(
  opts: NotifyOptions,
  object: FeedObject,
  salesforceId: string,
  notice: ChangeNotice,
  existingOnly: boolean,
): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    if (opts.signal.aborted)
      throw new ListenerStoppedError(`stopped before ${object} ${salesforceId} was notified`);
    try {
      if (existingOnly) return await notifyExistingRecord(opts.client, { object, salesforceId }, notice);
      await notifyRecordChange(opts.client, opts.taskQueue, { object, salesforceId }, notice);
      return true;
    } catch (err) {
      opts.onRetry?.(err as Error);
      await pause(backoffDelay(opts.backoff, attempt), opts.signal);
    }
  }
}

/**
 * Notifies every id (bounded parallelism); resolves once all were accepted. Returns how many were signalled:
 * all of them, or with `existingOnly` (signal running record workflows, start none) those that exist.
 */
export async function notifyRecords(
  opts: NotifyOptions,
  object: FeedObject,
  ids: readonly string[],
  notice: ChangeNotice,
  existingOnly = false,
): Promise<number> {
  const unique = [...new Set(ids)];
  let next = 0;
  let signalled = 0;
  const worker = async () => {
    while (next < unique.length) {
      const id = unique[next++]!;
      if (await notifyOne(opts, object, id, notice, existingOnly)) signalled += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 8, unique.length) }, worker));
  return signalled;
}
