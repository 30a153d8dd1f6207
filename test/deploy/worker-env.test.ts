/** The worker's tuning and deployment variables: parsed at boot, bad values named with the reason. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_MAX_CACHED_WORKFLOWS,
  EnvError,
  readWorkerDeployEnv,
  readWorkerTuning,
} from '../../common/env';

function issues(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof EnvError, String(err));
    return err.issues.map((i) => `${i.variable}: ${i.message}`);
  }
  assert.fail('expected an EnvError');
}

describe('Worker tuning and deployment environment', () => {
  it('bounds the sticky cache and leaves the other SDK defaults alone when nothing is set', () => {
    assert.deepEqual(readWorkerTuning({}), { maxCachedWorkflows: DEFAULT_MAX_CACHED_WORKFLOWS });
    assert.deepEqual(readWorkerTuning({ TEMPORAL_MAX_CACHED_WORKFLOWS: '' }), {
      maxCachedWorkflows: DEFAULT_MAX_CACHED_WORKFLOWS,
    });
    assert.deepEqual(readWorkerDeployEnv({ WORKFLOW_BUNDLE_PATH: '', HEALTH_PORT: '' }), {});
  });

  it('maps the concurrency variables to the worker options', () => {
    assert.deepEqual(
      readWorkerTuning({
        TEMPORAL_MAX_CACHED_WORKFLOWS: '0',
        TEMPORAL_MAX_CONCURRENT_ACTIVITIES: '25',
        TEMPORAL_MAX_CONCURRENT_WORKFLOW_TASKS: '10',
      }),
      {
        maxCachedWorkflows: 0,
        maxConcurrentActivityTaskExecutions: 25,
        maxConcurrentWorkflowTaskExecutions: 10,
      },
    );
  });

  it('names every bad tuning variable with its reason', () => {
    assert.deepEqual(
      issues(() =>
        readWorkerTuning({
          TEMPORAL_MAX_CONCURRENT_ACTIVITIES: '0',
          TEMPORAL_MAX_CONCURRENT_WORKFLOW_TASKS: '1',
          TEMPORAL_MAX_CACHED_WORKFLOWS: 'lots',
        }),
      ).sort(),
      [
        'TEMPORAL_MAX_CACHED_WORKFLOWS: must be a whole number',
        'TEMPORAL_MAX_CONCURRENT_ACTIVITIES: must be 1 or more',
        'TEMPORAL_MAX_CONCURRENT_WORKFLOW_TASKS: must be 2 or more',
      ],
    );
  });

  it('reads the heap growth percent, 0 included, and refuses a fraction', () => {
    assert.deepEqual(readWorkerDeployEnv({ WORKER_HEAP_GROWTH_PERCENT: '0' }), { heapGrowthPercent: 0 });
    assert.deepEqual(readWorkerDeployEnv({ WORKER_HEAP_GROWTH_PERCENT: '100' }), { heapGrowthPercent: 100 });
    assert.deepEqual(
      issues(() => readWorkerDeployEnv({ WORKER_HEAP_GROWTH_PERCENT: '1.5' })),
      ['WORKER_HEAP_GROWTH_PERCENT: must be a whole number'],
    );
  });

  it('checks the bundle file exists and the health port is a port', () => {
    const bundle = join(mkdtempSync(join(tmpdir(), 'sfzd-env-')), 'workflow-bundle.js');
    assert.deepEqual(
      issues(() => readWorkerDeployEnv({ WORKFLOW_BUNDLE_PATH: bundle, HEALTH_PORT: '70000' })),
      [
        'WORKFLOW_BUNDLE_PATH: file not found: build it with `npm run build:workflow-bundle` (the Docker image does)',
        'HEALTH_PORT: must be a port number (1-65535)',
      ],
    );
    writeFileSync(bundle, '// bundle');
    assert.deepEqual(readWorkerDeployEnv({ WORKFLOW_BUNDLE_PATH: bundle, HEALTH_PORT: '8080' }), {
      workflowBundlePath: bundle,
      healthPort: 8080,
    });
  });
});
