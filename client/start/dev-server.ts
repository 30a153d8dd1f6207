/**
 * The local Temporal dev server for `npm start`: the CLI's `server start-dev` with its UI, persisting to
 * a SQLite file under .data/ so record links and history survive a restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { assertPortFree } from '../../worker/listen-on';
import { ensureTemporalCli, PROJECT_ROOT } from '../temporal-cli';

export interface DevServer {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  port?: number;
  uiPort?: number;
  /** A codec server (sfzd codec-server) the UI calls to show decrypted payloads. */
  codecEndpoint?: string;
  dbFile?: string;
  /** Milliseconds to wait for the server to answer. */
  readyTimeoutMs?: number;
  /** Aborting it (SIGINT/SIGTERM during start-up) stops the wait and the server. */
  signal?: AbortSignal;
}

export class DevServerStartError extends Error {
  override readonly name = 'DevServerStartError';
  readonly code = 'DEV_SERVER_START_FAILED';
}

/** Resolves once the server answers GetSystemInfo; fails at once if the process exits first. */
export async function waitUntilReachable(
  address: string,
  child: ChildProcess,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    if (child.exitCode !== null)
      throw new DevServerStartError(
        `temporal server start-dev exited with code ${child.exitCode}; is port ${address} in use?`,
      );
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch {
      if (Date.now() > deadline)
        throw new DevServerStartError(
          `the Temporal dev server did not answer on ${address} within ${timeoutMs} ms`,
        );
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * The dev server's ports must be free: with the frontend port taken by another Temporal, the wait for
 * the server would reach that one instead and the sync would run against it.
 */
export async function checkDevServerPorts(port = 7233, uiPort = port + 1000): Promise<void> {
  await assertPortFree(port, '127.0.0.1', 'TEMPORAL_DEV_PORT');
  await assertPortFree(uiPort, '127.0.0.1', 'TEMPORAL_DEV_UI_PORT');
}

export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const cli = ensureTemporalCli({ install: true });
  const port = opts.port ?? 7233;
  const uiPort = opts.uiPort ?? port + 1000;
  await checkDevServerPorts(port, uiPort);
  const dbFile = resolve(PROJECT_ROOT, opts.dbFile ?? '.data/temporal.db');
  mkdirSync(dirname(dbFile), { recursive: true });
  const child = spawn(
    cli.path,
    [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--ui-port',
      String(uiPort),
      '--db-filename',
      dbFile,
      ...(opts.codecEndpoint ? ['--ui-codec-endpoint', opts.codecEndpoint] : []),
      '--log-level',
      'error',
    ],
    // Its own process group: Ctrl-C in a terminal signals the whole foreground group, and the server must
    // outlive the worker's drain (or the worker logs `tcp connect error` retries); npm start stops it last.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  // The server's errors reach the operator while it runs. Once we stop it, what it logs about its own
  // shutdown (e.g. a queued activity retry meeting a closed task queue) is not news, so it is dropped.
  let stopping = false;
  child.stderr?.on('data', (chunk: Buffer) => {
    if (!stopping) process.stderr.write(chunk);
  });
  const address = `127.0.0.1:${port}`;
  // However this process ends (a second Ctrl-C exits at once), the dev server does not outlive it.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    stopping = true;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  try {
    await waitUntilReachable(address, child, opts.readyTimeoutMs ?? 60_000, opts.signal);
  } catch (err) {
    await stop();
    throw err;
  }
  return { address, uiUrl: `http://127.0.0.1:${uiPort}`, stop };
}
