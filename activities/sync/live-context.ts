/**
 * The sync context as the running worker sees it: the configuration (read once) and the Salesforce and
 * Zendesk schemas, which drift while the worker runs (an admin adds a dropdown option in Zendesk, or a
 * picklist value in Salesforce). The schemas are read again
 *
 * - on an interval (SCHEMA_REFRESH_EVERY, default 5 minutes): describe and the Zendesk definitions;
 * - at once, Zendesk's definitions only, when a pass finds a value with no option or field, before it
 *   fails it, and when Zendesk refuses a write on a custom field: so an option added in Zendesk is seen
 *   by the very next pass of a failed record, with no restart.
 *
 * A refresh never stops the worker: a configuration that no longer fits the schemas is kept as
 * `issues`, which fail the passes of the section they belong to (ConfigInvalid) and show on /healthz.
 * Concurrent refreshes of the same kind share one set of requests.
 */
import { formatIssues, type SchemaSnapshot } from '../../core';
import { processRuntime } from '../process-runtime';
import type { SalesforceSession } from '../salesforce/session';
import type { ZendeskClient } from '../zendesk/client';
import { contextFor, fetchSalesforceSchemas, fetchZendeskSchemas, type SyncContext } from './context';

/** `zendesk`: field definitions and account settings only; `all`: Salesforce describe as well. */
export type SchemaRefreshScope = 'zendesk' | 'all';

export interface LiveSyncContextOptions {
  /** Interval of the full refresh in ms; 0 turns it off (refreshes on a miss still happen). */
  everyMs: number;
  /** Where refresh problems and schema issues are reported; default: the worker's runtime logger. */
  log?: (level: 'INFO' | 'WARN', message: string, meta?: Record<string, unknown>) => void;
}

function runtimeLog(level: 'INFO' | 'WARN', message: string, meta?: Record<string, unknown>): void {
  // Never create a runtime here (that is installTelemetry's job); without one, stay silent.
  processRuntime()?.logger.log(level, message, meta);
}

export class LiveSyncContext {
  private ctx: SyncContext;
  private readonly inflight = new Map<SchemaRefreshScope, Promise<SyncContext>>();
  private timer: NodeJS.Timeout | undefined;
  private readonly log: NonNullable<LiveSyncContextOptions['log']>;

  constructor(
    initial: SyncContext,
    private readonly salesforce: SalesforceSession,
    private readonly zendesk: ZendeskClient,
    private readonly opts: LiveSyncContextOptions,
  ) {
    this.ctx = initial;
    this.log = opts.log ?? runtimeLog;
  }

  /** The context now (what the next activity uses). */
  readonly current = (): SyncContext => this.ctx;

  /** Reads the schemas again and re-checks the configuration against them. */
  refresh(scope: SchemaRefreshScope): Promise<SyncContext> {
    const running = this.inflight.get(scope) ?? this.inflight.get('all');
    if (running) return running;
    const done = this.read(scope).finally(() => this.inflight.delete(scope));
    this.inflight.set(scope, done);
    return done;
  }

  private async read(scope: SchemaRefreshScope): Promise<SyncContext> {
    const [salesforce, zendesk] = await Promise.all([
      scope === 'all' ? fetchSalesforceSchemas(this.salesforce) : undefined,
      fetchZendeskSchemas(this.zendesk),
    ]);
    // Taken after the reads: a full refresh that finished meanwhile keeps its newer describe.
    const before = this.ctx;
    const schemas: SchemaSnapshot = { salesforce: salesforce ?? before.schemas.salesforce, zendesk };
    const next = contextFor(before.config, schemas);
    this.ctx = next;
    const text = (issues: SyncContext['issues']) => formatIssues(issues);
    if (text(next.issues) !== text(before.issues))
      this.log(
        next.issues.length ? 'WARN' : 'INFO',
        next.issues.length
          ? `the sync configuration no longer fits the Salesforce/Zendesk schemas; the records of these sections fail (ConfigInvalid) until it does:\n${text(next.issues)}`
          : 'the sync configuration fits the Salesforce/Zendesk schemas again',
      );
    if (text(next.uncovered) !== text(before.uncovered) && next.uncovered.length)
      this.log(
        'WARN',
        `picklist values with no place in Zendesk (their records fail):\n${text(next.uncovered)}`,
      );
    return next;
  }

  /** Starts the interval refresh; a failed refresh keeps the schemas it had and is logged. */
  start(): void {
    if (this.ctx.uncovered.length)
      this.log(
        'WARN',
        `picklist values with no place in Zendesk (their records fail):\n${formatIssues(this.ctx.uncovered)}`,
      );
    if (this.opts.everyMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.refresh('all').catch((err: unknown) =>
        this.log('WARN', 'schema refresh failed; keeping the schemas read before', {
          error: (err as Error).message,
        }),
      );
    }, this.opts.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
