import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { RecordChange } from '../../sandbox/salesforce';
import { startStack, type Stack } from '../helpers/stack';
import { sharedWorkflowBundleFile } from '../helpers/workflow-bundle';
import { cdcUpdatesOf, completedAttempts, eventually, historyOf, notifyTuned } from './durability-support';

const ROOT = join(__dirname, '..', '..');
/**
 * A killed worker's write is retried once its heartbeats stop for 3 s (production: 30 s). The
 * start-to-close timeout stays at its 2-minute default, longer than each wait below (45 s): the retry can
 * only come in time if the heartbeat timeout, not the start-to-close timeout, noticed the dead worker.
 */
const TUNING = { heartbeatTimeoutMs: 3_000 };

interface WorkerProcess {
  child: ChildProcess;
  output: string[];
  ready: Promise<void>;
}

describe('A worker killed mid-write (kill -9) leaves no duplicate', function () {
  this.timeout(90_000);
  let stack: Stack;
  let taskQueue: string;
  const workers: WorkerProcess[] = [];
  /**
   * When armed, the worker is killed the moment a sandbox has committed the write `committed` looks for:
   * Zendesk's store, or Salesforce's change feed (given the change).
   */
  let killOn: { committed: (change?: RecordChange) => boolean; worker: WorkerProcess } | undefined;
  const killIf = (change?: RecordChange) => {
    if (killOn?.committed(change)) {
      killOn.worker.child.kill('SIGKILL');
      killOn = undefined;
    }
  };

  /** The real worker entry point (worker/main.ts) in its own OS process: one process, so SIGKILL hits the worker itself. */
  async function startWorker(): Promise<WorkerProcess> {
    const bundle = await sharedWorkflowBundleFile(); // each start without webpack, as the image runs
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'worker/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...stack.workerEnv({
          TEMPORAL_TASK_QUEUE: taskQueue,
          WORKFLOW_BUNDLE_PATH: bundle,
          // No sticky cache: the next worker takes over a killed worker's workflows at once, not after 10 s.
          TEMPORAL_MAX_CACHED_WORKFLOWS: '0',
        }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output.push(chunk.toString());
        if (output.join('').includes('worker ready')) resolve();
      });
      child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.on('exit', (code, signal) =>
        reject(new Error(`worker exited (${code ?? signal}) before it was ready:\n${output.join('')}`)),
      );
    });
    const proc = { child, output, ready };
    workers.push(proc);
    await ready;
    return proc;
  }

  const exited = (w: WorkerProcess) =>
    new Promise<NodeJS.Signals | number | null>((resolve) => {
      if (w.child.exitCode !== null || w.child.signalCode !== null)
        resolve(w.child.signalCode ?? w.child.exitCode);
      else w.child.once('exit', (code, signal) => resolve(signal ?? code));
    });

  before(async () => {
    stack = await startStack();
    taskQueue = `kill-${randomUUID()}`;
    // Both sandbox stores announce every committed change synchronously inside the request handler: a
    // kill from there lands after the write happened and before the worker even got the answer.
    stack.zd.store.onChange(() => killIf());
    const cdc = stack.sf.cdc.sink;
    stack.sf.store.setSink({
      publish: (change) => {
        cdc.publish(change);
        killIf(change);
      },
    });
  });
  after(async () => {
    for (const w of workers)
      if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    if (stack) await stack.terminateRunning(taskQueue);
    await stack?.close();
  });

  const target = () => ({ client: stack.client, taskQueue });
  const search = async <T>(path: string, key: string, externalId: string) =>
    (
      await stack.zendesk.get(path, { searchParams: { external_id: externalId } }).json<Record<string, T[]>>()
    )[key]!;
  const waitForOutcome = (object: 'Account' | 'Contact', id: string) =>
    eventually(
      `${object} ${id} to finish its pass`,
      async () => {
        const s = await stack.state(object, id).catch(() => undefined);
        return s && s.passes >= 1 && !s.running && !s.pending ? s : undefined;
      },
      45_000,
      200,
    );

  it('for an organization and for a user', async () => {
    const { id: accountId } = await stack.salesforce
      .sobject('Account')
      .create({ Name: 'Crash Test Org', Industry: 'Energy' });
    const { id: contactId } = await stack.salesforce.sobject('Contact').create({
      LastName: 'Dummy',
      FirstName: 'Crash',
      Email: 'crash.dummy@example.com',
      AccountId: accountId,
    });

    // Organization: worker 1 dies while Zendesk answers its POST /organizations.
    const w1 = await startWorker();
    killOn = {
      worker: w1,
      committed: () => [...stack.zd.store.organizations.values()].some((o) => o.external_id === accountId),
    };
    await notifyTuned(target(), 'Account', accountId!, TUNING, { source: 'created' });
    assert.equal(await exited(w1), 'SIGKILL');
    assert.equal(
      (await search('organizations/search', 'organizations', accountId!)).length,
      1,
      'Zendesk made the organization',
    );

    const w2 = await startWorker();
    const account = await waitForOutcome('Account', accountId!);
    assert.equal(account.outcomes[0]?.outcome, 'created', JSON.stringify(account.outcomes));
    const orgs = await search<{ id: number }>('organizations/search', 'organizations', accountId!);
    assert.deepEqual(
      orgs.map((o) => o.id),
      [account.link?.zendeskId],
    );
    const orgWrite = completedAttempts(await historyOf(stack.client, 'Account', accountId!)).find(
      (a) => a.activity === 'writeZendesk',
    );
    assert.equal(orgWrite?.attempt, 2, 'the write was retried after the kill');
    assert.equal(
      (await stack.salesforce.sobject('Account').retrieve(accountId!)).Zendesk_Organization_Id__c,
      String(orgs[0]!.id),
    );
    assert.equal(cdcUpdatesOf(stack, accountId!, 'Zendesk_Organization_Id__c'), 1);

    // User: worker 2 dies while Zendesk answers its POST /users.
    killOn = {
      worker: w2,
      committed: () => [...stack.zd.store.users.values()].some((u) => u.external_id === contactId),
    };
    await notifyTuned(target(), 'Contact', contactId!, TUNING, { source: 'created' });
    assert.equal(await exited(w2), 'SIGKILL');
    const w3 = await startWorker();
    const contact = await waitForOutcome('Contact', contactId!);
    assert.equal(contact.outcomes[0]?.outcome, 'created', JSON.stringify(contact.outcomes));
    const users = await search<{ id: number; email: string; organization_id: number }>(
      'users/search',
      'users',
      contactId!,
    );
    assert.equal(users.length, 1, JSON.stringify(users));
    assert.equal(users[0]!.id, contact.link?.zendeskId);
    assert.equal(users[0]!.email, 'crash.dummy@example.com');
    assert.equal(users[0]!.organization_id, orgs[0]!.id);
    const userWrite = completedAttempts(await historyOf(stack.client, 'Contact', contactId!)).find(
      (a) => a.activity === 'writeZendesk',
    );
    assert.equal(userWrite?.attempt, 2, 'the write was retried after the kill');
    assert.equal(
      (await stack.salesforce.sobject('Contact').retrieve(contactId!)).Zendesk_User_Id__c,
      String(users[0]!.id),
    );
    assert.equal(cdcUpdatesOf(stack, contactId!, 'Zendesk_User_Id__c'), 1);

    // Write-back: worker 3 dies right after Salesforce committed the Zendesk ID of a second contact.
    const { id: secondId } = await stack.salesforce.sobject('Contact').create({
      LastName: 'Dummy',
      FirstName: 'Second',
      Email: 'second.dummy@example.com',
    });
    killOn = {
      worker: w3,
      committed: (change) =>
        change?.changeType === 'UPDATE' &&
        change.recordIds.includes(secondId!) &&
        change.changedFields.includes('Zendesk_User_Id__c'),
    };
    await notifyTuned(target(), 'Contact', secondId!, TUNING, { source: 'created' });
    assert.equal(await exited(w3), 'SIGKILL');
    await startWorker();
    const second = await waitForOutcome('Contact', secondId!);
    assert.equal(second.outcomes[0]?.outcome, 'created', JSON.stringify(second.outcomes));
    const writeBack = completedAttempts(await historyOf(stack.client, 'Contact', secondId!)).find(
      (a) => a.activity === 'writeBackZendeskId',
    );
    assert.equal(writeBack?.attempt, 2, 'the write-back was retried after the kill');
    assert.equal(
      (await stack.salesforce.sobject('Contact').retrieve(secondId!)).Zendesk_User_Id__c,
      String(second.link?.zendeskId),
    );
    assert.equal(
      cdcUpdatesOf(stack, secondId!, 'Zendesk_User_Id__c'),
      1,
      'the retry saw the field and did not write again',
    );
    assert.equal((await search('users/search', 'users', secondId!)).length, 1);
  });
});
