/**
 * Heartbeats the given activity types, when they were scheduled with a heartbeat timeout, for as long as
 * they run. Only types that never heartbeat themselves: a heartbeat without details replaces the last
 * details an activity recorded, and some resume from them (the change listener's replayId).
 *
 * Why: a worker killed mid-activity (kill -9, OOM, a lost VM) sends no failure, so without heartbeats
 * Temporal only notices when the start-to-close timeout (2 minutes, sized for the slowest Zendesk wait)
 * expires, and the record's pass stalls that long. With a heartbeat every third of the timeout, another
 * worker takes the retry over within one heartbeat timeout (30 s for record passes). The sync
 * activities are short and idempotent, so they need no progress details, only proof of life; each beat
 * carries the details the attempt started with (the retry ledger of activities/failures.ts), so a worker
 * that dies mid-attempt does not reset the per-type failure counts the next attempt backs off by.
 */
import type { Context } from '@temporalio/activity';
import type { Next } from '@temporalio/common';
import type {
  ActivityExecuteInput,
  ActivityInboundCallsInterceptor,
  ActivityInterceptorsFactory,
} from '@temporalio/worker';

/** Never beat more often than this: the SDK throttles anyway, but a timer per activity costs. */
const MIN_INTERVAL_MS = 1_000;

export function heartbeatWhileRunning(activityTypes: ReadonlySet<string>): ActivityInterceptorsFactory {
  return (ctx: Context) => ({ inbound: new HeartbeatWhileRunning(ctx, activityTypes) });
}

export class HeartbeatWhileRunning implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly ctx: Pick<Context, 'info' | 'heartbeat'>,
    private readonly activityTypes: ReadonlySet<string>,
  ) {}

  async execute(
    input: ActivityExecuteInput,
    next: Next<ActivityInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    const timeout = this.ctx.info.heartbeatTimeoutMs;
    if (!timeout || !this.activityTypes.has(this.ctx.info.activityType)) return next(input);
    const details: unknown = this.ctx.info.heartbeatDetails;
    const beat = setInterval(
      () => this.ctx.heartbeat(details),
      Math.max(MIN_INTERVAL_MS, Math.floor(timeout / 3)),
    );
    try {
      return await next(input);
    } finally {
      clearInterval(beat);
    }
  }
}
