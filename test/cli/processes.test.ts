/**
 * `sfzd worker` and `sfzd listen` as OS processes, spawned through the npm bin (bin/sfzd.js) exactly as
 * production and `npm start` run them: the worker syncs a record and stops cleanly on SIGTERM; listen
 * starts the change feed and the reconciliation Schedule; bad environment is exit 1 naming the variable.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { RECONCILE_SCHEDULE_ID } from '../../client/reconcile-schedule';
import { notifyRecordChange } from '../../common/record-workflows';
import { CHANGE_FEED_WORKFLOW_ID } from '../../workflows/change-feed';
import { baseEnv, runToEnd, startProcess, type Proc } from '../deploy/processes';
import { useStack } from '../helpers/stack';

describe('sfzd worker and sfzd listen (processes)', function () {
  this.timeout(90_000);
  let worker: Proc | undefined;
  const taskQueue = `cli-proc-${randomUUID()}`;

  const ctx = useStack(
    {},
    {
      beforeClose: async () => {
        worker?.kill();
        await ctx.stack.client.workflow
          .getHandle(CHANGE_FEED_WORKFLOW_ID)
          .terminate('test over')
          .catch(() => undefined);
        await ctx.stack.client.schedule
          .getHandle(RECONCILE_SCHEDULE_ID)
          .delete()
          .catch(() => undefined);
        await ctx.stack.terminateRunning(taskQueue);
      },
    },
  );

  it('sfzd worker with a bad variable exits 1 at once, naming the variable and the reason', async () => {
    const res = await runToEnd(
      ['node', 'bin/sfzd.js', 'worker'],
      baseEnv(ctx.stack.workerEnv({ TEMPORAL_TASK_QUEUE: taskQueue, METRICS_PORT: 'ninety' })),
    );
    assert.equal(res.code, 1, res.output);
    assert.match(res.output, /^sfzd: Invalid environment:\n {2}- METRICS_PORT: must be a port number/);
    assert.doesNotMatch(res.output, /\n\s+at /, 'no stack trace without --verbose');
  });

  it('sfzd worker prints ready, syncs a record, and stops with exit 0 on SIGTERM', async () => {
    worker = startProcess(
      ['node', 'bin/sfzd.js', '--json', 'worker'],
      baseEnv(ctx.stack.workerEnv({ TEMPORAL_TASK_QUEUE: taskQueue })),
    );
    await worker.waitFor(`worker ready: task queue ${taskQueue}`, 60_000);
    const id = (await ctx.stack.salesforce.sobject('Account').create({ Name: 'Cli Process Co' })).id!;
    await notifyRecordChange(
      ctx.stack.client,
      taskQueue,
      { object: 'Account', salesforceId: id },
      { source: 'created' },
    );
    assert.equal((await ctx.stack.waitForPasses('Account', id, 1, 30_000)).outcome, 'created');
    const described = await ctx.stack.client.workflow.getHandle(`salesforce/Account/${id}`).describe();
    assert.equal(described.taskQueue, taskQueue, 'the process worker ran the pass');

    await ctx.stack.terminateRunning(taskQueue);
    worker.child.kill('SIGTERM');
    const { code } = await worker.exited;
    assert.equal(code, 0, worker.output());
    // stdout's pretty-printed --json result, among stderr's log lines in the combined output.
    const printed = /\{\n {2}"stopped"[\s\S]*?\n\}/.exec(worker.output());
    assert.ok(printed, worker.output());
    const json = JSON.parse(printed[0]) as Record<string, unknown>;
    assert.deepEqual([json.stopped, json.taskQueue], [true, taskQueue]);
  });

  it('sfzd listen starts the change feed and the reconciliation schedule on the task queue', async () => {
    const res = await runToEnd(
      ['node', 'bin/sfzd.js', '--json', 'listen'],
      baseEnv({
        TEMPORAL_ADDRESS: ctx.stack.workerEnv().TEMPORAL_ADDRESS,
        TEMPORAL_TASK_QUEUE: taskQueue,
        RECONCILE_EVERY: '7m',
      }),
    );
    assert.equal(res.code, 0, res.output);
    const { message } = JSON.parse(res.output) as { message: string };
    assert.match(
      message,
      new RegExp(`change feed ${CHANGE_FEED_WORKFLOW_ID} is running on task queue ${taskQueue}`),
    );
    assert.match(message, /reconciliation every 420 s/);

    const feed = await ctx.stack.client.workflow.getHandle(CHANGE_FEED_WORKFLOW_ID).describe();
    assert.deepEqual([feed.status.name, feed.taskQueue], ['RUNNING', taskQueue]);
    const schedule = await ctx.stack.client.schedule.getHandle(RECONCILE_SCHEDULE_ID).describe();
    assert.equal(schedule.action.type, 'startWorkflow');
    assert.equal(schedule.action.type === 'startWorkflow' && schedule.action.taskQueue, taskQueue);
    assert.equal(schedule.spec.intervals?.[0]?.every, 7 * 60_000);

    const bad = await runToEnd(
      ['node', 'bin/sfzd.js', 'listen'],
      baseEnv({ TEMPORAL_ADDRESS: ctx.stack.workerEnv().TEMPORAL_ADDRESS, RECONCILE_EVERY: 'soon' }),
    );
    assert.equal(bad.code, 1, bad.output);
    assert.equal(
      bad.output.trim(),
      'sfzd: Invalid environment:\n  - RECONCILE_EVERY: must be a duration such as 5m, 90s or 1h, or off',
    );
  });
});
