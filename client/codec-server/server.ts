/**
 * Temporal's remote codec protocol over HTTP, so that the Temporal UI (and `temporal` CLI with
 * --codec-endpoint) can show decrypted payloads to authorised operators while the server only stores
 * ciphertext. POST {endpoint}/encode and {endpoint}/decode take and return
 * `{"payloads":[{"metadata":{"k":"<base64>"},"data":"<base64>"}]}`.
 *
 * The UI calls this from the operator's browser, hence CORS for the UI's origin with the headers the UI
 * sends (content-type, x-namespace, authorization). With an auth token configured every POST needs
 * `Authorization: Bearer <token>`; the UI forwards the operator's own token when configured to.
 *
 * CORS: a listed origin is answered with itself and `Access-Control-Allow-Credentials: true` (the UI's
 * "include cross-origin credentials" setting, TEMPORAL_CODEC_INCLUDE_CREDENTIALS, needs it:
 * https://docs.temporal.io/references/web-ui-environment-variables). `*` is answered with `*` and never
 * with credentials: the Fetch standard's CORS check refuses `*` for a credentialed request
 * (https://fetch.spec.whatwg.org/#cors-check), and reflecting any Origin with credentials would let
 * every web page the operator opens read decrypted payloads. A browser request from an origin not
 * listed is refused (403) before anything is decoded. The Temporal CLI sends no Origin.
 * Codec server protocol and CORS requirements: https://docs.temporal.io/production-deployment/data-encryption
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { listenOn } from '../../worker/listen-on';

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
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'body must be JSON {"payloads":[...]}');
  }
}

/**
 * The payload list of a request. Protobuf's JSON form leaves out an empty repeated field, so a list of
 * no payloads arrives as `{}`: the Temporal CLI sends exactly that to /encode for a query or signal
 * without arguments (`temporal workflow query --codec-endpoint …`).
 */
function payloadList(body: unknown): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new HttpError(400, 'BAD_REQUEST', 'body must be JSON {"payloads":[...]}');
  const list = (body as { payloads?: unknown }).payloads;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new HttpError(400, 'BAD_REQUEST', 'body must be JSON {"payloads":[...]}');
  return list;
}

/** `*`, or a serialized origin (scheme://host[:port], nothing after): what a browser sends as Origin. */
export function checkCorsOrigin(origin: string): string | undefined {
  if (origin === '*') return undefined;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `'${origin}' is not an origin such as http://localhost:8080`;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== origin)
    return `'${origin}' is not an origin such as http://localhost:8080 (scheme, host and port only, no path or trailing slash)`;
  return undefined;
}

export function createCodecHandler(opts: CodecServerOptions) {
  const origins = new Set(opts.corsOrigins ?? []);
  const anyOrigin = origins.has('*');
  for (const origin of origins) {
    const problem = checkCorsOrigin(origin);
    if (problem) throw new Error(`CORS origin ${problem}`);
  }
  const limit = opts.maxBodyBytes ?? 8 * 1024 * 1024;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const origin = req.headers.origin;
    const listed = origin !== undefined && origins.has(origin);
    res.setHeader('Vary', 'Origin');
    if (listed || (origin !== undefined && anyOrigin)) {
      if (listed) {
        // An origin named by the operator: the only case that may carry credentials.
        res.setHeader('Access-Control-Allow-Origin', origin);
        res.setHeader('Access-Control-Allow-Credentials', 'true');
      } else res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
    }
    const send = (status: number, body: unknown) => {
      res.statusCode = status;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(body));
    };
    try {
      if (origin !== undefined && !listed && !anyOrigin)
        throw new HttpError(
          403,
          'ORIGIN_NOT_ALLOWED',
          'this origin is not allowed (sfzd codec-server --cors-origin)',
        );
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
      const payloads = payloadList(await readBody(req, limit)).map(fromJson);
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
  await listenOn(server, opts.port ?? 8888, opts.host ?? '127.0.0.1', '--port');
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
