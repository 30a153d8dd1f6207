// Shared setup for the Salesforce REST sandbox tests: a sandbox on an ephemeral loopback port and a
// jsforce Connection logged in with the client-credentials flow, exactly as the sync would connect.
import jsforce, { type Connection } from 'jsforce';
import type { ChangeSink, RecordChange } from '../../sandbox/salesforce/change-events';
import {
  startSalesforceSandbox,
  type SalesforceSandbox,
  type SalesforceSandboxOptions,
} from '../../sandbox/salesforce/index';

export const API_VERSION = '60.0';

export class RecordingSink implements ChangeSink {
  readonly changes: RecordChange[] = [];
  publish(change: RecordChange): void {
    this.changes.push(change);
  }
  clear(): void {
    this.changes.length = 0;
  }
}

export async function startTestSandbox(opts: SalesforceSandboxOptions = {}): Promise<SalesforceSandbox> {
  return startSalesforceSandbox({ port: 0, longPollTimeoutSeconds: 1, ...opts });
}

export function newConnection(sb: SalesforceSandbox, extra: Record<string, unknown> = {}): Connection {
  return new jsforce.Connection({
    oauth2: { clientId: 'sandbox', clientSecret: 'sandbox', loginUrl: sb.url },
    version: API_VERSION,
    ...extra,
  });
}

export async function clientCredentialsConnection(
  sb: SalesforceSandbox,
  extra: Record<string, unknown> = {},
): Promise<Connection> {
  const conn = newConnection(sb, extra);
  await conn.authorize({ grant_type: 'client_credentials' });
  return conn;
}

/** Plain HTTP against the sandbox (for malformed requests jsforce would never send). */
export async function raw(
  sb: SalesforceSandbox,
  method: string,
  path: string,
  opts: { token?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const res = await fetch(`${sb.url}${path}`, {
    method,
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...opts.headers,
    },
    ...(opts.body !== undefined ? { body: opts.body } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body };
}

/** Runs `fn` and returns what it threw (failing when it does not throw). */
export async function thrown(
  fn: () => PromiseLike<unknown>,
): Promise<Error & { errorCode?: string; name: string }> {
  try {
    await fn();
  } catch (err) {
    return err as Error & { errorCode?: string };
  }
  throw new Error('expected the call to fail');
}

/** Polls `condition` every 10 ms until it holds, failing after `timeoutMs`. */
export async function until(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
