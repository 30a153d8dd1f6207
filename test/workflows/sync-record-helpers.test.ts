/**
 * The record workflow's pure helpers, called directly: how pending change notices merge, and how a
 * batch page's result is adopted or refused (the batch race rule). test/workflows/sync-record.test.ts
 * runs the same rules inside the workflow.
 */
import assert from 'node:assert/strict';
import type { BatchSyncResult } from '../../workflows/bulk-types';
import { applyBatch, mergeNotices } from '../../workflows/sync-record';
import type { RecordState } from '../../workflows/sync-types';

function state(extra: Partial<RecordState> = {}): RecordState {
  return {
    object: 'Account',
    salesforceId: '001000000000001AAA',
    writtenBack: false,
    outcomes: [],
    passes: 0,
    ...extra,
  };
}

const LINKED = { zendeskId: 9001, via: 'created' as const, linkedAt: '2026-01-01T00:00:00.000Z' };

describe('mergeNotices', () => {
  it('takes the first notice as it is', () => {
    assert.deepEqual(mergeNotices(undefined, { source: 'cdc', changedFields: ['Name'] }), {
      source: 'cdc',
      changedFields: ['Name'],
    });
  });

  it('unions the changed fields, each once', () => {
    assert.deepEqual(
      mergeNotices(
        { source: 'cdc', changedFields: ['Name', 'Phone'] },
        { source: 'cdc', changedFields: ['Phone', 'Industry'] },
      ),
      { source: 'cdc', force: false, changedFields: ['Name', 'Phone', 'Industry'] },
    );
  });

  it('forgets the changed fields when one notice does not know them (the pass re-reads every field anyway)', () => {
    assert.equal(
      mergeNotices({ source: 'cdc', changedFields: ['Name'] }, { source: 'reconcile' }).changedFields,
      undefined,
    );
    assert.equal(
      mergeNotices({ source: 'gap' }, { source: 'cdc', changedFields: ['Name'] }).changedFields,
      undefined,
    );
  });

  it('keeps a force, and the source of the forced notice that came first', () => {
    assert.deepEqual(
      mergeNotices({ source: 'resync', force: true }, { source: 'cdc', changedFields: ['Name'] }),
      {
        source: 'resync',
        force: true,
        changedFields: undefined,
      },
    );
    assert.deepEqual(mergeNotices({ source: 'cdc' }, { source: 'bulk-resync', force: true }), {
      source: 'bulk-resync',
      force: true,
      changedFields: undefined,
    });
    assert.deepEqual(mergeNotices({ source: 'cdc' }, { source: 'reconcile' }), {
      source: 'reconcile',
      force: false,
      changedFields: undefined,
    });
  });
});

describe('applyBatch', () => {
  const created: BatchSyncResult = {
    basedOnPasses: 0,
    outcome: 'created',
    zendeskId: 77,
    created: true,
    fingerprint: 'fp-batch',
    writtenBack: true,
    label: 'Acme',
  };

  it('adopts a result based on the current pass count: link, write-back, fingerprint, label and an outcome entry', () => {
    const s = state();
    const entry = applyBatch(s, created);
    assert.deepEqual(entry && { ...entry, at: typeof entry.at }, {
      outcome: 'created',
      at: 'string',
      trigger: 'bulk-resync',
      zendeskId: 77,
    });
    assert.deepEqual(s.link && { zendeskId: s.link.zendeskId, via: s.link.via }, {
      zendeskId: 77,
      via: 'created',
    });
    assert.equal(s.writtenBack, true);
    assert.equal(s.fingerprint, 'fp-batch');
    assert.equal(s.label, 'Acme');
  });

  it("links as 'matched' when the batch updated an organization it found", () => {
    const s = state();
    applyBatch(s, { ...created, outcome: 'updated', created: false });
    assert.equal(s.link?.via, 'matched');
  });

  it('refuses a result older than the last pass, but keeps the link and write-back it made when none existed', () => {
    const s = state({ passes: 2, fingerprint: 'fp-pass', label: 'Acme Corp' });
    assert.equal(applyBatch(s, created), undefined);
    assert.equal(s.link?.zendeskId, 77, 'the organization it created stays linked, so no duplicate is made');
    assert.equal(s.writtenBack, true);
    assert.equal(s.fingerprint, 'fp-pass', 'the older values are not taken as synced');
    assert.equal(s.label, 'Acme Corp');
  });

  it('refuses a result that linked another Zendesk record, and takes nothing from it', () => {
    const s = state({ passes: 1, link: LINKED, fingerprint: 'fp-pass' });
    assert.equal(applyBatch(s, { ...created, basedOnPasses: 1 }), undefined);
    assert.equal(s.link?.zendeskId, 9001);
    assert.equal(s.writtenBack, false, "the write-back was of another record's ID");
    assert.equal(s.fingerprint, 'fp-pass');
  });

  it('adopts a failure with its type, message and details, and takes no fingerprint from it', () => {
    const s = state({ passes: 1, link: LINKED, writtenBack: true, fingerprint: 'fp-pass' });
    const entry = applyBatch(s, {
      basedOnPasses: 1,
      outcome: 'failed',
      failure: 'ZendeskRejected',
      message: 'Zendesk refused the organization',
      details: { field: 'name' },
    });
    assert.deepEqual(entry && { ...entry, at: undefined }, {
      outcome: 'failed',
      at: undefined,
      trigger: 'bulk-resync',
      zendeskId: 9001,
      failure: 'ZendeskRejected',
      message: 'Zendesk refused the organization',
      details: { field: 'name' },
    });
    assert.equal(s.fingerprint, 'fp-pass');
  });

  it('links nothing when the batch never wrote Zendesk (created unset)', () => {
    const s = state();
    const entry = applyBatch(s, { basedOnPasses: 0, outcome: 'filtered-out', zendeskId: 77 });
    assert.equal(entry?.outcome, 'filtered-out');
    assert.equal(s.link, undefined);
    assert.equal(s.writtenBack, false);
  });
});
