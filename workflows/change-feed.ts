/**
 * The Salesforce change feed: Change Data Capture events drive the sync, and none may be lost.
 *
 * Design
 * - Exactly one feed per channel set: a fixed workflow ID (CHANGE_FEED_WORKFLOW_ID), started with the
 *   USE_EXISTING conflict policy (client/listener/start-change-feed.ts), so a second start finds the first.
 * - The workflow runs a long-running, heartbeating activity (`listenToChanges`) that subscribes through
 *   jsforce's streaming client to the CDC channel of each enabled section (`/data/AccountChangeEvent`,
 *   `/data/ContactChangeEvent` or `/data/LeadChangeEvent` after `users.source`). The worker's config decides
 *   the channels, so the workflow does not need to know them.
 * - Handoff before advance: a channel's replayId is recorded only after the record workflows accepted the
 *   notifications for that event and all earlier ones. The position lives in the heartbeat details, so a
 *   retried attempt (dead worker, heartbeat timeout, failed attempt) resumes there; re-delivery is harmless
 *   because the record workflow coalesces and its fingerprint makes an unchanged pass write nothing.
 * - Each activity run returns after `runForMs` (default 1 hour) with its checkpoint; the workflow starts
 *   the next run from it and continues-as-new every RUNS_PER_EXECUTION runs (or when the server suggests),
 *   carrying replayIds and counters, so history stays bounded.
 * - Visibility: the activity signals throttled progress (replayIds, counters, subscribed channels, last
 *   error) to this workflow, answered by the `state` query and shown as current details in the UI; the
 *   heartbeat details carry the same data on the pending activity.
 * - Per event (activities/change-feed/trigger.ts, which lists exactly what is ignored): CREATE/UNDELETE sync;
 *   UPDATE syncs only when a mapped, match or filter field changed (or converts a Lead); DELETE does nothing
 *   unless the section's onDelete is tag or unlink (then the record's workflow, if any, is signalled); our own
 *   write-back of the synced-ID field is ignored; GAP_* force a re-read of the listed records; GAP_OVERFLOW
 *   reconciles the entity from the event's commit time (activities/change-feed/reconcile-since.ts).
 * - Delivery allocation: past Salesforce's daily event delivery allocation the listener's channels pause,
 *   without logging in again, and resubscribe from their checkpoints every `allocationRetryMs` (15 minutes);
 *   the pause is in the state (`deliveryAllocation`), the current details and the next run's input.
 * - Failures: the activity retries forever with backoff (a feed that gives up loses events). If a run still
 *   fails (a non-retryable error), the workflow records it and starts a new run after a pause.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type {
  DeliveryAllocationPause,
  FeedCheckpoint,
  FeedCounters,
  FeedError,
  ListenerProgress,
  ListenerTuning,
} from '../activities/change-feed/types';

export const CHANGE_FEED_WORKFLOW_ID = 'salesforce-change-feed';
/** Activity runs per workflow execution before continue-as-new (a day at the default hourly run). */
export const RUNS_PER_EXECUTION = 24;
/**
 * The SDK sends heartbeats at most every 0.8 × this, so it also bounds how far a retried attempt's
 * position can lag (events re-delivered after a crash); 30 s keeps both the restart and the lag short.
 */
const DEFAULT_HEARTBEAT_TIMEOUT_MS = 30_000;
const DEFAULT_RUN_FOR_MS = 60 * 60_000;

export interface ChangeFeedInput {
  checkpoint?: FeedCheckpoint;
  counters?: FeedCounters;
  lastError?: FeedError;
  /** Carried across continue-as-new so the next run keeps the pause's schedule. */
  deliveryAllocation?: DeliveryAllocationPause;
  /** Total listener runs so far (carried across continue-as-new). */
  runs?: number;
  tuning?: ListenerTuning & { runsPerExecution?: number };
}

export interface ChangeFeedState {
  checkpoint: FeedCheckpoint;
  counters: FeedCounters;
  subscribed: string[];
  lastError?: FeedError;
  /** Present while Salesforce's daily event delivery allocation keeps channels from receiving events. */
  deliveryAllocation?: DeliveryAllocationPause;
  runs: number;
  /** Attempt of the current run's activity, as last reported. */
  attempt: number;
  lastProgressAt?: string;
}

export const changeFeedStateQuery = defineQuery<ChangeFeedState>('state');
/** Sent by the listener activity (throttled) so the state query is live, not only per run. */
export const feedProgressSignal = defineSignal<[ListenerProgress]>('progress');

const ZERO: FeedCounters = {
  eventsSeen: 0,
  notified: 0,
  ignored: 0,
  gaps: 0,
  overflows: 0,
  rebuilds: 0,
  rehandshakes: 0,
};

function describeCheckpoint(checkpoint: FeedCheckpoint): string {
  const parts = Object.entries(checkpoint).map(
    ([channel, p]) => `${channel.replace('/data/', '')}@${p.replayId}`,
  );
  return parts.length > 0 ? parts.join(', ') : 'no checkpoint yet';
}

/**
 * One paragraph for operators (the UI's current details, `sfzd status`, `npm start`), after the paused
 * channels: which limit, since when, what happens next, and that nothing is lost.
 */
export function describeAllocationPause(pause: DeliveryAllocationPause): string {
  return (
    `Salesforce's daily event delivery allocation is used up ` +
    `(403::Organization total events daily limit exceeded; REST limits: DailyDeliveredPlatformEvents) since ` +
    `${pause.since}; ${pause.refusals} attempt${pause.refusals === 1 ? '' : 's'} refused, next attempt at ` +
    `${pause.nextAttemptAt}. Nothing is lost: Salesforce keeps change events for 72 hours and the listener ` +
    `replays them from its checkpoint once deliveries resume; the reconciliation Schedule (unless turned ` +
    `off) keeps syncing mapped changes meanwhile. Deliveries resume as the rolling 24-hour usage drops, or sooner with a larger ` +
    `allocation (a platform events add-on) or fewer other streaming subscribers.`
  );
}

function renderDetails(state: ChangeFeedState): string {
  const c = state.counters;
  const lines = [
    ...(state.deliveryAllocation
      ? [
          `**Paused** on ${state.deliveryAllocation.channels.join(', ')}: ${describeAllocationPause(state.deliveryAllocation)}`,
        ]
      : []),
    `**Subscribed:** ${state.subscribed.join(', ') || 'none'}`,
    `**Replay positions:** ${describeCheckpoint(state.checkpoint)}`,
    `**Events:** ${c.eventsSeen} seen, ${c.notified} records notified, ${c.ignored} ignored, ${c.gaps} gaps, ${c.overflows} overflows`,
    `**Reconnects:** ${c.rebuilds} rebuilds, ${c.rehandshakes} re-handshakes; run ${state.runs}, attempt ${state.attempt}`,
  ];
  if (state.lastError) lines.push(`**Last error** (${state.lastError.at}): ${state.lastError.message}`);
  return lines.join('\n\n');
}

export async function salesforceChangeFeed(input: ChangeFeedInput = {}): Promise<void> {
  const tuning = input.tuning ?? {};
  const state: ChangeFeedState = {
    checkpoint: input.checkpoint ?? {},
    counters: input.counters ?? { ...ZERO },
    subscribed: [],
    lastError: input.lastError,
    deliveryAllocation: input.deliveryAllocation,
    runs: input.runs ?? 0,
    attempt: 0,
  };
  const publish = () => setCurrentDetails(renderDetails(state));

  setHandler(changeFeedStateQuery, () => state);
  setHandler(feedProgressSignal, (p) => {
    // A late report from an earlier run or attempt must not move the position backwards.
    if (p.run !== state.runs || p.attempt < state.attempt) return;
    state.checkpoint = p.checkpoint;
    state.counters = p.counters;
    state.subscribed = p.subscribed;
    state.attempt = p.attempt;
    state.lastProgressAt = p.at;
    if (p.lastError) state.lastError = p.lastError;
    state.deliveryAllocation = p.deliveryAllocation;
    publish();
  });
  publish();

  const heartbeatTimeoutMs = tuning.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
  const runForMs = tuning.runForMs ?? DEFAULT_RUN_FOR_MS;
  const { listenToChanges } = proxyActivities<Activities>({
    // The run ends itself after runForMs; the margin covers handing off the last events.
    startToCloseTimeout: runForMs + 5 * 60_000,
    heartbeatTimeout: heartbeatTimeoutMs,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
    summary: 'Salesforce CDC listener',
  });
  const { listenerTuning, runsPerExecution } = splitTuning(tuning);

  for (let runsThisExecution = 0; ;) {
    state.runs += 1;
    state.attempt = 0;
    state.subscribed = [];
    runsThisExecution += 1;
    try {
      const result = await listenToChanges.executeWithOptions(
        {
          startToCloseTimeout: runForMs + 5 * 60_000,
          heartbeatTimeout: heartbeatTimeoutMs,
          summary: `CDC listener run ${state.runs} from ${describeCheckpoint(state.checkpoint)}`,
        },
        [
          {
            checkpoint: state.checkpoint,
            counters: state.counters,
            run: state.runs,
            tuning: listenerTuning,
            ...(state.deliveryAllocation ? { deliveryAllocation: state.deliveryAllocation } : {}),
          },
        ],
      );
      state.checkpoint = result.checkpoint;
      state.counters = result.counters;
      state.deliveryAllocation = result.deliveryAllocation;
      if (result.lastError) state.lastError = result.lastError;
    } catch (err) {
      if (isCancellation(err)) throw err; // the feed itself was cancelled
      const cause = err instanceof ActivityFailure ? err.cause : err;
      state.lastError = {
        message: cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause),
        at: new Date().toISOString(),
      };
      if (!(err instanceof ActivityFailure) && !(err instanceof ApplicationFailure)) throw err; // a bug here: fail the task
      publish();
      await sleep('10 seconds');
    }
    state.subscribed = [];
    publish();
    if (workflowInfo().continueAsNewSuggested || runsThisExecution >= runsPerExecution) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof salesforceChangeFeed>({
        checkpoint: state.checkpoint,
        counters: state.counters,
        lastError: state.lastError,
        deliveryAllocation: state.deliveryAllocation,
        runs: state.runs,
        tuning: input.tuning,
      });
    }
  }
}

function splitTuning(tuning: NonNullable<ChangeFeedInput['tuning']>): {
  listenerTuning: ListenerTuning;
  runsPerExecution: number;
} {
  const { runsPerExecution, ...listenerTuning } = tuning;
  return { listenerTuning, runsPerExecution: Math.max(1, runsPerExecution ?? RUNS_PER_EXECUTION) };
}
