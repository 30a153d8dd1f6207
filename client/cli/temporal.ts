/**
 * One Temporal client per command, from the TEMPORAL_* connection variables (address, namespace, TLS or
 * API key, profile) and the payload encryption keys, resolved by worker/temporal-connection.ts.
 */
import type { Client, Connection } from '@temporalio/client';
import type { TemporalEnv } from '../../worker/env';
import { connectClient, describeConnection, readTemporalConnection } from '../../worker/temporal-connection';
import { CliError } from './errors';

export interface TemporalSession {
  client: Client;
  temporal: TemporalEnv;
}

export async function withTemporal<T>(
  env: NodeJS.ProcessEnv,
  fn: (session: TemporalSession) => Promise<T>,
): Promise<T> {
  const settings = readTemporalConnection(env);
  let connected: { connection: Connection; client: Client };
  try {
    connected = await connectClient(settings, { connectTimeout: '5s' });
  } catch (err) {
    throw new CliError(
      'TEMPORAL_UNREACHABLE',
      `cannot connect to Temporal at ${describeConnection(settings)}: ${(err as Error).message}; start it (npm start) or set TEMPORAL_ADDRESS`,
    );
  }
  try {
    return await fn({ client: connected.client, temporal: settings.env });
  } finally {
    await connected.connection.close();
  }
}

/** Quotes a value for a visibility query (double quotes, escaped). */
export function q(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Record workflows of this deployment (its task queue), optionally of one object. */
export function recordWorkflowQuery(taskQueue: string, object?: string): string {
  return [
    `WorkflowType = "syncRecord"`,
    `TaskQueue = ${q(taskQueue)}`,
    ...(object ? [`SalesforceObject = ${q(object)}`] : []),
  ].join(' AND ');
}
