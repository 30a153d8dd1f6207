/**
 * `npm start`: everything a newcomer needs, in one process tree.
 * - a Temporal dev server with its UI (SQLite in .data/), unless TEMPORAL_ADDRESS (or a TEMPORAL_PROFILE /
 *   TEMPORAL_CONFIG_FILE profile) points elsewhere; the external server is then reached with the same
 *   TLS / API key / encryption settings as the worker (common/temporal-connection.ts);
 * - the Salesforce and Zendesk sandboxes, seeded, when no credentials are configured;
 * - the worker (which also runs the change feed's listener activity) and the change feed itself.
 * Ctrl-C or SIGTERM stops the worker first and waits for it to drain (in-flight activities finish or are
 * retried later), then the sandboxes and the dev server (which has a process group of its own, so the
 * terminal's Ctrl-C does not stop it under the draining worker).
 */
import { z } from 'zod';
import { ConfigError } from '../../core';
import { portUnavailable } from '../../worker/listen-on';
import { runWorker } from '../../worker/run-worker';
import { abortable, listenForStop } from '../../worker/stop-signals';
import { runListen } from '../listener/run-listen';
import {
  describeSandboxes,
  readSandboxSettings,
  sandboxCredentialEnv,
  startSandboxes,
  type RunningSandboxes,
  type SandboxSettings,
} from '@sfzd/sandbox';
import { checkDevServerPorts, startDevServer, type DevServer } from './dev-server';

export class StartConfigError extends Error {
  override readonly name = 'StartConfigError';
  readonly code = 'START_CONFIG';
}

const port = z.coerce.number().int().min(1).max(65535);
const devServerSchema = z.object({
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_DEV_UI_PORT: port.optional(),
  TEMPORAL_DEV_DB: z.string().min(1).default('.data/temporal.db'),
});

function readDevServerSettings(env: NodeJS.ProcessEnv) {
  const result = devServerSchema.safeParse(env);
  if (!result.success) {
    throw new StartConfigError(
      `Invalid environment:\n${result.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return result.data;
}

function wantsSandboxes(env: NodeJS.ProcessEnv): boolean {
  const salesforce = Boolean(env.SALESFORCE_CLIENT_ID);
  const zendesk = Boolean(env.ZENDESK_URL || env.ZENDESK_SUBDOMAIN);
  if (salesforce !== zendesk) {
    throw new StartConfigError(
      `${salesforce ? 'Salesforce' : 'Zendesk'} credentials are set but ${salesforce ? 'Zendesk' : 'Salesforce'} ones are not: ` +
        'configure both to sync real systems, or neither to run against the local sandboxes.',
    );
  }
  return !salesforce;
}

export function banner(
  uiUrl: string | undefined,
  namespace: string,
  sandboxes: RunningSandboxes | undefined,
): string {
  const lines = ['', 'salesforce-zendesk-sync is running.'];
  if (uiUrl) lines.push(`  Temporal UI:  ${uiUrl}/namespaces/${namespace}/workflows`);
  if (sandboxes) {
    lines.push(describeSandboxes(sandboxes).replace(/^/gm, '  '));
    lines.push(
      '',
      'Try it:',
      '  npm run demo -- touch Account        # change a mapped field of an account in the Salesforce sandbox',
      '  npm run demo -- touch Contact',
      '  then open the Temporal UI: each record has a workflow named salesforce/<Object>/<Id>;',
      '  the feed itself is salesforce-change-feed.',
    );
  }
  lines.push('', 'Ctrl-C stops everything.');
  return lines.join('\n');
}

export async function runStart(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = console.log,
): Promise<void> {
  const useSandboxes = wantsSandboxes(env);
  const dev = readDevServerSettings(env);
  let server: DevServer | undefined;
  let sandboxes: RunningSandboxes | undefined;
  // SIGINT/SIGTERM before the worker polls: stop what started and exit (worker/stop-signals.ts).
  const stop = listenForStop();
  try {
    if (!env.TEMPORAL_ADDRESS && !env.TEMPORAL_PROFILE && !env.TEMPORAL_CONFIG_FILE) {
      await checkDevServerPorts(dev.TEMPORAL_DEV_PORT, dev.TEMPORAL_DEV_UI_PORT); // before saying "starting"
      log(`starting the Temporal dev server (state in ${dev.TEMPORAL_DEV_DB}) …`);
      server = await startDevServer({
        port: dev.TEMPORAL_DEV_PORT,
        uiPort: dev.TEMPORAL_DEV_UI_PORT,
        dbFile: dev.TEMPORAL_DEV_DB,
        codecEndpoint: env.TEMPORAL_CODEC_ENDPOINT || undefined,
        signal: stop.signal,
      });
    }
    if (useSandboxes) {
      const settings = readSandboxSettings(env);
      sandboxes = await abortable(startSandboxes(settings), stop.signal, (s) => s.close()).catch(
        (err: unknown) => {
          throw sandboxPortError(err, settings);
        },
      );
    }
    stop.throwIfStopped();
    // From here runWorker stops on the first signal (and then the SDK's worker shutdown); this
    // listener stays for a second signal, which exits at once (the dev server is killed on exit).
    const runEnv: NodeJS.ProcessEnv = {
      ...env,
      ...(server ? { TEMPORAL_ADDRESS: server.address } : {}),
      ...(sandboxes ? sandboxCredentialEnv(sandboxes.salesforce.url, sandboxes.zendesk.url) : {}),
    };
    await runWorker({
      env: runEnv,
      onReady: (info) => {
        runListen(runEnv, { waitForSubscription: true })
          .then((feed) => log(`${feed}\n${banner(server?.uiUrl, info.namespace, sandboxes)}`))
          .catch((err: unknown) => log(`could not start the change feed: ${(err as Error).message}`));
      },
    });
  } catch (err) {
    if (err instanceof ConfigError && useSandboxes)
      err.message += '\n(npm start with the sandboxes uses sync.config.yaml unless SYNC_CONFIG is set)';
    throw err;
  } finally {
    stop.dispose();
    await sandboxes?.close();
    await server?.stop();
  }
}

/** A sandbox port in use names the variable that chose it. */
function sandboxPortError(err: unknown, settings: SandboxSettings): unknown {
  const e = err as NodeJS.ErrnoException & { port?: number };
  if (e?.code !== 'EADDRINUSE' && e?.code !== 'EACCES') return err;
  const variable =
    e.port === settings.SANDBOX_ZENDESK_PORT ? 'SANDBOX_ZENDESK_PORT' : 'SANDBOX_SALESFORCE_PORT';
  const port = e.port ?? settings[variable];
  return portUnavailable(variable, settings.SANDBOX_HOST, port, err);
}
