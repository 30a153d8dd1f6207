/**
 * Runs an activity body and converts the classified API errors it throws into ApplicationFailures
 * with the retry behaviour their type calls for (see activities/failures.ts).
 */
import { Context } from '@temporalio/activity';
import { toApplicationFailure, type BackoffSettings } from '../failures';

export async function runClassified<T>(
  backoff: BackoffSettings | undefined,
  body: () => Promise<T>,
): Promise<T> {
  try {
    return await body();
  } catch (err) {
    throw toApplicationFailure(err, Context.current().info.attempt, backoff);
  }
}

/** Attempts after the first may follow a worker that died mid-write: check before writing again. */
export function isRetryAttempt(): boolean {
  return Context.current().info.attempt > 1;
}
