/**
 * Horizontal scale with real worker processes: three `sfzd worker` processes (the image's entry point,
 * from the pre-built bundle) share one task queue on the dev server. A few hundred Accounts sync; the
 * work spreads over the processes (each activity's worker identity is in the history); one process is
 * killed with SIGKILL mid-run, and still every record ends linked to exactly one Zendesk organization,
 * with exactly one write-back committed in Salesforce.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordWorkflowId } from '../../workflows/sync-types';
import { baseEnv, runToEnd, startProcess, type Proc } from '../deploy/processes';
import { useStack } from '../helpers/stack';
import { cdcUpdatesOf, eventually, notifyTuned } from '../sync/durability-support';

const RECORDS = Number(process.env.SCALE_TEST_RECORDS ?? 200);
const WORKERS = 3;
/** A write in flight on the killed worker is retried once this passes (production: 2 minutes). */
const TUNING = { activityTimeoutMs: 8_000 };

describe('Horizontal scale: worker processes sharing a task queue', function () {
  this.timeout(240_000);
  const taskQueue = `scale-${randomUUID()}`;
  const workers: Proc[] = [];

  const ctx = useStack(
    {},
    {
      beforeClose: async () => {
        for (const w of workers) w.kill();
        await ctx.stack.terminateRunning(taskQueue);
      },
    },
  );

  it(`spreads ${RECORDS} record syncs over ${WORKERS} processes and loses nothing when one is killed`, async () => {
    const bundle = join(mkdtempSync(join(tmpdir(), 'sfzd-scale-')), 'workflow-bundle.js');
    const built = await runToEnd(
      ['node', '--require', 'tsx/cjs', 'scripts/build-workflow-bundle.ts', bundle],
      baseEnv({}),
    );
    assert.equal(built.code, 0, built.output);

    const ids: string[] = [];
    for (let i = 0; i < RECORDS; i += 200) {
      const batch = Array.from({ length: Math.min(200, RECORDS - i) }, (_, j) => ({
        Name: `Scale Co ${i + j}`,
        Industry: 'Energy',
      }));
      const results = await ctx.stack.salesforce.sobject('Account').create(batch);
      for (const r of results) {
        assert.ok(r.success, JSON.stringify(r));
        ids.push(r.id);
      }
    }

    const env = baseEnv(
      ctx.stack.workerEnv({
        TEMPORAL_TASK_QUEUE: taskQueue,
        WORKFLOW_BUNDLE_PATH: bundle,
        // No sticky cache: another process takes over a killed process's workflows at once.
        TEMPORAL_MAX_CACHED_WORKFLOWS: '0',
        TEMPORAL_MAX_CONCURRENT_ACTIVITIES: '8',
        TEMPORAL_MAX_CONCURRENT_WORKFLOW_TASKS: '8',
      }),
    );
    for (let i = 0; i < WORKERS; i++) workers.push(startProcess(['node', 'bin/sfzd.js', 'worker'], env));
    await Promise.all(workers.map((w) => w.waitFor('worker ready', 90_000)));

    const target = { client: ctx.stack.client, taskQueue };
    for (let i = 0; i < ids.length; i += 40)
      await Promise.all(
        ids.slice(i, i + 40).map((id) => notifyTuned(target, 'Account', id, TUNING, { source: 'created' })),
      );

    const ours = new Set(ids);
    const orgsOfOurs = () =>
      [...ctx.stack.zd.store.organizations.values()].filter((o) => ours.has(String(o.external_id)));

    // Kill one process once a third of the organizations exist: mid-run, with work in flight.
    await eventually(
      'a third of the records to sync',
      () => (orgsOfOurs().length >= RECORDS / 3 ? true : undefined),
      90_000,
      20,
    );
    const victim = workers[0]!;
    victim.child.kill('SIGKILL');
    assert.equal((await victim.exited).signal, 'SIGKILL');
    const syncedBeforeKill = orgsOfOurs().length;
    assert.ok(syncedBeforeKill < RECORDS, 'the kill happened mid-run');

    // Every record's write-back committed in Salesforce (the last step of a first sync).
    const writtenBack = () =>
      ids.filter((id) => ctx.stack.sf.store.read('Account', id).Zendesk_Organization_Id__c).length;
    await eventually(
      `all ${RECORDS} write-backs`,
      () => (writtenBack() === RECORDS ? true : undefined),
      120_000,
      200,
    );

    // Nothing duplicated in Zendesk: exactly one organization per record, linked from it.
    const orgs = orgsOfOurs();
    const byRecord = new Map<string, number[]>();
    for (const o of orgs)
      byRecord.set(String(o.external_id), [...(byRecord.get(String(o.external_id)) ?? []), o.id]);
    assert.equal(byRecord.size, RECORDS);
    const duplicated = [...byRecord].filter(([, orgIds]) => orgIds.length !== 1);
    assert.deepEqual(duplicated, [], 'one organization per record');
    for (const id of ids)
      assert.equal(
        String(ctx.stack.sf.store.read('Account', id).Zendesk_Organization_Id__c),
        String(byRecord.get(id)![0]),
        `${id} links its organization`,
      );
    // Salesforce committed the write-back exactly once per record (its change log: one CDC update each).
    const writeBacks = ids.map((id) => cdcUpdatesOf(ctx.stack, id, 'Zendesk_Organization_Id__c'));
    assert.deepEqual(
      ids.filter((_, i) => writeBacks[i] !== 1),
      [],
      'exactly one committed write-back per record',
    );

    // The work spread: which process ran each record's Zendesk write (worker identity = pid@host).
    const identityOf = new Map(workers.map((w, i) => [String(w.child.pid), i]));
    const writesBy = new Array<number>(WORKERS).fill(0);
    let retriedAfterKill = 0;
    for (let i = 0; i < ids.length; i += 25)
      await Promise.all(
        ids.slice(i, i + 25).map(async (id) => {
          const history = await ctx.stack.client.workflow
            .getHandle(recordWorkflowId('Account', id))
            .fetchHistory();
          const events = history.events ?? [];
          const scheduled = new Map<string, string>();
          for (const e of events) {
            const s = e.activityTaskScheduledEventAttributes;
            if (s) scheduled.set(String(e.eventId), s.activityType?.name ?? '?');
            const started = e.activityTaskStartedEventAttributes;
            if (started && scheduled.get(String(started.scheduledEventId)) === 'writeZendesk') {
              const worker = identityOf.get(String(started.identity).split('@')[0]!);
              assert.ok(worker !== undefined, `identity ${started.identity} is one of ours`);
              writesBy[worker] = (writesBy[worker] ?? 0) + 1;
              if ((started.attempt ?? 1) > 1) retriedAfterKill += 1;
            }
          }
        }),
      );
    console.log(
      `      writes per process: ${writesBy.join(' / ')} (process 0 killed after ${syncedBeforeKill} of ${RECORDS} organizations; ${retriedAfterKill} writes retried)`,
    );
    assert.equal(
      writesBy.reduce((a, b) => a + b, 0),
      RECORDS,
      'one completed Zendesk write per record',
    );
    assert.ok(
      writesBy.filter((n) => n > 0).length >= 2,
      `work spread over processes: ${writesBy.join(' / ')}`,
    );
    assert.ok(writesBy[1]! + writesBy[2]! > 0, 'the surviving processes finished the run');
  });
});
