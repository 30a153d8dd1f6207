/**
 * workflows/ bundled by webpack once per test process, instead of once by every `Worker.create` that
 * gets `workflowsPath` (seconds each on a loaded machine). Keyed by the data converter's converter paths,
 * which `Worker.create` would otherwise pass to its own bundler, so an encrypting worker's bundle still
 * encodes failures as its converter says.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundle } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../worker/create-worker';

const bundles = new Map<string, Promise<WorkflowBundle>>();

export function sharedWorkflowBundle(dataConverter?: DataConverter): Promise<WorkflowBundle> {
  const failureConverterPath = dataConverter?.failureConverterPath;
  const payloadConverterPath = dataConverter?.payloadConverterPath;
  const key = `${failureConverterPath ?? ''}|${payloadConverterPath ?? ''}`;
  let bundle = bundles.get(key);
  if (!bundle) {
    bundle = bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      failureConverterPath,
      payloadConverterPath,
      logger: new DefaultLogger('WARN'),
    });
    bundles.set(key, bundle);
  }
  return bundle;
}

let bundleFile: Promise<string> | undefined;

/**
 * The same bundle in a file, for worker processes started with WORKFLOW_BUNDLE_PATH (as the image runs
 * them), so each of a test's worker processes starts without running webpack itself.
 */
export function sharedWorkflowBundleFile(): Promise<string> {
  bundleFile ??= sharedWorkflowBundle().then(({ code }) => {
    const file = join(mkdtempSync(join(tmpdir(), 'sfzd-test-bundle-')), 'workflow-bundle.js');
    writeFileSync(file, code);
    return file;
  });
  return bundleFile;
}
