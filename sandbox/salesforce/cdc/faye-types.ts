/**
 * The slice of faye's server internals the CDC feed relies on. faye ships no TypeScript types, and jsforce's
 * bundled `declare module 'faye'` only covers the client, so the server side is typed here, narrowly.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A Bayeux message as it crosses the wire. Everything is `unknown` because clients may send anything. */
export interface BayeuxMessage {
  channel?: unknown;
  clientId?: unknown;
  id?: unknown;
  subscription?: unknown;
  ext?: unknown;
  data?: unknown;
  error?: string;
  successful?: boolean;
  advice?: Record<string, unknown>;
  supportedConnectionTypes?: unknown;
  [key: string]: unknown;
}

export type ExtensionCallback = (message: BayeuxMessage | null) => void;

/**
 * A faye server extension. faye passes the HTTP request only to methods declared with three parameters
 * (it checks `fn.length`), so both methods must keep that arity.
 */
export interface ServerExtension {
  incoming(message: BayeuxMessage, request: IncomingMessage | null, callback: ExtensionCallback): void;
  outgoing(message: BayeuxMessage, request: IncomingMessage | null, callback: ExtensionCallback): void;
}

/** faye's Engine.Proxy, as seen by a storage engine it creates (see faye/src/engines/proxy.js). */
export interface EngineProxy {
  /** Long-poll timeout in seconds. */
  readonly timeout: number;
  trigger(event: string, ...args: unknown[]): void;
  hasConnection(clientId: string): boolean;
  deliver(clientId: string, messages: BayeuxMessage[] | undefined): boolean;
  /** Answers the client's pending long poll now, with whatever it has been delivered. */
  flushConnection(clientId: string, close?: boolean): void;
}

/** What faye's Engine.Proxy calls on its storage engine (the contract faye's own Memory engine fulfils). */
export interface StorageEngine {
  createClient(callback: (clientId: string) => void, context?: unknown): void;
  clientExists(clientId: string, callback: (exists: boolean) => void, context?: unknown): void;
  destroyClient(clientId: string, callback?: () => void, context?: unknown): void;
  ping(clientId: string): void;
  subscribe(clientId: string, channel: string, callback?: (ok: boolean) => void, context?: unknown): void;
  unsubscribe(clientId: string, channel: string, callback?: (ok: boolean) => void, context?: unknown): void;
  publish(message: BayeuxMessage, channels: string[]): void;
  emptyQueue(clientId: string): void;
  disconnect(): void;
}

export interface StorageEngineClass {
  create(proxy: EngineProxy, options: unknown): StorageEngine;
}

export interface NodeAdapterOptions {
  mount: string;
  /** Long-poll timeout in seconds. */
  timeout: number;
  engine: { type: StorageEngineClass };
}

export interface NodeAdapter {
  addExtension(extension: ServerExtension): void;
  handle(request: IncomingMessage, response: ServerResponse): void;
  close(): void;
}

interface FayeModule {
  NodeAdapter: new (options: NodeAdapterOptions) => NodeAdapter;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- faye has no type declarations to import against
const faye = require('faye') as FayeModule;

export function createNodeAdapter(options: NodeAdapterOptions): NodeAdapter {
  return new faye.NodeAdapter(options);
}
