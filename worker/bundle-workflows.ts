/**
 * Bundling workflows/ with webpack when a worker starts without a pre-built bundle (`npm start`, `npm run
 * worker`). Webpack runs in a child process (bundle-process.ts): in the worker's own process its
 * compilation kept RSS about 160 MiB higher for the worker's whole life (docs/benchmarks.md, "Worker
 * memory"). The SDK's bundler logs webpack's whole build report at INFO, one multi-kilobyte JSON line;
 * here that report goes to DEBUG and INFO gets one line with the time and size.
 */
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { DataConverter, Logger, LogLevel, LogMetadata } from '@temporalio/common';
import { Runtime, type WorkflowBundle } from '@temporalio/worker';
import type { BundleReply, BundleRequest } from './bundle-messages';

export const WORKFLOWS_PATH = require.resolve('../workflows');

/** `target` with the INFO lines lowered to DEBUG (warnings and errors, e.g. webpack's, stay as they are). */
export function infoAsDebug(target: Logger): Logger {
  const log = (level: LogLevel, message: string, meta?: LogMetadata): void => {
    target.log(level === 'INFO' ? 'DEBUG' : level, message, meta);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}

export interface BundleWorkflowsOptions {
  /** Its failure and payload converter paths go into the bundle, as Worker.create's own bundling does. */
  dataConverter?: DataConverter;
  /** Default: the Temporal runtime's logger (the process's JSON log). */
  logger?: Logger;
  /** Metadata of the one INFO line, e.g. the task queue. */
  meta?: LogMetadata;
}

/** Bundles workflows/ and logs `workflow bundle built in 3.2 s, 1928 KiB` at INFO. */
export async function bundleWorkflows(opts: BundleWorkflowsOptions = {}): Promise<WorkflowBundle> {
  const logger = opts.logger ?? Runtime.instance().logger;
  const started = performance.now();
  const code = await bundleInChild(
    {
      workflowsPath: WORKFLOWS_PATH,
      ...(opts.dataConverter?.failureConverterPath
        ? { failureConverterPath: opts.dataConverter.failureConverterPath }
        : {}),
      ...(opts.dataConverter?.payloadConverterPath
        ? { payloadConverterPath: opts.dataConverter.payloadConverterPath }
        : {}),
    },
    infoAsDebug(logger),
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const kib = Math.round(Buffer.byteLength(code) / 1024);
  logger.info(`workflow bundle built in ${seconds} s, ${kib} KiB`, { ...opts.meta, sizeBytes: code.length });
  return { code };
}

/** Runs bundle-process.ts, relays its log lines to `logger` and resolves with the bundle's code. */
function bundleInChild(request: BundleRequest, logger: Logger): Promise<string> {
  return new Promise((resolve, reject) => {
    // tsx's CommonJS hook, as bin/sfzd.js uses: the child is TypeScript however the worker was started.
    const child = fork(require.resolve('./bundle-process'), [], {
      execArgv: ['--require', require.resolve('tsx/cjs')],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    child.on('message', (reply: BundleReply) => {
      if (reply.kind === 'log') {
        logger.log(reply.level, reply.message, reply.meta);
        return;
      }
      settled = true;
      if (reply.kind === 'done') return resolve(reply.code);
      const err = new Error(`workflow bundle failed: ${reply.message}`);
      if (reply.stack) err.stack = reply.stack;
      reject(err);
    });
    child.on('error', (err) => {
      if (!settled) reject(err);
      settled = true;
    });
    child.on('exit', (code, signal) => {
      if (!settled)
        reject(new Error(`workflow bundler exited (${signal ?? `code ${code}`}) before sending a bundle`));
      settled = true;
    });
    child.send(request);
  });
}
