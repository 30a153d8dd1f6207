/** One Temporal client per command, from TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / TEMPORAL_TASK_QUEUE. */
import { Client, Connection } from '@temporalio/client';
import { readTemporalEnv, type TemporalEnv } from '../../worker/env';
import { CliError } from './errors';

export interface TemporalSession {
  client: Client;
  temporal: TemporalEnv;
}

export async function withTemporal<T>(
  env: NodeJS.ProcessEnv,
  fn: (session: TemporalSession) => Promise<T>,
): Promise<T> {
  const temporal = readTemporalEnv(env);
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: temporal.TEMPORAL_ADDRESS, connectTimeout: '5s' });
  } catch (err) {
    throw new CliError(
      'TEMPORAL_UNREACHABLE',
      `cannot connect to Temporal at ${temporal.TEMPORAL_ADDRESS}: ${(err as Error).message}; start it (npm start) or set TEMPORAL_ADDRESS`,
    );
  }
  try {
    return await fn({ client: new Client({ connection, namespace: temporal.TEMPORAL_NAMESPACE }), temporal });
  } finally {
    await connection.close();
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
