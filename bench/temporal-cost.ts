/**
 * Temporal cost per sync pass (`npm run bench:temporal-cost`): history events and billable Temporal Cloud
 * actions (bench/actions.ts) of each kind of pass, read from the record workflows' real histories.
 *
 * Against the shared dev server, the sandboxes and an in-process worker (test/helpers/stack.ts), for
 * BENCH_ACCOUNTS Accounts (default 20; BENCH_QUICK=1: 4), each kind of pass in turn:
 * - first sync: a `created` notice (signal-with-start) of a new Account: read, match, create, write back;
 * - linked update: a CDC notice after a mapped field (Industry) changed: read, write;
 * - unchanged: a notice for a linked record whose mapped values did not change (a reconcile that finds
 *   nothing new, or a change the mapping flattens): read, nothing written;
 * - batch, account with a workflow: a batch bulk resync (workflows/bulk-resync.ts with `batch: true`)
 *   of the same Accounts, each result handed to its record workflow;
 * - batch, new account: another BENCH_ACCOUNTS Accounts backfilled by a batch bulk resync, which starts
 *   no record workflow for them (checked): the bulk workflow's events and actions divided by the
 *   number of accounts.
 *
 * A pass's events are those its workflow added from the end of the previous pass to the end of this one.
 * Queries are billable but not in a history: this script's own `state` queries are not counted, nor are
 * activity heartbeats (a pass's activities beat only when they run longer than 10 s; none does here).
 * BENCH_SAVE_HISTORIES=<dir>: also write one record workflow's full history per path, as JSON (the
 * replay fixtures in test/fixtures/histories were recorded so).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { startBulkResync } from '../client/bulk-resync';
import { recordWorkflowId } from '../workflows/sync-types';
import { startStack, type Stack } from '../test/helpers/stack';
import { teardownTemporalEnv } from '../test/helpers/temporal-env';
import { countActions, type ActionCount } from './actions';
import { envNumber, noiseNote, percentile, printTable, QUICK, writeResult } from './lib';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const E = temporal.api.enums.v1.EventType;

const ACCOUNTS = Math.max(1, envNumber('BENCH_ACCOUNTS', QUICK ? 4 : 20));
const SAVE_DIR = process.env.BENCH_SAVE_HISTORIES;
const PASS_TIMEOUT_MS = 120_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Events after which the workflow waits for nothing the server is about to write. */
const PENDING = new Set([
  E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  E.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  E.EVENT_TYPE_ACTIVITY_TASK_STARTED,
]);

/**
 * The workflow's history once it is idle: the last event is not a task in flight, and two reads 200 ms
 * apart agree (a pass's last workflow task completes just after the `state` query shows the pass done).
 */
async function settledHistory(client: Client, workflowId: string): Promise<HistoryEvent[]> {
  let last = -1;
  for (const until = Date.now() + PASS_TIMEOUT_MS; ; await sleep(200)) {
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const tail = events[events.length - 1]?.eventType;
    if (events.length === last && tail !== undefined && tail !== null && !PENDING.has(tail)) return events;
    last = events.length;
    if (Date.now() > until) throw new Error(`history of ${workflowId} did not settle`);
  }
}

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

interface KindResult {
  pass: string;
  samples: ActionCount[];
}

function summarizeKind({ pass, samples }: KindResult) {
  const byKind = samples[0]?.byKind ?? {};
  return {
    pass,
    passes: samples.length,
    eventsMedian: median(samples.map((s) => s.events)),
    actionsMedian: median(samples.map((s) => s.actions)),
    actionsMax: Math.max(...samples.map((s) => s.actions)),
    actionsByKind: Object.entries(byKind)
      .map(([k, n]) => `${k} ${n}`)
      .join(', '),
  };
}

async function createAccounts(stack: Stack, prefix: string, n: number): Promise<string[]> {
  const records = Array.from({ length: n }, (_, i) => ({ Name: `${prefix} ${i}`, Industry: 'Banking' }));
  const ids: string[] = [];
  for (let i = 0; i < records.length; i += 200) {
    const results = await stack.salesforce.sobject('Account').create(records.slice(i, i + 200));
    for (const r of results) {
      if (!r.success) throw new Error(JSON.stringify(r));
      ids.push(r.id);
    }
  }
  return ids;
}

/** Runs `trigger` on every account, waits for pass `passNo`, and returns each pass's slice of history. */
async function measurePass(
  stack: Stack,
  ids: string[],
  seen: Map<string, number>,
  passNo: number,
  trigger: (id: string) => Promise<void>,
): Promise<ActionCount[]> {
  await Promise.all(ids.map(trigger));
  return Promise.all(
    ids.map(async (id) => {
      await stack.waitForPasses('Account', id, passNo, PASS_TIMEOUT_MS);
      const events = await settledHistory(stack.client, recordWorkflowId('Account', id));
      const from = seen.get(id) ?? 0;
      seen.set(id, events.length);
      return countActions(events.slice(from));
    }),
  );
}

/**
 * A history as plain JSON (enum names, 64-bit numbers as strings, bytes in base64) that
 * `History.fromObject` reads back. Not the SDK's historyToJSON: its protobufjs JSON extension fails in
 * this install ("type must be a Type").
 */
function historyAsJson(history: temporal.api.history.v1.IHistory): unknown {
  const H = temporal.api.history.v1.History;
  return H.toObject(H.fromObject(history), { longs: String, enums: String, bytes: String });
}

/** How many of `ids` have a record workflow (describe answers NOT_FOUND for the others). */
async function recordWorkflowsStarted(client: Client, ids: string[]): Promise<number> {
  const found = await Promise.all(
    ids.map((id) =>
      client.workflow
        .getHandle(recordWorkflowId('Account', id))
        .describe()
        .then(
          () => true,
          (err: unknown) => {
            if (err instanceof WorkflowNotFoundError) return false;
            throw err;
          },
        ),
    ),
  );
  return found.filter(Boolean).length;
}

async function saveHistory(client: Client, workflowId: string, name: string): Promise<void> {
  if (!SAVE_DIR) return;
  mkdirSync(SAVE_DIR, { recursive: true });
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  writeFileSync(join(SAVE_DIR, `${name}.json`), `${JSON.stringify(historyAsJson(history), null, 1)}\n`);
}

async function main(): Promise<void> {
  const stack = await startStack();
  try {
    const kinds: KindResult[] = [];
    const ids = await createAccounts(stack, 'Cost Co', ACCOUNTS);
    const seen = new Map<string, number>();
    kinds.push({
      pass: 'first sync',
      samples: await measurePass(stack, ids, seen, 1, (id) =>
        stack.notify('Account', id, { source: 'created' }),
      ),
    });
    await stack.salesforce.sobject('Account').update(ids.map((Id) => ({ Id, Industry: 'Energy' })));
    kinds.push({
      pass: 'linked update',
      samples: await measurePass(stack, ids, seen, 2, (id) =>
        stack.notify('Account', id, { source: 'cdc', changedFields: ['Industry'] }),
      ),
    });
    kinds.push({
      pass: 'unchanged',
      samples: await measurePass(stack, ids, seen, 3, (id) =>
        stack.notify('Account', id, { source: 'reconcile' }),
      ),
    });
    await saveHistory(stack.client, recordWorkflowId('Account', ids[0]!), 'record-passes');

    // A batch run over accounts that have a record workflow: each result is handed to that workflow.
    const linkedBulk = await startBulkResync(stack.client, stack.taskQueue, {
      object: 'Account',
      batch: true,
      where: "Name LIKE 'Cost Co%'",
      pageSize: 200,
    });
    const linkedProgress = await linkedBulk.result();
    if (linkedProgress.done !== ACCOUNTS)
      throw new Error(`bulk resync handed off ${linkedProgress.done} of ${ACCOUNTS}`);
    kinds.push({
      pass: 'batch, account with a workflow',
      samples: await measurePass(stack, ids, seen, 4, async () => undefined),
    });

    // A first backfill: new accounts get no record workflow (docs/architecture.md, "A batch backfill
    // starts no workflows"), so all they cost is their share of the bulk workflow.
    const batchIds = await createAccounts(stack, 'Cost Batch', ACCOUNTS);
    const bulk = await startBulkResync(stack.client, stack.taskQueue, {
      object: 'Account',
      batch: true,
      where: "Name LIKE 'Cost Batch%'",
      pageSize: 200,
    });
    const progress = await bulk.result();
    if (progress.done !== ACCOUNTS) throw new Error(`bulk resync handed off ${progress.done} of ${ACCOUNTS}`);
    const started = await recordWorkflowsStarted(stack.client, batchIds);
    if (started > 0) throw new Error(`the backfill started ${started} record workflows for new accounts`);
    const bulkCount = countActions((await bulk.fetchHistory()).events ?? []);

    const rows = kinds.map(summarizeKind);
    rows.push({
      pass: `batch, new account (bulk workflow ÷ ${ACCOUNTS})`,
      passes: 1,
      eventsMedian: Math.round((bulkCount.events / ACCOUNTS) * 100) / 100,
      actionsMedian: Math.round((bulkCount.actions / ACCOUNTS) * 100) / 100,
      actionsMax: Math.round((bulkCount.actions / ACCOUNTS) * 100) / 100,
      actionsByKind: Object.entries(bulkCount.byKind)
        .map(([k, n]) => `${k} ${n}`)
        .join(', '),
    });
    printTable(rows);
    console.log(
      '\nactions: billable Temporal Cloud actions in the history (bench/actions.ts); queries and heartbeats are not counted.',
    );
    console.log(noiseNote());
    console.log(
      `written to ${writeResult('temporal-cost', {
        accounts: ACCOUNTS,
        rows,
        bulkWorkflow: bulkCount,
        samples: Object.fromEntries(kinds.map((k) => [k.pass, k.samples])),
      })}`,
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
