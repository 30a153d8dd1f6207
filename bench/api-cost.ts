/**
 * API calls per synced record, counted from the sandboxes' request logs (`npm run bench:api-cost`), for
 * this project and for the baseline script (bench/baseline) in one run on the same sandboxes.
 *
 * Each of our scenarios notifies the record workflows directly (no change stream), so the counts are the
 * sync's own cost: Salesforce REST calls (SOQL, write-back) and Zendesk calls. The baseline is called
 * the same way (its sync function, per record). The bulk resyncs count everything their run made,
 * including the paged SOQL listing, divided by the records they covered.
 *
 * BENCH_RECORDS (per scenario, default 50; BENCH_QUICK=1: 5).
 */
import { startBulkResync } from '../client/bulk-resync';
import type { BulkResyncInput } from '../workflows/bulk-types';
import { teardownTemporalEnv } from '../test/helpers/temporal-env';
import { startStack, type Stack } from '../test/helpers/stack';
import { baselineZendesk } from './baseline/connect';
import { createBaseline } from './baseline/sync-account';
import { envNumber, noiseNote, printTable, QUICK, round, writeResult } from './lib';

const N = envNumber('BENCH_RECORDS', QUICK ? 5 : 50);

interface Cost {
  records: number;
  salesforcePerRecord: number;
  zendeskPerRecord: number;
  zendeskEndpoints: string;
  salesforceEndpoints: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function endpoints(byEndpoint: Record<string, number>, records: number): string {
  return (
    Object.entries(byEndpoint)
      .sort((a, b) => b[1] - a[1])
      .map(([e, c]) => `${e} ${round(c / records, 2)}`)
      .join('; ') || '—'
  );
}

/** Resets both logs, runs `act`, waits for `settle`, and divides the calls by `records`. */
async function count(
  stack: Stack,
  records: number,
  act: () => Promise<void>,
  settle: () => Promise<void> = async () => undefined,
): Promise<Cost> {
  stack.sf.log.reset();
  stack.zd.log.reset();
  await act();
  await settle();
  const sf = stack.sf.log.summary();
  const zd = stack.zd.log.summary();
  return {
    records,
    salesforcePerRecord: round(sf.total / records, 2),
    zendeskPerRecord: round(zd.total / records, 2),
    zendeskEndpoints: endpoints(zd.byEndpoint, records),
    salesforceEndpoints: endpoints(sf.byEndpoint, records),
  };
}

/** Waits until neither sandbox has logged a request for `quietMs` (for runs with no per-record signal). */
async function quiesce(stack: Stack, quietMs = 2_000): Promise<void> {
  for (;;) {
    const last = Math.max(stack.sf.log.entries().at(-1)?.at ?? 0, stack.zd.log.entries().at(-1)?.at ?? 0);
    if (Date.now() - last >= quietMs) return;
    await sleep(250);
  }
}

interface Row {
  scenario: string;
  ours?: Cost;
  baseline?: Cost;
  note?: string;
}

async function main(): Promise<void> {
  const stack = await startStack();
  const baseline = createBaseline({ salesforce: stack.salesforce, zendesk: baselineZendesk(stack.zd.url) });
  try {
    const rows: Row[] = [];
    const names = (prefix: string) => Array.from({ length: N }, (_, i) => `${prefix} ${i}`);
    const create = async (list: string[]) => {
      const ids: string[] = [];
      for (const Name of list)
        ids.push(
          (
            await stack.salesforce
              .sobject('Account')
              .create({ Name, Industry: 'Banking', Segment__c: 'Enterprise' })
          ).id!,
        );
      return ids;
    };
    const preCreateOrgs = async (list: string[]) => {
      for (const name of list)
        await stack.zendesk.post('organizations', { json: { organization: { name } } });
    };
    const ours = (ids: string[], passes: number, force = false) =>
      count(
        stack,
        ids.length,
        async () => {
          await Promise.all(
            ids.map((id) => stack.notify('Account', id, { source: force ? 'resync' : 'cdc', force })),
          );
        },
        async () => {
          await Promise.all(ids.map((id) => stack.waitForPasses('Account', id, passes, 120_000)));
        },
      );
    const base = (ids: string[]) =>
      count(stack, ids.length, async () => {
        for (const id of ids) await baseline.syncAccount(id);
      });

    const fresh = await create(names('Cost Create'));
    const baseFresh = await create(names('Base Create'));
    rows.push({
      scenario: 'first sync (create)',
      ours: await ours(fresh, 1),
      baseline: await base(baseFresh),
    });

    await preCreateOrgs([...names('Cost Match'), ...names('Base Match')]);
    const matching = await create(names('Cost Match'));
    const baseMatching = await create(names('Base Match'));
    rows.push({
      scenario: 'first sync (match)',
      ours: await ours(matching, 1),
      baseline: await base(baseMatching),
    });

    for (const id of [...fresh, ...baseFresh])
      await stack.salesforce.sobject('Account').update({ Id: id, Industry: 'Energy' });
    rows.push({ scenario: 'linked update', ours: await ours(fresh, 2), baseline: await base(baseFresh) });

    rows.push({
      scenario: 'unchanged change',
      ours: await ours(fresh, 3),
      baseline: await base(baseFresh),
      note: 'the baseline has no fingerprint: it writes again',
    });

    rows.push({
      scenario: 'resync one record (sfzd resync <id>)',
      ours: await ours(fresh, 4, true),
      baseline: await base(baseFresh),
    });

    const bulk = async (input: BulkResyncInput, passes: number | undefined) =>
      count(
        stack,
        fresh.length,
        async () => {
          const handle = await startBulkResync(stack.client, stack.taskQueue, input);
          const progress = await handle.result();
          if (progress.done !== fresh.length)
            throw new Error(`bulk resync handed off ${progress.done}, expected ${fresh.length}`);
        },
        async () => {
          if (passes !== undefined)
            await Promise.all(fresh.map((id) => stack.waitForPasses('Account', id, passes, 300_000)));
          await quiesce(stack);
        },
      );
    const where = "Name LIKE 'Cost Create%'";
    rows.push({
      scenario: 'bulk resync (sfzd resync --all, per record)',
      ours: await bulk({ object: 'Account', where }, 5),
      baseline: await count(stack, baseFresh.length, async () => {
        const done = await baseline.resyncAll("Name LIKE 'Base Create%'");
        if (done !== baseFresh.length)
          throw new Error(`baseline resynced ${done}, expected ${baseFresh.length}`);
      }),
      note: 'baseline: one paged SOQL query, then one write per record',
    });
    rows.push({
      scenario: 'bulk resync (batch)',
      // The batch path writes through Zendesk's batch endpoints and then tells each record workflow,
      // so there is no pass to wait for: wait for quiet logs instead.
      ours: await bulk({ object: 'Account', where, batch: true }, undefined),
      note: 'baseline as in the per-record row',
    });

    const accountId = fresh[0]!;
    const contacts: string[] = [];
    for (let i = 0; i < N; i++)
      contacts.push(
        (
          await stack.salesforce.sobject('Contact').create({
            LastName: `Cost ${i}`,
            Email: `cost${i}@example.com`,
            Phone: '+14155550100',
            AccountId: accountId,
          })
        ).id!,
      );
    rows.push({
      scenario: 'first sync (create user + membership)',
      ours: await count(
        stack,
        contacts.length,
        async () => {
          await Promise.all(contacts.map((id) => stack.notify('Contact', id)));
        },
        async () => {
          await Promise.all(contacts.map((id) => stack.waitForPasses('Contact', id, 1, 120_000)));
        },
      ),
      note: 'the baseline syncs Accounts only',
    });

    const total = (c?: Cost) => (c ? round(c.salesforcePerRecord + c.zendeskPerRecord, 2) : '—');
    printTable(
      rows.map((r) => ({
        scenario: r.scenario,
        records: r.ours?.records ?? r.baseline?.records ?? 0,
        'ours SF/rec': r.ours?.salesforcePerRecord ?? '—',
        'ours ZD/rec': r.ours?.zendeskPerRecord ?? '—',
        'baseline SF/rec': r.baseline?.salesforcePerRecord ?? '—',
        'baseline ZD/rec': r.baseline?.zendeskPerRecord ?? '—',
        'ours/baseline (all calls)':
          r.ours && r.baseline
            ? round(
                (r.ours.salesforcePerRecord + r.ours.zendeskPerRecord) /
                  Math.max(0.01, r.baseline.salesforcePerRecord + r.baseline.zendeskPerRecord),
                2,
              )
            : '—',
        'ours total/rec': total(r.ours),
        note: r.note ?? '',
      })),
    );
    console.log('\nZendesk endpoints per record:');
    for (const r of rows) {
      if (r.ours) console.log(`  ${r.scenario} — ours: ${r.ours.zendeskEndpoints}`);
      if (r.baseline) console.log(`  ${r.scenario} — baseline: ${r.baseline.zendeskEndpoints}`);
    }
    console.log(`\n${noiseNote().replace(/noisy.*/, 'noisy in time, but call counts are exact.')}`);
    console.log(`written to ${writeResult('api-cost', { recordsPerScenario: N, rows })}`);
  } finally {
    await stack.close();
    await teardownTemporalEnv();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
