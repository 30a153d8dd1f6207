/**
 * The data the change-feed workflow and its listener activity exchange. Types only, so workflow code
 * can import them without pulling I/O into the workflow bundle.
 */
import type { SalesforceObject } from '../../core/salesforce-object';

/** The objects whose change events the feed follows. */
export type FeedObject = SalesforceObject;

/** Where a channel's subscription resumes: the last event whose notifications Temporal accepted. */
export interface ChannelPosition {
  replayId: number;
  /** commitTimestamp (epoch ms) of that event: the lower bound of a reconcile if the replayId expires. */
  commitTimestamp?: number;
}

/** By channel name, e.g. `/data/AccountChangeEvent`. */
export type FeedCheckpoint = Record<string, ChannelPosition>;

export interface FeedCounters {
  /** Change events received (after de-duplication of re-delivered replayIds). */
  eventsSeen: number;
  /** Record notifications accepted by Temporal (one per record id). */
  notified: number;
  /** Events that triggered nothing: DELETE with onDelete: ignore, unmapped-only UPDATE, our own write-back. */
  ignored: number;
  /** GAP_* events handled by a forced re-read. */
  gaps: number;
  /** GAP_OVERFLOW events handed to a reconcile of the entity. */
  overflows: number;
  /** Subscriptions rebuilt after a stall, an auth failure or a refused subscribe. */
  rebuilds: number;
  /** Re-handshakes faye did on its own (e.g. after `403::Unknown client`). */
  rehandshakes: number;
}

export interface FeedError {
  message: string;
  /** ISO time. */
  at: string;
  channel?: string;
}

/**
 * Salesforce's daily event delivery allocation is used up (`403::Organization total events daily limit
 * exceeded`): the listed channels are not subscribed and try again on a fixed interval, each from its
 * checkpointed replayId, so the events committed meanwhile (kept 72 hours) are replayed once deliveries resume.
 */
export interface DeliveryAllocationPause {
  /** Channels waiting for the allocation. */
  channels: string[];
  /** ISO time of the first refusal since deliveries last flowed. */
  since: string;
  /** ISO time of the latest refusal. */
  lastRefusedAt: string;
  /** ISO time of the next subscription attempt (the earliest among the channels). */
  nextAttemptAt: string;
  /** Subscription attempts refused since `since`, all channels together. */
  refusals: number;
}

/** Knobs with production defaults; tests lower them. */
export interface ListenerTuning {
  /** How long one activity run listens before it returns its checkpoint to the workflow (default 1 hour). */
  runForMs?: number;
  /** Activity heartbeat timeout (default 30 s): how fast a dead worker's listener is restarted elsewhere. */
  heartbeatTimeoutMs?: number;
  /** Minimum interval between progress signals to the workflow (default 30 s). */
  progressEveryMs?: number;
  /** Where a channel without a checkpoint starts: new events only (default) or every retained event. */
  startFrom?: 'tip' | 'earliest';
  /** Jittered exponential backoff of subscription rebuilds (default 1 s doubling up to 60 s). */
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  /** Rebuild a client that has had no successful CometD reply for this long (default 5 minutes; Salesforce long-polls 110 s). */
  stallMs?: number;
  /** Safety margin subtracted from an overflow's commitTimestamp before the reconcile query (default 5 minutes). */
  reconcileMarginMs?: number;
  /**
   * Wait between subscription attempts while the daily event delivery allocation is used up (default 15
   * minutes). Fixed, not exponential: the allocation is a rolling 24 hours, so it frees gradually, and each
   * attempt costs a handshake but no API call and no login.
   */
  allocationRetryMs?: number;
}

export interface ListenInput {
  checkpoint: FeedCheckpoint;
  counters: FeedCounters;
  /** The workflow's run number of the listener, echoed in progress so stale reports can be told apart. */
  run: number;
  tuning?: ListenerTuning;
  /** The previous run ended paused on the allocation: its channels wait for `nextAttemptAt` first. */
  deliveryAllocation?: DeliveryAllocationPause;
}

/** Heartbeat details, progress signal and result: everything a retry or the next run resumes from. */
export interface ListenerProgress {
  run: number;
  attempt: number;
  checkpoint: FeedCheckpoint;
  counters: FeedCounters;
  /** Channels whose CometD subscription is currently confirmed (never a channel paused on the allocation). */
  subscribed: string[];
  lastError?: FeedError;
  /** Present while the daily event delivery allocation keeps channels from subscribing. */
  deliveryAllocation?: DeliveryAllocationPause;
  /** ISO time of this report. */
  at: string;
}
