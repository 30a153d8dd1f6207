/**
 * `npm run listen`: make sure the change feed runs on the configured Temporal namespace and task queue.
 * The listening itself happens in the worker (the feed's activity), so this returns once the feed
 * workflow runs or, with waitForSubscription, once it reports its channels subscribed.
 */
import type { Connection } from '@temporalio/client';
import { readDurationVariable } from '../../common/env';
import { abortable, listenForStop } from '../../worker/stop-signals';
import { connectClient, readTemporalConnection } from '../../common/temporal-connection';
import { ensureReconcileSchedule } from '../reconcile-schedule';
import { describeFeed, summarizeFeed } from './feed-summary';
import { readChangeFeedState, startChangeFeed } from './start-change-feed';

export interface RunListenOptions {
  /** Wait until the listener reports at least one subscribed channel (so changes from now on are seen). */
  waitForSubscription?: boolean;
  timeoutMs?: number;
}

/** RECONCILE_EVERY: how often the reconciliation Schedule runs (default 5m; `off` disables it). */
export function readReconcileEvery(env: NodeJS.ProcessEnv): number {
  return readDurationVariable(env, 'RECONCILE_EVERY', '5m');
}

export async function runListen(
  env: NodeJS.ProcessEnv = process.env,
  opts: RunListenOptions = {},
): Promise<string> {
  const settings = readTemporalConnection(env);
  const temporal = settings.env;
  const everyMs = readReconcileEvery(env);
  // SIGINT/SIGTERM while connecting or waiting: stop at once, closing the connection (worker/stop-signals.ts).
  const stop = listenForStop();
  let connection: Connection | undefined;
  try {
    const connected = await abortable(connectClient(settings), stop.signal, (c) => c.connection.close());
    connection = connected.connection;
    const { client } = connected;
    const handle = await abortable(startChangeFeed(client, temporal.TEMPORAL_TASK_QUEUE), stop.signal);
    if (everyMs > 0)
      await abortable(
        ensureReconcileSchedule(client, temporal.TEMPORAL_TASK_QUEUE, { everyMs }),
        stop.signal,
      );
    let subscribed: string[] = [];
    let paused = '';
    if (opts.waitForSubscription) {
      const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
      for (;;) {
        stop.throwIfStopped();
        const state = await readChangeFeedState(client, handle.workflowId).catch(() => undefined);
        subscribed = state?.subscribed ?? [];
        if (subscribed.length > 0 && !state?.deliveryAllocation) break;
        if (state?.deliveryAllocation) {
          // Running as designed, but Salesforce delivers nothing until the allocation frees: say so now
          // rather than time out (and keep listing the channels that do listen).
          paused = `; ${describeFeed(summarizeFeed(handle.workflowId, state))}`;
          break;
        }
        if (Date.now() > deadline) {
          const why = state?.lastError ? `: ${state.lastError.message}` : '';
          throw new Error(
            `the change feed ${handle.workflowId} did not subscribe within ${opts.timeoutMs ?? 60_000} ms${why}`,
          );
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const on = subscribed.length ? `, listening on ${subscribed.join(', ')}` : '';
    const reconcile = everyMs > 0 ? `; reconciliation every ${everyMs / 1000} s` : '; reconciliation off';
    return `change feed ${handle.workflowId} is running on task queue ${temporal.TEMPORAL_TASK_QUEUE} (${temporal.TEMPORAL_NAMESPACE})${on}${reconcile}${paused}`;
  } finally {
    stop.dispose();
    await connection?.close();
  }
}
