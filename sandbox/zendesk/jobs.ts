/**
 * Background jobs for the bulk endpoints. Like Zendesk, the response only says `queued`; the work happens
 * later (after `jobDelayMs`) and its per-record outcome appears in `results` once the job is `completed`.
 */
import { randomBytes } from 'node:crypto';
import { ZendeskApiError } from './errors';
import type { ZendeskStore } from './store';
import type { JobRecord, JobResult } from './types';

/** One unit of work; returns its result entry. Throwing a ZendeskApiError records a failed entry. */
export type JobTask = (index: number) => JobResult;

export interface FailureDescription {
  /** What the task was working on (the id for updates). */
  id?: number;
  action?: string;
}

/** Zendesk lists only the *latest* jobs; older ones are forgotten (and expire within an hour). */
const MAX_KEPT_JOBS = 100;

/** Zendesk's job limit: about 30 queued or running jobs per account (zendesk.md section 2.7). */
export const MAX_ACTIVE_JOBS = 30;

function failure(index: number, err: ZendeskApiError, about: FailureDescription): JobResult {
  const first = err.details ? Object.values(err.details)[0] : undefined;
  const detail = Array.isArray(first) ? first[0] : first;
  const result: JobResult = {
    index,
    error: detail?.error ?? err.code,
    details: detail?.description ?? err.description,
  };
  if (about.id !== undefined) result.id = about.id;
  if (about.action !== undefined)
    Object.assign(result, { action: about.action, status: 'Failed', success: false });
  return result;
}

export class JobRunner {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly store: ZendeskStore,
    private readonly delayMs: () => number,
  ) {}

  /** Queues `tasks`; `describe(i)` tells a failed entry which record it was about. */
  submit(
    jobType: string,
    tasks: JobTask[],
    describe: (index: number) => FailureDescription = () => ({}),
  ): JobRecord {
    const active = [...this.store.jobs.values()].filter(
      (j) => j.status === 'queued' || j.status === 'working',
    ).length;
    if (active >= MAX_ACTIVE_JOBS)
      throw new ZendeskApiError(
        429,
        'TooManyJobs',
        `The account already has ${active} queued or running jobs (limit ${MAX_ACTIVE_JOBS}); poll job_statuses and retry.`,
      );
    const job: JobRecord = {
      id: randomBytes(16).toString('hex'),
      job_type: jobType,
      status: 'queued',
      total: tasks.length,
      progress: 0,
      message: null,
      results: null,
      created_at: this.store.timestamp(),
    };
    this.store.jobs.set(job.id, job);
    this.forgetOldJobs();
    const run = () => {
      job.status = 'working';
      const results: JobResult[] = [];
      tasks.forEach((task, index) => {
        try {
          results.push(task(index));
        } catch (err) {
          // This runs in a timer: an unexpected error must become a failed entry, never a process crash.
          const known =
            err instanceof ZendeskApiError
              ? err
              : new ZendeskApiError(500, 'InternalError', err instanceof Error ? err.message : String(err));
          results.push(failure(index, known, describe(index)));
        }
        job.progress = index + 1;
      });
      Object.assign(job, {
        status: 'completed',
        results,
        message: `Completed at ${this.store.timestamp().replace('T', ' ').replace('Z', ' +0000')}`,
      });
      this.store.changed();
    };
    const delay = this.delayMs();
    if (delay <= 0) {
      run();
      return job;
    }
    const snapshot = { ...job };
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, delay);
    timer.unref();
    this.timers.add(timer);
    this.store.changed();
    return snapshot;
  }

  private forgetOldJobs(): void {
    const extra = this.store.jobs.size - MAX_KEPT_JOBS;
    if (extra <= 0) return;
    const oldest = [...this.store.jobs.values()]
      .filter((j) => j.status === 'completed' || j.status === 'failed')
      .slice(0, extra);
    for (const j of oldest) this.store.jobs.delete(j.id);
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
