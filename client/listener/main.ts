// Entry point of `npm run listen`: starts (or finds) the Salesforce change feed. Wiring lives in run-listen.ts.
import { exitSoon, reportFatal } from '../../common/report-fatal';
import { runListen } from './run-listen';

runListen().then((message) => {
  console.log(message);
  exitSoon(0);
}, reportFatal);
