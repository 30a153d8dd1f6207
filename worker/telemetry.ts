/**
 * Process telemetry: JSON logs through the Temporal runtime logger, the SDK's Prometheus endpoint, and
 * the custom `sfzd_*` metrics that activities record. Everything goes through the SDK's runtime so the
 * worker's own metrics (task latencies, slots, …) and ours share one `/metrics` endpoint.
 */
import { Context } from '@temporalio/activity';
import { noopMetricMeter, type LogLevel, type MetricMeter } from '@temporalio/common';
import { DefaultLogger, Runtime, makeTelemetryFilterString, type LogEntry } from '@temporalio/worker';
import { z } from 'zod';
import { bindHost, DEFAULT_BIND_HOST, EnvError } from '../common/env';
import { hostPort, PortUnavailableError } from './listen-on';

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const satisfies readonly LogLevel[];

const telemetrySchema = z.object({
  METRICS_PORT: z.preprocess(
    (v) => (v === '' || v === undefined ? undefined : Number(v)),
    z
      .number({ message: 'must be a port number (1-65535)' })
      .int('must be a whole number')
      .min(1, 'must be a port number (1-65535)')
      .max(65_535, 'must be a port number (1-65535)')
      .optional(),
  ),
  // Loopback unless widened: /metrics tells anyone who reaches it about the sync's traffic. The Docker
  // image sets 0.0.0.0 so that Prometheus can scrape the container.
  METRICS_HOST: bindHost,
  LOG_LEVEL: z.preprocess(
    (v) => (v === '' ? undefined : typeof v === 'string' ? v.toUpperCase() : v),
    z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('INFO'),
  ),
});

export interface TelemetryEnv {
  /** When set, the SDK serves Prometheus metrics on <metricsHost>:<port>/metrics. */
  metricsPort?: number;
  /** METRICS_HOST when set (default DEFAULT_BIND_HOST, loopback). */
  metricsHost?: string;
  logLevel: LogLevel;
}

export function readTelemetryEnv(env: NodeJS.ProcessEnv = process.env): TelemetryEnv {
  const result = telemetrySchema.safeParse(env);
  if (!result.success)
    throw new EnvError(
      result.error.issues.map((i) => ({ variable: i.path.join('.') || '(environment)', message: i.message })),
    );
  const { METRICS_PORT, METRICS_HOST, LOG_LEVEL } = result.data;
  if (METRICS_PORT === undefined) return { logLevel: LOG_LEVEL };
  return METRICS_HOST === undefined
    ? { metricsPort: METRICS_PORT, logLevel: LOG_LEVEL }
    : { metricsPort: METRICS_PORT, metricsHost: METRICS_HOST, logLevel: LOG_LEVEL };
}

/** Metadata keys whose values are never printed, whatever logged them. */
const SECRET_KEY = /token|secret|password|authorization|cookie|session/i;

/**
 * Bytes are never printed: they are payload data (the SDK's TRACE lines print whole activations and
 * activity tasks), which holds record values in clear JSON when encryption is off.
 */
const bytes = (b: Uint8Array): string => `<${b.byteLength} bytes>`;

function redact(value: unknown, depth = 0): unknown {
  if (value instanceof Uint8Array) return bytes(value);
  if (value === null || typeof value !== 'object' || depth > 4) return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1)]),
  );
}

/**
 * The record a workflow ID names: `salesforce/Account/001…` (its record workflow) or
 * `dry-run/Account/001…/<uuid>`. Every workflow and activity log line carries its workflowId, so this
 * gives each line about a record its object and Salesforce ID without every call site adding them.
 */
export function recordOfWorkflowId(
  workflowId: unknown,
): { salesforceObject: string; salesforceId: string } | undefined {
  if (typeof workflowId !== 'string') return undefined;
  const m =
    /^(?:salesforce|dry-run)\/(Account|Contact|Lead)\/([a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?)(?:\/|$)/.exec(
      workflowId,
    );
  return m ? { salesforceObject: m[1]!, salesforceId: m[2]! } : undefined;
}

/** One JSON object per line on stderr: easy to ship to any log store, and stdout stays for humans. */
export function formatLogEntry(entry: LogEntry): string {
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  const meta = entry.meta ? (redact(entry.meta) as Record<string, unknown>) : {};
  const record = recordOfWorkflowId(meta.workflowId);
  return JSON.stringify(
    { time, level: entry.level, message: entry.message, ...record, ...meta },
    // Deeper than redact() walks, too; `this[k]` is the value before Buffer's toJSON.
    function (this: Record<string, unknown>, k: string, v: unknown) {
      const original = this[k];
      if (original instanceof Uint8Array) return bytes(original);
      return typeof v === 'bigint' ? v.toString() : v;
    },
  );
}

export function jsonLogger(level: LogLevel): DefaultLogger {
  return new DefaultLogger(level, (entry) => {
    process.stderr.write(`${formatLogEntry(entry)}\n`);
  });
}

/**
 * Installs the Temporal runtime with JSON logs and, when METRICS_PORT is set, the Prometheus endpoint.
 * Runtime.install may run once per process: when a runtime exists already (tests that host several
 * workers in one process), it is left as it is and `false` is returned.
 */
export function installTelemetry(telemetry: TelemetryEnv): boolean {
  if (Runtime._instance) return false;
  const bindAddress =
    telemetry.metricsPort === undefined
      ? undefined
      : hostPort(telemetry.metricsHost ?? DEFAULT_BIND_HOST, telemetry.metricsPort);
  try {
    Runtime.install({
      logger: jsonLogger(telemetry.logLevel),
      telemetryOptions: {
        logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
        ...(bindAddress ? { metrics: { prometheus: { bindAddress } } } : {}),
      },
    });
  } catch (err) {
    // The exporter binds inside Runtime.install: "Failed to start prometheus metrics exporter: Address already in use".
    const reason = /address already in use/i.test(String(err))
      ? 'the port is already in use'
      : /cannot assign requested address/i.test(String(err))
        ? 'the address is not one of this host'
        : undefined;
    if (bindAddress && reason) throw new PortUnavailableError('METRICS_PORT', bindAddress, reason);
    throw err;
  }
  return true;
}

/**
 * Shuts down the runtime installTelemetry installed. The runtime shuts itself down when its last native
 * connection or worker closes, but a start-up that fails before the first one (Temporal unreachable)
 * would leave it running, and it keeps the process alive. Call once everything is closed.
 */
export async function releaseTelemetry(): Promise<void> {
  await Runtime._instance?.shutdown();
}

/**
 * The meter for code in the worker process: the activity's (tagged with activity type and task queue)
 * inside an activity, the runtime's outside one, and a no-op meter in a process without a runtime, so
 * that counting never creates a runtime by itself.
 */
export function currentMeter(): MetricMeter {
  try {
    return Context.current().metricMeter;
  } catch {
    return Runtime._instance?.metricMeter ?? noopMetricMeter;
  }
}

export type ApiSystem = 'zendesk' | 'salesforce';

export const METRIC = {
  apiCalls: 'sfzd_api_calls_total',
  zendesk429: 'sfzd_zendesk_429_total',
  retryAfterWait: 'sfzd_retry_after_wait_seconds_total',
  listenerLag: 'sfzd_listener_lag_ms',
  syncs: 'sfzd_syncs_total',
  activityFailures: 'sfzd_activity_failures_total',
  valuesNotRepresentable: 'sfzd_values_not_representable_total',
  feedAllocationExhausted: 'sfzd_change_feed_allocation_exhausted',
} as const;

/** Metrics must never break a sync: a failing meter is ignored. */
function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // ignore: telemetry is best effort
  }
}

export function countApiCall(system: ApiSystem, endpoint: string, status: number | 'error'): void {
  safely(() =>
    currentMeter()
      .createCounter(METRIC.apiCalls, 'calls', 'HTTP calls to Salesforce and Zendesk')
      .add(1, { system, endpoint, status: String(status) }),
  );
}

/**
 * One failed activity attempt, by failure type and what happens next: `retry` (tried again after its
 * backoff), `gave-up` (a retryable type reached its limit: the pass fails) or `fail` (never retried).
 */
export function countActivityFailure(failure: string, decision: 'retry' | 'gave-up' | 'fail'): void {
  safely(() =>
    currentMeter()
      .createCounter(
        METRIC.activityFailures,
        'attempts',
        'Failed activity attempts by failure type and decision',
      )
      .add(1, { failure, decision }),
  );
}

export function countZendesk429(): void {
  safely(() => currentMeter().createCounter(METRIC.zendesk429, 'responses', 'Zendesk 429 responses').add(1));
}

export function addRetryAfterWait(ms: number): void {
  // Counters are integers in the SDK: round to whole seconds, but never lose a wait entirely.
  const seconds = Math.ceil(ms / 1000);
  if (seconds <= 0) return;
  safely(() =>
    currentMeter()
      .createCounter(METRIC.retryAfterWait, 's', 'Time requests waited for a Zendesk Retry-After window')
      .add(seconds),
  );
}

/** A mapped value a record pass found Zendesk cannot hold (labels: config names, never the value). */
export function countUnrepresentableValue(object: string, zendeskField: string, reason: string): void {
  safely(() =>
    currentMeter()
      .createCounter(
        METRIC.valuesNotRepresentable,
        'values',
        'Mapped values a record pass found Zendesk cannot hold (ValueNotRepresentable)',
      )
      .add(1, { object, zendesk_field: zendeskField, reason }),
  );
}

export function recordListenerLag(ms: number, channel: string): void {
  safely(() =>
    currentMeter()
      .createHistogram(METRIC.listenerLag, 'int', 'ms', 'Change event commit to receipt by the listener')
      .record(Math.max(0, Math.round(ms)), { channel }),
  );
}

/**
 * 1 while Salesforce's daily event delivery allocation keeps the change feed's channel from receiving
 * events (the listener waits and resubscribes from its checkpoint), 0 while it listens. Set by the running
 * listener, so a worker without the listener reports nothing or 0.
 */
export function setFeedAllocationExhausted(channel: string, exhausted: boolean): void {
  safely(() =>
    currentMeter()
      .createGauge(
        METRIC.feedAllocationExhausted,
        'int',
        '',
        'Change-feed channels paused because the daily event delivery allocation is used up (1) or listening (0)',
      )
      .set(exhausted ? 1 : 0, { channel }),
  );
}

/** `GET /api/v2/users/123/identities.json` → `GET users/:id/identities` (bounded label values). */
export function zendeskEndpoint(method: string, url: URL | string): string {
  const path = new URL(url).pathname
    .replace(/^\/api\/v2\//, '')
    .replace(/\.json$/, '')
    .split('/')
    .map((seg) => (/^\d+$/.test(seg) ? ':id' : seg))
    .join('/');
  return `${method.toUpperCase()} ${path}`;
}

/** `GET /services/data/v62.0/sobjects/Account/001…` → `GET sobjects/Account/:id`. */
export function salesforceEndpoint(method: string, url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split('?')[0] ?? url;
  }
  path = path
    .replace(/^\/services\/data\/v\d+\.\d+\/?/, '')
    .replace(/^\/services\//, '')
    .split('/')
    .map((seg) => (/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(seg) && /\d/.test(seg) ? ':id' : seg))
    .join('/');
  return `${method.toUpperCase()} ${path || '/'}`;
}
