/**
 * One Temporal client per command, from the TEMPORAL_* connection variables (address, namespace, TLS or
 * API key, profile) and the payload encryption keys, resolved by common/temporal-connection.ts.
 */
import type { Client } from '@temporalio/client';
import type { TemporalEnv } from '../../common/env';
import { connectClient, readTemporalConnection } from '../../common/temporal-connection';

export interface TemporalSession {
  client: Client;
  temporal: TemporalEnv;
}

export async function withTemporal<T>(
  env: NodeJS.ProcessEnv,
  fn: (session: TemporalSession) => Promise<T>,
): Promise<T> {
  const settings = readTemporalConnection(env);
  // A TemporalUnreachableError (exit 1) names the address and what to check when this fails.
  const connected = await connectClient(settings, { connectTimeout: '5s' });
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
