/**
 * How a process dies on a start-up error: one clear message (which variable, which config path, what
 * to do) and exit code 1; a stack trace only for errors we did not anticipate, or with --verbose.
 */

/** `code`s of the errors whose message already says what is wrong and what to do. */
const OPERATOR_ERROR_CODES = new Set([
  'INVALID_ENV', // worker/env.ts
  'INVALID_CONFIG', // core/config/errors.ts
  'TEMPORAL_CLI_NOT_FOUND', // client/temporal-cli.ts
  'SEARCH_ATTRIBUTES_MISSING', // client/search-attributes.ts
  'START_CONFIG', // client/start/run-start.ts
  'DEV_SERVER_START_FAILED', // client/start/dev-server.ts
  'DEMO_USAGE', // client/demo/touch.ts
]);

export function reportFatal(err: unknown): void {
  const verbose = process.argv.includes('--verbose') || process.env.SFZD_VERBOSE === '1';
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof Error && typeof code === 'string' && OPERATOR_ERROR_CODES.has(code) && !verbose) {
    console.error(err.message);
  } else {
    console.error(err);
  }
  process.exitCode = 1;
}
