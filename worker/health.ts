/**
 * The worker's health endpoint: `GET /healthz` answers 200 while the worker polls its task queue and 503
 * otherwise (starting, draining, failed). The Docker image's HEALTHCHECK (worker/healthcheck.ts) and an
 * orchestrator's liveness probe read it; it says nothing about Salesforce or Zendesk, whose outages are
 * retried inside workflows and must not get healthy workers restarted.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from '@temporalio/worker';
import { DEFAULT_BIND_HOST } from './env';
import { listenOn } from './listen-on';

export const HEALTH_PATH = '/healthz';

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Binds HEALTH_HOST:HEALTH_PORT (loopback unless widened). Started before the worker connects, so a
 * port conflict stops the process at once and the endpoint answers 503 while the worker starts.
 */
export async function startHealthServer(
  worker: Pick<Worker, 'getState'>,
  port: number,
  host = DEFAULT_BIND_HOST,
): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== HEALTH_PATH) {
      res.writeHead(404).end();
      return;
    }
    const state = worker.getState();
    res
      .writeHead(state === 'RUNNING' ? 200 : 503, { 'content-type': 'application/json' })
      .end(JSON.stringify({ state }));
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
