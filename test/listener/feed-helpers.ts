/**
 * Starting and watching the change feed on a test stack.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { readChangeFeedState, startChangeFeed } from '../../client/listener/start-change-feed';
import type { FeedCheckpoint } from '../../activities/change-feed/types';
import type { ChangeFeedInput, ChangeFeedState, salesforceChangeFeed } from '../../workflows/change-feed';
import type { Stack } from '../helpers/stack';

/**
 * Fast reconnects and heartbeats (and retries while the delivery allocation is used up), and a first
 * subscription that takes every retained event (no start-up race).
 */
export const TEST_FEED_TUNING: NonNullable<ChangeFeedInput['tuning']> = {
  heartbeatTimeoutMs: 2_000,
  progressEveryMs: 150,
  startFrom: 'earliest',
  reconnectBaseMs: 100,
  reconnectMaxMs: 1_000,
  stallMs: 10_000,
  runForMs: 5 * 60_000,
  allocationRetryMs: 1_000,
};

export interface TestFeed {
  handle: WorkflowHandle<typeof salesforceChangeFeed>;
  state(): Promise<ChangeFeedState>;
  /** Polls the feed's state query until `predicate` holds. */
  waitFor(
    what: string,
    predicate: (s: ChangeFeedState) => boolean,
    timeoutMs?: number,
  ): Promise<ChangeFeedState>;
  /** Waits until every event retained by the sandbox on `channel` is checkpointed (handed off). */
  waitCaughtUp(channel?: string, timeoutMs?: number): Promise<ChangeFeedState>;
}

export async function startTestFeed(
  stack: Stack,
  tuning = TEST_FEED_TUNING,
  opts: { checkpoint?: FeedCheckpoint; suffix?: string } = {},
): Promise<TestFeed> {
  const workflowId = `salesforce-change-feed/${stack.taskQueue}${opts.suffix ? `/${opts.suffix}` : ''}`;
  const handle = await startChangeFeed(stack.client, stack.taskQueue, {
    workflowId,
    input: { tuning, checkpoint: opts.checkpoint },
  });
  const feed: TestFeed = {
    handle,
    state: () => readChangeFeedState(stack.client, workflowId),
    async waitFor(what, predicate, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = await feed.state().catch(() => undefined);
        if (s && predicate(s)) return s;
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for the feed: ${what}: ${JSON.stringify(s)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async waitCaughtUp(channel = '/data/AccountChangeEvent', timeoutMs) {
      const last = lastRetainedReplayId(stack, channel);
      return feed.waitFor(
        `${channel} handed off through replayId ${last}`,
        (s) => (s.checkpoint[channel]?.replayId ?? 0) >= last,
        timeoutMs,
      );
    },
  };
  return feed;
}

export function lastRetainedReplayId(stack: Stack, channel: string): number {
  const onChannel = stack.sf.cdc.retained().filter((e) => e.channel === channel);
  return onChannel.at(-1)?.replayId ?? 0;
}

export async function sandboxControl(stack: Stack, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${stack.sf.url}/__sandbox${path}`, {
    method: 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST /__sandbox${path}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text ? (JSON.parse(text) as unknown) : undefined;
}
