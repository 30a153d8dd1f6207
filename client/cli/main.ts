// Entry point of `sfzd` (bin/sfzd.js, npm run sfzd). The program lives in program.ts.
import { exitSoon } from '../../common/report-fatal';
import { runCli } from './program';

void runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
}).then(exitSoon);
