/**
 * The custom `sfzd_*` metrics the activities record, and the bounded endpoint labels they use. They go
 * through the activity's meter (tagged with activity type and task queue) or, outside an activity, the
 * meter of the process's Temporal runtime (./process-runtime.ts), so the worker's own metrics and ours
 * share one `/metrics` endpoint. Counting never breaks a sync.
 */
import { Context } from '@temporalio/activity';
import { noopMetricMeter, type MetricMeter } from '@temporalio/common';
import { processRuntime } from './process-runtime';

/**
 * The meter for code in the worker process: the activity's (tagged with activity type and task queue)
 * inside an activity, the runtime's outside one, and a no-op meter in a process without a runtime, so
 * that counting never creates a runtime by itself.
 */
export function currentMeter(): MetricMeter {
  try {
    return Context.current().metricMeter;
  } catch {
    return processRuntime()?.metricMeter ?? noopMetricMeter;
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
