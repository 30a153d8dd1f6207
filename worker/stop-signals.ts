/**
 * SIGINT and SIGTERM while a process starts up. Once the Temporal runtime is installed it catches both
 * signals for its workers, so Node's default (exit at once) no longer applies and a process waiting for
 * Temporal, Salesforce or a dev server would ignore them. During start-up the long-running entry points
 * (worker, listen, npm start) hold a StopSignals: the first signal aborts whatever start-up step is
 * pending, the entry point unwinds (closing what it opened) and exits 0; a second signal exits at once.
 * Once a worker polls, its own shutdown (the SDK's signal handling) takes over.
 */

export class StopRequestedError extends Error {
  override readonly name = 'StopRequestedError';
  readonly code = 'STOPPED';
  constructor(readonly signal: NodeJS.Signals) {
    super(`stopped by ${signal} before start-up finished`);
  }
}

export interface StopSignals {
  /** Aborted (reason: a StopRequestedError) by the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** Throws the StopRequestedError if a signal came. */
  throwIfStopped(): void;
  /** Stops listening: the signals are someone else's again (e.g. the SDK's, for a running worker). */
  dispose(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
/** Exit status of a process killed by a signal, as shells report it (128 + the signal number). */
const FORCED_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

export function listenForStop(): StopSignals {
  const controller = new AbortController();
  const onSignal = (signal: (typeof SIGNALS)[number]) => {
    if (!controller.signal.aborted) {
      controller.abort(new StopRequestedError(signal));
      return;
    }
    // A second signal: the operator does not want to wait for the clean-up.
    process.stderr.write(`${signal} again: exiting now\n`);
    process.exit(FORCED_EXIT[signal]);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return {
    signal: controller.signal,
    throwIfStopped: () => controller.signal.throwIfAborted(),
    dispose: () => {
      for (const s of SIGNALS) process.off(s, onSignal);
    },
  };
}

/**
 * `promise`, or a rejection with the signal's reason as soon as `signal` aborts. The step itself cannot
 * be cancelled (a gRPC connect, an HTTP login), so when it settles later its result is handed to
 * `dispose` (e.g. to close a connection nobody will use) and its error is dropped.
 */
export function abortable<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  dispose?: (late: T) => unknown,
): Promise<T> {
  const abandon = () => {
    promise.then(async (v) => dispose?.(v)).catch(() => undefined);
  };
  if (signal.aborted) {
    abandon();
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      abandon();
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: Error) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
