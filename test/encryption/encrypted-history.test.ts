/**
 * Payload encryption end to end, on a dev server of this file's own (its encrypted histories must not
 * reach test/sync/replay.test.ts, which replays every history of the shared server without the codec):
 * a real Contact sync pass with encryption on; the raw history read by a plain client holds no email,
 * name or phone; the `sfzd codec-server` command decrypts a payload of that history over HTTP (with
 * CORS and a bearer token); a wrong key fails clearly; the history replays with the codec.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { startCodecServer } from '../../client/codec-server/server';
import { findTemporalCli, PROJECT_ROOT } from '../../client/temporal-cli';
import { AesGcmPayloadCodec, readEncryptionKeys } from '../../common/encryption';
import { EnvError } from '../../common/env';
import { WORKFLOWS_PATH } from '../../worker/create-worker';
import { runWorker } from '../../worker/run-worker';
import { readTemporalConnection } from '../../common/temporal-connection';
import { ADOPT_LINK_PATCH } from '../../workflows/adopt-link';
import { FEWER_UPSERTS } from '../../workflows/sync-record';
import { recordWorkflowId } from '../../workflows/sync-types';
import { notifyRecordChange } from '../../common/record-workflows';
import { baseEnv, startProcess } from '../deploy/processes';
import { startStack, type Stack } from '../helpers/stack';
import { createTemporalEnv } from '../helpers/temporal-env';
import { createTestPki } from '../temporal-connection/certs';
import { startTlsProxy } from '../temporal-connection/tls-proxy';

type History = temporal.api.history.v1.IHistory;

const OLD_KEY = randomBytes(32).toString('base64');
const KEY = randomBytes(32).toString('base64');
const ENCRYPTION_ENV = {
  SYNC_ENCRYPTION_KEYS: `old:${OLD_KEY},current:${KEY}`,
  SYNC_ENCRYPTION_KEY_ID: 'current',
};
const TOKEN = 'operator-token-for-the-test';
const UI_ORIGIN = 'http://localhost:8233';

/** Every Payload message anywhere in a history (inputs, results, signals, memos, user metadata…), by path. */
function payloadsAt(node: unknown, path = '', found: Array<{ path: string; payload: Payload }> = []) {
  if (node instanceof Uint8Array || node === null || typeof node !== 'object') return found;
  const o = node as Record<string, unknown>;
  if (o.metadata && typeof o.metadata === 'object' && o.data instanceof Uint8Array)
    found.push({ path, payload: o });
  else for (const [k, v] of Object.entries(o)) payloadsAt(v, `${path}.${k}`, found);
  return found;
}
const payloadsOf = (node: unknown) => payloadsAt(node).map((p) => p.payload);

/** The data of every payload in `temporal workflow show --output json` (base64 there), as text. */
function jsonPayloadText(json: string): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.metadata && typeof o.data === 'string') texts.push(Buffer.from(o.data, 'base64').toString());
    else Object.values(o).forEach(walk);
  };
  try {
    walk(JSON.parse(json));
  } catch {
    return '';
  }
  return texts.join('\n');
}

const enc = (p: Payload) => Buffer.from(p.metadata?.encoding ?? new Uint8Array()).toString();

async function startCodecServerCommand(
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs'),
      join(PROJECT_ROOT, 'client/cli/main.ts'),
      'codec-server',
      '--port',
      '0',
      '--cors-origin',
      UI_ORIGIN,
    ],
    { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`sfzd codec-server exited ${code}: ${err}`)));
  });
  return { url, child };
}

describe('encrypted payloads (AES-256-GCM codec)', function () {
  this.timeout(120_000);
  let env: TestWorkflowEnvironment;
  let stack: Stack;
  let history: History;
  let contactWorkflowId: string;
  let pii: string[];
  const settings = readTemporalConnection(ENCRYPTION_ENV);
  const codec = settings.dataConverter!.payloadCodecs![0]!;

  before(async () => {
    env = await createTemporalEnv();
    stack = await startStack({ env, dataConverter: settings.dataConverter });

    const suffix = randomInt(1e6, 1e7);
    const contact = {
      FirstName: 'Grace',
      LastName: `Hopper${suffix}`,
      Email: `grace.hopper.${suffix}@example.com`,
      Phone: `+1555${suffix}`,
    };
    pii = [contact.Email, contact.LastName, contact.Phone];
    const { id } = await stack.salesforce.sobject('Contact').create(contact);
    await stack.notify('Contact', id!, { source: 'created' });
    assert.equal((await stack.waitForPasses('Contact', id!, 1)).outcome, 'created');
    // The plain client of the test environment: no codec, so this is what the server stores.
    contactWorkflowId = recordWorkflowId('Contact', id!);
    history = await env.client.workflow.getHandle(contactWorkflowId).fetchHistory();
  });
  after(async () => {
    await stack?.close();
    await env?.teardown();
  });

  it('synced the contact, yet the raw history holds no plaintext email, name or phone', async () => {
    const users = await stack.zendesk.get('users/search', { searchParams: { query: pii[0] } }).json<{
      users: Array<{ email: string; phone: string }>;
    }>();
    assert.equal(users.users[0]?.email, pii[0], 'the sync itself worked with encryption on');

    const raw = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    for (const value of pii) assert.ok(!raw.includes(value), `raw history contains ${value}`);

    // Search attributes are never encoded by codecs (the server indexes them); they hold IDs and
    // outcomes only. Every other payload is ciphertext.
    const all = payloadsAt(history);
    // A patch marker's details are written by the SDK's core, which has no codec: they hold the patch ID
    // from workflow code (and a deprecated flag), never a record's data. Each is checked to be just that.
    const isPatchData = (path: string) => /\.markerRecordedEventAttributes\.details\.patch-data\./.test(path);
    for (const { path, payload } of all.filter((p) => isPatchData(p.path))) {
      const text = Buffer.from(payload.data ?? new Uint8Array()).toString();
      assert.ok(
        [FEWER_UPSERTS, ADOPT_LINK_PATCH].some((id) => text.includes(`"${id}"`)),
        `${path} holds a patch ID: ${text}`,
      );
      for (const value of pii) assert.ok(!text.includes(value), `${path} holds ${value}`);
    }
    const plain = all.filter((p) => enc(p.payload) !== 'binary/encrypted').map((p) => p.path);
    assert.deepEqual(
      plain.filter((path) => !/\.searchAttributes\.indexedFields\./.test(path) && !isPatchData(path)),
      [],
      'every payload but the search attributes and patch markers is encrypted',
    );
    const payloads = all.map((p) => p.payload).filter((p) => enc(p) === 'binary/encrypted');
    assert.ok(payloads.length >= 5, `found ${payloads.length} encrypted payloads`);

    // The honest half: decrypted with the key, the same history does carry the contact's data.
    const decrypted = Buffer.concat((await codec.decode(payloads)).map((p) => Buffer.from(p.data ?? [])));
    for (const value of pii) assert.ok(decrypted.includes(value), `decrypted history contains ${value}`);
  });

  it('failures are encrypted too: messages, stack traces and details (a Zendesk error quoting the phone)', async () => {
    const suffix = randomInt(1e6, 1e7);
    const phone = `call-me-${suffix}`;
    stack.zd.updateSettings({ validatePhoneNumbers: true });
    try {
      const { id } = await stack.salesforce
        .sobject('Contact')
        .create({ LastName: `Lamarr${suffix}`, Email: `hedy.${suffix}@example.com`, Phone: phone });
      await stack.notify('Contact', id!, { source: 'created' });
      assert.equal((await stack.waitForPasses('Contact', id!, 1)).outcome, 'failed');
      const failed = await env.client.workflow.getHandle(recordWorkflowId('Contact', id!)).fetchHistory();
      const raw = Buffer.from(temporal.api.history.v1.History.encode(failed).finish());
      for (const value of [phone, `Lamarr${suffix}`, `hedy.${suffix}@example.com`])
        assert.ok(!raw.includes(value), `raw history contains ${value}`);
      // The activity failure's message and stack trace travel encrypted in encodedAttributes.
      const activityFailure = failed.events?.find((e) => e.activityTaskFailedEventAttributes)
        ?.activityTaskFailedEventAttributes?.failure;
      assert.equal(activityFailure?.message, 'Encoded failure');
      assert.equal(activityFailure?.stackTrace, '');
      assert.equal(enc(activityFailure.encodedAttributes!), 'binary/encrypted');
      const [attributes] = await codec.decode([activityFailure.encodedAttributes!]);
      assert.match(
        Buffer.from(attributes!.data!).toString(),
        /"message":"POST users answered 422 RecordInvalid/,
      );

      const payloads = payloadsOf(failed);
      const decrypted = Buffer.concat((await codec.decode(payloads)).map((p) => Buffer.from(p.data ?? [])));
      assert.ok(
        decrypted.includes(`Phone ${phone} is not properly formatted`),
        "Zendesk's description is in the history, encrypted (the failure's details)",
      );
    } finally {
      stack.zd.updateSettings({ validatePhoneNumbers: false });
    }
  });

  it('a worker process (sfzd worker) over mTLS with encryption syncs a contact into an encrypted history', async () => {
    const pki = createTestPki('temporal.test');
    const proxy = await startTlsProxy({
      target: env.address,
      cert: pki.serverCert,
      key: pki.serverKey,
      clientCa: pki.caCert,
    });
    const taskQueue = `encrypted-process-${randomUUID()}`;
    const worker = startProcess(
      ['node', 'bin/sfzd.js', 'worker'],
      baseEnv(
        stack.workerEnv({
          ...ENCRYPTION_ENV,
          TEMPORAL_ADDRESS: proxy.address,
          TEMPORAL_TASK_QUEUE: taskQueue,
          TEMPORAL_TLS_CERT: pki.clientCert,
          TEMPORAL_TLS_KEY: pki.clientKey,
          TEMPORAL_TLS_CA: pki.caCert,
          TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
        }),
      ),
    );
    try {
      await worker.waitFor('worker ready', 90_000);
      const suffix = randomInt(1e6, 1e7);
      const email = `katherine.${suffix}@example.com`;
      const { id } = await stack.salesforce
        .sobject('Contact')
        .create({ FirstName: 'Katherine', LastName: `Johnson${suffix}`, Email: email });
      await notifyRecordChange(
        stack.client,
        taskQueue,
        { object: 'Contact', salesforceId: id! },
        { source: 'created' },
      );
      assert.equal((await stack.waitForPasses('Contact', id!, 1, 60_000)).outcome, 'created');

      const h = await env.client.workflow.getHandle(recordWorkflowId('Contact', id!)).fetchHistory();
      const identities = new Set(
        h.events?.map((e) => e.activityTaskStartedEventAttributes?.identity).filter(Boolean),
      );
      assert.ok(
        identities.size > 0 && [...identities].every((i) => i!.startsWith(`${worker.child.pid}@`)),
        `activities ran in the worker process: ${[...identities].join(', ')}`,
      );
      const raw = Buffer.from(temporal.api.history.v1.History.encode(h).finish());
      assert.ok(!raw.includes(email) && !raw.includes(`Johnson${suffix}`), 'no plaintext in history');
      assert.ok(
        payloadsOf(h).some((p) => enc(p) === 'binary/encrypted'),
        'the process encrypted its payloads',
      );
    } finally {
      worker.child.kill('SIGTERM');
      await Promise.race([worker.exited, new Promise((r) => setTimeout(r, 15_000))]);
      worker.kill();
      await stack.terminateRunning(taskQueue);
      await proxy.close();
    }
  });

  it('sfzd codec-server decrypts a payload of that history over HTTP, for the UI origin with the token', async () => {
    const payloads = payloadsOf(history);
    const decoded = await codec.decode(payloads);
    const withEmail = payloads[decoded.findIndex((p) => Buffer.from(p.data ?? []).includes(pii[0]!))]!;
    const body = JSON.stringify({
      payloads: [
        {
          metadata: Object.fromEntries(
            Object.entries(withEmail.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
          ),
          data: Buffer.from(withEmail.data!).toString('base64'),
        },
      ],
    });

    const server = await startCodecServerCommand({ ...ENCRYPTION_ENV, SYNC_CODEC_AUTH_TOKEN: TOKEN });
    try {
      const preflight = await fetch(`${server.url}/decode`, {
        method: 'OPTIONS',
        headers: {
          Origin: UI_ORIGIN,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type,x-namespace,authorization',
        },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), UI_ORIGIN);
      assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /x-namespace.*authorization/);

      const headers = { 'Content-Type': 'application/json', 'X-Namespace': 'default', Origin: UI_ORIGIN };
      const denied = await fetch(`${server.url}/decode`, { method: 'POST', headers, body });
      assert.equal(denied.status, 401);

      const res = await fetch(`${server.url}/decode`, {
        method: 'POST',
        headers: { ...headers, Authorization: `Bearer ${TOKEN}` },
        body,
      });
      assert.equal(res.status, 200);
      const out = (await res.json()) as {
        payloads: Array<{ metadata: Record<string, string>; data: string }>;
      };
      const [p] = out.payloads;
      assert.equal(Buffer.from(p!.metadata.encoding!, 'base64').toString(), 'json/plain');
      assert.ok(Buffer.from(p!.data, 'base64').toString().includes(pii[0]!), 'the email is back');

      // The Temporal CLI decodes through the same endpoint, sending the token with --codec-auth.
      const show = (...auth: string[]) =>
        spawnSync(
          findTemporalCli()!.path,
          [
            'workflow',
            'show',
            '-w',
            contactWorkflowId,
            '--address',
            env.address,
            '--output',
            'json',
            '--codec-endpoint',
            server.url,
            ...auth,
          ],
          { encoding: 'utf8' },
        );
      const decoded = show('--codec-auth', `Bearer ${TOKEN}`);
      assert.equal(decoded.status, 0, decoded.stderr);
      assert.ok(
        jsonPayloadText(decoded.stdout).includes(pii[0]!),
        'temporal workflow show decrypts the email',
      );
    } finally {
      server.child.kill('SIGTERM');
    }
  });

  it('temporal workflow query --codec-endpoint works: the CLI encodes no arguments as {}, then decodes the answer', async () => {
    const server = await startCodecServerCommand({ ...ENCRYPTION_ENV, SYNC_CODEC_AUTH_TOKEN: TOKEN });
    // Not spawnSync: the worker answering the query runs in this process.
    const query = async (...codec: string[]) => {
      const args = [
        'workflow',
        'query',
        '-w',
        contactWorkflowId,
        '--type',
        'state',
        '--address',
        env.address,
      ];
      const cli = startProcess([findTemporalCli()!.path, ...args, '--output', 'json', ...codec], baseEnv({}));
      const { code } = await cli.exited;
      return { code, output: cli.output() };
    };
    try {
      const decoded = await query('--codec-endpoint', server.url, '--codec-auth', `Bearer ${TOKEN}`);
      assert.equal(decoded.code, 0, decoded.output);
      assert.match(decoded.output, /"outcome": "created"/, decoded.output);
      // Without the codec server the CLI shows the answer as the worker sent it: encrypted.
      const raw = await query();
      assert.equal(raw.code, 0, raw.output);
      assert.doesNotMatch(jsonPayloadText(raw.output), /"outcome"/);
      assert.ok(raw.output.includes(Buffer.from('binary/encrypted').toString('base64')), raw.output);
    } finally {
      server.child.kill('SIGTERM');
    }
  });

  it('a wrong key gives a clear error: at the codec server, and at worker boot', async () => {
    const payload = payloadsOf(history).find((p) => enc(p) === 'binary/encrypted');
    const wrong = new AesGcmPayloadCodec(
      readEncryptionKeys({ SYNC_ENCRYPTION_KEYS: `current:${OLD_KEY}`, SYNC_ENCRYPTION_KEY_ID: 'current' })!,
    );
    const server = await startCodecServer({ codec: wrong, port: 0 });
    try {
      const res = await fetch(`${server.url}/decode`, {
        method: 'POST',
        body: JSON.stringify({
          payloads: [
            {
              metadata: Object.fromEntries(
                Object.entries(payload!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
              ),
              data: Buffer.from(payload!.data!).toString('base64'),
            },
          ],
        }),
      });
      assert.equal(res.status, 422);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(error.code, 'PAYLOAD_DECRYPTION_FAILED');
      assert.match(error.message, /cannot decrypt a payload with key id 'current'/);
    } finally {
      await server.close();
    }

    await assert.rejects(
      runWorker({ env: stack.workerEnv({ ...ENCRYPTION_ENV, SYNC_ENCRYPTION_KEY_ID: 'retired' }) }),
      (err: unknown) =>
        err instanceof EnvError &&
        /SYNC_ENCRYPTION_KEY_ID: 'retired' is not among the configured keys \(old, current\)/.test(
          err.message,
        ),
    );
  });

  it('replays with the codec; with a wrong key or without the codec the replay cannot read the history', async () => {
    await Worker.runReplayHistory(
      { workflowsPath: WORKFLOWS_PATH, dataConverter: settings.dataConverter },
      history,
    );
    // A worker holding another key under the same id cannot read the history either (its log names the
    // key id: PayloadDecryptionError "cannot decrypt a payload with key id 'current'").
    const wrongKey = readTemporalConnection({
      ...ENCRYPTION_ENV,
      SYNC_ENCRYPTION_KEYS: `current:${OLD_KEY}`,
    });
    await assert.rejects(
      Worker.runReplayHistory(
        { workflowsPath: WORKFLOWS_PATH, dataConverter: wrongKey.dataConverter },
        history,
      ),
      (err: Error) => err.name === 'ReplayError',
    );
    await assert.rejects(
      Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH }, history),
      (err: Error) => err.name === 'ReplayError' && /Unknown encoding: binary\/encrypted/.test(err.message),
    );
  });
});
