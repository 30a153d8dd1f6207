/**
 * The change-feed activity: a long-running, heartbeating CDC listener. Its heartbeat details carry the
 * replay positions, so a retried attempt (worker died, heartbeat timeout) resumes where the last one
 * stopped; it returns after `runForMs` so the workflow can record the checkpoint and continue-as-new.
 */
import { Context } from '@temporalio/activity';
import type { SyncDeps } from '../sync/deps';
import { feedProgressSignal } from '../../workflows/change-feed';
import { ChangeListener } from './change-listener';
import type { ListenInput, ListenerProgress } from './types';

export type {
  DeliveryAllocationPause,
  ListenInput,
  ListenerProgress,
  FeedCheckpoint,
  FeedCounters,
  ListenerTuning,
} from './types';

export type ChangeFeedDeps = Pick<SyncDeps, 'salesforce' | 'temporal' | 'context'>;

/** Heartbeat details of the previous attempt of the same run, if any. */
function resumedFrom(details: unknown, run: number): ListenerProgress | undefined {
  const p = details as ListenerProgress | undefined;
  return p && typeof p === 'object' && p.run === run && p.checkpoint && p.counters ? p : undefined;
}

export function createChangeFeedActivities(deps: ChangeFeedDeps) {
  return {
    async listenToChanges(input: ListenInput): Promise<ListenerProgress> {
      const ctx = Context.current();
      const { info } = ctx;
      const resumed = resumedFrom(info.heartbeatDetails, input.run);
      // Run by the feed workflow; progress reports go back to it (none when run standalone).
      const workflowId = info.workflowExecution?.workflowId;
      const handle = workflowId ? deps.temporal.workflow.getHandle(workflowId) : undefined;
      const listener = new ChangeListener({
        salesforce: deps.salesforce,
        temporal: deps.temporal,
        config: deps.context().config,
        taskQueue: info.taskQueue,
        start: {
          run: input.run,
          attempt: info.attempt,
          checkpoint: resumed?.checkpoint ?? input.checkpoint,
          counters: resumed?.counters ?? input.counters,
          // A retried attempt keeps its own view of the pause (it may have been lifted since the run began).
          deliveryAllocation: resumed ? resumed.deliveryAllocation : input.deliveryAllocation,
        },
        tuning: input.tuning,
        signal: ctx.cancellationSignal,
        heartbeat: (progress) => ctx.heartbeat(progress),
        warn: (message) => {
          ctx.log.warn(`change feed: ${message}`);
        },
        info: (message) => {
          ctx.log.info(`change feed: ${message}`);
        },
        report: async (progress) => {
          await handle?.signal(feedProgressSignal, progress);
        },
      });
      const result = await listener.run();
      // Cancelled (workflow asked, worker shutting down, or the attempt was failed from outside): report it as such.
      if (ctx.cancellationSignal.aborted) await ctx.cancelled;
      return result;
    },
  };
}
