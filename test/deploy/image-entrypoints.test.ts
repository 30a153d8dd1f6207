/**
 * The Docker image's commands, run outside Docker: the build stage's bundle step, then the runtime's
 * ENTRYPOINT + CMD (`node bin/sfzd.js worker`) with WORKFLOW_BUNDLE_PATH on that bundle against the dev
 * server and the sandboxes, and its HEALTHCHECK (`node bin/healthcheck.js`) before, during and after.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { notifyRecordChange, readRecordState } from '../../common/record-workflows';
import { readTemporalConnection } from '../../common/temporal-connection';
import { Client } from '@temporalio/client';
import { eventually } from '../sync/durability-support';
import { useStack } from '../helpers/stack';
import { envOf, execForm, readDockerfile } from './deploy-files';
import { baseEnv, freePort, runToEnd, startProcess, type Proc } from './processes';

/** The image runs with payload encryption on, as a deployment holding PII would. */
const ENCRYPTION = {
  SYNC_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  SYNC_ENCRYPTION_KEY_ID: 'k1',
};

describe('The worker image entry points (outside Docker)', function () {
  this.timeout(120_000);
  const runtime = readDockerfile().at(-1)!;
  const arg = (op: string) => runtime.instructions.filter((i) => i.op === op).at(-1)!.args;
  const entrypoint = [...execForm(arg('ENTRYPOINT')), ...execForm(arg('CMD'))];
  const healthcheck = execForm(arg('HEALTHCHECK'));
  let worker: Proc | undefined;

  /** The build stage's bundle step, run once by whichever test needs the bundle first. */
  let built: Promise<{ bundle: string; code: number | null; output: string }> | undefined;
  const buildBundle = () =>
    (built ??= (async () => {
      const bundle = join(mkdtempSync(join(tmpdir(), 'sfzd-bundle-')), 'workflow-bundle.js');
      // The build stage runs `npm run build:workflow-bundle -- dist/workflow-bundle.js`; the same script here.
      const res = await runToEnd(
        ['node', '--require', 'tsx/cjs', 'scripts/build-workflow-bundle.ts', bundle],
        baseEnv({}),
      );
      return { bundle, code: res.code, output: res.output };
    })());

  const ctx = useStack(
    {},
    {
      beforeClose: async () => {
        worker?.kill();
      },
    },
  );

  it('builds the workflow bundle with the build stage script', async () => {
    const { bundle, code, output } = await buildBundle();
    assert.equal(code, 0, output);
    assert.ok(statSync(bundle).size > 100_000, 'a webpack bundle of the workflows');
  });

  it('rejects a missing bundle with a message naming the variable', async () => {
    const res = await runToEnd(
      entrypoint,
      baseEnv(ctx.stack.workerEnv({ WORKFLOW_BUNDLE_PATH: join(tmpdir(), `missing-${randomUUID()}.js`) })),
    );
    assert.equal(res.code, 1, res.output);
    assert.match(res.output, /WORKFLOW_BUNDLE_PATH: file not found/);
  });

  it('runs the worker from the bundle, reports healthy, syncs a record, and stops cleanly on SIGTERM', async () => {
    const { bundle, ...build } = await buildBundle();
    assert.equal(build.code, 0, build.output);
    const healthPort = await freePort();
    const taskQueue = `image-${randomUUID()}`;
    const health = () => runToEnd(healthcheck, baseEnv({ HEALTH_PORT: String(healthPort) }));

    assert.equal((await health()).code, 1, 'unhealthy while no worker runs');

    worker = startProcess(
      entrypoint,
      baseEnv(
        ctx.stack.workerEnv({
          TEMPORAL_TASK_QUEUE: taskQueue,
          WORKFLOW_BUNDLE_PATH: bundle,
          HEALTH_PORT: String(healthPort),
          LOG_LEVEL: 'INFO',
          ...ENCRYPTION,
        }),
      ),
    );
    await worker.waitFor('worker ready');
    const healthy = await health();
    assert.equal(healthy.code, 0, healthy.output);
    assert.match(healthy.output, /200 \{"state":"RUNNING"\}/);
    // Given a bundle, the worker does not bundle the workflows itself.
    assert.doesNotMatch(worker.output(), /Workflow bundle created|workflow bundle built/);

    const { id } = await ctx.stack.salesforce
      .sobject('Account')
      .create({ Name: 'Image Entry Point Co', Industry: 'Energy' });
    // A client with the deployment's codec, as `sfzd` builds it from the same variables.
    const { dataConverter } = readTemporalConnection({
      TEMPORAL_ADDRESS: ctx.stack.workerEnv().TEMPORAL_ADDRESS,
      ...ENCRYPTION,
    });
    assert.ok(dataConverter, 'the keys turn the codec on');
    const client = new Client({ connection: ctx.stack.client.connection, dataConverter });
    await notifyRecordChange(
      client,
      taskQueue,
      { object: 'Account', salesforceId: id! },
      { source: 'created' },
    );
    const state = await eventually(
      'the first pass',
      async () => {
        const s = await readRecordState(client, { object: 'Account', salesforceId: id! }).catch(
          () => undefined,
        );
        return s && s.passes >= 1 && !s.running && !s.pending ? s : undefined;
      },
      45_000,
      100,
    );
    assert.equal(state.outcomes[0]?.outcome, 'created', JSON.stringify(state.outcomes));
    const orgs = await ctx.stack.zendesk
      .get('organizations/search', { searchParams: { external_id: id! } })
      .json<{ organizations: Array<{ name: string }> }>();
    assert.deepEqual(
      orgs.organizations.map((o) => o.name),
      ['Image Entry Point Co'],
    );

    // Before a rollout: the running histories replay against the same bundle (npm run replay-check).
    const replay = await runToEnd(
      [
        'node',
        '--require',
        'tsx/cjs',
        'scripts/replay-check.ts',
        '--query',
        `TaskQueue = "${taskQueue}" AND ExecutionStatus = "Running"`,
      ],
      baseEnv({
        TEMPORAL_ADDRESS: ctx.stack.workerEnv().TEMPORAL_ADDRESS,
        WORKFLOW_BUNDLE_PATH: bundle,
        ...ENCRYPTION,
      }),
    );
    assert.equal(replay.code, 0, replay.output);
    assert.match(replay.output, /replayed 1 histories .*: 0 failed/);
    // Without the keys the encrypted history cannot replay, and the check says so (exit 1).
    const keyless = await runToEnd(
      ['node', '--require', 'tsx/cjs', 'scripts/replay-check.ts', '--query', `TaskQueue = "${taskQueue}"`],
      baseEnv({ TEMPORAL_ADDRESS: ctx.stack.workerEnv().TEMPORAL_ADDRESS, WORKFLOW_BUNDLE_PATH: bundle }),
    );
    assert.equal(keyless.code, 1, keyless.output);
    assert.match(keyless.output, /replayed 1 histories .*: 1 failed/);
    await ctx.stack.terminateRunning(taskQueue);

    worker.child.kill('SIGTERM');
    const { code } = await worker.exited;
    assert.equal(code, 0, worker.output());
    assert.equal((await health()).code, 1, 'the health endpoint closes with the worker');
  });

  it('the image sets the bundle and health port the worker reads', () => {
    const env = envOf(runtime);
    assert.equal(env.WORKFLOW_BUNDLE_PATH, '/app/dist/workflow-bundle.js');
    assert.match(env.HEALTH_PORT ?? '', /^\d+$/);
  });
});
