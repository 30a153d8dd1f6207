/**
 * The listener: one CometD subscription per channel, one in-order processing loop per channel, and the
 * checkpoint rule that makes it lossless: a channel's position moves to an event only after every
 * notification for it (and, being in order, for every earlier event) was accepted by Temporal.
 * A crash therefore re-delivers at most the events after the last checkpoint; the record workflow
 * coalesces them and its fingerprint makes an unchanged pass write nothing.
 */
import type { Client } from '@temporalio/client';
import type { Connection } from 'jsforce';
import type { SyncConfig } from '../../core';
import type { SalesforceSession } from '../salesforce/session';
import { backoffDelay, pause, type BackoffPolicy } from './backoff';
import { parseChangeEvent, type CdcEvent } from './cdc-message';
import { ChannelSubscription, type SubscriptionFailure } from './channel-subscription';
import { feedChannels, type FeedChannel } from './channels';
import { notifyRecords, type NotifyOptions } from './notify-records';
import { reconcileModifiedSince } from './reconcile-since';
import { DAILY_DELIVERY_LIMIT_ERROR } from './streaming-limits';
import { decideAction } from './trigger';
import { recordListenerLag, setFeedAllocationExhausted } from '../metrics';
import type {
  DeliveryAllocationPause,
  FeedCheckpoint,
  FeedCounters,
  FeedError,
  ListenerProgress,
  ListenerTuning,
} from './types';

export const LISTENER_DEFAULTS = {
  runForMs: 60 * 60_000,
  heartbeatTimeoutMs: 30_000,
  progressEveryMs: 30_000,
  reconnectBaseMs: 1_000,
  reconnectMaxMs: 60_000,
  stallMs: 5 * 60_000,
  reconcileMarginMs: 5 * 60_000,
  allocationRetryMs: 15 * 60_000,
} as const;

/** Salesforce's replay presets. */
const REPLAY_FROM_TIP = -1;
const REPLAY_FROM_EARLIEST = -2;
/** A subscription that stayed up this long resets the reconnect backoff. */
const STABLE_AFTER_MS = 30_000;

type QueueItem =
  { kind: 'event'; event: CdcEvent } | { kind: 'expired-position'; sinceMs: number | undefined };

export interface ChangeListenerOptions {
  salesforce: SalesforceSession;
  temporal: Client;
  config: SyncConfig;
  taskQueue: string;
  start: Pick<ListenerProgress, 'run' | 'attempt' | 'checkpoint' | 'counters' | 'deliveryAllocation'>;
  tuning?: ListenerTuning;
  /** Aborts when Temporal cancels the activity (or the worker shuts down). */
  signal: AbortSignal;
  heartbeat(progress: ListenerProgress): void;
  /** Best-effort progress report to the workflow (its `state` query). */
  report(progress: ListenerProgress): Promise<void>;
  warn?(message: string): void;
  info?(message: string): void;
}

/** A channel the daily event delivery allocation keeps from subscribing (epoch ms). */
interface ChannelPause {
  since: number;
  lastRefusedAt: number;
  nextAttemptAt: number;
}

class ChannelState {
  queue: QueueItem[] = [];
  /** Highest replayId queued: re-deliveries after a resubscribe are dropped. */
  lastQueued: number | undefined;
  subscription: ChannelSubscription | undefined;
  subscribed = false;
  /** Set while the daily event delivery allocation is used up; cleared by the next successful connect. */
  paused: ChannelPause | undefined;
  wake: (() => void) | undefined;

  constructor(readonly feed: FeedChannel) {}

  push(item: QueueItem): void {
    this.queue.push(item);
    this.wake?.();
  }
}

export class ChangeListener {
  private readonly checkpoint: FeedCheckpoint;
  private readonly counters: FeedCounters;
  private lastError: FeedError | undefined;
  private readonly stop = new AbortController();
  private readonly channels: ChannelState[];
  private readonly tuning: Required<Omit<ListenerTuning, 'startFrom'>> & Pick<ListenerTuning, 'startFrom'>;
  private readonly backoff: BackoffPolicy;
  private conn: Promise<Connection> | undefined;
  /** Refused subscription attempts since no channel was paused (all channels together). */
  private allocationRefusals = 0;
  private version = 0;
  private reportedVersion = -1;

  constructor(private readonly opts: ChangeListenerOptions) {
    this.checkpoint = structuredClone(opts.start.checkpoint);
    this.counters = { ...opts.start.counters };
    this.tuning = { ...LISTENER_DEFAULTS, ...opts.tuning };
    this.backoff = { baseMs: this.tuning.reconnectBaseMs, maxMs: this.tuning.reconnectMaxMs };
    this.channels = feedChannels(opts.config).map((feed) => new ChannelState(feed));
    for (const ch of this.channels) ch.lastQueued = opts.start.checkpoint[ch.feed.channel]?.replayId;
    this.resumePause(opts.start.deliveryAllocation);
  }

  /** A previous run (or attempt) ended paused: its channels wait for the attempt it planned, at most one interval. */
  private resumePause(pause: DeliveryAllocationPause | undefined): void {
    const now = Date.now();
    for (const ch of this.channels) {
      const planned = pause?.channels.includes(ch.feed.channel) ? Date.parse(pause.nextAttemptAt) : NaN;
      if (!Number.isNaN(planned)) {
        ch.paused = {
          since: Date.parse(pause!.since) || now,
          lastRefusedAt: Date.parse(pause!.lastRefusedAt) || now,
          nextAttemptAt: Math.min(planned, now + this.tuning.allocationRetryMs),
        };
      }
      setFeedAllocationExhausted(ch.feed.channel, ch.paused !== undefined);
    }
    if (this.channels.some((c) => c.paused)) this.allocationRefusals = pause?.refusals ?? 0;
  }

  progress(): ListenerProgress {
    return {
      run: this.opts.start.run,
      attempt: this.opts.start.attempt,
      checkpoint: structuredClone(this.checkpoint),
      counters: { ...this.counters },
      // A paused channel's subscribe may succeed before its connect is refused: not listening.
      subscribed: this.channels.filter((c) => c.subscribed && !c.paused).map((c) => c.feed.channel),
      lastError: this.lastError,
      deliveryAllocation: this.allocationPause(),
      at: new Date().toISOString(),
    };
  }

  private allocationPause(): DeliveryAllocationPause | undefined {
    const paused = this.channels.flatMap((c) => (c.paused ? [{ channel: c.feed.channel, ...c.paused }] : []));
    if (paused.length === 0) return undefined;
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      channels: paused.map((p) => p.channel),
      since: iso(Math.min(...paused.map((p) => p.since))),
      lastRefusedAt: iso(Math.max(...paused.map((p) => p.lastRefusedAt))),
      nextAttemptAt: iso(Math.min(...paused.map((p) => p.nextAttemptAt))),
      refusals: this.allocationRefusals,
    };
  }

  /** Listens until `runForMs` elapsed or the activity is cancelled; returns the final checkpoint. */
  async run(): Promise<ListenerProgress> {
    const onAbort = () => this.stop.abort();
    this.opts.signal.addEventListener('abort', onAbort, { once: true });
    const runTimer = setTimeout(onAbort, this.tuning.runForMs);
    const beat = setInterval(
      () => this.beat(),
      Math.max(200, Math.min(5_000, this.tuning.heartbeatTimeoutMs / 4)),
    );
    const reportTimer = setInterval(
      () => void this.reportIfChanged(),
      Math.max(100, this.tuning.progressEveryMs),
    );
    try {
      if (this.channels.length === 0) {
        this.fail('no channel to listen to: accounts and users are both disabled');
        await pause(this.tuning.runForMs, this.stop.signal);
      } else {
        await Promise.all(this.channels.flatMap((ch) => [this.supervise(ch), this.process(ch)]));
      }
    } finally {
      clearTimeout(runTimer);
      clearInterval(beat);
      clearInterval(reportTimer);
      this.opts.signal.removeEventListener('abort', onAbort);
      for (const ch of this.channels) ch.subscription?.close();
      // The gauge belongs to the running listener; the next run sets it again from the carried pause.
      for (const ch of this.channels) setFeedAllocationExhausted(ch.feed.channel, false);
    }
    const final = this.progress();
    this.opts.heartbeat(final);
    return final;
  }

  private beat(): void {
    this.opts.heartbeat(this.progress());
  }

  private reportChain: Promise<void> = Promise.resolve();

  /**
   * Reports are sent one at a time, in order: two concurrent signals could arrive swapped, leaving the
   * workflow showing the older progress until something else changes.
   */
  private reportIfChanged(): Promise<void> {
    this.reportChain = this.reportChain.then(() => this.sendReportIfChanged());
    return this.reportChain;
  }

  private async sendReportIfChanged(): Promise<void> {
    if (this.reportedVersion === this.version) return;
    const version = this.version;
    try {
      await this.opts.report(this.progress());
      this.reportedVersion = version;
    } catch {
      // progress is informational; the heartbeat details stay authoritative for retries
    }
  }

  private changed(): void {
    this.version += 1;
  }

  private fail(message: string, channel?: string): void {
    this.lastError = { message, at: new Date().toISOString(), channel };
    this.opts.warn?.(message);
    this.changed();
  }

  private connection(): Promise<Connection> {
    this.conn ??= this.opts.salesforce.connection().catch((err: unknown) => {
      this.conn = undefined;
      throw err;
    });
    return this.conn;
  }

  /** A rejected token: log in again; every channel's next subscription uses the new token. */
  private reauthenticate(): void {
    this.opts.salesforce.reset();
    this.conn = undefined;
  }

  /**
   * The allocation refused this channel's subscription: no new login (the token is fine) and no fast
   * reconnects (deliveries cannot resume before the rolling 24-hour usage drops or the allocation is
   * raised). The channel waits `allocationRetryMs` and resubscribes from its checkpoint.
   */
  private allocationRefused(ch: ChannelState, error: string): void {
    const now = Date.now();
    const first = ch.paused === undefined;
    const anyPaused = this.channels.some((c) => c.paused);
    ch.paused = {
      since: ch.paused?.since ?? now,
      lastRefusedAt: now,
      nextAttemptAt: now + this.tuning.allocationRetryMs,
    };
    if (!anyPaused) this.allocationRefusals = 0;
    this.allocationRefusals += 1;
    setFeedAllocationExhausted(ch.feed.channel, true);
    const next = new Date(ch.paused.nextAttemptAt).toISOString();
    const from = this.resumeDescription(ch);
    const every = formatDuration(this.tuning.allocationRetryMs);
    this.fail(
      first
        ? `${ch.feed.channel}: Salesforce stopped delivering change events: the org's daily event delivery ` +
            `allocation is used up (${error}; REST limits: DailyDeliveredPlatformEvents). Not logging in again ` +
            `(the token is fine). No change is lost: Salesforce keeps change events for 72 hours, and the ` +
            `listener resubscribes every ${every} (next at ${next}) ${from}, replaying what it missed once ` +
            `the rolling 24-hour usage drops or the allocation is raised. Meanwhile the reconciliation ` +
            `Schedule (RECONCILE_EVERY, unless off) keeps syncing records whose mapped fields changed.`
        : `${ch.feed.channel}: the daily event delivery allocation is still used up (${DAILY_DELIVERY_LIMIT_ERROR}); ` +
            `paused since ${new Date(ch.paused.since).toISOString()}, next attempt at ${next} ${from}.`,
      ch.feed.channel,
    );
    // Operators ask "is the feed listening?" first: show the pause at once, not at the next progress tick.
    void this.reportIfChanged();
  }

  /** A successful connect after a pause: deliveries flow again, and the subscription replays what was missed. */
  private allocationResumed(ch: ChannelState): void {
    const paused = ch.paused;
    if (!paused) return;
    ch.paused = undefined;
    if (!this.channels.some((c) => c.paused)) this.allocationRefusals = 0;
    setFeedAllocationExhausted(ch.feed.channel, false);
    if (!this.checkpoint[ch.feed.channel] && this.tuning.startFrom !== 'earliest') {
      // No position yet, so this subscription started at the tip: the changes made during the pause are not
      // replayed. Re-read them the way an expired position is handled (reconcile from a time).
      ch.push({ kind: 'expired-position', sinceMs: paused.since });
    }
    this.opts.info?.(
      `${ch.feed.channel}: event deliveries resumed after ${formatDuration(Date.now() - paused.since)} ` +
        `paused on the daily event delivery allocation; ${this.resumeDescription(ch)}`,
    );
    this.changed();
    void this.reportIfChanged();
  }

  private resumeDescription(ch: ChannelState): string {
    const position = this.checkpoint[ch.feed.channel];
    if (position) return `from replayId ${position.replayId}`;
    return this.tuning.startFrom === 'earliest'
      ? 'from the earliest retained event'
      : 'from new events, reconciling the records changed during the pause';
  }

  private replayFrom(ch: ChannelState): number {
    const position = this.checkpoint[ch.feed.channel];
    if (position) return position.replayId;
    return this.tuning.startFrom === 'earliest' ? REPLAY_FROM_EARLIEST : REPLAY_FROM_TIP;
  }

  /** Keeps one healthy subscription on the channel, rebuilding it with jittered backoff after failures. */
  private async supervise(ch: ChannelState): Promise<void> {
    const { signal } = this.stop;
    for (let failures = 0; !signal.aborted;) {
      if (ch.paused) {
        await pause(Math.max(0, ch.paused.nextAttemptAt - Date.now()), signal);
        if (signal.aborted) return;
      }
      let conn: Connection;
      try {
        conn = await this.connection();
      } catch (err) {
        this.fail(`Salesforce login failed: ${(err as Error).message}`, ch.feed.channel);
        await pause(backoffDelay(this.backoff, failures++), signal);
        continue;
      }
      const failure = await this.subscribeUntilFailure(conn, ch);
      if (!failure) return; // stopped
      const wasStable =
        ch.subscription?.subscribedAt !== undefined &&
        Date.now() - ch.subscription.subscribedAt >= STABLE_AFTER_MS;
      ch.subscription?.close();
      ch.subscription = undefined;
      ch.subscribed = false;
      this.counters.rebuilds += 1;
      if (failure.kind === 'limit' && failure.limit === 'delivery-allocation') {
        this.allocationRefused(ch, failure.message);
        continue; // waits at the top of the loop
      }
      this.fail(
        failure.kind === 'limit'
          ? `${failure.message}: the org's limit of concurrent streaming clients is reached (every CometD ` +
              `client of the org counts); retrying with backoff, without logging in again`
          : failure.message,
        ch.feed.channel,
      );
      if (wasStable) failures = 0;
      if (failure.kind === 'auth') this.reauthenticate();
      if (failure.kind === 'subscribe' && failure.invalidReplay) {
        // The position fell out of the retention window: events were lost. Reconcile from the last known
        // commit time (in order, through the queue), then take every retained event.
        ch.push({ kind: 'expired-position', sinceMs: this.checkpoint[ch.feed.channel]?.commitTimestamp });
        this.checkpoint[ch.feed.channel] = {
          replayId: REPLAY_FROM_EARLIEST,
          commitTimestamp: this.checkpoint[ch.feed.channel]?.commitTimestamp,
        };
        ch.lastQueued = undefined;
      }
      await pause(backoffDelay(this.backoff, failures++), signal);
    }
  }

  private subscribeUntilFailure(
    conn: Connection,
    ch: ChannelState,
  ): Promise<(SubscriptionFailure | { kind: 'stall'; message: string }) | undefined> {
    const { signal } = this.stop;
    return new Promise((resolve) => {
      let settled = false;
      const settle = (value: (SubscriptionFailure | { kind: 'stall'; message: string }) | undefined) => {
        if (settled) return;
        settled = true;
        clearInterval(watchdog);
        signal.removeEventListener('abort', onStop);
        resolve(value);
      };
      const onStop = () => settle(undefined);
      const sub = new ChannelSubscription(conn, ch.feed.channel, this.replayFrom(ch), {
        onEvent: (data) => this.receive(ch, data),
        onSubscribed: () => {
          ch.subscribed = true;
          this.changed();
          // Report a (re)subscription at once: "is the feed listening?" is the first thing operators
          // and `npm start` ask, and it changes rarely, so this does not add meaningful signal traffic.
          void this.reportIfChanged();
        },
        onConnected: () => this.allocationResumed(ch),
        onFailure: (failure) => settle(failure),
        onRehandshake: () => {
          this.counters.rehandshakes += 1;
          this.changed();
        },
      });
      ch.subscription = sub;
      const watchdog = setInterval(
        () => {
          if (Date.now() - sub.lastContact > this.tuning.stallMs) {
            settle({
              kind: 'stall',
              message: `${ch.feed.channel}: no CometD reply for ${this.tuning.stallMs} ms`,
            });
          }
        },
        Math.min(1_000, this.tuning.stallMs),
      );
      if (signal.aborted) onStop();
      else signal.addEventListener('abort', onStop, { once: true });
    });
  }

  private receive(ch: ChannelState, data: unknown): void {
    let event: CdcEvent;
    try {
      event = parseChangeEvent(data);
    } catch (err) {
      this.counters.ignored += 1;
      this.fail((err as Error).message, ch.feed.channel);
      return;
    }
    if (ch.lastQueued !== undefined && ch.lastQueued >= 0 && event.replayId <= ch.lastQueued) return; // re-delivery
    recordListenerLag(Date.now() - event.header.commitTimestamp, ch.feed.channel);
    ch.lastQueued = event.replayId;
    this.counters.eventsSeen += 1;
    this.changed();
    ch.push({ kind: 'event', event });
  }

  /** Hands the channel's events off in order; a failed hand-off is retried, never skipped. */
  private async process(ch: ChannelState): Promise<void> {
    const { signal } = this.stop;
    let failures = 0;
    while (!signal.aborted) {
      const item = ch.queue[0];
      if (!item) {
        await new Promise<void>((resolve) => {
          const done = () => {
            ch.wake = undefined;
            signal.removeEventListener('abort', done);
            resolve();
          };
          ch.wake = done;
          signal.addEventListener('abort', done, { once: true });
        });
        continue;
      }
      try {
        await this.handle(ch, item);
      } catch (err) {
        if (signal.aborted) return;
        this.fail(`${ch.feed.channel}: ${(err as Error).message}`, ch.feed.channel);
        await pause(backoffDelay(this.backoff, failures++), signal);
        continue;
      }
      failures = 0;
      ch.queue.shift();
      if (item.kind === 'event') {
        this.checkpoint[ch.feed.channel] = {
          replayId: item.event.replayId,
          commitTimestamp: item.event.header.commitTimestamp,
        };
        ch.subscription?.advance(item.event.replayId);
      }
      this.changed();
      this.beat();
    }
  }

  private notifyOptions(): NotifyOptions {
    return {
      client: this.opts.temporal,
      taskQueue: this.opts.taskQueue,
      signal: this.stop.signal,
      backoff: this.backoff,
      onRetry: (err) => this.fail(`Temporal did not accept a notification: ${err.message}`),
    };
  }

  private async handle(ch: ChannelState, item: QueueItem): Promise<void> {
    const object = ch.feed.object;
    if (item.kind === 'expired-position') {
      if (item.sinceMs === undefined) {
        this.fail(
          `${ch.feed.channel}: replay position expired and no commit time is known; run a reconcile of ${object}`,
          ch.feed.channel,
        );
        return;
      }
      await this.reconcile(object, item.sinceMs);
      return;
    }
    const { header } = item.event;
    if (header.entityName && header.entityName !== object) {
      this.counters.ignored += 1;
      return;
    }
    const action = decideAction(this.opts.config, object, header);
    switch (action.kind) {
      case 'ignore':
        this.counters.ignored += 1;
        return;
      case 'notify':
        this.counters.notified += await notifyRecords(
          this.notifyOptions(),
          object,
          action.recordIds,
          action.notice,
          action.existingOnly,
        );
        if (action.notice.source === 'gap') this.counters.gaps += 1;
        return;
      case 'reconcile':
        await this.reconcile(object, action.sinceMs);
        this.counters.overflows += 1;
        return;
    }
  }

  private async reconcile(object: FeedChannel['object'], sinceMs: number): Promise<void> {
    this.counters.notified += await reconcileModifiedSince({
      ...this.notifyOptions(),
      conn: await this.connection(),
      object,
      sinceMs: sinceMs - this.tuning.reconcileMarginMs,
      notice: { source: 'gap' },
    });
  }
}

/** `15 min`, `2 h 5 min`, `40 s` (log lines and state). */
function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const min = Math.round(s / 60);
  return min < 120 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}
