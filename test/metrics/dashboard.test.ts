/**
 * The sample Grafana dashboard parses and queries only metrics the worker defines (activities/metrics.ts);
 * metrics.test.ts checks the same names against a real worker's /metrics after a known scenario.
 */
import assert from 'node:assert/strict';
import { METRIC } from '../../activities/metrics';
import { dashboardSeries, readDashboard } from './dashboard';

const HISTOGRAMS = new Set<string>([METRIC.listenerLag]);

/** `sfzd_listener_lag_ms_bucket` → `sfzd_listener_lag_ms`; counters keep their name. */
function metricOf(series: string): string {
  const base = series.replace(/_(bucket|sum|count)$/, '');
  return HISTOGRAMS.has(base) ? base : series;
}

describe('Grafana dashboard (ops/grafana/sfzd-dashboard.json)', () => {
  it('is a dashboard whose panels each query Prometheus', () => {
    const dashboard = readDashboard();
    assert.equal(dashboard.uid, 'sfzd-sync');
    assert.ok(dashboard.panels.length >= 5);
    for (const panel of dashboard.panels) {
      assert.ok(panel.targets.length > 0, panel.title);
      for (const t of panel.targets) assert.match(t.expr, /\bsfzd_/, `${panel.title}: ${t.expr}`);
      // Balanced parentheses and braces: a cheap guard against a broken PromQL edit.
      for (const t of panel.targets)
        for (const [open, close] of [
          ['(', ')'],
          ['{', '}'],
          ['[', ']'],
        ] as const)
          assert.equal(t.expr.split(open).length, t.expr.split(close).length, `${panel.title}: ${t.expr}`);
    }
  });

  it('references only the sfzd_* metrics the worker exports, and all of them', () => {
    const exported = new Set<string>(Object.values(METRIC));
    const used = new Set(dashboardSeries().map(metricOf));
    for (const name of used)
      assert.ok(exported.has(name), `${name} is not a metric of activities/metrics.ts`);
    assert.deepEqual(
      [...exported].filter((m) => !used.has(m)),
      [],
      'every exported metric has a panel',
    );
  });
});
