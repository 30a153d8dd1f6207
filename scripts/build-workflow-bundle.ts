/**
 * Pre-builds the workflow bundle (`npm run build:workflow-bundle [out]`, default dist/workflow-bundle.js).
 * The Docker image runs this once at build time and sets WORKFLOW_BUNDLE_PATH, so a worker starts without
 * webpack and every replica runs byte-identical workflow code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../worker/create-worker';

const DEFAULT_BUNDLE_PATH = 'dist/workflow-bundle.js';

async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? DEFAULT_BUNDLE_PATH);
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, code);
  console.log(`workflow bundle: ${out} (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
