/** core/memberships: where a synced user belongs, with one or several organizations per user. */
import assert from 'node:assert/strict';
import { describeMembershipChange, isMembershipChange, planMemberships } from '../../core';

describe('core/memberships planMemberships', () => {
  describe('one organization per user (the setting off)', () => {
    const base = { multipleOrganizations: false, managesDefault: true, memberOf: [] as number[] };

    it('replaces the organization of a contact that moved to another account', () => {
      const plan = planMemberships({
        ...base,
        primary: 20,
        memberOf: [10],
        currentDefault: 10,
        lastSetBySync: 10,
      });
      assert.deepEqual(plan, {
        setOrganization: 20,
        add: [],
        change: { added: [], replaced: { from: 10, to: 20 } },
        syncDefault: 20,
      });
      assert.equal(describeMembershipChange(plan.change), 'organization 10 replaced by 20');
    });

    it('replaces even an organization set by hand: a user has only one, and it is the account’s', () => {
      const plan = planMemberships({
        ...base,
        primary: 20,
        memberOf: [30],
        currentDefault: 30,
        lastSetBySync: 10,
      });
      assert.equal(plan.setOrganization, 20);
      assert.deepEqual(plan.change.replaced, { from: 30, to: 20 });
    });

    it('places a user without an organization, and does nothing when it is already there', () => {
      const placed = planMemberships({ ...base, primary: 20, currentDefault: null });
      assert.deepEqual([placed.setOrganization, placed.change], [20, { added: [20] }]);
      const same = planMemberships({ ...base, primary: 20, memberOf: [20], currentDefault: 20 });
      assert.equal(same.setOrganization, undefined);
      assert.equal(isMembershipChange(same.change), false);
      assert.equal(same.syncDefault, 20, 'the contact’s own organization counts as the sync’s default');
    });

    it('ignores secondary relationships, an unsynced account, and a contact that does not manage the user', () => {
      assert.equal(
        planMemberships({ ...base, secondary: [40], currentDefault: 10, memberOf: [10] }).setOrganization,
        undefined,
      );
      const notOwner = planMemberships({
        ...base,
        primary: 20,
        currentDefault: 10,
        memberOf: [10],
        managesDefault: false,
      });
      assert.deepEqual([notOwner.setOrganization, notOwner.add], [undefined, []]);
    });
  });

  describe('several organizations per user (the setting on)', () => {
    const base = { multipleOrganizations: true, managesDefault: true };

    it('adds the new account’s membership and makes it the default when the sync set the old one', () => {
      const plan = planMemberships({
        ...base,
        primary: 20,
        memberOf: [10],
        currentDefault: 10,
        lastSetBySync: 10,
      });
      assert.deepEqual(plan, {
        add: [20],
        makeDefault: 20,
        change: { added: [20], defaultSet: 20 },
        syncDefault: 20,
      });
      assert.equal(describeMembershipChange(plan.change), 'joined organization 20; default 20');
    });

    it('keeps a default set by hand: added, never made the default, the remembered default unchanged', () => {
      const plan = planMemberships({
        ...base,
        primary: 20,
        memberOf: [10, 30],
        currentDefault: 30,
        lastSetBySync: 10,
      });
      assert.deepEqual(plan, { add: [20], change: { added: [20], keptDefault: 30 }, syncDefault: 10 });
      assert.equal(
        describeMembershipChange(plan.change),
        'joined organization 20; default 30 set by hand kept',
      );
    });

    it('treats a default the sync never set as set by hand (a matched user with its own default)', () => {
      const plan = planMemberships({ ...base, primary: 20, memberOf: [30], currentDefault: 30 });
      assert.equal(plan.makeDefault, undefined);
      assert.equal(plan.change.keptDefault, 30);
    });

    it('makes the primary organization the default of a user without any, and remembers it', () => {
      const plan = planMemberships({ ...base, primary: 20, memberOf: [], currentDefault: null });
      assert.deepEqual([plan.add, plan.makeDefault, plan.syncDefault], [[20], 20, 20]);
    });

    it('never deletes: memberships of earlier accounts stay, and a member already there is not added again', () => {
      const plan = planMemberships({
        ...base,
        primary: 10,
        secondary: [10, 40, 50],
        memberOf: [10, 20, 40],
        currentDefault: 10,
        lastSetBySync: 10,
      });
      assert.deepEqual([plan.add, plan.makeDefault, plan.setOrganization], [[50], undefined, undefined]);
    });

    it('adds the primary organization first, then the secondary ones', () => {
      const plan = planMemberships({
        ...base,
        primary: 20,
        secondary: [40, 20],
        memberOf: [],
        currentDefault: null,
      });
      assert.deepEqual(plan.add, [20, 40]);
    });

    it('a contact that is not the syncing record only adds memberships', () => {
      const plan = planMemberships({
        ...base,
        managesDefault: false,
        primary: 20,
        secondary: [40],
        memberOf: [10],
        currentDefault: 10,
        lastSetBySync: 10,
      });
      assert.deepEqual(plan, { add: [20, 40], change: { added: [20, 40] }, syncDefault: 10 });
    });

    it('adds the secondary organizations of a contact whose account has not synced', () => {
      const plan = planMemberships({ ...base, secondary: [40], memberOf: [10], currentDefault: 10 });
      assert.deepEqual([plan.add, plan.makeDefault], [[40], undefined]);
    });
  });
});
