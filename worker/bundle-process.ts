/**
 * Child process that bundles workflows/ with webpack for a worker started without a pre-built bundle
 * (bundle-workflows.ts forks it). Webpack's compilation leaves well over 100 MiB in the heap and the
 * allocator that the worker's process would keep for its whole life (measured in docs/benchmarks.md,
 * "Worker memory"); built here, that memory goes back to the system when this process exits.
 */
import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { BundleReply, BundleRequest } from './bundle-messages';

function send(message: BundleReply): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('bundle-process.ts runs only as a forked child'));
    process.send(message, undefined, {}, (err) => (err ? reject(err) : resolve()));
  });
}

/** Every log line goes to the parent, which decides what is shown (bundle-workflows.ts lowers INFO). */
function relayLogger(): Logger {
  const log = (level: LogLevel, message: string, meta?: LogMetadata): void => {
    void send({ kind: 'log', level, message, ...(meta ? { meta } : {}) }).catch(() => undefined);
  };
  return {
    log,
    trace: (m, meta) => log('TRACE', m, meta),
    debug: (m, meta) => log('DEBUG', m, meta),
    info: (m, meta) => log('INFO', m, meta),
    warn: (m, meta) => log('WARN', m, meta),
    error: (m, meta) => log('ERROR', m, meta),
  };
}

async function build(request: BundleRequest): Promise<void> {
  try {
    const { code } = await bundleWorkflowCode({ ...request, logger: relayLogger() });
    await send({ kind: 'done', code });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    await send({ kind: 'failed', message: e.message, ...(e.stack ? { stack: e.stack } : {}) });
  }
  process.exit(0);
}

process.once('message', (request: BundleRequest) => void build(request));
// The worker stopped (or died) while webpack ran: nothing is waiting for the bundle.
process.once('disconnect', () => process.exit(0));
