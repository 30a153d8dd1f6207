/**
 * A contact that moves to another account (issue 15, item 3), end to end through the change feed:
 * jsforce updates Contact.AccountId in the Salesforce sandbox, its change event reaches the listener, and
 * the contact's pass (trigger `cdc`: no reconciliation runs in this stack) moves the user in Zendesk
 * following Zendesk's multiple-organizations setting, which the worker reads from `GET account/settings`.
 */
import assert from 'node:assert/strict';
import got from 'got';
import type { ZendeskUser as User } from '../../activities/zendesk/client';
import { useStack } from '../helpers/stack';
import { startTestFeed, type TestFeed } from '../listener/feed-helpers';

interface Membership {
  id: number;
  user_id: number;
  organization_id: number;
  default: boolean | null;
}

describe('Contact moves to another account (change feed, end to end)', function () {
  this.timeout(90_000);
  let feed: TestFeed;

  const ctx = useStack(
    {},
    {
      beforeClose: async () => {
        await feed?.handle.cancel().catch(() => undefined);
        await feed?.handle.result().catch(() => undefined);
      },
    },
  );
  before(async () => {
    feed = await startTestFeed(ctx.stack);
    await feed.waitFor('both channels subscribed', (s) => s.subscribed.length === 2);
  });

  const user = async (id: number): Promise<User> =>
    (await ctx.stack.zendesk.get(`users/${id}`).json<{ user: User }>()).user;
  const membershipsOf = async (userId: number): Promise<Membership[]> =>
    (
      await got(`${ctx.stack.zd.url}/__sandbox/records/memberships`).json<{ memberships: Membership[] }>()
    ).memberships
      .filter((m) => m.user_id === userId)
      .sort((a, b) => a.organization_id - b.organization_id);
  const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

  /** Zendesk's setting, as the worker's next periodic refresh (SCHEMA_REFRESH_EVERY) reads it. */
  async function setMultipleOrganizations(on: boolean): Promise<void> {
    ctx.stack.zd.updateSettings({ multipleOrganizations: on });
    await ctx.stack.syncContext.refresh('zendesk');
    assert.equal(ctx.stack.syncContext.current().schemas.zendesk.settings?.multipleOrganizations, on);
  }

  /** An account created through the API: its create event syncs it. */
  async function syncedAccount(name: string): Promise<{ accountId: string; orgId: number }> {
    const { id } = await ctx.stack.salesforce.sobject('Account').create({ Name: name });
    const outcome = await ctx.stack.waitForPasses('Account', id!, 1);
    assert.equal(outcome.outcome, 'created', JSON.stringify(outcome));
    return { accountId: id!, orgId: outcome.zendeskId! };
  }

  async function syncedContact(
    values: Record<string, unknown>,
  ): Promise<{ contactId: string; userId: number }> {
    const { id } = await ctx.stack.salesforce.sobject('Contact').create(values);
    const outcome = await ctx.stack.waitForPasses('Contact', id!, 1);
    assert.equal(outcome.outcome, 'created', JSON.stringify(outcome));
    assert.equal(outcome.trigger, 'cdc');
    return { contactId: id!, userId: outcome.zendeskId! };
  }

  /** Moves the contact through the API and waits for the pass its change event starts. */
  async function move(contactId: string, accountId: string) {
    await ctx.stack.salesforce.sobject('Contact').update({ Id: contactId, AccountId: accountId });
    const outcome = await ctx.stack.waitForPasses('Contact', contactId, 2);
    assert.equal(outcome.outcome, 'updated', JSON.stringify(outcome));
    assert.equal(outcome.trigger, 'cdc', 'started by the AccountId change event, not by reconciliation');
    return outcome;
  }

  it("multiple organizations off: the user's organization is replaced by the new account's", async () => {
    await setMultipleOrganizations(false);
    const [from, to] = [await syncedAccount('Move Off From Ltd'), await syncedAccount('Move Off To Ltd')];
    const { contactId, userId } = await syncedContact({
      LastName: 'Mover',
      Email: 'mover.off@example.com',
      AccountId: from.accountId,
    });
    assert.equal((await user(userId)).organization_id, from.orgId);

    const moved = await move(contactId, to.accountId);
    assert.deepEqual(moved.organizations, { added: [], replaced: { from: from.orgId, to: to.orgId } });
    assert.equal((await user(userId)).organization_id, to.orgId);
    assert.deepEqual(
      (await membershipsOf(userId)).map((m) => [m.organization_id, m.default]),
      [[to.orgId, true]],
      'one organization per user: the old one is gone',
    );
    assert.equal((await ctx.stack.state('Contact', contactId)).link?.defaultOrganizationId, to.orgId);
  });

  it('multiple organizations on: the new membership is added and made the default; nothing is deleted', async () => {
    await setMultipleOrganizations(true);
    const [from, to] = [await syncedAccount('Move On From Ltd'), await syncedAccount('Move On To Ltd')];
    const { contactId, userId } = await syncedContact({
      LastName: 'Mover',
      Email: 'mover.on@example.com',
      AccountId: from.accountId,
    });
    assert.equal((await ctx.stack.state('Contact', contactId)).link?.defaultOrganizationId, from.orgId);

    const moved = await move(contactId, to.accountId);
    assert.deepEqual(moved.organizations, { added: [to.orgId], defaultSet: to.orgId });
    assert.equal((await user(userId)).organization_id, to.orgId);
    assert.deepEqual(
      (await membershipsOf(userId)).map((m) => [m.organization_id, m.default === true]),
      sorted([from.orgId, to.orgId]).map((id) => [id, id === to.orgId]),
    );
    const state = await ctx.stack.state('Contact', contactId);
    assert.equal(state.link?.defaultOrganizationId, to.orgId);

    // secondaryRelationships is off in this stack: another account of the contact adds nothing.
    const other = await syncedAccount('Move On Secondary Ltd');
    await ctx.stack.salesforce
      .sobject('AccountContactRelation')
      .create({ AccountId: other.accountId, ContactId: contactId });
    await ctx.stack.notify('Contact', contactId, { source: 'resync', force: true });
    assert.equal((await ctx.stack.waitForPasses('Contact', contactId, 3)).outcome, 'updated');
    assert.ok(!(await membershipsOf(userId)).some((m) => m.organization_id === other.orgId));
  });

  it('follows the setting switched off since the worker read it: the refused membership makes it re-read and replace', async () => {
    await setMultipleOrganizations(true);
    const [from, to] = [await syncedAccount('Switched From Ltd'), await syncedAccount('Switched To Ltd')];
    const { contactId, userId } = await syncedContact({
      LastName: 'Switched',
      Email: 'switched@example.com',
      AccountId: from.accountId,
    });
    // An administrator turns the setting off; the worker's last read still says on.
    ctx.stack.zd.updateSettings({ multipleOrganizations: false });
    assert.equal(ctx.stack.syncContext.current().schemas.zendesk.settings?.multipleOrganizations, true);

    const moved = await move(contactId, to.accountId);
    assert.deepEqual(moved.organizations, { added: [], replaced: { from: from.orgId, to: to.orgId } });
    assert.deepEqual(
      (await membershipsOf(userId)).map((m) => m.organization_id),
      [to.orgId],
    );
    assert.equal(ctx.stack.syncContext.current().schemas.zendesk.settings?.multipleOrganizations, false);
  });

  it('multiple organizations on: a default organization set by hand is kept, the membership still added', async () => {
    await setMultipleOrganizations(true);
    const [from, to] = [await syncedAccount('Hand From Ltd'), await syncedAccount('Hand To Ltd')];
    const { contactId, userId } = await syncedContact({
      LastName: 'Handpicked',
      Email: 'handpicked@example.com',
      AccountId: from.accountId,
    });
    // An agent puts the user in another organization and makes it the default.
    const picked = (
      await ctx.stack.zendesk
        .post('organizations', { json: { organization: { name: 'Picked By Hand Ltd' } } })
        .json<{ organization: { id: number } }>()
    ).organization.id;
    const membership = (
      await ctx.stack.zendesk
        .post('organization_memberships', {
          json: { organization_membership: { user_id: userId, organization_id: picked } },
        })
        .json<{ organization_membership: Membership }>()
    ).organization_membership;
    await ctx.stack.zendesk.put(`users/${userId}/organization_memberships/${membership.id}/make_default`);
    assert.equal((await user(userId)).organization_id, picked);

    const moved = await move(contactId, to.accountId);
    assert.deepEqual(moved.organizations, { added: [to.orgId], keptDefault: picked });
    assert.equal((await user(userId)).organization_id, picked, 'the default set by hand is respected');
    assert.deepEqual(
      (await membershipsOf(userId)).map((m) => m.organization_id),
      sorted([from.orgId, picked, to.orgId]),
      'memberships are only added',
    );
    assert.equal(
      (await ctx.stack.state('Contact', contactId)).link?.defaultOrganizationId,
      from.orgId,
      'the sync still remembers the default it set, not the hand-set one',
    );
  });
});
