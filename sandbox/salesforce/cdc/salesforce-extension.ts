/**
 * The faye server extension that makes the Bayeux conversation look like Salesforce's: OAuth checks on
 * handshake and connect, the CDC channel allow-list, no client publishing, replay positions on subscribe,
 * and Salesforce's error strings and advice in the replies.
 *
 * Both hooks run synchronously: faye subscribes the client and then passes the reply through `outgoing`
 * in the same tick, so queueing replayed events there puts them ahead of any live event.
 */
import type { IncomingMessage } from 'node:http';
import { isCdcChannel } from './channels';
import { DAILY_LIMIT_EXCEEDED } from './delivery-allocation';
import { InvalidReplayIdError } from './event-store';
import type { BayeuxMessage, ExtensionCallback, ServerExtension } from './faye-types';

export const HANDSHAKE_DENIED = '403::Handshake denied';
export const AUTHENTICATION_INVALID = '401::Authentication invalid';
export const UNKNOWN_CLIENT = '403::Unknown client';
export const UNKNOWN_CHANNEL = '403::Unknown channel';
export const PUBLISH_DENIED = '403::Publish denied';

export interface SalesforceExtensionDeps {
  validateToken(token: string): boolean;
  /** Throws InvalidReplayIdError when `replayFrom` is outside the retained window. */
  checkReplay(channel: string, replayFrom: unknown): void;
  /** Called once the subscription exists, before the reply leaves: queue the replayed events now. */
  replayTo(clientId: string, channel: string, replayFrom: unknown): void;
  /** Ends a session whose token stopped being valid. */
  endSession(clientId: string): void;
  /** Records that the session sent a /meta/connect; true for its first one since the handshake. */
  firstConnect(clientId: string): boolean;
  /** Whether the org used up its daily event delivery allocation. */
  deliveryLimitReached(): boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** jsforce sends `Authorization: OAuth <token>`; `Bearer` is accepted too, as Salesforce does. */
export function tokenFrom(request: IncomingMessage | null): string | undefined {
  const header = request?.headers.authorization;
  const match = typeof header === 'string' ? /^(?:OAuth|Bearer)\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

function subscriptionsOf(message: BayeuxMessage): string[] | undefined {
  const { subscription } = message;
  if (typeof subscription === 'string') return [subscription];
  if (Array.isArray(subscription) && subscription.every((s) => typeof s === 'string')) return subscription;
  return undefined;
}

export class SalesforceExtension implements ServerExtension {
  /** Replay positions accepted on /meta/subscribe, waiting for the matching reply. Keyed by clientId + message id. */
  private readonly pendingReplays = new Map<string, Map<string, unknown>>();

  constructor(private readonly deps: SalesforceExtensionDeps) {}

  incoming(message: BayeuxMessage, request: IncomingMessage | null, callback: ExtensionCallback): void {
    if (isRecord(message)) {
      try {
        this.screen(message, request);
      } catch (err) {
        message.error =
          err instanceof InvalidReplayIdError ? `400::${err.message}` : '500::Internal server error';
      }
    }
    callback(message);
  }

  outgoing(message: BayeuxMessage, _request: IncomingMessage | null, callback: ExtensionCallback): void {
    if (isRecord(message)) this.dress(message);
    callback(message);
  }

  private screen(message: BayeuxMessage, request: IncomingMessage | null): void {
    const valid = () => {
      const token = tokenFrom(request);
      return token !== undefined && this.deps.validateToken(token);
    };
    switch (message.channel) {
      case '/meta/handshake':
        if (!valid()) message.error = HANDSHAKE_DENIED;
        return;
      case '/meta/connect': {
        const { clientId } = message;
        if (!valid()) {
          message.error = AUTHENTICATION_INVALID;
          // After faye has answered with our error: ending the session first would turn it into "Unknown client".
          if (typeof clientId === 'string') setImmediate(() => this.deps.endSession(clientId));
          return;
        }
        // CometD servers answer a session's first /meta/connect at once, whether or not the client sends
        // `advice: {timeout: 0}` with it ("Support old clients that do not send advice:{timeout:0} on the
        // first connect": a connect is held only when the session was already connected), see
        // https://github.com/cometd/cometd/blob/master/cometd-java/cometd-java-server/cometd-java-server-common/src/main/java/org/cometd/server/http/AbstractHttpTransport.java
        // faye holds every connect unless its advice says otherwise, so the first one gets timeout 0 here.
        if (typeof clientId === 'string' && this.deps.firstConnect(clientId)) {
          message.advice = { ...(isRecord(message.advice) ? message.advice : {}), timeout: 0 };
        }
        return;
      }
      case '/meta/subscribe':
        this.screenSubscribe(message);
        return;
      case '/meta/unsubscribe':
      case '/meta/disconnect':
        return;
      default:
        // Change events come only from the org; Salesforce clients cannot publish to /data channels.
        if (typeof message.channel === 'string' && !message.channel.startsWith('/meta/'))
          message.error = PUBLISH_DENIED;
    }
  }

  private screenSubscribe(message: BayeuxMessage): void {
    const channels = subscriptionsOf(message);
    if (!channels) return; // faye answers "Missing required parameter" itself.
    if (!channels.every(isCdcChannel)) {
      message.error = UNKNOWN_CHANNEL;
      return;
    }
    const ext = isRecord(message.ext) ? message.ext : {};
    const replay = isRecord(ext.replay) ? ext.replay : {};
    const positions = new Map<string, unknown>();
    for (const channel of channels) {
      this.deps.checkReplay(channel, replay[channel]);
      positions.set(channel, replay[channel]);
    }
    // faye copies a non-empty clientId into the reply, which is how the reply finds these positions again.
    if (typeof message.clientId === 'string' && message.clientId !== '') {
      this.pendingReplays.set(replyKey(message), positions);
    }
  }

  private dress(message: BayeuxMessage): void {
    if (typeof message.error === 'string' && /^401:[^:]*:Unknown client$/.test(message.error)) {
      // faye says "401:<id>:Unknown client"; Salesforce says "403::Unknown client" and asks for a new handshake.
      message.error = UNKNOWN_CLIENT;
      message.advice = { reconnect: 'handshake', interval: 0 };
    }
    switch (message.channel) {
      case '/meta/handshake': {
        message.supportedConnectionTypes = ['long-polling'];
        message.minimumVersion = '1.0';
        const ext: Record<string, unknown> = { ...(isRecord(message.ext) ? message.ext : {}), replay: true };
        ext['payload.format'] = true;
        if (message.error === HANDSHAKE_DENIED) {
          ext.sfdc = { failureReason: AUTHENTICATION_INVALID };
          message.advice = { reconnect: 'none' };
        }
        message.ext = ext;
        return;
      }
      case '/meta/connect':
        if (message.error === AUTHENTICATION_INVALID) message.advice = { reconnect: 'none' };
        else if (message.successful === true && this.deps.deliveryLimitReached()) {
          // Salesforce documents the error and that it comes on /meta/connect, when a subscriber first
          // connects or on an existing connection (see delivery-allocation.ts); the advice is the sandbox's:
          // retrying cannot help until the rolling 24 hours free some allocation.
          message.successful = false;
          message.error = DAILY_LIMIT_EXCEEDED;
          message.advice = { reconnect: 'none', interval: 0 };
        }
        return;
      case '/meta/subscribe':
        this.replayAfterSubscribe(message);
        return;
    }
  }

  private replayAfterSubscribe(message: BayeuxMessage): void {
    if (typeof message.clientId !== 'string') return;
    const key = replyKey(message);
    const positions = this.pendingReplays.get(key);
    this.pendingReplays.delete(key);
    if (!positions || message.successful !== true) return;
    for (const [channel, replayFrom] of positions) this.deps.replayTo(message.clientId, channel, replayFrom);
  }
}

function replyKey(message: BayeuxMessage): string {
  return `${String(message.clientId)}\u0000${JSON.stringify(message.id ?? null)}`;
}
