// `npm run setup:temporal` and npm's postinstall: make sure a Temporal CLI exists (see client/temporal-cli.ts).
import { ensureTemporalCli, TemporalCliNotFoundError } from '../client/temporal-cli';

try {
  const cli = ensureTemporalCli({ install: true });
  console.log(`Temporal CLI: ${cli.path} (${cli.source})`);
} catch (err) {
  if (!(err instanceof TemporalCliNotFoundError)) throw err;
  // postinstall must not break `npm install` on a machine that will point TEMPORAL_ADDRESS elsewhere.
  console.warn(err.message);
  process.exitCode = process.argv.includes('--if-missing') ? 0 : 1;
}
