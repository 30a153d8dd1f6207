/**
 * Errors the CLI reports as one line (reason + what to do) with a stable `code` and the process exit
 * code it maps to: 1 for operational problems, 2 for usage mistakes.
 */
export const EXIT_OK = 0;
export const EXIT_OPERATIONAL = 1;
export const EXIT_USAGE = 2;

export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: typeof EXIT_OPERATIONAL | typeof EXIT_USAGE = EXIT_OPERATIONAL,
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super('CLI_USAGE', message, EXIT_USAGE);
  }
}
