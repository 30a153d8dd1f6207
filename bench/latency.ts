/**
 * Change-to-Zendesk latency through the whole path (`npm run bench:latency`): a Salesforce REST update
 * → CDC event over CometD → listener → record workflow → Zendesk write. One change at a time, so each
 * sample is one change's latency: from just before the REST call to the moment the Zendesk sandbox
 * answered the organization's PUT.
 *
 * BENCH_CHANGES (default 200) and BENCH_LATENCY_MS (sandbox latency per request, default 0).
 */
import { startTestFeed, TEST_FEED_TUNING } from '../test/listener/feed-helpers';
import { startStack } from '../test/helpers/stack';
import { teardownTemporalEnv } from '../test/helpers/temporal-env';
import { printTable, round, summarize, writeResult } from './lib';

const CHANGES = Number(process.env.BENCH_CHANGES ?? 200);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 0);

async function main(): Promise<void> {
  const stack = await startStack();
  try {
    const feed = await startTestFeed(stack, { ...TEST_FEED_TUNING, startFrom: 'tip' });
    await feed.waitFor('subscribed', (s) => s.subscribed.length > 0);
    const { id } = await stack.salesforce.sobject('Account').create({ Name: 'Latency Co 0' });
    await stack.waitForPasses('Account', id!, 1, 30_000);
    const org = (await stack.state('Account', id!)).link!.zendeskId;
    const putRoute = 'PUT /api/v2/organizations/:organization_id';
    const orgPath = `/api/v2/organizations/${org}`;
    stack.sf.faults.update({ latencyMs: LATENCY_MS });
    stack.zd.faults.update({ latencyMs: LATENCY_MS });

    const samples: number[] = [];
    for (let i = 1; i <= CHANGES; i++) {
      stack.zd.log.reset();
      const t0 = Date.now();
      await stack.salesforce.sobject('Account').update({ Id: id!, Name: `Latency Co ${i}` });
      let written: number | undefined;
      for (
        const until = Date.now() + 30_000;
        written === undefined;
        await new Promise((r) => setTimeout(r, 2))
      ) {
        written = stack.zd.log
          .entries()
          .find((e) => e.route === putRoute && e.path === orgPath && e.status === 200)?.at;
        if (Date.now() > until) throw new Error(`change ${i} did not reach Zendesk within 30 s`);
      }
      samples.push(written - t0);
    }
    const s = summarize(samples);
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    printTable([
      {
        changes: s.n,
        sandboxLatencyMs: LATENCY_MS,
        p50Ms: s.p50,
        p95Ms: s.p95,
        p99Ms: s.p99,
        maxMs: s.max,
        meanMs: round(mean),
      },
    ]);
    console.log(
      `\nwritten to ${writeResult(`latency-${LATENCY_MS}ms`, { changes: CHANGES, sandboxLatencyMs: LATENCY_MS, ...s, mean: round(mean), samples })}`,
    );
    await feed.handle.terminate('benchmark done');
  } finally {
    await stack.close();
    await teardownTemporalEnv();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
