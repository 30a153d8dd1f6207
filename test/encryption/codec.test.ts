/**
 * The AES-256-GCM payload codec and its keys on their own: round trip, rotation by key id, and the
 * errors an operator sees for a missing, wrong or malformed key.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { runCli } from '../../client/cli/program';
import { AesGcmPayloadCodec, PayloadDecryptionError, readEncryptionKeys } from '../../common/encryption';
import { EnvError } from '../../common/env';

const k = () => randomBytes(32).toString('base64');
const codecFor = (keys: string, active: string) =>
  new AesGcmPayloadCodec(readEncryptionKeys({ SYNC_ENCRYPTION_KEYS: keys, SYNC_ENCRYPTION_KEY_ID: active })!);
const meta = (p: Payload, key: string) => Buffer.from(p.metadata![key]!).toString();
const contact = { Email: 'ada.lovelace@example.com', Name: 'Ada Lovelace', Phone: '+15550001111' };

function envIssues(env: NodeJS.ProcessEnv): EnvError['issues'] {
  try {
    readEncryptionKeys(env);
  } catch (err) {
    if (err instanceof EnvError) return err.issues;
    throw err;
  }
  assert.fail('expected an EnvError');
}

describe('payload encryption codec', () => {
  const k1 = k();
  const k2 = k();

  it('encrypts (no plaintext left, fresh IV each time) and decrypts back to the same payload', async () => {
    const codec = codecFor(`k1:${k1}`, 'k1');
    const plain = defaultPayloadConverter.toPayload(contact);
    const [a] = await codec.encode([plain]);
    const [b] = await codec.encode([plain]);
    assert.equal(meta(a!, 'encoding'), 'binary/encrypted');
    assert.equal(meta(a!, 'encryption-key-id'), 'k1');
    assert.ok(!Buffer.from(a!.data!).includes('lovelace'));
    assert.notDeepEqual(a!.data, b!.data);
    const [back] = await codec.decode([a!]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(back!), contact);
  });

  it('leaves payloads written before encryption was enabled readable', async () => {
    const plain = defaultPayloadConverter.toPayload('old');
    assert.deepEqual(await codecFor(`k1:${k1}`, 'k1').decode([plain]), [plain]);
  });

  it('rotation: after switching the active key, payloads of the old key still decrypt while it is listed', async () => {
    const [old] = await codecFor(`k1:${k1}`, 'k1').encode([defaultPayloadConverter.toPayload(contact)]);
    const rotated = codecFor(`k1:${k1},k2:${k2}`, 'k2');
    const [fresh] = await rotated.encode([defaultPayloadConverter.toPayload('new')]);
    assert.equal(meta(fresh!, 'encryption-key-id'), 'k2');
    assert.deepEqual(defaultPayloadConverter.fromPayload((await rotated.decode([old!]))[0]!), contact);

    await assert.rejects(
      codecFor(`k2:${k2}`, 'k2').decode([old!]),
      (err: unknown) =>
        err instanceof PayloadDecryptionError &&
        err.code === 'UNKNOWN_ENCRYPTION_KEY' &&
        /key id 'k1', which is not in SYNC_ENCRYPTION_KEYS/.test(err.message),
    );
  });

  it('a wrong key under the same id, a tampered payload or a swapped key id fail clearly', async () => {
    const [enc] = await codecFor(`k1:${k1},k2:${k2}`, 'k1').encode([
      defaultPayloadConverter.toPayload(contact),
    ]);
    const failed = (err: unknown) =>
      err instanceof PayloadDecryptionError &&
      err.code === 'PAYLOAD_DECRYPTION_FAILED' &&
      /key id/.test(err.message);
    await assert.rejects(codecFor(`k1:${k2}`, 'k1').decode([enc!]), failed);
    const flipped = Buffer.from(enc!.data!);
    flipped[20]! ^= 1;
    const tampered = { ...enc!, data: flipped };
    await assert.rejects(codecFor(`k1:${k1}`, 'k1').decode([tampered]), failed);
    const swapped = { ...enc!, metadata: { ...enc!.metadata, 'encryption-key-id': Buffer.from('k2') } };
    await assert.rejects(codecFor(`k1:${k1},k2:${k1}`, 'k1').decode([swapped]), failed);
  });

  describe('keys from the environment', () => {
    it('off when no variable is set', () => assert.equal(readEncryptionKeys({}), undefined));

    it('reads a JSON or a line file', () => {
      const dir = mkdtempSync(join(tmpdir(), 'sfzd-keys-'));
      writeFileSync(join(dir, 'keys.json'), JSON.stringify({ old: k1, new: k2 }));
      writeFileSync(join(dir, 'keys.txt'), `# rotated 2026-11\nold:${k1}\nnew:${k2}\n`);
      for (const file of ['keys.json', 'keys.txt']) {
        const keys = readEncryptionKeys({
          SYNC_ENCRYPTION_KEYS_FILE: join(dir, file),
          SYNC_ENCRYPTION_KEY_ID: 'new',
        })!;
        assert.deepEqual([...keys.keys.keys()], ['old', 'new']);
        assert.equal(keys.activeKeyId, 'new');
      }
    });

    it('names the variable for each mistake and never echoes a key', () => {
      const short = Buffer.alloc(16, 1).toString('base64');
      const cases: Array<[NodeJS.ProcessEnv, string, RegExp]> = [
        [{ SYNC_ENCRYPTION_KEYS: `k1:${k1}` }, 'SYNC_ENCRYPTION_KEY_ID', /is required/],
        [
          { SYNC_ENCRYPTION_KEYS: `k1:${k1}`, SYNC_ENCRYPTION_KEY_ID: 'k9' },
          'SYNC_ENCRYPTION_KEY_ID',
          /'k9' is not among the configured keys \(k1\)/,
        ],
        [{ SYNC_ENCRYPTION_KEY_ID: 'k1' }, 'SYNC_ENCRYPTION_KEYS', /is required/],
        [
          { SYNC_ENCRYPTION_KEYS: `k1:${short}`, SYNC_ENCRYPTION_KEY_ID: 'k1' },
          'SYNC_ENCRYPTION_KEYS',
          /key 'k1' must be 32 bytes in base64/,
        ],
        [
          { SYNC_ENCRYPTION_KEYS: `k1:${k1},k1:${k2}`, SYNC_ENCRYPTION_KEY_ID: 'k1' },
          'SYNC_ENCRYPTION_KEYS',
          /listed twice/,
        ],
        [
          { SYNC_ENCRYPTION_KEYS: k1, SYNC_ENCRYPTION_KEY_ID: 'k1' },
          'SYNC_ENCRYPTION_KEYS',
          /keyId:base64key/,
        ],
        [
          { SYNC_ENCRYPTION_KEYS_FILE: '/nonexistent/keys', SYNC_ENCRYPTION_KEY_ID: 'k1' },
          'SYNC_ENCRYPTION_KEYS_FILE',
          /cannot read the file \(ENOENT\)/,
        ],
      ];
      for (const [env, variable, message] of cases) {
        const [issue] = envIssues(env);
        assert.equal(issue?.variable, variable, JSON.stringify(env));
        assert.match(issue.message, message);
        assert.ok(
          !issue.message.includes(k1) && !issue.message.includes(short),
          'no key material in messages',
        );
      }
    });
  });

  describe('sfzd codec-server', () => {
    const sfzd = async (argv: string[], env: NodeJS.ProcessEnv) => {
      let err = '';
      const code = await runCli(argv, { env, stdout: () => undefined, stderr: (t) => (err += t) });
      return { code, err };
    };

    it('refuses to start without keys, naming the variable', async () => {
      const { code, err } = await sfzd(['codec-server', '--port', '0'], {});
      assert.equal(code, 1);
      assert.match(err, /SYNC_ENCRYPTION_KEYS: is required by the codec server/);
    });

    it('a bad port is a usage error', async () => {
      const { code, err } = await sfzd(['codec-server', '--port', 'http'], {
        SYNC_ENCRYPTION_KEYS: `k1:${k1}`,
        SYNC_ENCRYPTION_KEY_ID: 'k1',
      });
      assert.equal(code, 2);
      assert.match(err, /--port 'http' must be a port number/);
    });
  });
});
