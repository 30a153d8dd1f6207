/**
 * The `sfzd` program, built around injectable I/O so tests run it in-process. runCli never throws and
 * never exits the process: it returns the exit code (0 ok, 1 operational error, 2 usage error).
 */
import { Command, CommanderError, Option } from 'commander';
import { parseObject, parseSalesforceId, parseSince } from './args';
import { codecServer } from '../codec-server/command';
import { configValidate } from './config-validate';
import { dryRun } from './dry-run';
import { fatalExitCode, formatFatal, wantsStackTraces } from '../../common/report-fatal';
import { CliError, EXIT_OK, EXIT_USAGE, UsageError } from './errors';
import { listFailures } from './failures';
import { listen, worker } from './processes';
import { attachBulk, resyncRecords, startBulk } from './resync';
import type { CommandContext, CommandResult } from './result';
import { outcomeCounts, recordStatus } from './status';

export interface CliIO {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  operational error (invalid config, failed records, Temporal or an API unreachable)
  2  usage error (unknown command, bad argument or option)

Environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, SYNC_CONFIG, and the
SALESFORCE_* / ZENDESK_* credentials for worker, listen and config validate --online.`;

interface GlobalOptions {
  json?: boolean;
  verbose?: boolean;
}

/** Wraps a command's action: renders its result (JSON or text) and maps errors to exit codes. */
type Runner = <A extends unknown[]>(
  fn: (ctx: CommandContext, ...args: A) => Promise<CommandResult>,
) => (...args: A) => Promise<void>;

export function createProgram(io: CliIO, done: (code: number) => void): Command {
  const program = new Command('sfzd')
    .description(
      'Operate the Salesforce → Zendesk sync: check config, inspect records, dry-run, resync, run processes',
    )
    .option('--json', 'machine-readable output on stdout')
    .option('--verbose', 'show stack traces of errors')
    .addHelpText('after', EXIT_CODES_HELP)
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });

  const run = runner(program, io, done);
  addConfigCommands(program, run);
  addRecordCommands(program, run);
  addProcessCommands(program, run);
  return program;
}

/** Every action goes through run(): it renders the result (JSON or text) and maps errors to exit codes. */
function runner(program: Command, io: CliIO, done: (code: number) => void): Runner {
  return (fn) =>
    async (...args) => {
      const globals = program.opts<GlobalOptions>();
      const ctx: CommandContext = {
        env: io.env,
        json: Boolean(globals.json),
        progress: (line) => io.stderr(`${line}\n`),
      };
      try {
        const result = await fn(ctx, ...args);
        io.stdout(`${ctx.json ? JSON.stringify(result.json, null, 2) : result.text}\n`);
        done(result.exitCode ?? EXIT_OK);
      } catch (err) {
        done(reportError(io, err, Boolean(globals.verbose), ctx.json));
      }
    };
}

/** `config validate`. */
function addConfigCommands(program: Command, run: Runner): void {
  const config = program.command('config').description('the sync configuration (sync.config.yaml)');
  config
    .command('validate [file]')
    .description('validate the sync configuration (default: $SYNC_CONFIG or sync.config.yaml)')
    .option('--online', 'also check fields against Salesforce describe and Zendesk (needs credentials)')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(
      run((ctx, file: string | undefined, opts: { online?: boolean }) => configValidate(ctx, file, opts)),
    );
}

/** The commands about synced records: `status`, `failures`, `resync`, `dry-run`. */
function addRecordCommands(program: Command, run: Runner): void {
  program
    .command('status [object] [id]')
    .description(
      'one record: link, write-back, last outcomes, pending change; without id: counts per outcome',
    )
    .addHelpText('after', EXIT_CODES_HELP)
    .action(
      run(async (ctx, object: string | undefined, id: string | undefined) => {
        if (id) return recordStatus(ctx, parseObject(object!), parseSalesforceId(id));
        return outcomeCounts(ctx, object ? parseObject(object) : undefined);
      }),
    );

  program
    .command('failures [object]')
    .description('records whose last sync pass failed, with the reason')
    .option('--since <duration>', 'only failures in this window, e.g. 30m, 1h, 7d')
    .option('--type <failureType>', 'only this failure type, e.g. MultipleMatches, ProtectedUser')
    .addOption(new Option('--limit <n>', 'at most this many').default('100'))
    .addHelpText('after', EXIT_CODES_HELP)
    .action(run(failuresAction));

  program
    .command('resync [object] [ids...]')
    .description('force a sync pass of records, or of every record (--all) as a bulk resync')
    .option('--all', 'bulk resync of every record of the object')
    .option('--where <soql>', 'with --all: only records matching this SOQL condition')
    .option('--in-scope', 'with --all: only records inside the configured filters')
    .option('--detach', 'with --all: print the bulk workflow id and exit')
    .option('--batch', 'with --all, Accounts only: use Zendesk batch endpoints (create_many, update_many)')
    .option('--attach <workflowId>', 'watch a running bulk resync')
    .addOption(new Option('--poll <ms>', 'progress polling interval').default('1000').hideHelp())
    .addHelpText('after', EXIT_CODES_HELP)
    .action(run(resyncAction));

  program
    .command('dry-run <object> <id>')
    .description(
      'fetch, filter and match one record, then show the Zendesk requests a sync would send as a diff; writes nothing',
    )
    .addHelpText('after', EXIT_CODES_HELP)
    .action(
      run((ctx, object: string, id: string) => dryRun(ctx, parseObject(object), parseSalesforceId(id))),
    );
}

function failuresAction(
  ctx: CommandContext,
  object: string | undefined,
  opts: { since?: string; type?: string; limit: string },
): Promise<CommandResult> {
  const limit = Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError(`--limit '${opts.limit}' must be a whole number ≥ 1`);
  return listFailures(ctx, {
    object: object ? parseObject(object) : undefined,
    type: opts.type,
    since: opts.since ? parseSince(opts.since) : undefined,
    limit,
  });
}

interface ResyncOptions {
  all?: boolean;
  where?: string;
  inScope?: boolean;
  detach?: boolean;
  batch?: boolean;
  attach?: string;
  poll: string;
}

/** `resync`: watch a bulk resync (--attach), start one (--all), or force passes of the records named. */
async function resyncAction(
  ctx: CommandContext,
  object: string | undefined,
  ids: string[],
  opts: ResyncOptions,
): Promise<CommandResult> {
  const pollMs = Math.max(50, Number(opts.poll) || 1000);
  if (opts.attach) {
    if (object || opts.all) throw new UsageError('--attach takes only the bulk workflow id');
    return attachBulk(ctx, opts.attach, pollMs);
  }
  if (!object) throw new UsageError('name the object: sfzd resync <Account|Contact|Lead> <id...> | --all');
  const obj = parseObject(object);
  if (opts.all) {
    if (ids.length) throw new UsageError('give record ids or --all, not both');
    return startBulk(ctx, obj, {
      where: opts.where,
      inScopeOnly: opts.inScope,
      detach: opts.detach,
      batch: opts.batch,
      pollMs,
    });
  }
  if (opts.where || opts.inScope || opts.detach || opts.batch)
    throw new UsageError('--where, --in-scope, --detach and --batch need --all');
  if (!ids.length) throw new UsageError('give at least one record id, or --all');
  return resyncRecords(ctx, obj, ids.map(parseSalesforceId));
}

/** The long-running processes: `worker`, `listen`, `codec-server`. */
function addProcessCommands(program: Command, run: Runner): void {
  program
    .command('worker')
    .description('run the sync worker until SIGINT/SIGTERM (same as npm run worker)')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(run((ctx) => worker(ctx)));

  program
    .command('listen')
    .description('start (or find) the Salesforce change feed (same as npm run listen)')
    .option('--wait', 'wait until the feed reports its channels subscribed')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(run((ctx, opts: { wait?: boolean }) => listen(ctx, opts)));

  program
    .command('codec-server')
    .description('decrypt payloads for the Temporal UI (remote codec endpoint) until SIGINT/SIGTERM')
    .addOption(new Option('--port <port>', 'port to listen on (0: any free port)').default('8888'))
    .addOption(new Option('--host <host>', 'address to bind (0.0.0.0 in a container)').default('127.0.0.1'))
    .option('--cors-origin <origin...>', 'browser origin(s) of the Temporal UI, e.g. http://localhost:8233')
    .addHelpText(
      'after',
      `${EXIT_CODES_HELP}\nNeeds SYNC_ENCRYPTION_KEYS (or _FILE) and SYNC_ENCRYPTION_KEY_ID; SYNC_CODEC_AUTH_TOKEN requires a bearer token.`,
    )
    .action(
      run((ctx, opts: { port: string; host: string; corsOrigin?: string[] }) => codecServer(ctx, opts)),
    );
}

/** Runs sfzd with `argv` (without the node and script names) and resolves to the exit code. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let code: number | undefined;
  const program = createProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version are "errors" to commander; everything else it raises is a usage mistake.
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.help' ||
        err.code === 'commander.version'
      )
        return EXIT_OK;
      if (err.code === 'commander.executeSubCommandAsync') return EXIT_OK;
      return EXIT_USAGE;
    }
    return reportError(io, err, argv.includes('--verbose'), argv.includes('--json'));
  }
  return code ?? EXIT_OK;
}

/** Same rules as the other entry points (common/report-fatal.ts), plus CliError's own exit code. */
function reportError(io: CliIO, err: unknown, verboseFlag: boolean, json: boolean): number {
  const verbose = verboseFlag || wantsStackTraces([], io.env);
  const exitCode = err instanceof CliError ? err.exitCode : fatalExitCode(err);
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (json) {
    io.stdout(
      `${JSON.stringify({ error: { code: typeof code === 'string' ? code : 'ERROR', message } }, null, 2)}\n`,
    );
  }
  if (verbose && err instanceof Error && code !== 'STOPPED') io.stderr(`${err.stack ?? message}\n`);
  else if (err instanceof CliError) io.stderr(`sfzd: ${message}\n`);
  else io.stderr(`sfzd: ${formatFatal(err, false)}\n`);
  return exitCode;
}
