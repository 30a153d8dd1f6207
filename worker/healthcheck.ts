/**
 * The Docker HEALTHCHECK of the worker image (`node bin/healthcheck.js`): exit 0 when the worker's health
 * endpoint on HEALTH_PORT says it polls, 1 otherwise. Kept free of the worker's imports so it starts fast.
 */
import { HEALTH_PATH } from './health';

const port = Number(process.env.HEALTH_PORT || 8080);

fetch(`http://127.0.0.1:${port}${HEALTH_PATH}`, { signal: AbortSignal.timeout(4_000) }).then(
  async (res) => {
    console.log(`${res.status} ${await res.text()}`);
    process.exit(res.ok ? 0 : 1);
  },
  (err: Error) => {
    console.log(`unhealthy: ${err.message}`);
    process.exit(1);
  },
);
