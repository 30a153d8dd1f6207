/**
 * The record workflow's own logic, with mocked activities on Temporal's time-skipping test server (as in
 * temporalio/samples-typescript hello-world/src/mocha/workflows-mocks.test.ts): how changes that arrive
 * during a pass coalesce, the batch race, what continue-as-new carries, and a link lost once or twice in
 * one pass. The same behaviours run end to end against the sandboxes in test/sync.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Context } from '@temporalio/activity';
import { Worker } from '@temporalio/worker';
import type { Activities } from '../../activities';
import type { BatchSyncResult } from '../../workflows/bulk-types';
import { FailureType } from '../../workflows/failure-types';
import {
  batchSyncedSignal,
  changedSignal,
  stateQuery,
  type RecordStateView,
} from '../../workflows/record-messages';
import { syncRecord } from '../../workflows/sync-record';
import type {
  ChangeNotice,
  RecordState,
  SyncPlan,
  SyncRecordInput,
  WriteRequest,
  WriteResult,
} from '../../workflows/sync-types';
import { recordWorkflowId } from '../../workflows/sync-types';
import { timeSkippingEnv } from '../helpers/time-skipping-env';
import { sharedWorkflowBundle } from '../helpers/workflow-bundle';

type PassActivities = Pick<
  Activities,
  'fetchAndPlan' | 'resolveMatch' | 'findLinkedOrganization' | 'writeZendesk' | 'writeBackZendeskId'
>;
type PassActivity = keyof PassActivities;

/** The mapped values of a Salesforce account, as fetchAndPlan would plan them. */
function syncPlan(fingerprint: string): SyncPlan {
  return {
    kind: 'sync',
    fingerprint,
    label: 'Acme',
    mode: 'upsert',
    match: { kind: 'organization_by_name', value: 'Acme' },
    syncedIdField: 'Zendesk_Organization_Id__c',
    syncedIdValue: null,
    changes: {
      fields: { name: 'Acme', notes: fingerprint },
      tagsToAdd: [],
      emailsToAdd: [],
      phonesToAdd: [],
      problems: [],
    },
  };
}

/** A promise the test resolves: holds an activity inside a pass while signals arrive. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/**
 * Mocked pass activities that record every call. Defaults: the account plans `fingerprint`, nothing
 * matches, a write without an ID creates organization 9001, a write with one updates it.
 */
class MockZendeskPass {
  readonly calls: Array<{ activity: PassActivity; input: unknown }> = [];
  fingerprint = 'fp-1';
  /** While set, fetchAndPlan waits for it (then clears it): the pass is running. */
  hold?: Promise<void>;
  write: (req: WriteRequest) => WriteResult = (req) =>
    req.zendeskId === undefined
      ? { kind: 'written', zendeskId: 9001, created: true }
      : { kind: 'written', zendeskId: req.zendeskId, created: false };
  match: PassActivities['resolveMatch'] = async () => ({ kind: 'none' });

  /** Holds the next pass inside fetchAndPlan until released, so that signals arrive while it runs. */
  holdNextPass(): { started: () => Promise<void>; release: () => void } {
    const { wait, open } = gate();
    this.hold = wait;
    const before = this.count('fetchAndPlan');
    return {
      started: () => until(() => this.count('fetchAndPlan') > before, 'the held pass to start'),
      release: open,
    };
  }

  count(activity: PassActivity): number {
    return this.calls.filter((c) => c.activity === activity).length;
  }

  inputs<T>(activity: PassActivity): T[] {
    return this.calls.filter((c) => c.activity === activity).map((c) => c.input as T);
  }

  readonly activities: PassActivities = {
    fetchAndPlan: async (input) => {
      this.calls.push({ activity: 'fetchAndPlan', input });
      const { fingerprint, hold } = this; // what Salesforce holds when the pass reads it
      this.hold = undefined;
      await hold;
      return syncPlan(fingerprint);
    },
    resolveMatch: async (input) => {
      this.calls.push({ activity: 'resolveMatch', input });
      return this.match(input);
    },
    findLinkedOrganization: async (input) => {
      this.calls.push({ activity: 'findLinkedOrganization', input });
      return null;
    },
    writeZendesk: async (req) => {
      this.calls.push({ activity: 'writeZendesk', input: req });
      return this.write(req);
    },
    writeBackZendeskId: async (input) => {
      this.calls.push({ activity: 'writeBackZendeskId', input });
      return { written: true };
    },
  };
}

/** One worker for the file: each activity goes to the mocks of the record workflow that called it. */
const mocksByWorkflow = new Map<string, MockZendeskPass>();
function mocksOfCaller(): PassActivities {
  const workflowId = Context.current().info.workflowExecution?.workflowId ?? '';
  const mocks = mocksByWorkflow.get(workflowId);
  if (!mocks) throw new Error(`no mocks for ${workflowId}`);
  return mocks.activities;
}
const routedActivities: PassActivities = {
  fetchAndPlan: (input) => mocksOfCaller().fetchAndPlan(input),
  resolveMatch: (input) => mocksOfCaller().resolveMatch(input),
  findLinkedOrganization: (input) => mocksOfCaller().findLinkedOrganization(input),
  writeZendesk: (req) => mocksOfCaller().writeZendesk(req),
  writeBackZendeskId: (input) => mocksOfCaller().writeBackZendeskId(input),
};

/** Polls the workflow's state query until `done` holds (the workflow runs on its own; no fixed sleeps). */
async function waitForState(
  handle: WorkflowHandle<typeof syncRecord>,
  done: (s: RecordStateView) => boolean,
  timeoutMs = 20_000,
): Promise<RecordStateView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await handle.query(stateQuery).catch(() => undefined);
    if (s && done(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out; last state: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Polls a run's status (describe, which involves no worker) until it is `status`. */
async function waitForStatus(handle: WorkflowHandle, status: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status: now } = await handle.describe();
    if (now.name === status) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${status}; status ${now.name}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const newSalesforceId = () => `001${randomUUID().replace(/-/g, '').slice(0, 15)}`;

const idle = (passes: number) => (s: RecordStateView) => s.passes >= passes && !s.running && !s.pending;

describe('syncRecord workflow with mocked activities (time-skipping server)', function () {
  this.timeout(120_000);
  const taskQueue = `workflows-${randomUUID()}`;
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;

  before(async () => {
    env = await timeSkippingEnv();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await sharedWorkflowBundle(),
      activities: routedActivities,
    });
    running = worker.run();
  });

  after(async () => {
    worker?.shutdown();
    await running;
  });

  /** Runs `body` against a record workflow started by `first`, whose activities are `mocks`. */
  async function withRecord(
    mocks: MockZendeskPass,
    first: { notice?: ChangeNotice; batch?: BatchSyncResult; input?: Partial<SyncRecordInput> },
    body: (handle: WorkflowHandle<typeof syncRecord>, firstRunId: string) => Promise<void>,
  ): Promise<void> {
    const salesforceId = first.input?.salesforceId ?? newSalesforceId();
    const input: SyncRecordInput = { object: 'Account', salesforceId, ...first.input };
    mocksByWorkflow.set(recordWorkflowId('Account', salesforceId), mocks);
    const options = {
      workflowId: recordWorkflowId('Account', salesforceId),
      taskQueue,
      args: [input] as [SyncRecordInput],
    };
    {
      const handle = first.batch
        ? await env.client.workflow.signalWithStart(syncRecord, {
            ...options,
            signal: batchSyncedSignal,
            signalArgs: [first.batch],
          })
        : await env.client.workflow.signalWithStart(syncRecord, {
            ...options,
            signal: changedSignal,
            signalArgs: [first.notice ?? { source: 'created' }],
          });
      try {
        await body(env.client.workflow.getHandle(handle.workflowId), handle.signaledRunId);
      } finally {
        await env.client.workflow.getHandle(handle.workflowId).terminate('test over');
      }
    }
  }

  /** A record already linked to organization 9001 and written back, as after a first sync, given a resync. */
  function withLinkedRecord(
    mocks: MockZendeskPass,
    body: (handle: WorkflowHandle<typeof syncRecord>) => Promise<void>,
  ): Promise<void> {
    const salesforceId = newSalesforceId();
    const state: RecordState = {
      object: 'Account',
      salesforceId,
      writtenBack: true,
      fingerprint: 'fp-1',
      link: { zendeskId: 9001, via: 'created', linkedAt: '2026-01-01T00:00:00.000Z' },
      outcomes: [],
      passes: 1,
    };
    return withRecord(
      mocks,
      { notice: { source: 'resync', force: true }, input: { salesforceId, state } },
      body,
    );
  }

  it('coalesces the changes that arrive during a pass into one more pass, forced if any of them forces', async () => {
    const mocks = new MockZendeskPass();
    const firstPass = mocks.holdNextPass();
    await withRecord(mocks, {}, async (handle) => {
      await firstPass.started();
      await handle.signal(changedSignal, { source: 'cdc', changedFields: ['Name'] });
      await handle.signal(changedSignal, { source: 'cdc', changedFields: ['Phone', 'Name'] });
      await handle.signal(changedSignal, { source: 'reconcile', force: true });
      const during = await handle.query(stateQuery);
      assert.equal(during.running, true);
      assert.equal(during.passes, 0);
      assert.deepEqual(during.pending, { source: 'reconcile', force: true });

      firstPass.release();
      const after = await waitForState(handle, idle(2));
      assert.equal(after.passes, 2, 'three signals during the pass make one more pass');
      assert.equal(mocks.count('fetchAndPlan'), 2);
      // Same values, but forced: the coalesced pass writes again instead of ending 'unchanged'.
      assert.deepEqual(
        after.outcomes.map((o) => [o.outcome, o.trigger]),
        [
          ['updated', 'reconcile'],
          ['created', 'created'],
        ],
      );
      assert.deepEqual(
        mocks.inputs<WriteRequest>('writeZendesk').map((r) => r.zendeskId),
        [undefined, 9001],
      );
      assert.equal(mocks.count('writeBackZendeskId'), 1, 'the ID is written back once');
    });
  });

  it('ends a coalesced pass of unforced changes "unchanged" when the mapped values did not change', async () => {
    const mocks = new MockZendeskPass();
    const firstPass = mocks.holdNextPass();
    await withRecord(mocks, {}, async (handle) => {
      await firstPass.started();
      await handle.signal(changedSignal, { source: 'cdc', changedFields: ['Name'] });
      await handle.signal(changedSignal, { source: 'cdc', changedFields: ['Phone'] });
      assert.deepEqual((await handle.query(stateQuery)).pending, {
        source: 'cdc',
        force: false,
        changedFields: ['Name', 'Phone'],
      });
      firstPass.release();
      const after = await waitForState(handle, idle(2));
      assert.deepEqual(
        after.outcomes.map((o) => o.outcome),
        ['unchanged', 'created'],
      );
      assert.equal(mocks.count('writeZendesk'), 1);
    });
  });

  it('adopts a batch result that read the current state, with no activity of its own', async () => {
    const mocks = new MockZendeskPass();
    const batch: BatchSyncResult = {
      basedOnPasses: 0,
      outcome: 'created',
      zendeskId: 77,
      created: true,
      fingerprint: 'fp-1',
      writtenBack: true,
      label: 'Acme',
    };
    await withRecord(mocks, { batch }, async (handle) => {
      const adopted = await waitForState(handle, idle(1));
      assert.equal(mocks.calls.length, 0, 'the batch did the work');
      assert.deepEqual(adopted.link && { zendeskId: adopted.link.zendeskId, via: adopted.link.via }, {
        zendeskId: 77,
        via: 'created',
      });
      assert.equal(adopted.writtenBack, true);
      assert.equal(adopted.fingerprint, 'fp-1');
      assert.deepEqual(
        [adopted.outcomes[0]?.outcome, adopted.outcomes[0]?.trigger],
        ['created', 'bulk-resync'],
      );

      // The adopted fingerprint counts: the next change with the same values writes nothing.
      await handle.signal(changedSignal, { source: 'cdc' });
      const next = await waitForState(handle, idle(2));
      assert.equal(next.outcomes[0]?.outcome, 'unchanged');
      assert.equal(mocks.count('writeZendesk'), 0);
    });
  });

  it('loses the batch race to a pass that ran meanwhile: keeps the link it found, then a forced pass writes the current values', async () => {
    const mocks = new MockZendeskPass();
    mocks.fingerprint = 'fp-new';
    const firstPass = mocks.holdNextPass();
    // A batch page read the workflow's state (no pass yet: basedOnPasses 0) and wrote older values; its
    // signal arrives while the first pass runs.
    await withRecord(mocks, {}, async (handle) => {
      await firstPass.started();
      await handle.signal(batchSyncedSignal, {
        basedOnPasses: 0,
        outcome: 'updated',
        zendeskId: 9001,
        created: false,
        fingerprint: 'fp-old',
        writtenBack: true,
      });
      assert.equal((await handle.query(stateQuery)).passes, 0, 'the batch waits for the pass to end');
      firstPass.release();
      const after = await waitForState(handle, idle(2));
      assert.equal(after.passes, 2, 'the stale batch is not a pass of its own');
      assert.deepEqual(
        after.outcomes.map((o) => [o.outcome, o.trigger]),
        [
          ['updated', 'bulk-resync'],
          ['created', 'created'],
        ],
      );
      assert.equal(after.fingerprint, 'fp-new', "the batch's older values are not taken as synced");
      assert.equal(mocks.count('fetchAndPlan'), 2, 'the forced pass re-read the record');
    });
  });

  it('does not adopt a batch that linked the record elsewhere: the forced pass keeps the existing link', async () => {
    const mocks = new MockZendeskPass();
    await withRecord(mocks, {}, async (handle) => {
      await waitForState(handle, idle(1));
      await handle.signal(batchSyncedSignal, {
        basedOnPasses: 1,
        outcome: 'created',
        zendeskId: 555,
        created: true,
        fingerprint: 'fp-1',
      });
      const after = await waitForState(handle, idle(2));
      assert.equal(after.link?.zendeskId, 9001);
      assert.deepEqual([after.outcomes[0]?.outcome, after.outcomes[0]?.trigger], ['updated', 'bulk-resync']);
      assert.deepEqual(
        mocks.inputs<WriteRequest>('writeZendesk').map((r) => r.zendeskId),
        [undefined, 9001],
      );
    });
  });

  /**
   * Two passes per run: the first pass, then a second one held while `during` sends its signals; the run
   * then continues as new, and the pass the signals asked for is the new run's first (and not its last,
   * so the test's queries never meet a second switch of runs, which the test server can hold).
   */
  async function secondPassOfRun(
    mocks: MockZendeskPass,
    during: (handle: WorkflowHandle<typeof syncRecord>) => Promise<void>,
  ): Promise<{ after: RecordStateView; firstRun: string }> {
    let result: { after: RecordStateView; firstRun: string } | undefined;
    await withRecord(mocks, { input: { tuning: { passesPerRun: 2 } } }, async (handle, firstRunId) => {
      await waitForState(handle, idle(1));
      const secondPass = mocks.holdNextPass();
      await handle.signal(changedSignal, { source: 'cdc' });
      await secondPass.started();
      await during(handle);
      secondPass.release();
      // Queried only once the first run has closed: the test server can hold a query that meets the switch.
      const firstRun = env.client.workflow.getHandle(handle.workflowId, firstRunId);
      await waitForStatus(firstRun, 'CONTINUED_AS_NEW');
      const after = await waitForState(handle, idle(3));
      assert.notEqual((await handle.describe()).runId, firstRunId, 'the third pass ran in a new run');
      result = { after, firstRun: (await firstRun.describe()).status.name };
    });
    return result!;
  }

  it('carries a change that arrived during the last pass of a run into the next run (continue-as-new)', async () => {
    const mocks = new MockZendeskPass();
    const { after, firstRun } = await secondPassOfRun(mocks, async (handle) => {
      await handle.signal(changedSignal, { source: 'cdc', changedFields: ['Name'] });
      mocks.fingerprint = 'fp-2';
    });
    assert.equal(firstRun, 'CONTINUED_AS_NEW');
    assert.deepEqual(
      after.outcomes.map((o) => [o.outcome, o.trigger]),
      [
        ['updated', 'cdc'],
        ['unchanged', 'cdc'],
        ['created', 'created'],
      ],
    );
    // Link and write-back came along: the new run updated 9001 and did not write the ID back again.
    assert.equal(after.link?.zendeskId, 9001);
    assert.deepEqual(
      mocks.inputs<WriteRequest>('writeZendesk').map((r) => r.zendeskId),
      [undefined, 9001],
    );
    assert.equal(mocks.count('writeBackZendeskId'), 1);
  });

  it('carries a batch result that arrived during the last pass of a run into the next run', async () => {
    const mocks = new MockZendeskPass();
    const { after, firstRun } = await secondPassOfRun(mocks, async (handle) => {
      await handle.signal(batchSyncedSignal, {
        basedOnPasses: 1,
        outcome: 'updated',
        zendeskId: 9001,
        created: false,
      });
    });
    assert.equal(firstRun, 'CONTINUED_AS_NEW');
    // Applied by the new run: older than the pass that ended meanwhile, so a forced pass followed it.
    assert.deepEqual(
      after.outcomes.map((o) => [o.outcome, o.trigger]),
      [
        ['updated', 'bulk-resync'],
        ['unchanged', 'cdc'],
        ['created', 'created'],
      ],
    );
  });

  it('relinks once when the linked record vanished: matches again, keeps the write-back done', async () => {
    const mocks = new MockZendeskPass();
    mocks.write = (req) =>
      req.zendeskId === 9001
        ? { kind: 'link-lost' }
        : { kind: 'written', zendeskId: req.zendeskId ?? 1, created: false };
    mocks.match = async () => ({ kind: 'one', zendeskId: 4242 });
    await withLinkedRecord(mocks, async (handle) => {
      const after = await waitForState(handle, idle(2));
      assert.deepEqual([after.outcomes[0]?.outcome, after.outcomes[0]?.zendeskId], ['updated', 4242]);
      assert.deepEqual(after.link && { zendeskId: after.link.zendeskId, via: after.link.via }, {
        zendeskId: 4242,
        via: 'matched',
      });
      assert.deepEqual(
        mocks.inputs<WriteRequest>('writeZendesk').map((r) => r.zendeskId),
        [9001, 4242],
      );
      assert.equal(mocks.count('resolveMatch'), 1);
      assert.equal(mocks.count('writeBackZendeskId'), 0, 'the ID is never written back again');
      assert.equal(after.writtenBack, true);
    });
  });

  it('fails the pass visibly when the record vanishes twice in one pass ("vanished twice")', async () => {
    const mocks = new MockZendeskPass();
    mocks.write = () => ({ kind: 'link-lost' });
    mocks.match = async () => ({ kind: 'one', zendeskId: 4242 });
    await withLinkedRecord(mocks, async (handle) => {
      const after = await waitForState(handle, idle(2));
      assert.deepEqual(
        {
          outcome: after.outcomes[0]?.outcome,
          failure: after.outcomes[0]?.failure,
          message: after.outcomes[0]?.message,
        },
        {
          outcome: 'failed',
          failure: FailureType.ZendeskRejected,
          message: 'The Zendesk record vanished twice in one pass',
        },
      );
      assert.equal(after.lastError?.type, FailureType.ZendeskRejected);
      assert.equal(after.link, undefined, 'no link to a record that is gone');
      assert.deepEqual(
        mocks.inputs<WriteRequest>('writeZendesk').map((r) => r.zendeskId),
        [9001, 4242],
        'one write to the old link, one to the rematched record, then it stops',
      );
    });
  });
});
