/**
 * Process telemetry: JSON logs through the Temporal runtime logger and the SDK's Prometheus endpoint.
 * The custom `sfzd_*` metrics are counted by the activities (activities/metrics.ts) on the meter of the
 * runtime installed here, so the worker's own metrics (task latencies, slots, …) and ours share one
 * `/metrics` endpoint.
 */
import { IllegalStateError, type LogLevel } from '@temporalio/common';
import { DefaultLogger, Runtime, makeTelemetryFilterString, type LogEntry } from '@temporalio/worker';
import { z } from 'zod';
import { useProcessRuntime } from '../activities/process-runtime';
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

/** The runtime installTelemetry installed, for releaseTelemetry. */
let installed: Runtime | undefined;

/**
 * Installs the Temporal runtime with JSON logs and, when METRICS_PORT is set, the Prometheus endpoint,
 * and hands it to the activities' counts and logs made outside an activity (activities/process-runtime.ts).
 * Runtime.install may run once per process: when a runtime exists already (tests that host several
 * workers in one process), it is left as it is and used, and `false` is returned.
 */
export function installTelemetry(telemetry: TelemetryEnv): boolean {
  const bindAddress =
    telemetry.metricsPort === undefined
      ? undefined
      : hostPort(telemetry.metricsHost ?? DEFAULT_BIND_HOST, telemetry.metricsPort);
  let runtime: Runtime;
  try {
    runtime = Runtime.install({
      logger: jsonLogger(telemetry.logLevel),
      telemetryOptions: {
        logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
        ...(bindAddress ? { metrics: { prometheus: { bindAddress } } } : {}),
      },
    });
  } catch (err) {
    if (err instanceof IllegalStateError) {
      // Installed or instantiated before: Runtime.instance() returns that one, it creates nothing.
      useProcessRuntime(Runtime.instance());
      return false;
    }
    // The exporter binds inside Runtime.install: "Failed to start prometheus metrics exporter: Address already in use".
    const reason = /address already in use/i.test(String(err))
      ? 'the port is already in use'
      : /cannot assign requested address/i.test(String(err))
        ? 'the address is not one of this host'
        : undefined;
    if (bindAddress && reason) throw new PortUnavailableError('METRICS_PORT', bindAddress, reason);
    throw err;
  }
  installed = runtime;
  useProcessRuntime(runtime);
  return true;
}

/**
 * Shuts down the runtime installTelemetry installed. The runtime shuts itself down when its last native
 * connection or worker closes, but a start-up that fails before the first one (Temporal unreachable)
 * would leave it running, and it keeps the process alive. Call once everything is closed; shutting down
 * a runtime that already shut itself down does nothing.
 */
export async function releaseTelemetry(): Promise<void> {
  const runtime = installed;
  installed = undefined;
  if (runtime) useProcessRuntime(undefined);
  await runtime?.shutdown();
}
