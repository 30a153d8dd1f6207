/** The sandboxes' probabilistic fault rules (sandbox/common/faults.ts), used by chaos scenario 3. */
import assert from 'node:assert/strict';
import { createRandom } from '../../sandbox/common/random';
import { Faults, FaultSettingsError } from '../../sandbox/common/faults';
import { startZendeskSandbox, type ZendeskSandbox } from '../../sandbox/zendesk';

describe('sandbox fault rules', () => {
  it('draws each rule at its rate, laid end to end', () => {
    const faults = new Faults();
    faults.update({
      rules: [
        { rate: 0.3, status: 429, retryAfterSeconds: 2 },
        { rate: 0.05, status: 503 },
      ],
    });
    const random = createRandom(42);
    const seen: Record<string, number> = {};
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const f = faults.pick(random);
      const key = f ? `${f.status}/${f.retryAfterSeconds ?? '-'}` : 'served';
      seen[key] = (seen[key] ?? 0) + 1;
    }
    assert.ok(Math.abs(seen['429/2']! / n - 0.3) < 0.02, JSON.stringify(seen));
    assert.ok(Math.abs(seen['503/-']! / n - 0.05) < 0.01, JSON.stringify(seen));
    assert.ok(Math.abs(seen.served! / n - 0.65) < 0.02, JSON.stringify(seen));
  });

  it('rejects rules that cannot be drawn, naming the rule and field', () => {
    const faults = new Faults();
    assert.throws(() => faults.update({ rules: [{ rate: 1.5, status: 429 }] }), /rules\[0\]\.rate/);
    assert.throws(() => faults.update({ rules: [{ rate: 0.1, status: 200 }] }), /rules\[0\]\.status/);
    assert.throws(
      () =>
        faults.update({
          rules: [
            { rate: 0.7, status: 429 },
            { rate: 0.7, status: 503 },
          ],
        }),
      FaultSettingsError,
    );
    assert.deepEqual(faults.settings.rules, []);
  });

  describe('over HTTP', () => {
    let zd: ZendeskSandbox;
    before(async () => {
      zd = await startZendeskSandbox({ port: 0 });
    });
    after(() => zd.close());

    it('answers 429 with Retry-After when a rule says so, set through the control API', async () => {
      const put = await fetch(`${zd.url}/__sandbox/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rules: [{ rate: 1, status: 429, retryAfterSeconds: 7 }] }),
      });
      assert.equal(put.status, 200);
      const res = await fetch(`${zd.url}/api/v2/users`, {
        headers: {
          authorization: `Basic ${Buffer.from('admin@sandbox.test/token:sandbox').toString('base64')}`,
        },
      });
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '7');
      await fetch(`${zd.url}/__sandbox/faults`, { method: 'DELETE' });
      const ok = await fetch(`${zd.url}/api/v2/users`, {
        headers: {
          authorization: `Basic ${Buffer.from('admin@sandbox.test/token:sandbox').toString('base64')}`,
        },
      });
      assert.equal(ok.status, 200);
    });
  });
});
