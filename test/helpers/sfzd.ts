/** Runs the sfzd CLI in-process against a test stack, capturing what it prints and its exit code. */
import { runCli } from '../../client/cli/program';
import type { Stack } from './stack';

export interface SfzdRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runSfzd(stack: Stack, ...argv: string[]): Promise<SfzdRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env: stack.workerEnv(),
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
  });
  return { code, stdout, stderr };
}
