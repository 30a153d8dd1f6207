/**
 * faye storage engine for the CDC feed. It does what faye's in-memory engine does, plus the two things the
 * sandbox needs and faye's engine keeps private: listing sessions (to drop them all, as a Salesforce session
 * timeout does) and queueing messages for one client only (replayed events belong to the subscriber that asked).
 */
import { randomBytes } from 'node:crypto';
import type { DeliveryAllocation } from './delivery-allocation';
import type { BayeuxMessage, EngineProxy, StorageEngine } from './faye-types';

const isEvent = (message: BayeuxMessage) =>
  typeof message.channel === 'string' && message.channel.startsWith('/data/');

export class SessionEngine implements StorageEngine {
  private readonly clients = new Map<string, Set<string>>();
  private readonly channels = new Map<string, Set<string>>();
  private readonly queues = new Map<string, BayeuxMessage[]>();
  private readonly expiry = new Map<string, NodeJS.Timeout>();
  /** Sessions that have sent at least one /meta/connect. */
  private readonly connected = new Set<string>();

  constructor(
    private readonly proxy: EngineProxy,
    private readonly deliveries: DeliveryAllocation,
  ) {}

  createClient(callback: (clientId: string) => void, context?: unknown): void {
    let clientId: string;
    do {
      // Salesforce client ids are opaque lowercase base-36 strings.
      clientId = BigInt(`0x${randomBytes(16).toString('hex')}`).toString(36);
    } while (this.clients.has(clientId));
    this.clients.set(clientId, new Set());
    this.ping(clientId);
    this.proxy.trigger('handshake', clientId);
    callback.call(context, clientId);
  }

  clientExists(clientId: string, callback: (exists: boolean) => void, context?: unknown): void {
    callback.call(context, typeof clientId === 'string' && this.clients.has(clientId));
  }

  destroyClient(clientId: string, callback?: () => void, context?: unknown): void {
    const subscriptions = this.clients.get(clientId);
    if (!subscriptions) return;
    for (const channel of subscriptions) this.unsubscribe(clientId, channel);
    clearTimeout(this.expiry.get(clientId));
    this.expiry.delete(clientId);
    this.clients.delete(clientId);
    this.connected.delete(clientId);
    this.queues.delete(clientId);
    this.proxy.trigger('disconnect', clientId);
    // The proxy answers the client's pending long-poll on 'close'; its next /meta/connect meets "Unknown client".
    this.proxy.trigger('close', clientId);
    callback?.call(context);
  }

  /** Every /meta/connect renews the session; one that stops polling expires after two long-poll periods. */
  ping(clientId: string): void {
    if (!this.clients.has(clientId)) return;
    clearTimeout(this.expiry.get(clientId));
    const timer = setTimeout(() => this.destroyClient(clientId), 2 * this.proxy.timeout * 1000);
    timer.unref();
    this.expiry.set(clientId, timer);
  }

  /** Notes a /meta/connect; true when it is the session's first (unknown sessions: false). */
  markConnected(clientId: string): boolean {
    if (!this.clients.has(clientId) || this.connected.has(clientId)) return false;
    this.connected.add(clientId);
    return true;
  }

  subscribe(clientId: string, channel: string, callback?: (ok: boolean) => void, context?: unknown): void {
    const subscriptions = this.clients.get(clientId);
    if (subscriptions && !subscriptions.has(channel)) {
      subscriptions.add(channel);
      let subscribers = this.channels.get(channel);
      if (!subscribers) this.channels.set(channel, (subscribers = new Set()));
      subscribers.add(clientId);
      this.proxy.trigger('subscribe', clientId, channel);
    }
    callback?.call(context, true);
  }

  unsubscribe(clientId: string, channel: string, callback?: (ok: boolean) => void, context?: unknown): void {
    const removed = this.clients.get(clientId)?.delete(channel) ?? false;
    const subscribers = this.channels.get(channel);
    subscribers?.delete(clientId);
    if (subscribers?.size === 0) this.channels.delete(channel);
    if (removed) this.proxy.trigger('unsubscribe', clientId, channel);
    callback?.call(context, true);
  }

  /** `channels` is the channel plus its wildcard expansions (faye's Proxy computes them). */
  publish(message: BayeuxMessage, channels: string[]): void {
    const recipients = new Set<string>();
    for (const channel of channels)
      for (const clientId of this.channels.get(channel) ?? []) recipients.add(clientId);
    for (const clientId of recipients) this.enqueue(clientId, [message]);
    this.proxy.trigger('publish', message.clientId, message.channel, message.data);
  }

  /** Queues messages for one client only, in order, and hands them over if it has a long-poll open. */
  enqueue(clientId: string, messages: readonly BayeuxMessage[]): void {
    if (!this.clients.has(clientId) || messages.length === 0) return;
    let queue = this.queues.get(clientId);
    if (!queue) this.queues.set(clientId, (queue = []));
    // Each client gets its own copy: faye strips fields from delivered messages.
    for (const message of messages) queue.push(structuredClone(message));
    this.emptyQueue(clientId);
  }

  /**
   * Hands the client its queued messages if it has a long poll open. Every change event delivered counts
   * against the org's daily delivery allocation; past it the rest are dropped for this client (they stay in
   * the event bus for replay) and the long poll is answered at once, carrying the limit error.
   */
  emptyQueue(clientId: string): void {
    if (!this.proxy.hasConnection(clientId)) return;
    const queue = this.queues.get(clientId) ?? [];
    this.queues.delete(clientId);
    let allowed = this.deliveries.take(queue.filter(isEvent).length);
    const out = queue.filter((message) => !isEvent(message) || allowed-- > 0);
    this.proxy.deliver(clientId, out);
    if (this.deliveries.exhausted()) this.proxy.flushConnection(clientId);
  }

  clientIds(): string[] {
    return [...this.clients.keys()];
  }

  disconnect(): void {
    for (const timer of this.expiry.values()) clearTimeout(timer);
    this.expiry.clear();
    this.clients.clear();
    this.connected.clear();
    this.channels.clear();
    this.queues.clear();
  }
}
