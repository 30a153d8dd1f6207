/**
 * `/healthz` and `/metrics` listen on loopback unless HEALTH_HOST / METRICS_HOST widen them (the Docker
 * image sets 0.0.0.0). Checked on a real worker process while it waits for Temporal (both endpoints
 * are up before the first connect): a socket bound to 127.0.0.1 refuses a connection to 127.0.0.2, one
 * bound to 0.0.0.0 accepts it (Linux routes all of 127.0.0.0/8 to the loopback interface).
 */
import assert from 'node:assert/strict';
import { readTelemetryEnv } from '../../worker/telemetry';
import { EnvError, readWorkerDeployEnv } from '../../common/env';
import { envOf, readCompose, readDockerfile } from './deploy-files';
import { baseEnv, blackHole, freePort, startProcess } from './processes';

/** Status of GET http://<host>:<port><path>, or the connection error's code. */
async function probe(host: string, port: number, path: string): Promise<number | string> {
  try {
    const res = await fetch(`http://${host}:${port}${path}`, { signal: AbortSignal.timeout(5_000) });
    await res.arrayBuffer();
    return res.status;
  } catch (err) {
    return ((err as Error).cause as NodeJS.ErrnoException | undefined)?.code ?? (err as Error).message;
  }
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('health and metrics endpoints: bind address', function () {
  this.timeout(90_000);

  it('HEALTH_HOST and METRICS_HOST are IP addresses; unset, nothing is returned (loopback applies)', () => {
    assert.deepEqual(readWorkerDeployEnv({ HEALTH_PORT: '8080' }), { healthPort: 8080 });
    assert.deepEqual(readWorkerDeployEnv({ HEALTH_PORT: '8080', HEALTH_HOST: '0.0.0.0' }), {
      healthPort: 8080,
      healthHost: '0.0.0.0',
    });
    assert.deepEqual(readTelemetryEnv({ METRICS_PORT: '9464', METRICS_HOST: '::' }), {
      metricsPort: 9464,
      metricsHost: '::',
      logLevel: 'INFO',
    });
    assert.throws(
      () => readWorkerDeployEnv({ HEALTH_PORT: '8080', HEALTH_HOST: 'everywhere' }),
      (err: unknown) =>
        err instanceof EnvError && /HEALTH_HOST: must be an IP address to bind/.test(err.message),
    );
    assert.throws(
      () => readTelemetryEnv({ METRICS_HOST: 'localhost' }),
      /METRICS_HOST: must be an IP address/,
    );
  });

  for (const widened of [false, true]) {
    it(
      widened
        ? 'HEALTH_HOST=0.0.0.0 and METRICS_HOST=0.0.0.0 (the image) serve every address'
        : 'by default both answer on 127.0.0.1 only',
      async () => {
        // A Temporal that never answers: the worker stays in its connect wait, endpoints up.
        const hole = await blackHole();
        const [healthPort, metricsPort] = [await freePort(), await freePort()];
        const proc = startProcess(
          ['node', 'bin/sfzd.js', 'worker'],
          baseEnv({
            TEMPORAL_ADDRESS: `127.0.0.1:${hole.port}`,
            SALESFORCE_CLIENT_ID: 'id',
            SALESFORCE_CLIENT_SECRET: 'secret',
            ZENDESK_URL: 'http://127.0.0.1:9',
            ZENDESK_EMAIL: 'a@example.com',
            ZENDESK_API_TOKEN: 'token',
            HEALTH_PORT: String(healthPort),
            METRICS_PORT: String(metricsPort),
            ...(widened ? { HEALTH_HOST: '0.0.0.0', METRICS_HOST: '0.0.0.0' } : {}),
          }),
        );
        try {
          // While it starts, /healthz says 503 (not polling yet).
          assert.equal(
            await until('the health endpoint', async () => {
              const s = await probe('127.0.0.1', healthPort, '/healthz');
              return typeof s === 'number' ? s : undefined;
            }),
            503,
          );
          assert.equal(await probe('127.0.0.1', metricsPort, '/metrics'), 200);
          const other = [
            await probe('127.0.0.2', healthPort, '/healthz'),
            await probe('127.0.0.2', metricsPort, '/metrics'),
          ];
          assert.deepEqual(other, widened ? [503, 200] : ['ECONNREFUSED', 'ECONNREFUSED'], proc.output());
        } finally {
          proc.child.kill('SIGTERM');
          await proc.exited;
          await hole.close();
        }
      },
    );
  }

  it('the image widens both, and compose keeps the health check on the image port', () => {
    const env = envOf(readDockerfile().at(-1)!);
    assert.equal(env.HEALTH_HOST, '0.0.0.0');
    assert.equal(env.METRICS_HOST, '0.0.0.0');
    // The HEALTHCHECK (bin/healthcheck.js) calls 127.0.0.1 inside the container: it works either way.
    assert.equal(String(readCompose().services.worker!.environment?.HEALTH_PORT), env.HEALTH_PORT);
  });
});
