/**
 * Runs an activity body and turns what it throws into an ApplicationFailure with an explicit type and
 * the retry decision of that type (activities/failures.ts, workflows/failure-types.ts).
 *
 * A failed attempt that will be retried is made visible before it is reported to Temporal:
 * - its failure counts go into the heartbeat details, which the next attempt reads, so each type backs
 *   off by its own count (a 429 does not lengthen the wait after a 5xx);
 * - a record pass's activity signals its record workflow (`retrying`) with the type, message and
 *   attempt, which the workflow shows in `state`, the SyncRetrying/SyncAttempt search attributes and
 *   its details; the signal is sent before the failure, so it lands before the retry can complete;
 * - `sfzd_activity_failures_total{failure,decision}` counts it.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { retryingSignal } from '../../workflows/record-messages';
import type { RetryReport } from '../../workflows/sync-types';
import { countActivityFailure } from '../metrics';
import {
  classify,
  decideRetry,
  isCancellation,
  readLedger,
  type BackoffSettings,
  type RetryDecision,
} from '../failures';

export interface ClassifiedDeps {
  backoff?: BackoffSettings;
  /** Signals the record workflow that its activity is retrying. */
  temporal: Client;
}

/** The workflow type of record workflows (workflows/sync-record.ts), whose passes show retries. */
const RECORD_WORKFLOW_TYPE = 'syncRecord';
/** A report must not hold the retry back for long when Temporal is slow to take the signal. */
const REPORT_TIMEOUT_MS = 5_000;

export async function runClassified<T>(deps: ClassifiedDeps, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    if (isCancellation(err)) throw err;
    const ctx = Context.current();
    const now = Date.now();
    const decision = decideRetry(classify(err), readLedger(ctx.info.heartbeatDetails), now, deps.backoff);
    countActivityFailure(decision.type, decision.retry ? 'retry' : decision.gaveUp ? 'gave-up' : 'fail');
    if (decision.retry) {
      ctx.heartbeat(decision.ledger);
      // No message: it can quote record values, which stay out of logs below DEBUG.
      ctx.log.warn('activity failed, retrying', {
        failure: decision.type,
        failuresOfType: decision.count,
        nextRetryInMs: decision.delayMs,
      });
      await reportRetry(deps.temporal, decision, now);
    } else if (decision.gaveUp) {
      ctx.log.warn('activity failed, retries exhausted', {
        failure: decision.type,
        failuresOfType: decision.count,
      });
    }
    throw decision.failure;
  }
}

async function reportRetry(client: Client, decision: RetryDecision, now: number): Promise<void> {
  const ctx = Context.current();
  const { info } = ctx;
  if (info.workflowType !== RECORD_WORKFLOW_TYPE || !info.workflowExecution) return;
  const iso = (ms: number) => new Date(ms).toISOString();
  const report: RetryReport = {
    activity: info.activityType,
    failure: decision.type,
    message: decision.message,
    attempt: info.attempt,
    since: iso(decision.ledger.since),
    at: iso(now),
    nextRetryAt: iso(now + (decision.delayMs ?? 0)),
    ...(decision.giveUpAt !== undefined ? { giveUpAt: iso(decision.giveUpAt) } : {}),
  };
  const { workflowId, runId } = info.workflowExecution;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.workflow.getHandle(workflowId, runId).signal(retryingSignal, report),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), REPORT_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    // Best effort: the retry itself still happens, and the UI shows the pending activity's attempts.
    ctx.log.warn('could not report the retry to the record workflow', { error: (err as Error).message });
  } finally {
    clearTimeout(timer);
  }
}

/** Attempts after the first may follow a worker that died mid-write: check before writing again. */
export function isRetryAttempt(): boolean {
  return Context.current().info.attempt > 1;
}
