/**
 * The Zendesk half of the conformance suite drives the Zendesk sandbox with node-zendesk, an independent
 * client product code does not use (product code uses got). Its traffic goes through node-zendesk's own
 * `transportConfig` hook to Node's fetch, with every request body and 2xx response checked against
 * Zendesk's OAS on the way (test/helpers/zendesk-openapi.ts).
 */
import assert from 'node:assert/strict';
import { createClient, type ZendeskClient } from 'node-zendesk';
import {
  startZendeskSandbox,
  type ZendeskSandbox,
  type ZendeskSandboxOptions,
} from '../../sandbox/zendesk/index';
import { oasCheckingTransport, oasMismatches } from '../helpers/zendesk-openapi';

export interface ConformanceZendesk {
  sandbox: ZendeskSandbox;
  client: ZendeskClient;
  close(): Promise<void>;
}

export async function startConformanceZendesk(opts: ZendeskSandboxOptions = {}): Promise<ConformanceZendesk> {
  const sandbox = await startZendeskSandbox({ port: 0, jobDelayMs: 30, ...opts });
  const client = createClient({
    username: 'admin@sandbox.test',
    token: 'sandbox',
    endpointUri: `${sandbox.url}/api/v2`,
    transportConfig: oasCheckingTransport(),
    // Failed calls throw node-zendesk's own error, with `statusCode` and the parsed body in `result`.
    throwOriginalException: true,
  });
  return { sandbox, client, close: () => sandbox.close() };
}

/** A job_status as node-zendesk hands it back (from a bulk call or `jobstatuses.watch`). */
export interface JobStatus {
  id: string;
  status: string;
  total: number;
  results: { id?: number; index?: number; success?: boolean; error?: string; details?: string }[] | null;
}

/**
 * Starts a sandbox and its node-zendesk client before the calling suite and closes it after, then
 * asserts that none of node-zendesk's traffic broke the OAS. Returns the running pair.
 */
export function useConformanceZendesk(opts: () => ZendeskSandboxOptions): () => ConformanceZendesk {
  let running: ConformanceZendesk | undefined;
  before(async () => {
    running = await startConformanceZendesk(opts());
  });
  after(async () => {
    await running?.close();
    assert.deepEqual(
      oasMismatches.map((m) => m.message),
      [],
    );
  });
  return () => {
    if (!running) throw new Error('the conformance sandbox is not running');
    return running;
  };
}

/** node-zendesk's generic GET (`client.users.get([...])`) for endpoints it has no method for. */
export async function getRaw<T>(client: ZendeskClient, path: (string | number | object)[]): Promise<T> {
  const { result } = (await client.users.get(path)) as unknown as { result: T };
  return result;
}

/** node-zendesk reports a failed call as an Error with the HTTP status in `statusCode`. */
export async function failure(
  call: Promise<unknown>,
): Promise<{ statusCode?: number; message: string; result?: unknown }> {
  try {
    await call;
  } catch (err) {
    return err as { statusCode?: number; message: string; result?: unknown };
  }
  throw new Error('expected the call to fail');
}
