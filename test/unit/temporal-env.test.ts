/**
 * The Temporal connection variables (common/temporal-connection.ts): defaults, mTLS from files or PEM
 * text, API keys, profiles from a temporal.toml, and the boot errors that name the variable at fault.
 * Certificates are real ones made by openssl, so the PEM checks run on real input.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvError } from '../../common/env';
import {
  clientConnectionOptions,
  describeConnection,
  readTemporalConnection,
  workerConnectionOptions,
} from '../../common/temporal-connection';
import { createTestPki, type TestPki } from '../temporal-connection/certs';

function issues(fn: () => unknown): EnvError['issues'] {
  try {
    fn();
  } catch (err) {
    if (err instanceof EnvError) return err.issues;
    throw err;
  }
  assert.fail('expected an EnvError');
}

const KEY = Buffer.alloc(32, 7).toString('base64');

describe('Temporal connection variables', function () {
  this.timeout(20_000);
  let pki: TestPki;
  before(() => {
    pki = createTestPki();
  });

  it('defaults to plaintext localhost:7233, namespace default, no encryption', () => {
    const s = readTemporalConnection({});
    assert.deepEqual(s.env, {
      TEMPORAL_ADDRESS: 'localhost:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'salesforce-zendesk-sync',
    });
    assert.equal(s.tls, undefined);
    assert.equal(s.security, 'plaintext');
    assert.equal(s.dataConverter, undefined);
    assert.deepEqual(workerConnectionOptions(s), { address: 'localhost:7233' });
  });

  it('reads mTLS files into the options of both connection kinds', () => {
    const s = readTemporalConnection({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TLS_CERT: pki.clientCert,
      TEMPORAL_TLS_KEY: pki.clientKey,
      TEMPORAL_TLS_CA: pki.caCert,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
    });
    assert.equal(s.security, 'mTLS');
    for (const o of [workerConnectionOptions(s), clientConnectionOptions(s)]) {
      assert.equal(o.address, 'temporal.internal:7233');
      const tls = o.tls as { clientCertPair: { crt: Buffer; key: Buffer }; serverRootCACertificate: Buffer };
      assert.deepEqual(tls.clientCertPair.crt, readFileSync(pki.clientCert));
      assert.deepEqual(tls.clientCertPair.key, readFileSync(pki.clientKey));
      assert.deepEqual(tls.serverRootCACertificate, readFileSync(pki.caCert));
      assert.equal((o.tls as { serverNameOverride: string }).serverNameOverride, 'temporal.test');
    }
  });

  it('accepts the PEM text itself, also with \\n escapes as in an env file', () => {
    const cert = readFileSync(pki.clientCert, 'utf8');
    const key = readFileSync(pki.clientKey, 'utf8').replace(/\n/g, '\\n');
    const s = readTemporalConnection({ TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key });
    const tls = workerConnectionOptions(s).tls as { clientCertPair: { key: Uint8Array } };
    assert.deepEqual(Buffer.from(tls.clientCertPair.key), readFileSync(pki.clientKey));
  });

  it('a certificate without its key (and the reverse) names the missing variable', () => {
    assert.deepEqual(
      issues(() => readTemporalConnection({ TEMPORAL_TLS_CERT: pki.clientCert })).map((i) => i.variable),
      ['TEMPORAL_TLS_KEY'],
    );
    assert.deepEqual(
      issues(() => readTemporalConnection({ TEMPORAL_TLS_KEY: pki.clientKey })).map((i) => i.variable),
      ['TEMPORAL_TLS_CERT'],
    );
  });

  it('an unreadable file, a non-PEM file and a key of another certificate are boot errors', () => {
    assert.deepEqual(
      issues(() => readTemporalConnection({ TEMPORAL_TLS_CA: '/nonexistent/ca.pem' })),
      [
        {
          variable: 'TEMPORAL_TLS_CA',
          message: 'is neither PEM text (starting with -----BEGIN) nor a readable file path (ENOENT)',
        },
      ],
    );
    const notPem = join(pki.dir, 'not.pem');
    writeFileSync(notPem, 'hello');
    assert.deepEqual(
      issues(() => readTemporalConnection({ TEMPORAL_TLS_CERT: notPem, TEMPORAL_TLS_KEY: pki.clientKey })),
      [{ variable: 'TEMPORAL_TLS_CERT', message: 'is not a PEM certificate' }],
    );
    assert.deepEqual(
      issues(() =>
        readTemporalConnection({ TEMPORAL_TLS_CERT: pki.clientCert, TEMPORAL_TLS_KEY: pki.serverKey }),
      ),
      [{ variable: 'TEMPORAL_TLS_KEY', message: 'does not belong to the certificate in TEMPORAL_TLS_CERT' }],
    );
  });

  it('an API key turns TLS on and never appears in messages', () => {
    const secret = 'tmprl-api-key-very-secret-value';
    const s = readTemporalConnection({
      TEMPORAL_ADDRESS: 'us-east-1.aws.api.temporal.io:7233',
      TEMPORAL_NAMESPACE: 'sfzd.a1b2c',
      TEMPORAL_API_KEY: secret,
    });
    assert.equal(s.tls, true);
    assert.equal(clientConnectionOptions(s).apiKey, secret);
    assert.equal(describeConnection(s), 'us-east-1.aws.api.temporal.io:7233 (namespace sfzd.a1b2c, API key)');

    const err = issues(() => readTemporalConnection({ TEMPORAL_API_KEY: secret, TEMPORAL_TLS: 'false' }));
    assert.deepEqual(
      err.map((i) => i.variable),
      ['TEMPORAL_TLS'],
    );
    assert.ok(!JSON.stringify(err).includes(secret));
  });

  it('TEMPORAL_TLS=true is server-auth TLS with the system roots; bad values are named', () => {
    assert.equal(readTemporalConnection({ TEMPORAL_TLS: 'true' }).tls, true);
    assert.deepEqual(
      issues(() => readTemporalConnection({ TEMPORAL_TLS: 'yes' })).map((i) => i.variable),
      ['TEMPORAL_TLS'],
    );
    assert.deepEqual(
      issues(() => readTemporalConnection({ TEMPORAL_ADDRESS: 'https://x:7233' })),
      [{ variable: 'TEMPORAL_ADDRESS', message: 'must be host:port, e.g. localhost:7233 (no scheme)' }],
    );
  });

  describe('profiles (@temporalio/envconfig)', () => {
    let file: string;
    before(() => {
      file = join(pki.dir, 'temporal.toml');
      writeFileSync(
        file,
        [
          '[profile.default]',
          'address = "localhost:7233"',
          '',
          '[profile.prod]',
          'address = "prod.a1b2c.tmprl.cloud:7233"',
          'namespace = "prod.a1b2c"',
          '[profile.prod.tls]',
          `client_cert_path = "${pki.clientCert}"`,
          `client_key_path = "${pki.clientKey}"`,
          '',
          '[profile.cloud]',
          'address = "us-east-1.aws.api.temporal.io:7233"',
          'namespace = "cloud.a1b2c"',
          'api_key = "profile-secret-api-key"',
          '',
        ].join('\n'),
      );
    });

    it('loads a named profile from TEMPORAL_CONFIG_FILE', () => {
      const s = readTemporalConnection({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod' });
      assert.equal(s.env.TEMPORAL_ADDRESS, 'prod.a1b2c.tmprl.cloud:7233');
      assert.equal(s.env.TEMPORAL_NAMESPACE, 'prod.a1b2c');
      assert.equal(s.security, 'mTLS');
      assert.match(describeConnection(s), /profile prod/);
    });

    it('our variables override the profile', () => {
      const s = readTemporalConnection({
        TEMPORAL_CONFIG_FILE: file,
        TEMPORAL_PROFILE: 'prod',
        TEMPORAL_NAMESPACE: 'staging.a1b2c',
        TEMPORAL_TLS_CA: pki.caCert,
      });
      assert.equal(s.env.TEMPORAL_NAMESPACE, 'staging.a1b2c');
      const tls = workerConnectionOptions(s).tls as {
        clientCertPair?: unknown;
        serverRootCACertificate?: unknown;
      };
      assert.ok(tls.clientCertPair && tls.serverRootCACertificate, 'profile cert kept, CA added');
    });

    it("a profile's API key turns TLS on, and TEMPORAL_TLS=false cannot send it in clear", () => {
      const s = readTemporalConnection({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'cloud' });
      assert.equal(s.security, 'API key');
      assert.equal(s.tls, true);
      const found = issues(() =>
        readTemporalConnection({
          TEMPORAL_CONFIG_FILE: file,
          TEMPORAL_PROFILE: 'cloud',
          TEMPORAL_TLS: 'false',
        }),
      );
      assert.deepEqual(found, [
        {
          variable: 'TEMPORAL_TLS',
          message: 'is false but the profile sets an API key: an API key is only sent over TLS',
        },
      ]);
    });

    it('an unknown profile or a missing file names the variable', () => {
      assert.deepEqual(
        issues(() => readTemporalConnection({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'nope' })),
        [
          {
            variable: 'TEMPORAL_PROFILE',
            message: "cannot load the profile: Profile 'nope' not found in config data",
          },
        ],
      );
      assert.deepEqual(
        issues(() => readTemporalConnection({ TEMPORAL_CONFIG_FILE: '/nonexistent.toml' })).map(
          (i) => i.variable,
        ),
        ['TEMPORAL_CONFIG_FILE'],
      );
    });
  });

  it('reports connection and encryption problems together', () => {
    const found = issues(() =>
      readTemporalConnection({
        TEMPORAL_TLS_CERT: pki.clientCert,
        SYNC_ENCRYPTION_KEYS: `k1:${KEY}`,
        SYNC_ENCRYPTION_KEY_ID: 'k2',
      }),
    );
    assert.deepEqual(
      found.map((i) => i.variable),
      ['TEMPORAL_TLS_KEY', 'SYNC_ENCRYPTION_KEY_ID'],
    );
  });

  it('with encryption keys, the settings carry the codec for every client and worker', () => {
    const s = readTemporalConnection({ SYNC_ENCRYPTION_KEYS: `k1:${KEY}`, SYNC_ENCRYPTION_KEY_ID: 'k1' });
    assert.equal(s.dataConverter?.payloadCodecs?.length, 1);
    assert.match(describeConnection(s), /payloads encrypted/);
  });
});
