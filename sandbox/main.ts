// `npm run sandbox`: both sandboxes until Ctrl-C. Logic lives in start-sandboxes.ts.
import { describeSandboxes, readSandboxSettings, startSandboxes } from './start-sandboxes';

async function main(): Promise<void> {
  const running = await startSandboxes(readSandboxSettings());
  console.log(describeSandboxes(running));
  const stop = () => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
