/**
 * The codec server's HTTP surface against hostile callers: a reflected or wildcard origin never comes
 * with `Access-Control-Allow-Credentials: true` (Fetch standard, CORS check:
 * https://fetch.spec.whatwg.org/#cors-check), a browser origin that is not listed is refused before
 * anything is decoded, and the protocol's empty payload list (`{}`, as the Temporal CLI sends it)
 * is answered with an empty list.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startCodecServer, type RunningCodecServer } from '../../client/codec-server/server';
import { runCli } from '../../client/cli/program';
import { AesGcmPayloadCodec, readEncryptionKeys } from '../../common/encryption';
import { baseEnv, startProcess } from '../deploy/processes';

const KEYS = {
  SYNC_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  SYNC_ENCRYPTION_KEY_ID: 'k1',
};
const UI = 'http://localhost:8233';
const HOSTILE = 'https://attacker.example';

describe('codec server over HTTP: CORS and the protocol edges', () => {
  const codec = new AesGcmPayloadCodec(readEncryptionKeys(KEYS)!);
  const servers: RunningCodecServer[] = [];
  const start = async (corsOrigins: string[]) => {
    const s = await startCodecServer({ codec, port: 0, corsOrigins });
    servers.push(s);
    return s;
  };
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  const encrypted = async () => {
    const [p] = await codec.encode([
      {
        metadata: { encoding: new TextEncoder().encode('json/plain') },
        data: new TextEncoder().encode('"secret"'),
      },
    ]);
    return JSON.stringify({
      payloads: [
        {
          metadata: Object.fromEntries(
            Object.entries(p!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
          ),
          data: Buffer.from(p!.data!).toString('base64'),
        },
      ],
    });
  };
  const preflight = (url: string, origin: string) =>
    fetch(`${url}/decode`, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-namespace',
      },
    });
  const post = async (url: string, origin: string | undefined, body: string) =>
    fetch(`${url}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(origin ? { Origin: origin } : {}) },
      body,
    });

  it('a listed origin gets itself back with credentials; a hostile one gets no CORS headers and 403', async () => {
    const server = await start([UI]);
    const ok = await preflight(server.url, UI);
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), UI);
    assert.equal(ok.headers.get('access-control-allow-credentials'), 'true');
    assert.match(ok.headers.get('vary') ?? '', /Origin/);

    for (const res of [
      await preflight(server.url, HOSTILE),
      await post(server.url, HOSTILE, await encrypted()),
    ]) {
      assert.equal(res.status, 403);
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      assert.equal(res.headers.get('access-control-allow-credentials'), null);
      const text = await res.text();
      assert.ok(!text.includes('secret'), 'nothing decoded for a hostile origin');
    }
    // `null` (a sandboxed iframe, a file:// page) is not the listed origin either.
    assert.equal((await post(server.url, 'null', await encrypted())).status, 403);
  });

  it("'*' answers any origin with '*' and never with credentials", async () => {
    const server = await start(['*']);
    for (const res of [
      await preflight(server.url, HOSTILE),
      await post(server.url, HOSTILE, await encrypted()),
    ]) {
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.equal(
        res.headers.get('access-control-allow-credentials'),
        null,
        'no credentials with a wildcard',
      );
    }
    // A listed origin beside '*' keeps its credentialed answer; others still get '*'.
    const mixed = await start([UI, '*']);
    assert.equal((await preflight(mixed.url, UI)).headers.get('access-control-allow-credentials'), 'true');
    const other = await preflight(mixed.url, HOSTILE);
    assert.deepEqual(
      [
        other.headers.get('access-control-allow-origin'),
        other.headers.get('access-control-allow-credentials'),
      ],
      ['*', null],
    );
  });

  it('the CLI (no Origin) is served; {} and an empty body are an empty payload list', async () => {
    const server = await start([UI]);
    const decoded = await post(server.url, undefined, await encrypted());
    assert.equal(decoded.status, 200);
    const { payloads } = (await decoded.json()) as { payloads: Array<{ data: string }> };
    assert.equal(Buffer.from(payloads[0]!.data, 'base64').toString(), '"secret"');
    for (const op of ['encode', 'decode'])
      for (const body of ['{}', '', '{"payloads":[]}']) {
        const res = await fetch(`${server.url}/default/${op}`, { method: 'POST', body });
        assert.equal(res.status, 200, `${op} ${JSON.stringify(body)}`);
        assert.deepEqual(await res.json(), { payloads: [] });
      }
    for (const body of ['[]', '{"payloads":{}}', 'not json'])
      assert.equal((await fetch(`${server.url}/decode`, { method: 'POST', body })).status, 400, body);
  });

  it('sfzd codec-server: a malformed --cors-origin is a usage error; a wildcard without a token warns', async () => {
    const run = async (argv: string[]) => {
      let err = '';
      const code = await runCli(argv, { env: KEYS, stdout: () => undefined, stderr: (t) => (err += t) });
      return { code, err };
    };
    for (const origin of ['http://localhost:8233/', 'localhost:8233', 'http://localhost:8233/ui', 'null']) {
      const { code, err } = await run(['codec-server', '--port', '0', '--cors-origin', origin]);
      assert.equal(code, 2, err);
      assert.match(err, /--cors-origin '.*' is not an origin such as http:\/\/localhost:8080/);
    }
    // The server runs until SIGTERM: a process of its own, so that the signal goes to it alone.
    const proc = startProcess(
      ['node', 'bin/sfzd.js', 'codec-server', '--port', '0', '--cors-origin', '*'],
      baseEnv(KEYS),
    );
    try {
      await proc.waitFor('listening on');
      proc.child.kill('SIGTERM');
      assert.equal((await proc.exited).code, 0, proc.output());
      assert.match(
        proc.output(),
        /warning: --cors-origin '\*' lets any web page the operator opens call this server/,
      );
    } finally {
      proc.kill();
    }
  });
});
