/**
 * Bundling workflows/ with webpack when a worker starts without a pre-built bundle (`npm start`, `npm run
 * worker`). The SDK's bundler logs webpack's whole build report at INFO, one multi-kilobyte JSON line;
 * here that report goes to DEBUG and INFO gets one line with the time and size.
 */
import { performance } from 'node:perf_hooks';
import type { DataConverter, Logger, LogLevel, LogMetadata } from '@temporalio/common';
import { bundleWorkflowCode, Runtime, type WorkflowBundle } from '@temporalio/worker';

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
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    failureConverterPath: opts.dataConverter?.failureConverterPath,
    payloadConverterPath: opts.dataConverter?.payloadConverterPath,
    logger: infoAsDebug(logger),
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const kib = Math.round(Buffer.byteLength(code) / 1024);
  logger.info(`workflow bundle built in ${seconds} s, ${kib} KiB`, { ...opts.meta, sizeBytes: code.length });
  return { code };
}
