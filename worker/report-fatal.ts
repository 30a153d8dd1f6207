/**
 * How a process dies on a start-up error: one clear message (which variable, which config path, what
 * to do) and exit code 1; a stack trace only for errors we did not anticipate or with --verbose.
 */
import { ConfigError } from '../core';
import { SearchAttributeSetupError } from '../client/search-attributes';
import { TemporalCliNotFoundError } from '../client/temporal-cli';
import { EnvError } from './env';

const EXPECTED = [EnvError, ConfigError, TemporalCliNotFoundError, SearchAttributeSetupError];

export function reportFatal(err: unknown): void {
  const verbose = process.argv.includes('--verbose') || process.env.SFZD_VERBOSE === '1';
  if (err instanceof Error && EXPECTED.some((cls) => err instanceof cls) && !verbose) {
    console.error(err.message);
  } else {
    console.error(err);
  }
  process.exitCode = 1;
}
