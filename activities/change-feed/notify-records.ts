/**
 * Hands record ids to their record workflows (signal-with-start). A notification is retried until
 * Temporal accepts it or the listener stops: the caller advances its replay position only afterwards,
 * so an unreachable Temporal pauses the feed instead of dropping events.
 */
import type { Client } from '@temporalio/client';
import { notifyRecordChange } from '../../client/record-workflows';
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
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    if (opts.signal.aborted)
      throw new ListenerStoppedError(`stopped before ${object} ${salesforceId} was notified`);
    try {
      await notifyRecordChange(opts.client, opts.taskQueue, { object, salesforceId }, notice);
      return;
    } catch (err) {
      opts.onRetry?.(err as Error);
      await pause(backoffDelay(opts.backoff, attempt), opts.signal);
    }
  }
}

/** Notifies every id (bounded parallelism); resolves once all were accepted. Returns how many. */
export async function notifyRecords(
  opts: NotifyOptions,
  object: FeedObject,
  ids: readonly string[],
  notice: ChangeNotice,
): Promise<number> {
  const unique = [...new Set(ids)];
  let next = 0;
  const worker = async () => {
    while (next < unique.length) {
      const id = unique[next++]!;
      await notifyOne(opts, object, id, notice);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 8, unique.length) }, worker));
  return unique.length;
}
