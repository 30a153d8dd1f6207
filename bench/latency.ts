/**
 * Change-to-Zendesk latency through the whole path (`npm run bench:latency`), for this project and for
 * the baseline script (bench/baseline), in one run against the same sandboxes and latency setting.
 *
 * Ours: a Salesforce REST update → CDC event over CometD → the listener (the change-feed workflow and
 * its activity, as `sfzd listen` runs it) → signal-with-start of the record workflow → Zendesk write.
 * Baseline: the same REST update → the same CDC channel through jsforce's streaming client → the
 * script's read / write. One change at a time, so each sample is one change's latency: from just before
 * the REST update to the moment the Zendesk sandbox answered the organization's PUT.
 *
 * The two alternate in rounds (ours, baseline, ours, …) so drift on a shared machine hits both alike;
 * only one of them listens at a time, each on its own Account.
 *
 * BENCH_CHANGES (per system, default 500), BENCH_LATENCY_MS (sandbox latency per request, default 0),
 * BENCH_ROUNDS (default 2), BENCH_QUICK=1 (20 changes).
 */
import type { SalesforceSandbox } from '../sandbox/salesforce';
import type { ZendeskSandbox } from '../sandbox/zendesk';
import { startTestFeed, TEST_FEED_TUNING } from '../test/listener/feed-helpers';
import { startStack, type Stack } from '../test/helpers/stack';
import { teardownTemporalEnv } from '../test/helpers/temporal-env';
import { createBaseline } from './baseline/sync-account';
import { baselineZendesk } from './baseline/connect';
import { envNumber, noiseNote, printTable, QUICK, ratio, round, summarize, writeResult } from './lib';

const CHANGES = envNumber('BENCH_CHANGES', QUICK ? 20 : 500);
const LATENCY_MS = envNumber('BENCH_LATENCY_MS', 0);
const ROUNDS = Math.max(1, envNumber('BENCH_ROUNDS', QUICK ? 1 : 2));
/** Changes per block not counted: the first after (re)subscribing pays connection set-up. */
const WARMUP = 2;
const PUT_ROUTE = 'PUT /api/v2/organizations/:organization_id';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Updates the Account's name and returns ms until Zendesk answered the PUT of `orgId`. */
async function oneChange(stack: Stack, accountId: string, orgId: number, name: string): Promise<number> {
  const zd: ZendeskSandbox = stack.zd;
  const orgPath = `/api/v2/organizations/${orgId}`;
  zd.log.reset();
  const t0 = Date.now();
  await stack.salesforce.sobject('Account').update({ Id: accountId, Name: name });
  for (const until = Date.now() + 30_000; ; await sleep(2)) {
    const hit = zd.log.entries().find((e) => e.route === PUT_ROUTE && e.path === orgPath && e.status === 200);
    if (hit) return hit.at - t0;
    if (Date.now() > until) throw new Error(`change "${name}" did not reach Zendesk within 30 s`);
  }
}

async function block(
  stack: Stack,
  label: string,
  accountId: string,
  orgId: number,
  count: number,
  samples: number[],
): Promise<void> {
  for (let i = 0; i < count + WARMUP; i++) {
    const ms = await oneChange(stack, accountId, orgId, `${label} ${samples.length}-${i}-${Date.now()}`);
    if (i >= WARMUP) samples.push(ms);
  }
}

async function main(): Promise<void> {
  const stack = await startStack();
  const sf: SalesforceSandbox = stack.sf;
  try {
    const baseline = createBaseline({ salesforce: stack.salesforce, zendesk: baselineZendesk(stack.zd.url) });
    // The baseline's Account, linked by the baseline itself before any listener runs.
    const { id: baseId } = await stack.salesforce.sobject('Account').create({ Name: 'Latency Baseline Co' });
    const baseOrg = (await baseline.syncAccount(baseId!))!;

    // Our Account, created through the change feed as a user's would be.
    let feed = await startTestFeed(stack, { ...TEST_FEED_TUNING, startFrom: 'tip' }, { suffix: 'r0' });
    await feed.waitFor('subscribed', (s) => s.subscribed.includes('/data/AccountChangeEvent'));
    const { id: ourId } = await stack.salesforce.sobject('Account').create({ Name: 'Latency Co 0' });
    await stack.waitForPasses('Account', ourId!, 1, 30_000);
    const ourOrg = Number((await stack.state('Account', ourId!)).link!.zendeskId);

    sf.faults.update({ latencyMs: LATENCY_MS });
    stack.zd.faults.update({ latencyMs: LATENCY_MS });

    const ours: number[] = [];
    const base: number[] = [];
    const per = Math.ceil(CHANGES / ROUNDS);
    for (let r = 0; r < ROUNDS; r++) {
      const n = Math.min(per, CHANGES - ours.length);
      if (r > 0) {
        feed = await startTestFeed(stack, { ...TEST_FEED_TUNING, startFrom: 'tip' }, { suffix: `r${r}` });
        await feed.waitFor('subscribed', (s) => s.subscribed.includes('/data/AccountChangeEvent'));
      }
      await block(stack, 'Latency Co', ourId!, ourOrg, n, ours);
      await feed.handle.terminate('latency block done');
      // The listener activity notices the termination at its next heartbeat; let it go before the
      // baseline's block, so none of its changes reach our record workflows.
      await sleep(3_000);

      const listener = await baseline.listen({ onError: (err) => console.error('baseline:', err) });
      await block(stack, 'Latency Baseline Co', baseId!, baseOrg, n, base);
      listener.close();
      await sleep(500);
    }

    const o = summarize(ours);
    const b = summarize(base);
    const mean = (xs: number[]) => round(xs.reduce((a, x) => a + x, 0) / xs.length);
    const row = (system: string, s: ReturnType<typeof summarize>, xs: number[]) => ({
      system,
      changes: s.n,
      sandboxLatencyMs: LATENCY_MS,
      p50Ms: s.p50,
      p95Ms: s.p95,
      p99Ms: s.p99,
      maxMs: s.max,
      meanMs: mean(xs),
    });
    const ratios = {
      p50: ratio(o.p50, b.p50),
      p95: ratio(o.p95, b.p95),
      p99: ratio(o.p99, b.p99),
      mean: ratio(mean(ours), mean(base)),
    };
    printTable([
      row('ours (CDC → listener → workflow)', o, ours),
      row('baseline (CDC → script)', b, base),
      {
        system: 'ratio ours/baseline',
        changes: '',
        sandboxLatencyMs: '',
        p50Ms: ratios.p50,
        p95Ms: ratios.p95,
        p99Ms: ratios.p99,
        maxMs: '',
        meanMs: ratios.mean,
      },
    ]);
    console.log(`\n${noiseNote()}`);
    console.log(
      `written to ${writeResult(`latency-${LATENCY_MS}ms`, {
        changes: CHANGES,
        rounds: ROUNDS,
        warmupPerBlock: WARMUP,
        sandboxLatencyMs: LATENCY_MS,
        path: 'Salesforce REST update → CDC (CometD) → listener → record workflow → Zendesk PUT',
        ours: { ...o, mean: mean(ours), samples: ours },
        baseline: { ...b, mean: mean(base), samples: base },
        ratioOursToBaseline: ratios,
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
