import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startBulkResync } from '../../client/bulk-resync';
import { useStack } from '../helpers/stack';
import { sharedWorkflowBundleFile } from '../helpers/workflow-bundle';

/**
 * Two workers, the stack's own and a second worker process (worker/main.ts), each with its own pacer,
 * share a Zendesk account limited to 120 requests a minute, most of it already spent by someone else.
 * They must spend what is left, wait for the window to free up, and never draw a 429, so no request is
 * ever sent during a Retry-After.
 */
describe('Zendesk pacer under a low rate limit, two workers (end to end)', function () {
  this.timeout(180_000);
  let child: ChildProcess | undefined;

  const ctx = useStack(
    { zendeskRateLimitPerMinute: 120 },
    {
      beforeClose: async () => {
        await ctx.stack.terminateRunning();
        if (child && child.exitCode === null) {
          const exited = new Promise((r) => child!.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }
      },
    },
  );
  before(async () => {
    const bundle = await sharedWorkflowBundleFile(); // the worker starts without webpack
    child = spawn(process.execPath, ['--require', 'tsx/cjs', 'worker/main.ts'], {
      cwd: join(__dirname, '..', '..'),
      env: { ...process.env, ...ctx.stack.workerEnv({ WORKFLOW_BUNDLE_PATH: bundle }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on('data', (chunk: Buffer) => {
        output.push(chunk.toString());
        if (output.join('').includes('worker ready')) resolve();
      });
      child!.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child!.on('exit', (code, signal) =>
        reject(new Error(`worker exited (${code ?? signal}) before it was ready:\n${output.join('')}`)),
      );
    });
  });

  it('spends the shared budget without a 429 and sends nothing during a Retry-After', async () => {
    const ids: string[] = [];
    const results = await ctx.stack.salesforce.sobject('Account').create(
      Array.from({ length: 30 }, (_, i) => ({
        Name: `Paced ${i}`,
        Industry: 'Banking',
        Segment__c: 'SMB',
      })),
    );
    for (const r of results) ids.push(r.id!);

    // Another integration on the same account spends 100 of the 120 requests of this minute.
    ctx.stack.zd.log.reset();
    for (let i = 0; i < 100; i++) await ctx.stack.zendesk.get('users/me');
    const started = Date.now();
    // Per-record path: 30 accounts × (own Id lookup + name search + create) = 90 calls (externalId: true
    // looks the Account Id up first), from 20 activities at once.
    const progress = await (
      await startBulkResync(ctx.stack.client, ctx.stack.taskQueue, { object: 'Account', concurrency: 20 })
    ).result();
    assert.equal(progress.done, 30);
    for (const id of ids) {
      const o = await ctx.stack.waitForPasses('Account', id, 1, 150_000);
      assert.equal(o.outcome, 'created', JSON.stringify(o));
    }
    const elapsed = Date.now() - started;

    const log = ctx.stack.zd.log.summary();
    assert.equal(log.byStatus['429'] ?? 0, 0, `429s: ${JSON.stringify(log.byStatus)}`);
    assert.equal(log.duringRetryAfter, 0);
    assert.equal(log.total, 190, JSON.stringify(log.byEndpoint));
    // It had to wait for the window: the 90 calls did not fit in the 20 that were left.
    assert.ok(elapsed > 30_000, `took ${elapsed} ms`);
  });
});
