/**
 * How a process dies on a start-up error: one clear message (which variable, which config path, what
 * to do) and exit code 1, within a bounded time; a stack trace only with --verbose or LOG_LEVEL=debug.
 * A stop requested by SIGINT/SIGTERM during start-up is not an error: exit code 0.
 */

/** `code`s of the errors whose message already says what is wrong and what to do. */
export const OPERATOR_ERROR_CODES: ReadonlySet<string> = new Set([
  'INVALID_ENV', // common/env.ts
  'INVALID_CONFIG', // core/config/errors.ts
  'TEMPORAL_CLI_NOT_FOUND', // client/temporal-cli.ts
  'SEARCH_ATTRIBUTES_MISSING', // common/search-attributes.ts
  'START_CONFIG', // client/start/run-start.ts
  'DEV_SERVER_START_FAILED', // client/start/dev-server.ts
  'DEMO_USAGE', // client/demo/touch.ts
  'TEMPORAL_UNREACHABLE', // common/temporal-connection.ts
  'PORT_UNAVAILABLE', // worker/listen-on.ts
  'CREDENTIALS_REJECTED', // worker/startup-errors.ts
  'STOPPED', // worker/stop-signals.ts
]);

/** --verbose, SFZD_VERBOSE=1, or LOG_LEVEL at DEBUG or TRACE. */
export function wantsStackTraces(
  argv: readonly string[] = process.argv,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  return (
    argv.includes('--verbose') || env.SFZD_VERBOSE === '1' || /^(debug|trace)$/i.test(env.LOG_LEVEL ?? '')
  );
}

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The text to print for a fatal error: the operator message, or the first line and a hint; the stack if verbose. */
export function formatFatal(err: unknown, verbose: boolean): string {
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'STOPPED') return message;
  if (verbose && err instanceof Error) return err.stack ?? message;
  if (err instanceof Error && code && OPERATOR_ERROR_CODES.has(code)) return message;
  return `${message.split('\n')[0]} (run with --verbose for details)`;
}

export function fatalExitCode(err: unknown): number {
  return codeOf(err) === 'STOPPED' ? 0 : 1;
}

/**
 * Sets the exit code and makes sure the process ends: normally it exits by itself once nothing is
 * left to do; if a handle keeps it alive (a native runtime, a pending connect that was abandoned),
 * it exits anyway after `graceMs`. The timer is unref'd, so it never delays a process that is done.
 */
export function exitSoon(code: number, graceMs = 1_000): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), graceMs).unref();
}

export function reportFatal(err: unknown): void {
  console.error(formatFatal(err, wantsStackTraces()));
  exitSoon(fatalExitCode(err));
}
