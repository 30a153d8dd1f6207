// Entry point of the worker process (`npm run worker`). Wiring lives in run-worker.ts.
import { exitSoon, reportFatal } from '../common/report-fatal';
import { runWorker } from './run-worker';

runWorker({
  onReady: (i) => console.log(`worker ready: task queue ${i.taskQueue} on ${i.address} (${i.namespace})`),
}).then(() => exitSoon(0), reportFatal);
