/**
 * Record workflow histories recorded before the `fewer-search-attribute-upserts` patch replay against
 * the current workflow code, and so does one recorded with it. The fixtures (test/fixtures/histories)
 * were written by `BENCH_SAVE_HISTORIES=<dir> npm run bench:temporal-cost`: one Account's first sync,
 * linked update and unchanged pass, and one Account synced by a batch bulk resync.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { sharedWorkflowBundle } from '../helpers/workflow-bundle';

const DIR = join(__dirname, '..', 'fixtures', 'histories');
const E = temporal.api.enums.v1.EventType;

function load(name: string): temporal.api.history.v1.History {
  return temporal.api.history.v1.History.fromObject(
    JSON.parse(readFileSync(join(DIR, name), 'utf8')) as Record<string, unknown>,
  );
}

/** The search attributes each upsert of a history sets, in order. */
function upserts(history: temporal.api.history.v1.IHistory): string[][] {
  return (history.events ?? [])
    .filter((e) => e.eventType === E.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)
    .map((e) =>
      Object.keys(
        e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {},
      ).sort(),
    );
}

describe('record workflow histories across the fewer-search-attribute-upserts patch', function () {
  this.timeout(120_000);

  it('the fixtures from before the patch hold the upserts the patch leaves out', () => {
    const passes = upserts(load('before-fewer-upserts-passes.json'));
    assert.deepEqual(passes[0], ['SalesforceId', 'SalesforceObject'], 'the upsert at start');
    assert.equal(passes.length, 4, 'start, and one per pass: created, updated, unchanged');
    assert.deepEqual(upserts(load('before-fewer-upserts-batch.json'))[0], [
      'SalesforceId',
      'SalesforceObject',
    ]);
    // Recorded with the patch: no upsert at start, none for the unchanged pass.
    const patchedPasses = upserts(load('fewer-upserts-passes.json'));
    assert.deepEqual(patchedPasses[0], ['TemporalChangeVersion']);
    assert.equal(patchedPasses.length, 3, 'the patch marker, created, updated');
  });

  for (const name of [
    'before-fewer-upserts-passes.json',
    'before-fewer-upserts-batch.json',
    'fewer-upserts-passes.json',
  ]) {
    it(`replays ${name} without a determinism error`, async () => {
      await Worker.runReplayHistory({ workflowBundle: await sharedWorkflowBundle() }, load(name), name);
    });
  }
});
