/**
 * Rate-limited bulk resync (`npm run bench:bulk`): a bulk resync of Accounts with the Zendesk sandbox
 * limited to BENCH_RATE_LIMIT requests a minute (default 700, Zendesk Enterprise), on the batch path
 * (BENCH_RECORDS accounts, default 20,000) and, in the same run, on the per-record path
 * (BENCH_PER_RECORD_N accounts, default 1,000: at 2-3 calls per record, 20,000 would take about an hour).
 *
 * Each path runs on a fresh stack (sandboxes + worker on the shared dev server): a first full backfill
 * where BENCH_MATCHING_SHARE of the accounts (default 0.25) already have an organization of the same
 * name in Zendesk (matched and updated) and the rest are created; every new link is written back.
 *
 * Reported per path: wall time of the bulk workflow, Zendesk calls (from the sandbox's request log) and
 * calls per record, 429s, requests sent during a running Retry-After, and the ratio of the wall time to
 * the floor: the fewest Zendesk calls that path needs for this data, divided by the rate limit.
 *   - per-record floor: 2 calls per created account (search, create with tags), 3 per matched one
 *     (search, update, tags added);
 *   - batch floor: one listing call per 100 existing organizations, one create_many/update_many per 100
 *     writes, and one job_statuses/show_many per 30 jobs (Zendesk runs at most 30 at once).
 * BENCH_QUICK=1: 600 and 60 records (a smoke run; figures meaningless).
 */
import { startBulkResync } from '../client/bulk-resync';
import { WriteTransaction } from '../sandbox/salesforce';
import { createOrganization } from '../sandbox/zendesk/organizations';
import { teardownTemporalEnv } from '../test/helpers/temporal-env';
import { startStack, type Stack } from '../test/helpers/stack';
import type { BulkProgress } from '../workflows/bulk-types';
import { envNumber, noiseNote, printTable, QUICK, ratio, round, writeResult } from './lib';

const RECORDS = Math.floor(envNumber('BENCH_RECORDS', QUICK ? 600 : 20_000));
const PER_RECORD_N = Math.floor(envNumber('BENCH_PER_RECORD_N', QUICK ? 60 : 1_000));
const LIMIT = Math.floor(envNumber('BENCH_RATE_LIMIT', 700));
const MATCHING = Math.min(1, envNumber('BENCH_MATCHING_SHARE', 0.25));

interface PathResult {
  path: 'batch' | 'per-record';
  records: number;
  created: number;
  matched: number;
  zendeskCalls: number;
  callsPerRecord: number;
  salesforceCalls: number;
  zendesk429: number;
  duringRetryAfter: number;
  floorCalls: number;
  floorSeconds: number;
  wallSeconds: number;
  ratioToFloor: number | string;
  zendeskEndpoints: Record<string, number>;
  progress: BulkProgress;
}

/** Accounts with unique names; the first `matching` of them get a same-named organization in Zendesk. */
async function arrange(
  stack: Stack,
  n: number,
  prefix: string,
): Promise<{ ids: string[]; matching: number }> {
  const ids: string[] = [];
  // Straight into the sandbox's store (validated like an API insert, no change events): arranging
  // 250,000 accounts through the REST API took longer than the measured run.
  const tx = new WriteTransaction({ changeOrigin: '', publish: false });
  const now = new Date().toISOString();
  for (let i = 0; i < n; i++) {
    const fields = {
      Name: `${prefix} ${String(i).padStart(6, '0')}`,
      Industry: 'Banking',
      Segment__c: 'Enterprise',
    };
    ids.push(stack.sf.store.insertSeed('Account', fields, { CreatedDate: now, LastModifiedDate: now }, tx));
  }
  const matching = Math.round(n * MATCHING);
  // Straight into the sandbox's store: arranging data is not part of the measured work.
  for (let i = 0; i < matching; i++)
    createOrganization(stack.zd.store, {
      name: `${prefix} ${String(i).padStart(6, '0')}`,
      tags: ['existing'],
    });
  return { ids, matching };
}

async function run(path: PathResult['path'], n: number): Promise<PathResult> {
  const stack = await startStack({ zendeskRateLimitPerMinute: LIMIT });
  try {
    const prefix = path === 'batch' ? 'Batch Account' : 'Record Account';
    const { matching } = await arrange(stack, n, prefix);
    const existing = stack.zd.store.organizations.size;
    stack.zd.rateLimiter.reset();
    stack.zd.log.reset();
    stack.sf.log.reset();
    console.log(`${path}: ${n} accounts (${matching} with a same-named organization), limit ${LIMIT}/min…`);

    const started = Date.now();
    const handle = await startBulkResync(stack.client, stack.taskQueue, {
      object: 'Account',
      ...(path === 'batch' ? { batch: true } : {}),
    });
    const progress = await handle.result();
    if (path === 'per-record') {
      // The per-record bulk run ends once every record is signalled; the passes run after.
      for (;;) {
        const states = await countFinished(stack, n);
        if (states >= n) break;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
    const wallSeconds = (Date.now() - started) / 1000;

    const zd = stack.zd.log.summary();
    const created = stack.zd.store.organizations.size - existing;
    const matched = n - created;
    const jobs = Math.ceil(created / 100) + Math.ceil(matched / 100);
    const floorCalls =
      path === 'per-record'
        ? created * 2 + matched * 3
        : Math.ceil(existing / 100) + jobs + Math.ceil(jobs / 30);
    const floorSeconds = (floorCalls / LIMIT) * 60;
    return {
      path,
      records: n,
      created,
      matched,
      zendeskCalls: zd.total,
      callsPerRecord: round(zd.total / n, 3),
      salesforceCalls: stack.sf.log.summary().total,
      zendesk429: zd.byStatus['429'] ?? 0,
      duringRetryAfter: zd.duringRetryAfter,
      floorCalls,
      floorSeconds: round(floorSeconds, 1),
      wallSeconds: round(wallSeconds, 1),
      ratioToFloor: ratio(wallSeconds, floorSeconds),
      zendeskEndpoints: zd.byEndpoint,
      progress,
    };
  } finally {
    await stack.close();
  }
}

/** Record workflows whose first pass is recorded, counted through the visibility store. */
async function countFinished(stack: Stack, n: number): Promise<number> {
  const { count } = await stack.client.workflow.count(
    `TaskQueue = "${stack.taskQueue}" AND SyncOutcome IS NOT NULL`,
  );
  return Math.min(n, count);
}

async function main(): Promise<void> {
  const perRecord = await run('per-record', PER_RECORD_N);
  console.log(`per-record done: ${JSON.stringify({ ...perRecord, progress: undefined })}`);
  const batch = await run('batch', RECORDS);
  const rows = [perRecord, batch].map((r) => ({
    path: r.path,
    records: r.records,
    'created/matched': `${r.created}/${r.matched}`,
    'zendesk calls': r.zendeskCalls,
    'calls/record': r.callsPerRecord,
    '429s': r.zendesk429,
    'during Retry-After': r.duringRetryAfter,
    'floor (calls)': r.floorCalls,
    'floor s': r.floorSeconds,
    'wall s': r.wallSeconds,
    'wall/floor': r.ratioToFloor,
  }));
  console.log(`\nRate-limited bulk resync of Accounts, Zendesk limited to ${LIMIT} requests/minute`);
  printTable(rows);
  const perRecordAtBatchSize = (perRecord.wallSeconds / perRecord.records) * batch.records;
  console.log(
    `\nper-record path measured on ${perRecord.records} records (BENCH_PER_RECORD_N); at ${batch.records} records it would need ≥ ${round(
      ((perRecord.floorCalls / perRecord.records) * batch.records) / LIMIT,
      1,
    )} min of Zendesk budget (≈ ${round(perRecordAtBatchSize / 60, 1)} min at the measured rate); the batch path took ${round(
      batch.wallSeconds / 60,
      1,
    )} min: ${ratio(perRecordAtBatchSize, batch.wallSeconds)}× faster, ${ratio(
      perRecord.callsPerRecord,
      batch.callsPerRecord,
    )}× fewer Zendesk calls per record.`,
  );
  console.log(noiseNote());
  const file = writeResult('rate-limited-bulk', {
    rateLimitPerMinute: LIMIT,
    matchingShare: MATCHING,
    perRecordN: PER_RECORD_N,
    records: RECORDS,
    results: [perRecord, batch],
  });
  console.log(`results: ${file}`);
}

main()
  .then(() => teardownTemporalEnv())
  .catch(async (err: unknown) => {
    console.error(err);
    await teardownTemporalEnv().catch(() => undefined);
    process.exit(1);
  });
