/**
 * No PII outside payloads. A real worker process (`sfzd worker`, LOG_LEVEL=debug) syncs contacts and
 * accounts carrying distinctive names, emails and phones, some of which fail: a taken email refused as a
 * secondary identity, a taken email the search index does not show yet (retrying), a phone Zendesk
 * refuses at the write and then before it, a contact without a match key, two organizations with the
 * account's name. Then, for that PII:
 * - the worker's stdout and stderr hold none of it, at DEBUG and at TRACE;
 * - without encryption, the workflow histories, the describe answers and the visibility list hold it only
 *   inside payloads (inputs, results, failure and heartbeat details, query answers); failure messages,
 *   stack traces, activity summaries, user metadata, search attributes and workflow IDs hold none;
 * - the UI's current details (docs/operating.md: never PII) hold none, with or without encryption;
 * - with SYNC_ENCRYPTION_KEYS set, no byte of a history, describe answer or list holds any of it.
 * Runs on a dev server of its own: encrypted histories must not reach test/sync/replay.test.ts.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { notifyRecordChange, readRecordState } from '../../common/record-workflows';
import type { ZendeskUser } from '../../activities/zendesk/client';
import { readTemporalConnection } from '../../common/temporal-connection';
import type { RecordStateView } from '../../workflows/record-messages';
import { recordWorkflowId, type SalesforceObject } from '../../workflows/sync-types';
import { baseEnv, startProcess, type Proc } from '../deploy/processes';
import { syncConfig, type SyncConfigInput } from '../fixtures/sync-config';
import { startStack, type Stack } from '../helpers/stack';
import { createTemporalEnv } from '../helpers/temporal-env';

const ENCRYPTION_ENV = {
  SYNC_ENCRYPTION_KEYS: `pii:${randomBytes(32).toString('base64')}`,
  SYNC_ENCRYPTION_KEY_ID: 'pii',
};

/** The default test configuration, except that a contact without email cannot be created (NoMatchKey). */
function piiConfig(): SyncConfigInput {
  return syncConfig({ users: { externalId: false } });
}

const isPayload = (o: Record<string, unknown>): boolean =>
  typeof o.metadata === 'object' && o.metadata !== null && o.data instanceof Uint8Array;

/**
 * Every text of a protobuf answer that is not inside an allowed payload, by path. Payloads are allowed
 * (inputs, results, failure details, heartbeat details, memos) except user metadata (activity summaries,
 * the workflow's summary and details) and search attributes, which Temporal shows to every UI user.
 */
function clearTexts(node: unknown, path = '', out: Array<{ path: string; text: string }> = []) {
  if (node === null || node === undefined) return out;
  if (typeof node === 'string') out.push({ path, text: node });
  else if (node instanceof Uint8Array) out.push({ path, text: Buffer.from(node).toString() });
  else if (typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (isPayload(o)) {
      if (/userMetadata|searchAttributes/i.test(path))
        out.push({ path, text: Buffer.from(o.data as Uint8Array).toString() });
      return out;
    }
    for (const [k, v] of Object.entries(o)) clearTexts(v, `${path}.${k}`, out);
  }
  return out;
}

/** Every payload of a protobuf answer. */
function payloadsOf(node: unknown, out: Payload[] = []): Payload[] {
  if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return out;
  const o = node as Record<string, unknown>;
  if (isPayload(o)) out.push(o);
  else for (const v of Object.values(o)) payloadsOf(v, out);
  return out;
}

/** Every payload's data, as text: the honest half (the PII is there, where it may be). */
const payloadTexts = (node: unknown): string[] =>
  payloadsOf(node).map((p) => Buffer.from(p.data ?? []).toString());

const found = (pii: string[], text: string): string[] => pii.filter((v) => text.includes(v));

/**
 * What a reader of one JSON log line can recover: the line, plus the text of any bytes printed in it,
 * as a Buffer's `{type:'Buffer', data:[…]}` or a Uint8Array's `{"0":…,"1":…}`.
 */
function logLineTexts(line: string): string[] {
  const texts = [line];
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return texts;
  }
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    const keys = Object.keys(o);
    if (o.type === 'Buffer' && Array.isArray(o.data)) texts.push(Buffer.from(o.data as number[]).toString());
    else if (
      keys.length > 0 &&
      keys.every((k, i) => k === String(i)) &&
      Object.values(o).every((v) => typeof v === 'number')
    )
      texts.push(Buffer.from(Object.values(o) as number[]).toString());
    else Object.values(o).forEach(walk);
  };
  walk(parsed);
  return texts;
}

/** Every leak of `pii` in a process's output, line by line. */
function logLeaks(pii: string[], output: string): string[] {
  const leaks: string[] = [];
  for (const line of output.split('\n'))
    for (const text of logLineTexts(line))
      for (const v of found(pii, text)) leaks.push(`worker log: ${v} in ${line.slice(0, 400)}`);
  return leaks;
}

interface Run {
  client: Client;
  taskQueue: string;
  worker: Proc;
  pii: string[];
  records: Array<{ object: SalesforceObject; id: string }>;
}

describe('no PII outside encrypted payloads (worker process at DEBUG and TRACE)', function () {
  this.timeout(300_000);
  let env: TestWorkflowEnvironment;
  let stack: Stack;
  const runs: Run[] = [];

  before(async () => {
    env = await createTemporalEnv();
    stack = await startStack({ env, config: piiConfig() });
  });
  after(async () => {
    for (const run of runs) {
      run.worker.kill();
      await stack?.terminateRunning(run.taskQueue);
    }
    await stack?.close();
    await env?.teardown();
  });

  async function waitFor(
    client: Client,
    object: SalesforceObject,
    id: string,
    done: (s: RecordStateView) => boolean,
  ): Promise<RecordStateView> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const s = await readRecordState(client, { object, salesforceId: id }).catch(() => undefined);
      if (s && done(s)) return s;
      if (Date.now() > deadline) throw new Error(`${object} ${id} never got there: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const passed = (n: number) => (s: RecordStateView) => s.passes >= n && !s.running && !s.pending;

  const createZendeskUser = async (user: Record<string, unknown>): Promise<ZendeskUser> =>
    (
      await stack.zendesk
        .post('users', { json: { user: { ...user, skip_verify_email: true } } })
        .json<{ user: ZendeskUser }>()
    ).user;

  /** Starts a worker process and syncs every scenario through it; returns what to look for. */
  async function syncWithPii(
    label: string,
    client: Client,
    logLevel: 'debug' | 'trace',
    extraEnv: NodeJS.ProcessEnv,
  ): Promise<Run> {
    const taskQueue = `pii-${label}-${randomUUID()}`;
    stack.zd.updateSettings({ validatePhoneNumbers: false, searchIndexDelayMs: 0 });
    const worker = startProcess(
      ['node', 'bin/sfzd.js', 'worker'],
      baseEnv(stack.workerEnv({ TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: logLevel, ...extraEnv })),
    );
    const run: Run = { client, taskQueue, worker, pii: [], records: [] };
    runs.push(run);
    await worker.waitFor('worker ready', 90_000);

    const s = randomInt(1e6, 1e7);
    const digits = () => String(randomInt(1e3, 1e4));
    const sync = async (object: SalesforceObject, id: string) =>
      notifyRecordChange(client, taskQueue, { object, salesforceId: id }, { source: 'created' });
    const sf = (object: SalesforceObject) => stack.salesforce.sobject(object);

    // An account with a distinctive name, and a contact of it with name, email and phone: created.
    const accountName = `Quillon Mercantile ${s}`;
    const accountId = (await sf('Account').create({ Name: accountName })).id!;
    await sync('Account', accountId);
    const ok = {
      FirstName: 'Ottoline',
      LastName: `Vexworth${s}`,
      Email: `ottoline.vexworth.${s}@pii.example`,
      Phone: `+1415555${digits()}`,
      AccountId: accountId,
    };
    const okId = (await sf('Contact').create(ok)).id!;
    await sync('Contact', okId);
    assert.equal((await waitFor(client, 'Account', accountId, passed(1))).outcomes[0]?.outcome, 'created');
    assert.equal((await waitFor(client, 'Contact', okId, passed(1))).outcomes[0]?.outcome, 'created');
    run.pii.push(accountName, `Vexworth${s}`, `Ottoline Vexworth${s}`, ok.Email, ok.Phone);

    // Its email changes to one another Zendesk user owns: Zendesk refuses the secondary identity
    // ("Email: … is already being used by another user").
    const takenEmail = `taken.${s}@pii.example`;
    await createZendeskUser({ name: `Owner${s} Elsewhere`, email: takenEmail });
    await sf('Contact').update({ Id: okId, Email: takenEmail });
    await notifyRecordChange(client, taskQueue, { object: 'Contact', salesforceId: okId }, { source: 'cdc' });
    const refused = await waitFor(client, 'Contact', okId, passed(2));
    assert.equal(refused.outcomes[0]?.failure, 'ZendeskRejected', JSON.stringify(refused.outcomes[0]));
    run.pii.push(takenEmail);

    // A contact whose email a Zendesk user has, but search does not show yet: ZendeskIndexLag, retrying.
    const laggingEmail = `lagging.${s}@pii.example`;
    stack.zd.updateSettings({ searchIndexDelayMs: 10 * 60_000 });
    await createZendeskUser({ name: `Hidden${s} User`, email: laggingEmail });
    stack.zd.updateSettings({ searchIndexDelayMs: 0 });
    const lag = {
      FirstName: 'Peregrine',
      LastName: `Lagwell${s}`,
      Email: laggingEmail,
      Phone: `+1646555${digits()}`,
    };
    const lagId = (await sf('Contact').create(lag)).id!;
    await sync('Contact', lagId);
    const retrying = await waitFor(client, 'Contact', lagId, (st) => st.retrying !== undefined);
    assert.equal(retrying.retrying?.failure, 'ZendeskIndexLag');
    run.pii.push(`Lagwell${s}`, laggingEmail, lag.Phone);

    // Phone validation turned on in Zendesk after the worker read its settings: the write is refused
    // ("Phone … is not properly formatted"); the next contact is caught before writing.
    stack.zd.updateSettings({ validatePhoneNumbers: true });
    const badPhone = `(415) 555-${digits()}`;
    const atWrite = { LastName: `Phonewright${s}`, Email: `phonewright.${s}@pii.example`, Phone: badPhone };
    const atWriteId = (await sf('Contact').create(atWrite)).id!;
    await sync('Contact', atWriteId);
    const rejected = await waitFor(client, 'Contact', atWriteId, passed(1));
    assert.equal(rejected.outcomes[0]?.failure, 'ZendeskRejected', JSON.stringify(rejected.outcomes[0]));
    const otherBadPhone = `(212) 555-${digits()}`;
    const before = { LastName: `Dialmore${s}`, Email: `dialmore.${s}@pii.example`, Phone: otherBadPhone };
    const beforeId = (await sf('Contact').create(before)).id!;
    await sync('Contact', beforeId);
    const unrepresentable = await waitFor(client, 'Contact', beforeId, passed(1));
    assert.equal(unrepresentable.outcomes[0]?.failure, 'ValueNotRepresentable');
    run.pii.push(`Phonewright${s}`, atWrite.Email, badPhone, `Dialmore${s}`, before.Email, otherBadPhone);

    // No email, so no match key (externalId is off): NoMatchKey.
    const keyless = { FirstName: 'Saoirse', LastName: `Keyless${s}`, Phone: `+1312555${digits()}` };
    const keylessId = (await sf('Contact').create(keyless)).id!;
    await sync('Contact', keylessId);
    const noKey = await waitFor(client, 'Contact', keylessId, passed(1));
    assert.equal(noKey.outcomes[0]?.failure, 'NoMatchKey');
    run.pii.push(`Keyless${s}`, keyless.Phone);

    // Two Zendesk organizations carry the account's name (a race Zendesk documents): MultipleMatches.
    const twinName = `Gemini Haberdashery ${s}`;
    const first = (
      await stack.zendesk
        .post('organizations', { json: { organization: { name: twinName } } })
        .json<{ organization: { id: number } }>()
    ).organization;
    const twinId = stack.zd.store.nextId('organization');
    stack.zd.store.organizations.set(twinId, { ...stack.zd.store.organizations.get(first.id)!, id: twinId });
    const twinAccountId = (await sf('Account').create({ Name: twinName })).id!;
    await sync('Account', twinAccountId);
    const twins = await waitFor(client, 'Account', twinAccountId, passed(1));
    assert.equal(twins.outcomes[0]?.failure, 'MultipleMatches');
    run.pii.push(twinName);

    run.records = [
      { object: 'Account', id: accountId },
      { object: 'Contact', id: okId },
      { object: 'Contact', id: lagId },
      { object: 'Contact', id: atWriteId },
      { object: 'Contact', id: beforeId },
      { object: 'Contact', id: keylessId },
      { object: 'Account', id: twinAccountId },
    ];
    stack.zd.updateSettings({ validatePhoneNumbers: false });
    return run;
  }

  /** The raw visibility list of a task queue, once every record shows an outcome or a retry. */
  async function visibility(run: Run): Promise<Uint8Array> {
    const request = { namespace: 'default', query: `TaskQueue = "${run.taskQueue}"` };
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await env.client.workflowService.listWorkflowExecutions(request);
      const settled = res.executions.filter((e) => {
        const fields = e.searchAttributes?.indexedFields ?? {};
        return fields.SyncOutcome !== undefined || fields.SyncRetrying !== undefined;
      });
      if (settled.length >= run.records.length)
        return temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse.encode(res).finish();
      assert.ok(Date.now() < deadline, `visibility shows ${settled.length} of ${run.records.length} records`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function historyAndDescribe(workflowId: string) {
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    const describe = await env.client.workflowService.describeWorkflowExecution({
      namespace: 'default',
      execution: { workflowId },
    });
    return { history, describe };
  }

  /** The UI's current details, read through `client` (which decrypts them when it holds the keys). */
  async function currentDetails(client: Client, workflowId: string): Promise<string> {
    const meta = await client.workflow
      .getHandle(workflowId)
      .query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    return meta.currentDetails ?? '';
  }

  it('without encryption: PII only in payloads; none in logs, messages, summaries, details or search attributes', async () => {
    // TRACE prints every DEBUG line and more: the SDK's whole activations and activity tasks.
    const run = await syncWithPii('plain', env.client, 'trace', {});
    const leaks: string[] = [];
    const inPayloads = new Set<string>();
    for (const r of run.records) {
      const workflowId = recordWorkflowId(r.object, r.id);
      const { history, describe } = await historyAndDescribe(workflowId);
      for (const { path, text } of [...clearTexts(history, 'history'), ...clearTexts(describe, 'describe')])
        for (const v of found(run.pii, text))
          leaks.push(`${workflowId} ${path}: ${v} in ${text.slice(0, 300)}`);
      for (const v of found(run.pii, payloadTexts(history).join('\n'))) inPayloads.add(v);
      const details = await currentDetails(env.client, workflowId);
      assert.match(details, new RegExp(`${r.object} ${r.id}`), 'the details name the record by its ID');
      for (const v of found(run.pii, details))
        leaks.push(`${workflowId} current details: ${v} in ${details}`);
    }
    const list = Buffer.from(await visibility(run)).toString();
    for (const v of found(run.pii, list)) leaks.push(`visibility list: ${v}`);
    const logs = run.worker.output();
    leaks.push(...logLeaks(run.pii, logs));
    assert.deepEqual(leaks, [], `PII outside payloads:\n${leaks.join('\n')}`);

    // The honest half: the logs are DEBUG's and show the failures; the payloads do carry the PII.
    assert.match(logs, /"level":"DEBUG","message":"Activity started"/);
    assert.match(logs, /"level":"TRACE","message":"Got workflow activation"/);
    assert.match(logs, /"level":"WARN","message":"Activity failed"/);
    assert.match(logs, /ZendeskIndexLag/);
    for (const v of [run.pii[3]!, run.pii[5]!, run.pii[6]!])
      assert.ok(inPayloads.has(v), `no payload holds ${v}`);
  });

  it('with SYNC_ENCRYPTION_KEYS: no PII in any byte of the histories, describe answers, list or logs', async () => {
    const { dataConverter } = readTemporalConnection(ENCRYPTION_ENV);
    const client = new Client({ connection: env.connection, namespace: 'default', dataConverter });
    const run = await syncWithPii('encrypted', client, 'debug', ENCRYPTION_ENV);
    const leaks: string[] = [];
    for (const r of run.records) {
      const workflowId = recordWorkflowId(r.object, r.id);
      const { history, describe } = await historyAndDescribe(workflowId);
      const raw = Buffer.concat([
        temporal.api.history.v1.History.encode(history).finish(),
        temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse.encode(describe).finish(),
      ]).toString('latin1');
      for (const v of found(run.pii, raw)) leaks.push(`${workflowId}: ${v} in a raw history or describe`);
      const details = await currentDetails(client, workflowId);
      assert.match(details, new RegExp(`${r.object} ${r.id}`), 'decrypted, the details name the record');
      for (const v of found(run.pii, details))
        leaks.push(`${workflowId} current details: ${v} in ${details}`);
    }
    const list = Buffer.from(await visibility(run)).toString('latin1');
    for (const v of found(run.pii, list)) leaks.push(`visibility list: ${v}`);
    leaks.push(...logLeaks(run.pii, run.worker.output()));
    assert.deepEqual(leaks, [], `PII without the key:\n${leaks.join('\n')}`);
    // The honest half: decrypted with the key, the payloads carry the contact's data.
    const codec = dataConverter!.payloadCodecs![0]!;
    const history = await env.client.workflow
      .getHandle(recordWorkflowId('Contact', run.records[1]!.id))
      .fetchHistory();
    const encrypted = payloadsOf(history).filter(
      (p) => Buffer.from(p.metadata?.encoding ?? []).toString() === 'binary/encrypted',
    );
    const decrypted = (await codec.decode(encrypted))
      .map((p) => Buffer.from(p.data ?? []).toString())
      .join('\n');
    for (const v of [run.pii[1]!, run.pii[3]!, run.pii[5]!])
      assert.ok(decrypted.includes(v), `no payload holds ${v}`);
  });
});
