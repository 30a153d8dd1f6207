/**
 * The chaos suite (chaos/, `npm run chaos`) at CI size: the same scenario code and invariant checker on
 * one rig (dev server on a SQLite file, worker child process, both sandboxes), the damaging scenarios
 * last. Record workflows get a 20 s activity timeout so a write lost with a killed worker is retried
 * within the test's time (production: 2 min; docs/reliability.md has the full-size runs).
 */
import assert from 'node:assert/strict';
import { Rig } from '../../chaos/rig';
import { SCENARIOS } from '../../chaos/suite';

describe('chaos (CI size): nothing lost, nothing duplicated', function () {
  this.timeout(6 * 60_000);
  let rig: Rig;

  before(async function () {
    this.timeout(3 * 60_000);
    rig = await Rig.start({ name: 'ci', tuning: { activityTimeoutMs: 20_000 } });
  });
  after(async function () {
    this.timeout(60_000);
    await rig?.close();
  });

  // Light scenarios first; the ones that kill processes or block Salesforce after them.
  for (const id of ['6', '7', '8', '3', '5', '1', '2', '4']) {
    const scenario = SCENARIOS.find((s) => s.id === id)!;
    it(`${scenario.id}. ${scenario.name}`, async function () {
      const r = await scenario.run(rig, 'ci');
      const summary = JSON.stringify({
        counts: r.counts,
        notes: r.notes,
        violations: r.invariants.violations,
      });
      assert.equal(r.invariants.violationCount, 0, summary);
      assert.equal(r.invariants.duplicateOrganizations + r.invariants.duplicateUsers, 0, summary);
      assert.ok(r.pass, summary);
    });
  }
});
