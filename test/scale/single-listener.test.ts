/**
 * Exactly one listener holds the Salesforce feed, however many `sfzd listen` run (every deploy runs the
 * compose `listener` service once; operators may run it too): the feed is one workflow with the fixed ID
 * `salesforce-change-feed`, started with the USE_EXISTING conflict policy, so a second start attaches to
 * the running one instead of starting another.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CHANGE_FEED_WORKFLOW_ID } from '../../workflows/change-feed';
import { baseEnv, runToEnd } from '../deploy/processes';
import { temporalEnv } from '../helpers/temporal-env';

describe('One change feed, however many listeners start', function () {
  this.timeout(120_000);
  const taskQueue = `listen-${randomUUID()}`;
  const terminateFeed = async () => {
    const env = await temporalEnv();
    await env.client.workflow
      .getHandle(CHANGE_FEED_WORKFLOW_ID)
      .terminate('test over')
      .catch(() => undefined);
  };

  // The fixed ID is shared by every test on the dev server: start from no running feed, leave none behind.
  before(terminateFeed);
  after(terminateFeed);

  it('two concurrent `sfzd listen`, then a third, leave one running feed with one run', async () => {
    const env = await temporalEnv();
    const since = new Date(Date.now() - 1_000).toISOString();
    const listen = () =>
      runToEnd(
        ['node', 'bin/sfzd.js', '--json', 'listen'],
        baseEnv({ TEMPORAL_ADDRESS: env.address, TEMPORAL_TASK_QUEUE: taskQueue, RECONCILE_EVERY: 'off' }),
      );
    const both = await Promise.all([listen(), listen()]);
    for (const r of both) {
      assert.equal(r.code, 0, r.output);
      assert.match(
        r.output,
        new RegExp(`change feed ${CHANGE_FEED_WORKFLOW_ID} is running on task queue ${taskQueue}`),
      );
    }
    const runsOf = async () => {
      const runs: Array<{ runId: string; status: string }> = [];
      // Runs started by this test (earlier tests' feeds with the same ID are closed, and older).
      for await (const wf of env.client.workflow.list({
        query: `WorkflowId = "${CHANGE_FEED_WORKFLOW_ID}" AND StartTime > "${since}"`,
      }))
        runs.push({ runId: wf.runId, status: wf.status.name });
      return runs;
    };
    // Visibility is eventually consistent: wait for the run to show, then check there is exactly one.
    let runs = await runsOf();
    for (const until = Date.now() + 10_000; runs.length === 0 && Date.now() < until; runs = await runsOf())
      await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(
      runs.map((r) => r.status),
      ['RUNNING'],
      'one execution',
    );
    const first = runs[0]!.runId;

    const third = await listen();
    assert.equal(third.code, 0, third.output);
    const described = await env.client.workflow.getHandle(CHANGE_FEED_WORKFLOW_ID).describe();
    assert.equal(described.runId, first, 'the third listen attached to the same run');
    assert.deepEqual(
      (await runsOf()).map((r) => r.runId),
      [first],
    );
  });
});
