/**
 * The Zendesk half of the conformance suite drives the Zendesk sandbox with node-zendesk, an independent
 * client product code does not use (product code uses got). Its traffic goes through node-zendesk's own
 * `transportConfig` hook to Node's fetch, with every request body and 2xx response checked against
 * Zendesk's OAS on the way (test/helpers/zendesk-openapi.ts).
 */
import { createClient, type ZendeskClient } from 'node-zendesk';
import {
  startZendeskSandbox,
  type ZendeskSandbox,
  type ZendeskSandboxOptions,
} from '../../sandbox/zendesk/index';
import { oasCheckingTransport } from '../helpers/zendesk-openapi';

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
