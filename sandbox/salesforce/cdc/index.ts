/**
 * The Salesforce sandbox's Change Data Capture feed: a real Bayeux/CometD endpoint (faye) at
 * `/cometd/<version>` that jsforce's streaming client uses unmodified, fed by the record store through
 * `sink.publish`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Router } from 'express';
import type { CdcEntity, ChangeSink, ChangeType, RecordChange } from '../change-events';
import { ALL_CHANGE_EVENTS_CHANNEL } from './channels';
import { createControlRouter } from './control-router';
import { DeliveryAllocation } from './delivery-allocation';
import { buildEventData, CommitNumbers, DEFAULT_COMMIT_USER } from './event-builder';
import { DEFAULT_RETENTION, EventStore, toMessage, type StoredEvent } from './event-store';
import { createNodeAdapter, type BayeuxMessage } from './faye-types';
import { SalesforceExtension } from './salesforce-extension';
import { SessionEngine } from './session-engine';

export type { StoredEvent } from './event-store';
export { InvalidReplayIdError, REPLAY_FROM_EARLIEST, REPLAY_FROM_TIP } from './event-store';
export type {
  ChangeEventData,
  ChangeEventHeader,
  ChangeEventMessage,
  ChangeEventPayload,
} from './event-builder';
export { schemaIdFor } from './event-builder';
export { ALL_CHANGE_EVENTS_CHANNEL, entityChannel } from './channels';
export {
  DAILY_LIMIT_EXCEEDED,
  DEFAULT_DAILY_DELIVERY_ALLOCATION,
  DeliveryAllocation,
} from './delivery-allocation';

export type GapChangeType = 'GAP_CREATE' | 'GAP_UPDATE' | 'GAP_DELETE' | 'GAP_UNDELETE';

export interface CdcFeedOptions {
  /** Whether an OAuth access token is (still) valid; asked on every handshake and every connect. */
  validateToken(token: string): boolean;
  /**
   * The org's newest API version: `/cometd/<v>` is served for 37.0 <= v <= apiVersion (Salesforce's streaming
   * minimum up to the newest release); other versions fall through to the REST app's 404. No upper bound if unset.
   */
  apiVersion?: string;
  retention?: { maxEvents?: number; maxAgeMs?: number };
  now?: () => number;
  /** Long-poll timeout in seconds (Salesforce: 110). Tests use ~1 so polls and shutdowns are quick. */
  longPollTimeoutSeconds?: number;
  /** commitUser for changes whose fields name no LastModifiedById/CreatedById. */
  defaultCommitUser?: string;
  /** Daily event delivery allocation (default: Enterprise Edition's 25,000). */
  dailyDeliveryAllocation?: number;
}

export interface CdcFeed {
  /** Hand this to the record store: every committed write becomes one change event. */
  readonly sink: ChangeSink;
  /** Serves `/cometd/<version>` on `server`; every other request still reaches the handlers already on it. */
  attach(server: Server): void;
  /** Control routes, mount at `/__sandbox/cometd`. */
  controlRouter(): Router;
  /** Ends every CometD session now (as a Salesforce session timeout does); returns how many were ended. */
  disconnectAll(): number;
  /** Ends every session every `everyMs` milliseconds; 0 stops. */
  dropEvery(everyMs: number): void;
  /** Client sessions ended by disconnectAll/dropEvery since start (evidence that drops really happened). */
  droppedSessions(): number;
  /** CometD sessions open now (the concurrent-client count of `limits`). */
  clientCount(): number;
  /** The daily event delivery allocation: counted on every delivery, enforced past its maximum. */
  readonly deliveries: DeliveryAllocation;
  publishGap(entityName: CdcEntity, changeType: GapChangeType, recordIds: string[]): StoredEvent;
  publishOverflow(entityName: CdcEntity): StoredEvent;
  retained(): readonly StoredEvent[];
  /** Forgets retained events, ends sessions and stops periodic drops. replayIds keep increasing. */
  reset(): void;
  close(): Promise<void>;
}

/** `/cometd/62.0`; `/cometd/replay/<v>` is the 36.0-only replay endpoint jsforce uses for generic channels. */
const COMETD_PATH = /^\/cometd\/(replay\/)?(\d+\.\d)\/?$/;
const MIN_STREAMING_VERSION = 37;

function cometdMatcher(apiVersion: string | undefined): (request: IncomingMessage) => boolean {
  const newest = apiVersion === undefined ? Infinity : Number(apiVersion);
  return (request) => {
    const match = COMETD_PATH.exec((request.url ?? '').split('?')[0] ?? '');
    if (!match) return false;
    const version = Number(match[2]);
    return match[1] ? version === 36 : version >= MIN_STREAMING_VERSION && version <= newest;
  };
}

export function createCdcFeed(opts: CdcFeedOptions): CdcFeed {
  const now = opts.now ?? Date.now;
  const store = new EventStore(
    {
      maxEvents: opts.retention?.maxEvents ?? DEFAULT_RETENTION.maxEvents,
      maxAgeMs: opts.retention?.maxAgeMs ?? DEFAULT_RETENTION.maxAgeMs,
    },
    now,
  );
  const commitNumbers = new CommitNumbers();
  const commitUser = opts.defaultCommitUser ?? DEFAULT_COMMIT_USER;
  const isCometdRequest = cometdMatcher(opts.apiVersion);
  const deliveries = new DeliveryAllocation(opts.dailyDeliveryAllocation, now);

  let engine: SessionEngine | undefined;
  const adapter = createNodeAdapter({
    mount: '/cometd',
    timeout: opts.longPollTimeoutSeconds ?? 110,
    engine: { type: { create: (proxy) => (engine = new SessionEngine(proxy, deliveries)) } },
  });
  const sessions = (): SessionEngine => {
    if (!engine) throw new Error('faye did not create its storage engine');
    return engine;
  };

  adapter.addExtension(
    new SalesforceExtension({
      validateToken: (token) => opts.validateToken(token),
      checkReplay: (channel, replayFrom) => void store.replay(channel, replayFrom),
      replayTo: (clientId, channel, replayFrom) => {
        const events = store.replay(channel, replayFrom);
        sessions().enqueue(
          clientId,
          events.map((event) => toMessage(channel, event) as unknown as BayeuxMessage),
        );
      },
      endSession: (clientId) => sessions().destroyClient(clientId),
      firstConnect: (clientId) => sessions().markConnected(clientId),
      deliveryLimitReached: () => deliveries.exhausted(),
    }),
  );

  const publish = (change: RecordChange): StoredEvent => {
    const event = store.append(change.entityName, (replayId) =>
      buildEventData(change, replayId, commitNumbers.for(change.transactionKey), commitUser),
    );
    // Same event on both channels; the message's channel tells the client which subscription it is for.
    for (const channel of [event.channel, ALL_CHANGE_EVENTS_CHANNEL]) {
      sessions().publish(toMessage(channel, event) as unknown as BayeuxMessage, [channel]);
    }
    return event;
  };

  const headerOnly = (entityName: CdcEntity, changeType: ChangeType, recordIds: string[]): RecordChange => ({
    entityName,
    changeType,
    recordIds,
    changedFields: [],
    fields: {},
    // Gap and overflow events are raised by the platform, not by an API client.
    changeOrigin: '',
    commitTimestamp: now(),
    transactionKey: randomUUID(),
    sequenceNumber: 1,
  });

  let dropTimer: NodeJS.Timeout | undefined;
  let dropped = 0;
  const disconnectAll = (): number => {
    const ids = sessions().clientIds();
    for (const clientId of ids) sessions().destroyClient(clientId);
    dropped += ids.length;
    return ids.length;
  };
  const dropEvery = (everyMs: number): void => {
    clearInterval(dropTimer);
    dropTimer = undefined;
    if (everyMs > 0) {
      dropTimer = setInterval(disconnectAll, everyMs);
      dropTimer.unref();
    }
  };

  const feed: CdcFeed = {
    sink: { publish: (change) => void publish(change) },
    attach(server) {
      // Like faye's own attach(), but routed on the exact Salesforce path so /cometd-lookalikes fall through to
      // express's 404, and without the WebSocket upgrade handler: Salesforce only does long-polling.
      const previous = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
      server.removeAllListeners('request');
      server.on('request', (request: IncomingMessage, response: ServerResponse) => {
        if (isCometdRequest(request)) return adapter.handle(request, response);
        for (const listener of previous) listener.call(server, request, response);
      });
    },
    controlRouter: () => createControlRouter(feed),
    disconnectAll,
    dropEvery,
    droppedSessions: () => dropped,
    clientCount: () => sessions().clientIds().length,
    deliveries,
    publishGap: (entityName, changeType, recordIds) =>
      publish(headerOnly(entityName, changeType, [...recordIds])),
    publishOverflow: (entityName) => publish(headerOnly(entityName, 'GAP_OVERFLOW', [])),
    retained: () => store.retained(),
    reset() {
      dropEvery(0);
      disconnectAll();
      store.clear();
      deliveries.reset();
    },
    async close() {
      dropEvery(0);
      // Answers every pending long-poll so the HTTP server can close, then forgets all sessions.
      adapter.close();
    },
  };
  return feed;
}
