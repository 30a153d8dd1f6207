/**
 * The worker's health endpoint: `GET /healthz` answers 200 while the worker polls its task queue and 503
 * otherwise (starting, draining, failed). The Docker image's HEALTHCHECK (worker/healthcheck.ts) and an
 * orchestrator's liveness probe read it; it says nothing about Salesforce or Zendesk, whose outages are
 * retried inside workflows and must not get healthy workers restarted. Its body also carries whether the
 * sync configuration still fits the schemas (configHealth), without changing the status code.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from '@temporalio/worker';
import type { SyncContext } from '../activities/sync/context';
import { DEFAULT_BIND_HOST } from '../common/env';
import { listenOn } from './listen-on';

export const HEALTH_PATH = '/healthz';

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * What /healthz says about the configuration when something is wrong with it (nothing otherwise, so a
 * healthy answer stays `{"state":"RUNNING"}`): whether it still fits the schemas as last refreshed, the
 * config paths that do not (their records fail with ConfigInvalid), and the picklist values with no
 * place in Zendesk. It never turns the status to 503: restarting the worker cannot fix a schema that
 * changed, and a crash loop would stop the records that still sync.
 */
export function configHealth(ctx: SyncContext): Record<string, unknown> {
  if (ctx.issues.length === 0 && ctx.uncovered.length === 0) return {};
  return {
    config: {
      fitsSchemas: ctx.issues.length === 0,
      issues: ctx.issues,
      uncoveredPicklistValues: ctx.uncovered,
      schemasReadAt: new Date(ctx.readAt).toISOString(),
    },
  };
}

/**
 * Binds HEALTH_HOST:HEALTH_PORT (loopback unless widened). Started before the worker connects, so a
 * port conflict stops the process at once and the endpoint answers 503 while the worker starts.
 */
export async function startHealthServer(
  worker: Pick<Worker, 'getState'>,
  port: number,
  host = DEFAULT_BIND_HOST,
  /** More to report in the body (e.g. configHealth); it does not change the status code. */
  details?: () => Record<string, unknown>,
): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== HEALTH_PATH) {
      res.writeHead(404).end();
      return;
    }
    const state = worker.getState();
    res
      .writeHead(state === 'RUNNING' ? 200 : 503, { 'content-type': 'application/json' })
      .end(JSON.stringify({ state, ...details?.() }));
  });
  await listenOn(server, port, host, 'HEALTH_PORT');
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // a probe's keep-alive connection must not hold the process
      }),
  };
}
