/**
 * Which records reconciliation signals (activities/reconcile/reconcile-page.ts `missedChange`): the
 * trigger rule, "a mapped field is updated … or a new record is created", from what the sync last saw.
 */
import assert from 'node:assert/strict';
import { missedChange } from '../../activities/reconcile/reconcile-page';

const WINDOW_START = Date.parse('2026-12-01T10:00:00Z');
const BEFORE = WINDOW_START - 86_400_000;
const INSIDE = WINDOW_START + 60_000;

describe('reconciliation trigger rule', () => {
  it('a synced record: only when its mapped values differ from the last write', () => {
    assert.equal(missedChange('fp1', BEFORE, WINDOW_START, { fingerprint: 'fp1' }), undefined);
    assert.equal(missedChange('fp2', BEFORE, WINDOW_START, { fingerprint: 'fp1' }), 'mapped-change');
  });

  it('a record the sync never saw: only when it was created inside the window', () => {
    assert.equal(missedChange('fp', INSIDE, WINDOW_START, undefined), 'create');
    // Existing before the window and changed in it: the change may be unmapped only (Description).
    assert.equal(missedChange('fp', BEFORE, WINDOW_START, undefined), undefined);
    assert.equal(missedChange('fp', Number.NaN, WINDOW_START, undefined), undefined);
  });

  it('a record seen by failed passes: when its mapped values differ from the last pass', () => {
    const seen = { seenFingerprint: 'fp1', lastOutcome: 'failed' as const };
    assert.equal(missedChange('fp1', BEFORE, WINDOW_START, seen), undefined);
    assert.equal(missedChange('fp2', BEFORE, WINDOW_START, seen), 'mapped-change');
  });

  it('a record its last pass found out of scope, in scope now: a filter field changed', () => {
    assert.equal(
      missedChange('fp', BEFORE, WINDOW_START, { lastOutcome: 'filtered-out' }),
      'came-into-scope',
    );
  });
});
