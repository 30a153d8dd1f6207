/**
 * One CometD subscription to one CDC channel through jsforce's streaming client (faye, long-polling).
 *
 * One faye client per channel, because jsforce's Replay extension writes `ext.replay = {<its channel>: id}`
 * on every /meta/subscribe: two Replay extensions on one client would overwrite each other's position.
 * The token is fixed per faye client (jsforce sets the Authorization header once), so re-authentication
 * means a new subscription; faye re-handshakes by itself after `403::Unknown client`.
 *
 * Salesforce's org-wide streaming limits are reported as failures of their own, before jsforce's
 * AuthFailure extension sees them (it takes any `advice.reconnect: none` for a rejected token), so the
 * listener neither logs in again for them nor retries them like a dropped connection.
 */
import type { Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/api/streaming';
import { streamingLimitOf, type StreamingLimit } from './streaming-limits';

type BayeuxMessage = {
  channel: string;
  successful?: boolean;
  error?: string;
  advice?: { reconnect?: string };
  ext?: Record<string, unknown>;
};
type Next = (message: BayeuxMessage) => void;

/** The parts of faye's client used here (faye ships no types). */
interface FayeClient {
  subscribe(
    channel: string,
    listener: (data: unknown) => void,
  ): { then(ok: () => void, fail: (err: { message?: string; code?: number }) => void): unknown };
  disconnect(): void;
}

export type SubscriptionFailure =
  | { kind: 'auth'; message: string }
  | { kind: 'subscribe'; message: string; invalidReplay: boolean }
  /** An org-wide streaming limit (streaming-limits.ts); the token is fine. */
  | { kind: 'limit'; limit: StreamingLimit; message: string };

export interface SubscriptionHandlers {
  onEvent(data: unknown): void;
  onSubscribed(): void;
  /** A `/meta/connect` succeeded: the server delivers to this client (no limit stands in the way). */
  onConnected(): void;
  onFailure(failure: SubscriptionFailure): void;
  /** faye handshook again on its own (the server forgot the session) and will resubscribe. */
  onRehandshake(): void;
}

/**
 * jsforce's Replay extension, except that the position it resubscribes from is the last *processed*
 * event (set by `advance`), not the last received one: after faye's own re-handshake the server replays
 * everything the listener has not handed off yet. Re-deliveries are dropped by replayId upstream.
 */
export class ProcessedReplay extends StreamingExtension.Replay {
  override incoming(message: BayeuxMessage, callback: Next): void {
    if (message.channel === '/meta/handshake') super.incoming(message, callback);
    else callback(message);
  }

  advance(replayId: number): void {
    this._replay = replayId;
  }
}

export class ChannelSubscription {
  /** Epoch ms of the last successful CometD reply; the supervisor rebuilds a client that went quiet. */
  lastContact = Date.now();
  subscribedAt: number | undefined;
  private readonly client: FayeClient;
  private readonly replay: ProcessedReplay;
  private closed = false;
  private handshakes = 0;

  constructor(
    conn: Connection,
    readonly channel: string,
    replayFrom: number,
    private readonly handlers: SubscriptionHandlers,
  ) {
    this.replay = new ProcessedReplay(channel, replayFrom);
    const monitor = { incoming: (message: BayeuxMessage, callback: Next) => this.observe(message, callback) };
    const authFailure = new StreamingExtension.AuthFailure((message: BayeuxMessage) => {
      const reason =
        message.ext?.sfdc && typeof message.ext.sfdc === 'object'
          ? (message.ext.sfdc as { failureReason?: string }).failureReason
          : undefined;
      this.fail({
        kind: 'auth',
        message: `${message.channel}: ${reason ?? message.error ?? 'authentication failed'}`,
      });
    });
    this.client = conn.streaming.createClient([monitor, this.replay, authFailure]) as unknown as FayeClient;
    this.client
      .subscribe(channel, (data) => {
        if (!this.closed) handlers.onEvent(data);
      })
      .then(
        () => {
          this.subscribedAt = Date.now();
          if (!this.closed) handlers.onSubscribed();
        },
        (err) => {
          const message = err?.message ?? 'subscribe failed';
          this.fail({
            kind: 'subscribe',
            message: `subscribe ${channel}: ${message}`,
            invalidReplay: /replayid/i.test(message),
          });
        },
      );
  }

  /** The position faye resubscribes from after a re-handshake. */
  advance(replayId: number): void {
    this.replay.advance(replayId);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.client.disconnect();
    } catch {
      // a client that never connected has nothing to disconnect
    }
  }

  private fail(failure: SubscriptionFailure): void {
    if (this.closed) return;
    this.handlers.onFailure(failure);
  }

  private observe(message: BayeuxMessage, callback: Next): void {
    if (message.channel.startsWith('/meta/') && message.successful) {
      this.lastContact = Date.now();
      if (message.channel === '/meta/handshake' && this.handshakes++ > 0 && !this.closed)
        this.handlers.onRehandshake();
      if (message.channel === '/meta/connect' && !this.closed) this.handlers.onConnected();
    }
    const limit = message.channel.startsWith('/meta/') ? streamingLimitOf(message.error) : undefined;
    if (limit) {
      // Not passed on: the AuthFailure extension would report it as a rejected token, and faye would act on
      // its advice. The listener closes this client and decides when to try again.
      this.fail({ kind: 'limit', limit, message: `${message.channel}: ${message.error as string}` });
      return;
    }
    callback(message);
  }
}
