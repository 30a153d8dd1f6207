// `npm start`. Logic lives in run-start.ts.
import { exitSoon, reportFatal } from '../../common/report-fatal';
import { runStart } from './run-start';

runStart().then(() => exitSoon(0), reportFatal);
