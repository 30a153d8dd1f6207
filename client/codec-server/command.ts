/**
 * `sfzd codec-server`: serves the payload codec over HTTP for the Temporal UI until SIGINT/SIGTERM.
 * Needs the same SYNC_ENCRYPTION_KEYS(_FILE) as the workers (SYNC_ENCRYPTION_KEY_ID picks the key for
 * /encode); SYNC_CODEC_AUTH_TOKEN, when set, is required as a bearer token on every request.
 */
import { AesGcmPayloadCodec, readEncryptionKeys } from '../../common/encryption';
import { EnvError } from '../../common/env';
import { CliError } from '../cli/errors';
import type { CommandContext, CommandResult } from '../cli/result';
import { checkCorsOrigin, startCodecServer } from './server';

export interface CodecServerCommandOptions {
  port: string;
  host: string;
  corsOrigin?: string[];
}

export async function codecServer(
  ctx: CommandContext,
  opts: CodecServerCommandOptions,
): Promise<CommandResult> {
  const keys = readEncryptionKeys(ctx.env);
  if (!keys)
    throw new EnvError([
      {
        variable: 'SYNC_ENCRYPTION_KEYS',
        message:
          'is required by the codec server (the same keys as the workers), with SYNC_ENCRYPTION_KEY_ID',
      },
    ]);
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError('CLI_USAGE', `--port '${opts.port}' must be a port number`, 2);
  for (const origin of opts.corsOrigin ?? []) {
    const problem = checkCorsOrigin(origin);
    if (problem) throw new CliError('CLI_USAGE', `--cors-origin ${problem}`, 2);
  }
  const authToken = ctx.env.SYNC_CODEC_AUTH_TOKEN?.trim() || undefined;
  if (opts.corsOrigin?.includes('*') && !authToken)
    ctx.progress(
      "warning: --cors-origin '*' lets any web page the operator opens call this server; name the UI's origin, or set SYNC_CODEC_AUTH_TOKEN",
    );
  const server = await startCodecServer({
    codec: new AesGcmPayloadCodec(keys),
    port,
    host: opts.host,
    corsOrigins: opts.corsOrigin ?? [],
    authToken,
  });
  ctx.progress(
    `codec server listening on ${server.url} (keys: ${[...keys.keys.keys()].join(', ')}; encrypting with ${keys.activeKeyId}; ` +
      `CORS: ${opts.corsOrigin?.join(', ') || 'none'}; auth: ${authToken ? 'bearer token' : 'none'})`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return { json: { stopped: true, url: server.url }, text: 'codec server stopped' };
}
