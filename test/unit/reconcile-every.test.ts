import assert from 'node:assert/strict';
import { readReconcileEvery } from '../../client/listener/run-listen';
import { EnvError } from '../../common/env';

describe('RECONCILE_EVERY', () => {
  it('defaults to 5 minutes and reads s, m, h and ms', () => {
    assert.equal(readReconcileEvery({}), 300_000);
    assert.equal(readReconcileEvery({ RECONCILE_EVERY: '90s' }), 90_000);
    assert.equal(readReconcileEvery({ RECONCILE_EVERY: '2h' }), 7_200_000);
    assert.equal(readReconcileEvery({ RECONCILE_EVERY: '1500ms' }), 1_500);
  });
  it('turns off with off or 0', () => {
    assert.equal(readReconcileEvery({ RECONCILE_EVERY: 'off' }), 0);
    assert.equal(readReconcileEvery({ RECONCILE_EVERY: '0' }), 0);
  });
  it('names the variable on a typo', () => {
    assert.throws(
      () => readReconcileEvery({ RECONCILE_EVERY: '5 minutes' }),
      (e: unknown) => e instanceof EnvError && /RECONCILE_EVERY: must be a duration/.test(e.message),
    );
  });
});
