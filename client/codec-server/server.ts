/**
 * Temporal's remote codec protocol over HTTP, so that the Temporal UI (and `temporal` CLI with
 * --codec-endpoint) can show decrypted payloads to authorised operators while the server only stores
 * ciphertext. POST {endpoint}/encode and {endpoint}/decode take and return
 * `{"payloads":[{"metadata":{"k":"<base64>"},"data":"<base64>"}]}`.
 *
 * The UI calls this from the operator's browser, hence CORS for the UI's origin with the headers the UI
 * sends (content-type, x-namespace, authorization). With an auth token configured every POST needs
 * `Authorization: Bearer <token>`; the UI forwards the operator's own token when configured to.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';

export interface CodecServerOptions {
  codec: PayloadCodec;
  port?: number;
  host?: string;
  /** Browser origins allowed to call the server, e.g. the Temporal UI's http://localhost:8233. */
  corsOrigins?: string[];
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  authToken?: string;
  /** Largest request body accepted (default 8 MiB; Temporal's own payload limit is 2 MiB each). */
  maxBodyBytes?: number;
}

export interface RunningCodecServer {
  url: string;
  close(): Promise<void>;
}

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const ALLOWED_HEADERS = 'content-type, x-namespace, authorization';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function fromJson(p: unknown, i: number): Payload {
  if (typeof p !== 'object' || p === null)
    throw new HttpError(400, 'BAD_REQUEST', `payloads[${i}] must be an object`);
  const { metadata = {}, data = '' } = p as JsonPayload;
  const bytes = (value: unknown, where: string) => {
    if (typeof value !== 'string' || !BASE64.test(value))
      throw new HttpError(400, 'BAD_REQUEST', `payloads[${i}].${where} must be a base64 string`);
    return new Uint8Array(Buffer.from(value, 'base64'));
  };
  if (typeof metadata !== 'object' || metadata === null)
    throw new HttpError(400, 'BAD_REQUEST', `payloads[${i}].metadata must be an object`);
  return {
    metadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, bytes(v, `metadata.${k}`)])),
    data: bytes(data, 'data'),
  };
}

function toJson(p: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [
        k,
        Buffer.from(v ?? new Uint8Array()).toString('base64'),
      ]),
    ),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, 'TOO_LARGE', `request body over ${limit} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'body must be JSON {"payloads":[...]}');
  }
}

export function createCodecHandler(opts: CodecServerOptions) {
  const origins = new Set(opts.corsOrigins ?? []);
  const limit = opts.maxBodyBytes ?? 8 * 1024 * 1024;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const origin = req.headers.origin;
    if (origin && (origins.has(origin) || origins.has('*'))) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.setHeader('Vary', 'Origin');
    }
    const send = (status: number, body: unknown) => {
      res.statusCode = status;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(body));
    };
    try {
      const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '');
      const op = path.endsWith('/encode') ? 'encode' : path.endsWith('/decode') ? 'decode' : undefined;
      if (req.method === 'OPTIONS') {
        res.statusCode = 204;
        res.end();
        return;
      }
      if (!op) throw new HttpError(404, 'NOT_FOUND', 'use POST /encode or POST /decode');
      if (req.method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${op} takes POST`);
      if (opts.authToken) {
        const header = req.headers.authorization ?? '';
        const token = /^Bearer\s+(.+)$/i.exec(header)?.[1] ?? '';
        if (!sameToken(token, opts.authToken))
          throw new HttpError(401, 'UNAUTHORIZED', 'missing or wrong Authorization: Bearer token');
      }
      const body = await readBody(req, limit);
      const list = (body as { payloads?: unknown } | null)?.payloads;
      if (!Array.isArray(list))
        throw new HttpError(400, 'BAD_REQUEST', 'body must be JSON {"payloads":[...]}');
      const payloads = list.map(fromJson);
      const result = op === 'encode' ? await opts.codec.encode(payloads) : await opts.codec.decode(payloads);
      send(200, { payloads: result.map(toJson) });
    } catch (err) {
      if (err instanceof HttpError)
        return send(err.status, { error: { code: err.code, message: err.message } });
      // Codec errors (unknown key id, wrong key) are the operator's to fix, so say what they are.
      const code = (err as { code?: unknown }).code;
      send(422, {
        error: {
          code: typeof code === 'string' ? code : 'CODEC_ERROR',
          message: (err as Error).message,
        },
      });
    }
  };
}

export async function startCodecServer(opts: CodecServerOptions): Promise<RunningCodecServer> {
  const handler = createCodecHandler(opts);
  const server: Server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8888, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
