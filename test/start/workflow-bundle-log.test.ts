/**
 * The workflow bundle's log at worker start-up (worker/bundle-workflows.ts): one INFO line with time and
 * size; webpack's build report still there at DEBUG, for whoever runs with LOG_LEVEL=debug.
 */
import assert from 'node:assert/strict';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { bundleWorkflows } from '../../worker/bundle-workflows';

describe('workflow bundle log', function () {
  this.timeout(120_000);

  it('logs one INFO line and keeps webpack’s report at DEBUG', async () => {
    const entries: LogEntry[] = [];
    const logger = new DefaultLogger('DEBUG', (entry) => entries.push(entry));
    const bundle = await bundleWorkflows({ logger, meta: { taskQueue: 'q' } });
    assert.ok(bundle.code.includes('syncRecord'), 'the bundle holds the workflows');

    const info = entries.filter((e) => e.level === 'INFO');
    assert.equal(info.length, 1, JSON.stringify(info.map((e) => e.message)));
    assert.match(info[0]!.message, /^workflow bundle built in \d+\.\d s, \d+ KiB$/);
    assert.equal(info[0]!.meta?.taskQueue, 'q');
    assert.equal(info[0]!.meta?.sizeBytes, bundle.code.length);

    const debug = entries.filter((e) => e.level === 'DEBUG').map((e) => e.message);
    assert.ok(
      debug.some((m) => m.includes('modules by path')),
      `webpack's report at DEBUG: ${debug.join('\n')}`,
    );
    assert.ok(debug.includes('Workflow bundle created'), "the SDK's own line at DEBUG");
    assert.deepEqual(
      entries.filter((e) => e.level === 'WARN' || e.level === 'ERROR').map((e) => e.message),
      [],
    );
  });
});
