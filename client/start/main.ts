// `npm start`. Logic lives in run-start.ts.
import { reportFatal } from '../../worker/report-fatal';
import { runStart } from './run-start';

runStart().catch(reportFatal);
