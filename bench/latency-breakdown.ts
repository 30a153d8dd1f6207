/**
 * Where a change's latency goes (`npm run bench:latency-breakdown`): the same path as bench/latency.ts
 * (REST update → CDC → listener → record workflow → Zendesk PUT, sandboxes at 0 ms), timed from the
 * sandboxes' request logs and the record workflow's own history timestamps, for changes that reach an
 * idle record (BENCH_GAP_MS after the previous pass, default 500) and for back-to-back changes (the next
 * one as soon as the previous PUT was answered, as bench/latency.ts sends them).
 *
 * Per change, in ms after the REST update was sent: the signal recorded in the workflow history, the
 * Salesforce read (fetchAndPlan's query), the Zendesk PUT, and the workflow-task waits (scheduled →
 * started) during the pass. BENCH_CHANGES per mode (default 100; BENCH_QUICK=1: 10).
 */
import { temporal } from '@temporalio/proto';
import { startTestFeed, TEST_FEED_TUNING } from '../test/listener/feed-helpers';
import { startStack, type Stack } from '../test/helpers/stack';
import { teardownTemporalEnv } from '../test/helpers/temporal-env';
import { envNumber, noiseNote, printTable, QUICK, summarize, writeResult } from './lib';

const CHANGES = Math.floor(envNumber('BENCH_CHANGES', QUICK ? 10 : 100));
const GAP_MS = envNumber('BENCH_GAP_MS', 500);
const EventType = temporal.api.enums.v1.EventType;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Sample {
  signalled: number;
  salesforceRead: number;
  zendeskPut: number;
  /** Sum of WorkflowTaskScheduled → WorkflowTaskStarted waits from the signal to the PUT. */
  workflowTaskWaits: number;
}

const millis = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);

async function oneChange(stack: Stack, id: string, name: string): Promise<Sample> {
  stack.sf.log.reset();
  stack.zd.log.reset();
  const before = (await stack.client.workflow.getHandle(`salesforce/Account/${id}`).fetchHistory()).events
    ?.length;
  const t0 = Date.now();
  await stack.salesforce.sobject('Account').update({ Id: id, Name: name });
  let put: number | undefined;
  for (const until = Date.now() + 30_000; put === undefined; await sleep(2)) {
    put = stack.zd.log.entries().find((e) => e.method === 'PUT')?.at;
    if (Date.now() > until) throw new Error(`change "${name}" did not reach Zendesk within 30 s`);
  }
  const read = stack.sf.log.entries().find((e) => e.method === 'GET' && e.path.includes('/query'))?.at;
  // The history as of now: the pass's events up to the write are recorded by the time the PUT answered.
  await sleep(50);
  const events = (
    await stack.client.workflow.getHandle(`salesforce/Account/${id}`).fetchHistory()
  ).events!.slice(before ?? 0);
  const signal = events.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
  let waits = 0;
  let scheduledAt: number | undefined;
  for (const e of events) {
    const at = millis(e.eventTime);
    if (at > put) break;
    if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) scheduledAt = at;
    if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED && scheduledAt !== undefined) {
      waits += at - scheduledAt;
      scheduledAt = undefined;
    }
  }
  return {
    signalled: millis(signal?.eventTime) - t0,
    salesforceRead: (read ?? Number.NaN) - t0,
    zendeskPut: put - t0,
    workflowTaskWaits: waits,
  };
}

async function main(): Promise<void> {
  const stack = await startStack();
  try {
    const feed = await startTestFeed(stack, { ...TEST_FEED_TUNING, startFrom: 'tip' }, { suffix: 'lb' });
    await feed.waitFor('subscribed', (s) => s.subscribed.includes('/data/AccountChangeEvent'));
    const { id } = await stack.salesforce.sobject('Account').create({ Name: 'Breakdown Co' });
    await stack.waitForPasses('Account', id!, 1, 30_000);

    const modes = [
      { mode: `idle record (${GAP_MS} ms apart)`, gap: GAP_MS },
      { mode: 'back-to-back', gap: 0 },
    ];
    const rows: Array<Record<string, string | number>> = [];
    const results: Record<string, unknown> = {};
    for (const { mode, gap } of modes) {
      const samples: Sample[] = [];
      for (let i = 0; i < CHANGES + 2; i++) {
        const s = await oneChange(stack, id!, `Breakdown Co ${mode} ${i}`);
        if (i >= 2) samples.push(s); // the first two after a mode switch are warm-up
        await sleep(gap);
      }
      const median = (k: keyof Sample) => summarize(samples.map((s) => s[k]).sort((a, b) => a - b)).p50;
      const row = {
        mode,
        changes: samples.length,
        'signal recorded ms': median('signalled'),
        'Salesforce read ms': median('salesforceRead'),
        'Zendesk PUT ms (p50)': median('zendeskPut'),
        'Zendesk PUT ms (p95)': summarize(samples.map((s) => s.zendeskPut).sort((a, b) => a - b)).p95,
        'workflow-task waits ms': median('workflowTaskWaits'),
      };
      rows.push(row);
      results[mode] = { ...row, samples };
    }
    printTable(rows);
    console.log(
      `\nmedians, in ms after the Salesforce REST update was sent; sandboxes at 0 ms.\n${noiseNote()}`,
    );
    console.log(
      `written to ${writeResult('latency-breakdown', { changesPerMode: CHANGES, gapMs: GAP_MS, results })}`,
    );
  } finally {
    await stack.close();
    await teardownTemporalEnv();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
