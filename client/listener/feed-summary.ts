/**
 * What the change feed is doing, in one line for operators: listening (on which channels), paused on
 * Salesforce's daily event delivery allocation (and what happens next), or not running. Used by
 * `sfzd status` and by `npm start` / `sfzd listen --wait`.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { DeliveryAllocationPause, FeedError } from '../../activities/change-feed/types';
import { describeAllocationPause, type ChangeFeedState } from '../../workflows/change-feed';
import { readChangeFeedState } from './start-change-feed';

export type FeedCondition = 'listening' | 'paused' | 'not-subscribed' | 'not-running' | 'unknown';

export interface FeedSummary {
  workflowId: string;
  condition: FeedCondition;
  subscribed: string[];
  deliveryAllocation?: DeliveryAllocationPause;
  lastError?: FeedError;
}

export function summarizeFeed(workflowId: string, state: ChangeFeedState): FeedSummary {
  const condition: FeedCondition = state.deliveryAllocation
    ? 'paused'
    : state.subscribed.length > 0
      ? 'listening'
      : 'not-subscribed';
  return {
    workflowId,
    condition,
    subscribed: state.subscribed,
    ...(state.deliveryAllocation ? { deliveryAllocation: state.deliveryAllocation } : {}),
    ...(state.lastError ? { lastError: state.lastError } : {}),
  };
}

/**
 * Reads the feed's `state` query. A query needs a worker to answer it, so it gives up after `timeoutMs`
 * (condition `unknown`) rather than hang a status command while no worker runs.
 */
export async function readFeedSummary(
  client: Client,
  workflowId: string,
  timeoutMs = 5_000,
): Promise<FeedSummary> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    // A closed feed's query would need a worker to replay it: the server's description says enough.
    const { status } = await client.workflow.getHandle(workflowId).describe();
    if (status.name !== 'RUNNING')
      return {
        workflowId,
        condition: 'not-running',
        subscribed: [],
        lastError: { message: `the feed workflow is ${status.name}`, at: new Date().toISOString() },
      };
    const state = await Promise.race([readChangeFeedState(client, workflowId), timeout]);
    if (state === 'timeout')
      return { workflowId, condition: 'unknown', subscribed: [], lastError: noAnswer(timeoutMs) };
    return summarizeFeed(workflowId, state);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { workflowId, condition: 'not-running', subscribed: [] };
    return {
      workflowId,
      condition: 'unknown',
      subscribed: [],
      lastError: { message: (err as Error).message, at: new Date().toISOString() },
    };
  } finally {
    clearTimeout(timer);
  }
}

function noAnswer(timeoutMs: number): FeedError {
  return {
    message: `its state query got no answer within ${timeoutMs / 1000} s (is a worker running?)`,
    at: new Date().toISOString(),
  };
}

/** `listening on /data/AccountChangeEvent, …`, `PAUSED …`, `not running (…)`. */
export function describeFeed(summary: FeedSummary): string {
  switch (summary.condition) {
    case 'paused':
      return `PAUSED on ${summary.deliveryAllocation!.channels.join(', ')}: ${describeAllocationPause(summary.deliveryAllocation!)}`;
    case 'listening':
      return `listening on ${summary.subscribed.join(', ')}`;
    case 'not-subscribed':
      return `running, not subscribed${summary.lastError ? ` (last error ${summary.lastError.at}: ${summary.lastError.message})` : ''}`;
    case 'not-running':
      return `not running${summary.lastError ? ` (${summary.lastError.message})` : ''}; \`sfzd listen\` or \`npm run listen\` starts it`;
    case 'unknown':
      return `state unknown: ${summary.lastError?.message ?? 'no answer'}`;
  }
}
