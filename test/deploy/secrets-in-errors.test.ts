/**
 * No secret value ever reaches a process's output: every secret-bearing variable, given bad values of
 * several shapes (a plain string, one with a newline, a base64 key, a PEM body without its header, a
 * broken PEM, a path, a long value, non-ASCII), is fed to the real boot path (`sfzd worker`,
 * `npm run listen`, `sfzd status`, `sfzd codec-server`) at LOG_LEVEL=debug, and stdout + stderr are
 * searched for a random marker inside each value. Values that parse are sent to the sandboxes and
 * Temporal, whose refusals must not echo them either. Messages still name the variable.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../sandbox/salesforce';
import { sandboxCredentialEnv } from '../../sandbox/start-sandboxes';
import { startZendeskSandbox, type ZendeskSandbox } from '../../sandbox/zendesk';
import { temporalEnv } from '../helpers/temporal-env';
import { createTestPki, type TestPki } from '../temporal-connection/certs';
import { baseEnv, runToEnd, startProcess } from './processes';

const SFZD_WORKER = ['node', 'bin/sfzd.js', 'worker'];

const marker = () => `m${randomBytes(12).toString('hex')}`;
const base64Key = () => randomBytes(32).toString('base64');

/** A bad value of each shape around `m`; its markers are what must never be printed. */
const SHAPES: Record<string, (m: string) => { value: string; secrets: string[] }> = {
  plain: (m) => ({ value: `S3cret-${m}`, secrets: [m] }),
  newline: (m) => ({ value: `abc ${m}\ndef\u0001`, secrets: [m] }),
  base64Key: () => {
    const key = base64Key();
    return { value: key, secrets: [key, key.slice(0, 20), key.slice(-24)] };
  },
  pemBody: (m) => ({ value: `MIGHAgEAMBMGByqGSM49${m}AgEGCCqGSM49AwEHBG0wawIBAQQg`, secrets: [m] }),
  brokenPem: (m) => ({
    value: `-----BEGIN PRIVATE KEY-----\\n${m}\\n-----END PRIVATE KEY-----`,
    secrets: [m],
  }),
  path: (m) => ({ value: `/run/secrets/${m}`, secrets: [m] }),
  long: (m) => ({ value: `${m}${'x'.repeat(6000)}`, secrets: [m] }),
  nonAscii: (m) => ({ value: `pässwörd-${m}-ünïcode`, secrets: [m] }),
};

interface Row {
  name: string;
  argv: string[];
  env: NodeJS.ProcessEnv;
  /** Every secret marker of the row. */
  secrets: string[];
  /** Variables the output must name (the error says which one is wrong). */
  named: string[];
  /** Expected exit code (1: the boot fails). */
  code: number;
}

/** Runs `fn` over `items`, `limit` at a time (the machine is shared). */
async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

function assertNoSecret(name: string, output: string, secrets: string[]): void {
  for (const s of secrets)
    assert.ok(!output.includes(s), `${name}: the output contains a secret (${s.slice(0, 8)}…):\n${output}`);
}

describe('no secret value in any error output (real processes, every secret variable)', function () {
  this.timeout(300_000);
  let sf: SalesforceSandbox;
  let zd: ZendeskSandbox;
  let pki: TestPki;
  let valid: NodeJS.ProcessEnv;

  before(async () => {
    const address = (await temporalEnv()).address;
    sf = await startSalesforceSandbox({ port: 0 });
    zd = await startZendeskSandbox({ port: 0, seed: true });
    pki = createTestPki();
    valid = { TEMPORAL_ADDRESS: address, ...sandboxCredentialEnv(sf.url, zd.url), LOG_LEVEL: 'DEBUG' };
  });
  after(async () => {
    await sf?.close();
    await zd?.close();
  });

  it('boot: every secret variable with each bad shape at once; the output names them and quotes none', async () => {
    const vars = [
      'TEMPORAL_TLS_CERT',
      'TEMPORAL_TLS_KEY',
      'TEMPORAL_TLS_CA',
      'TEMPORAL_API_KEY',
      'SYNC_ENCRYPTION_KEYS',
      'SALESFORCE_CLIENT_ID',
      'SALESFORCE_CLIENT_SECRET',
      'SALESFORCE_PASSWORD',
      'ZENDESK_API_TOKEN',
      'ZENDESK_OAUTH_TOKEN',
    ];
    const rows: Row[] = [];
    for (const [shape, make] of Object.entries(SHAPES)) {
      const env: NodeJS.ProcessEnv = {
        SALESFORCE_USERNAME: 'integration@example.com',
        SYNC_ENCRYPTION_KEY_ID: 'k1',
      };
      const secrets: string[] = [];
      for (const v of vars) {
        const { value, secrets: s } = make(marker());
        env[v] = value;
        secrets.push(...s);
      }
      // The worker, a one-shot listener and an sfzd client command all boot through the same readers.
      const argv =
        shape === 'pemBody'
          ? ['node', '--import', 'tsx', 'client/listener/main.ts']
          : shape === 'path'
            ? ['node', 'bin/sfzd.js', 'status', 'Account']
            : SFZD_WORKER;
      const named = ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CA', 'SYNC_ENCRYPTION_KEYS'];
      rows.push({
        name: `${shape} (${argv.slice(1).join(' ')})`,
        argv,
        env: { ...valid, ...env },
        secrets,
        named,
        code: 1,
      });
    }
    await runRows(rows);
  });

  it('encryption keys: swapped id and key, a key as the key id, keys pasted into SYNC_ENCRYPTION_KEYS_FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfzd-secret-keys-'));
    const [k1, k2] = [base64Key(), base64Key()];
    const unpadded = k1.replace(/=+$/, '');
    const badFile = join(dir, 'keys.txt');
    writeFileSync(badFile, `${k1}:k1\n`); // swapped inside a file
    const jsonFile = join(dir, 'keys.json');
    writeFileSync(jsonFile, JSON.stringify({ [unpadded]: 'k1' }));
    const keyRows: Array<[string, NodeJS.ProcessEnv, string]> = [
      [
        'swapped key:id',
        { SYNC_ENCRYPTION_KEYS: `${k1}:k1`, SYNC_ENCRYPTION_KEY_ID: 'k1' },
        'SYNC_ENCRYPTION_KEYS',
      ],
      [
        'swapped, unpadded',
        { SYNC_ENCRYPTION_KEYS: `${unpadded}:k1`, SYNC_ENCRYPTION_KEY_ID: 'k1' },
        'SYNC_ENCRYPTION_KEYS',
      ],
      [
        'second entry swapped',
        { SYNC_ENCRYPTION_KEYS: `k1:${k2},${unpadded}:k2`, SYNC_ENCRYPTION_KEY_ID: 'k1' },
        'SYNC_ENCRYPTION_KEYS',
      ],
      [
        'a key as the key id',
        { SYNC_ENCRYPTION_KEYS: `k1:${k2}`, SYNC_ENCRYPTION_KEY_ID: k1 },
        'SYNC_ENCRYPTION_KEY_ID',
      ],
      [
        'unpadded key as the key id',
        { SYNC_ENCRYPTION_KEYS: `k1:${k2}`, SYNC_ENCRYPTION_KEY_ID: unpadded },
        'SYNC_ENCRYPTION_KEY_ID',
      ],
      [
        'keys pasted as the file path',
        { SYNC_ENCRYPTION_KEYS_FILE: `k1:${k1}`, SYNC_ENCRYPTION_KEY_ID: 'k1' },
        'SYNC_ENCRYPTION_KEYS_FILE',
      ],
      [
        'swapped in a file',
        { SYNC_ENCRYPTION_KEYS_FILE: badFile, SYNC_ENCRYPTION_KEY_ID: 'k1' },
        'SYNC_ENCRYPTION_KEYS_FILE',
      ],
      [
        'swapped in a JSON file',
        { SYNC_ENCRYPTION_KEYS_FILE: jsonFile, SYNC_ENCRYPTION_KEY_ID: 'k1' },
        'SYNC_ENCRYPTION_KEYS_FILE',
      ],
    ];
    const secrets = [k1, k2, unpadded, k1.slice(0, 20), k2.slice(0, 20), unpadded.slice(-20)];
    await runRows(
      keyRows.map(([name, env, variable], i) => ({
        name,
        // The codec server reads the same keys: half the rows boot it instead of the worker.
        argv: i % 2 ? ['node', 'bin/sfzd.js', 'codec-server', '--port', '0'] : SFZD_WORKER,
        env: { ...valid, ...env },
        secrets,
        named: [variable],
        code: 1,
      })),
    );
  });

  it('TLS: a key of another certificate, a key where the certificate goes, a certificate as the CA body', async () => {
    const serverKey = readFileSync(pki.serverKey, 'utf8');
    const clientKey = readFileSync(pki.clientKey, 'utf8');
    const clientCert = readFileSync(pki.clientCert, 'utf8');
    const body = (pem: string) =>
      pem
        .split('\n')
        .filter((l) => l && !l.startsWith('-----'))
        .join('');
    const secrets = [body(serverKey).slice(0, 32), body(clientKey).slice(0, 32), body(clientKey).slice(-32)];
    await runRows([
      {
        name: 'key of another certificate (PEM text)',
        argv: SFZD_WORKER,
        env: { ...valid, TEMPORAL_TLS_CERT: clientCert, TEMPORAL_TLS_KEY: serverKey },
        secrets,
        named: ['TEMPORAL_TLS_KEY'],
        code: 1,
      },
      {
        name: 'key where the certificate goes, key body without its BEGIN line',
        argv: SFZD_WORKER,
        env: {
          ...valid,
          TEMPORAL_TLS_CERT: clientKey,
          TEMPORAL_TLS_KEY: body(clientKey),
          TEMPORAL_TLS_CA: body(serverKey),
        },
        secrets,
        named: ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CA'],
        code: 1,
      },
    ]);
  });

  it('values that parse, refused by Salesforce, Zendesk or Temporal: named, never quoted', async () => {
    const rows: Row[] = [];
    const add = (variable: string, shapes: string[], extra: NodeJS.ProcessEnv, named: string[]) => {
      for (const shape of shapes) {
        const { value, secrets } = SHAPES[shape]!(marker());
        rows.push({
          name: `${variable} ${shape}`,
          argv: SFZD_WORKER,
          env: { ...valid, ...extra, [variable]: value },
          secrets,
          named,
          code: 1,
        });
      }
    };
    add('SALESFORCE_CLIENT_SECRET', ['plain', 'base64Key', 'nonAscii'], {}, ['SALESFORCE_CLIENT_SECRET']);
    add('SALESFORCE_PASSWORD', ['plain', 'nonAscii'], { SALESFORCE_USERNAME: 'admin@sandbox.test' }, [
      'SALESFORCE_PASSWORD',
    ]);
    add('ZENDESK_API_TOKEN', ['plain', 'base64Key', 'long'], {}, ['ZENDESK_API_TOKEN']);
    add('ZENDESK_OAUTH_TOKEN', ['plain'], { ZENDESK_API_TOKEN: '', ZENDESK_EMAIL: '' }, [
      'ZENDESK_OAUTH_TOKEN',
    ]);
    // The API key turns TLS on; the plaintext dev server fails the handshake.
    add('TEMPORAL_API_KEY', ['plain', 'base64Key'], {}, ['TEMPORAL_API_KEY']);
    await runRows(rows);
  });

  it('SYNC_CODEC_AUTH_TOKEN: the codec server never prints it, nor answers with it', async () => {
    for (const shape of ['plain', 'long']) {
      const { value: token, secrets } = SHAPES[shape]!(marker());
      const proc = startProcess(
        ['node', 'bin/sfzd.js', 'codec-server', '--port', '0', '--cors-origin', 'http://localhost:8080'],
        baseEnv({
          LOG_LEVEL: 'DEBUG',
          SYNC_ENCRYPTION_KEYS: `k1:${base64Key()}`,
          SYNC_ENCRYPTION_KEY_ID: 'k1',
          SYNC_CODEC_AUTH_TOKEN: token,
        }),
      );
      try {
        await proc.waitFor('listening on');
        const url = /listening on (http:\/\/\S+)/.exec(proc.output())![1]!;
        const bodies: string[] = [];
        for (const authorization of [undefined, `Bearer ${token.slice(0, -1)}`, `Bearer ${token}x`, token]) {
          const res = await fetch(`${url}/decode`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
            body: JSON.stringify({ payloads: [{ metadata: { encoding: 'eA==' }, data: 'eA==' }] }),
          });
          assert.equal(res.status, 401);
          bodies.push(await res.text());
        }
        const ok = await fetch(`${url}/decode`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
          body: '{}',
        });
        assert.equal(ok.status, 200, 'the right token is accepted');
        proc.child.kill('SIGTERM');
        assert.equal((await proc.exited).code, 0);
        assertNoSecret(`codec token ${shape}`, `${proc.output()}\n${bodies.join('\n')}`, secrets);
      } finally {
        proc.kill();
      }
    }
  });

  async function runRows(rows: Row[]): Promise<void> {
    const results = await pool(rows, 3, async (row) => ({
      row,
      res: await runToEnd(row.argv, baseEnv(row.env)),
    }));
    for (const { row, res } of results) {
      assert.equal(res.code, row.code, `${row.name}:\n${res.output}`);
      assertNoSecret(row.name, res.output, row.secrets);
      for (const v of row.named) assert.ok(res.output.includes(v), `${row.name}: names ${v}:\n${res.output}`);
    }
  }
});
