/**
 * The retained event window. Salesforce keeps change events for 72 hours and lets a subscriber replay
 * from any replayId still inside the window; one that fell out of it is refused rather than silently
 * skipping the events in between.
 */
import type { CdcEntity } from '../change-events';
import { ALL_CHANGE_EVENTS_CHANNEL, channelCarries, entityChannel } from './channels';
import type { ChangeEventData, ChangeEventMessage } from './event-builder';

export interface StoredEvent {
  replayId: number;
  entityName: CdcEntity;
  /** The entity's own channel (`/data/AccountChangeEvent`); the event is also on `/data/ChangeEvents`. */
  channel: string;
  /** Epoch ms when the event was retained; the age limit counts from here. */
  storedAt: number;
  data: ChangeEventData;
}

export interface RetentionLimits {
  maxEvents: number;
  maxAgeMs: number;
}

export const DEFAULT_RETENTION: RetentionLimits = { maxEvents: 10_000, maxAgeMs: 72 * 60 * 60 * 1000 };

/** Salesforce's replay positions: -1 = from the tip (new events only), -2 = from the earliest retained. */
export const REPLAY_FROM_TIP = -1;
export const REPLAY_FROM_EARLIEST = -2;

export class InvalidReplayIdError extends Error {
  readonly code = 'INVALID_REPLAY_ID';

  constructor(readonly replayId: unknown) {
    super(
      `The replayId {${String(replayId)}} you provided was invalid. ` +
        'Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.',
    );
    this.name = 'InvalidReplayIdError';
  }
}

export class EventStore {
  private events: StoredEvent[] = [];
  private lastReplayId = 0;
  /** Per channel: the highest replayId that was dropped from the window. Replaying from below it would miss events. */
  private readonly purgedThrough = new Map<string, number>();

  constructor(
    private readonly limits: RetentionLimits,
    private readonly now: () => number,
  ) {}

  append(entityName: CdcEntity, build: (replayId: number) => ChangeEventData): StoredEvent {
    this.lastReplayId += 1;
    const event: StoredEvent = {
      replayId: this.lastReplayId,
      entityName,
      channel: entityChannel(entityName),
      storedAt: this.now(),
      data: build(this.lastReplayId),
    };
    this.events.push(event);
    this.prune();
    return event;
  }

  retained(): readonly StoredEvent[] {
    this.prune();
    return [...this.events];
  }

  /**
   * The events a subscription to `channel` starting at `replayFrom` must receive before live ones.
   * Throws InvalidReplayIdError for anything Salesforce would refuse.
   */
  replay(channel: string, replayFrom: unknown): StoredEvent[] {
    const from = parseReplayId(replayFrom);
    if (from === REPLAY_FROM_TIP) return [];
    this.prune();
    const onChannel = this.events.filter((e) => channelCarries(channel, e.entityName));
    if (from === REPLAY_FROM_EARLIEST) return onChannel;
    if (from < (this.purgedThrough.get(channel) ?? 0)) throw new InvalidReplayIdError(replayFrom);
    return onChannel.filter((e) => e.replayId > from);
  }

  /** Forgets every retained event. replayIds keep increasing, so positions from before the reset become invalid. */
  clear(): void {
    for (const event of this.events) this.markPurged(event);
    this.events = [];
  }

  private prune(): void {
    const oldestKept = this.now() - this.limits.maxAgeMs;
    let drop = Math.max(0, this.events.length - this.limits.maxEvents);
    while (drop < this.events.length && this.events[drop]!.storedAt < oldestKept) drop += 1;
    if (drop === 0) return;
    for (const event of this.events.slice(0, drop)) this.markPurged(event);
    this.events = this.events.slice(drop);
  }

  private markPurged(event: StoredEvent): void {
    this.purgedThrough.set(event.channel, event.replayId);
    this.purgedThrough.set(ALL_CHANGE_EVENTS_CHANNEL, event.replayId);
  }
}

/** jsforce sends numbers; other CometD clients send numeric strings. Anything else is refused like Salesforce does. */
function parseReplayId(value: unknown): number {
  if (value === undefined || value === null) return REPLAY_FROM_TIP;
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < REPLAY_FROM_EARLIEST) {
    throw new InvalidReplayIdError(value);
  }
  return n;
}

export function toMessage(channel: string, event: StoredEvent): ChangeEventMessage {
  return { channel, data: structuredClone(event.data) };
}
