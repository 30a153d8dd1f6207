/** The sample Grafana dashboard (ops/grafana/sfzd-dashboard.json) and the metric names its queries use. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DASHBOARD_PATH = join(__dirname, '..', '..', 'ops', 'grafana', 'sfzd-dashboard.json');

export interface DashboardPanel {
  title: string;
  type: string;
  targets: Array<{ expr: string; refId: string }>;
}

export function readDashboard(): { uid: string; title: string; panels: DashboardPanel[] } {
  return JSON.parse(readFileSync(DASHBOARD_PATH, 'utf8')) as ReturnType<typeof readDashboard>;
}

/** Every `sfzd_*` series name in the dashboard's PromQL, as Prometheus exposes it (with _bucket etc.). */
export function dashboardSeries(): string[] {
  const names = readDashboard().panels.flatMap((p) =>
    p.targets.flatMap((t) => [...t.expr.matchAll(/\bsfzd_[a-z0-9_]+/g)].map((m) => m[0])),
  );
  return [...new Set(names)].sort();
}
