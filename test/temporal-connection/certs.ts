/** A throwaway CA with a server and a client certificate, made by the openssl CLI, for mTLS tests. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  dir: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A second, unrelated CA's certificate (for "server not trusted"). */
  otherCaCert: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Server cert for `serverName` (and 127.0.0.1); client cert with clientAuth usage. */
export function createTestPki(serverName = 'temporal.test'): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'sfzd-pki-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const ca = (prefix: string) =>
    openssl(
      [
        'req',
        '-x509',
        ...ec,
        '-keyout',
        `${prefix}.key`,
        '-out',
        `${prefix}.pem`,
        '-days',
        '1',
        '-subj',
        `/CN=${prefix}`,
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ],
      dir,
    );
  ca('test-ca');
  ca('other-ca');
  const leaf = (prefix: string, cn: string, ext: string) => {
    writeFileSync(join(dir, `${prefix}.ext`), ext);
    openssl(['req', ...ec, '-keyout', `${prefix}.key`, '-out', `${prefix}.csr`, '-subj', `/CN=${cn}`], dir);
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${prefix}.csr`,
        '-CA',
        'test-ca.pem',
        '-CAkey',
        'test-ca.key',
        '-CAcreateserial',
        '-out',
        `${prefix}.pem`,
        '-days',
        '1',
        '-extfile',
        `${prefix}.ext`,
      ],
      dir,
    );
  };
  leaf(
    'server',
    serverName,
    `subjectAltName=DNS:${serverName},IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\n`,
  );
  leaf('client', 'sfzd-worker', 'extendedKeyUsage=clientAuth\nbasicConstraints=critical,CA:FALSE\n');
  const p = (f: string) => join(dir, f);
  return {
    dir,
    caCert: p('test-ca.pem'),
    caKey: p('test-ca.key'),
    serverCert: p('server.pem'),
    serverKey: p('server.key'),
    clientCert: p('client.pem'),
    clientKey: p('client.key'),
    otherCaCert: p('other-ca.pem'),
  };
}
