/**
 * mTLS for real: the dev server has no TLS flags, so a TLS-terminating proxy that demands a client
 * certificate signed by a throwaway CA (made by openssl) sits in front of it. A worker and a client built
 * from TEMPORAL_TLS_* through common/temporal-connection.ts run a workflow through it; without the
 * client certificate, or trusting the wrong CA, connecting fails.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { runCli } from '../../client/cli/program';
import {
  connectClient,
  readTemporalConnection,
  workerConnectionOptions,
} from '../../common/temporal-connection';
import type { ConnectionReport } from '../../workflows/check-connections';
import { temporalEnv } from '../helpers/temporal-env';
import { createTestPki, type TestPki } from './certs';
import { startTlsProxy, type TlsProxy } from './tls-proxy';

describe('Temporal connection over mTLS', function () {
  this.timeout(90_000);
  let pki: TestPki;
  let proxy: TlsProxy;

  before(async () => {
    pki = createTestPki('temporal.test');
    const env = await temporalEnv();
    proxy = await startTlsProxy({
      target: env.address,
      cert: pki.serverCert,
      key: pki.serverKey,
      clientCa: pki.caCert,
    });
  });
  after(async () => {
    await proxy?.close();
  });

  const mtlsEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    TEMPORAL_ADDRESS: proxy.address,
    TEMPORAL_TLS_CERT: pki.clientCert,
    TEMPORAL_TLS_KEY: pki.clientKey,
    TEMPORAL_TLS_CA: pki.caCert,
    TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
    ...extra,
  });

  it('a worker and a client run a workflow through the mTLS endpoint', async () => {
    const settings = readTemporalConnection(mtlsEnv());
    assert.equal(settings.security, 'mTLS');
    const native = await NativeConnection.connect(workerConnectionOptions(settings));
    const { connection, client } = await connectClient(settings);
    try {
      const taskQueue = `mtls-${randomUUID()}`;
      const worker = await Worker.create({
        connection: native,
        taskQueue,
        workflowsPath: require.resolve('../../workflows/check-connections'),
        // Transport test: the activities only have to answer; the real ones are tested elsewhere.
        activities: {
          checkSalesforce: async () => ({ ok: true, via: 'mtls' }),
          checkZendesk: async () => ({ ok: true, via: 'mtls' }),
        },
      });
      const report: unknown = await worker.runUntil(
        client.workflow.execute('checkConnections', { taskQueue, workflowId: taskQueue }),
      );
      assert.deepEqual(report, {
        salesforce: { ok: true, via: 'mtls' },
        zendesk: { ok: true, via: 'mtls' },
      } satisfies Record<keyof ConnectionReport, unknown>);
    } finally {
      await connection.close();
      await native.close();
    }
  });

  it('the sfzd CLI connects with the same variables', async () => {
    let out = '';
    let err = '';
    const code = await runCli(['--json', 'status', 'Account'], {
      env: mtlsEnv({ TEMPORAL_TASK_QUEUE: `mtls-cli-${randomUUID()}` }),
      stdout: (s) => (out += s),
      stderr: (s) => (err += s),
    });
    assert.equal(code, 0, err);
    assert.ok(JSON.parse(out), out);
  });

  it('without the client certificate the server refuses the connection', async () => {
    const before = proxy.rejected.length;
    const settings = readTemporalConnection(
      mtlsEnv({ TEMPORAL_TLS_CERT: undefined, TEMPORAL_TLS_KEY: undefined }),
    );
    assert.equal(settings.security, 'TLS');
    await assert.rejects(
      NativeConnection.connect({ ...workerConnectionOptions(settings) }).then((c) => c.close()),
    );
    assert.ok(proxy.rejected.length > before, 'the proxy saw a handshake without a client certificate');
    assert.match(proxy.rejected.slice(before).join('\n'), /certificate/i);

    let err = '';
    const code = await runCli(['status', 'Account'], {
      env: mtlsEnv({ TEMPORAL_TLS_CERT: undefined, TEMPORAL_TLS_KEY: undefined }),
      stdout: () => undefined,
      stderr: (s) => (err += s),
    });
    assert.equal(code, 1);
    assert.match(
      err,
      new RegExp(`cannot connect to Temporal at ${proxy.address} \\(namespace default, TLS\\)`),
    );
  });

  it('a server certificate from another CA is not trusted', async () => {
    const settings = readTemporalConnection(mtlsEnv({ TEMPORAL_TLS_CA: pki.otherCaCert }));
    await assert.rejects(NativeConnection.connect(workerConnectionOptions(settings)).then((c) => c.close()));
  });
});
