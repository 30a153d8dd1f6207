import assert from 'node:assert/strict';
import { useStack } from '../helpers/stack';
import { activityFailures, completedAttempts, eventually, historyOf, sleep } from './durability-support';
import type { ZendeskOrganization as Org } from '../../activities/zendesk/client';

describe('Zendesk faults: 429 Retry-After, 5xx backoff, 422 rejection', function () {
  this.timeout(60_000);

  const ctx = useStack();
  afterEach(() => {
    ctx.stack.zd.faults.reset();
    ctx.stack.zd.updateSettings({ validatePhoneNumbers: false });
  });

  const orgsOf = async (accountId: string) =>
    (
      await ctx.stack.zendesk
        .get('organizations/search', { searchParams: { external_id: accountId } })
        .json<{ organizations: Org[] }>()
    ).organizations;

  it('waits out Retry-After on 429 and never calls Zendesk during it', async () => {
    const { id } = await ctx.stack.salesforce.sobject('Account').create({ Name: 'Rate Limited Co' });
    ctx.stack.zd.log.reset();
    ctx.stack.zd.rateLimiter.forceBurst(2, 1);
    await ctx.stack.notify('Account', id!, { source: 'created' });
    const outcome = await ctx.stack.waitForPasses('Account', id!, 1);

    assert.equal(outcome.outcome, 'created', JSON.stringify(outcome));
    assert.equal((await orgsOf(id!)).length, 1);
    const summary = ctx.stack.zd.log.summary();
    assert.equal(summary.byStatus['429'], 2, JSON.stringify(summary));
    assert.equal(summary.duringRetryAfter, 0, 'no request arrived while Retry-After was running');
    // The first Zendesk call (the match lookup) ran three times: two 429s, then the answer.
    const match = completedAttempts(await historyOf(ctx.stack.client, 'Account', id!)).find(
      (a) => a.activity === 'resolveMatch',
    );
    assert.deepEqual(match, { activity: 'resolveMatch', attempt: 3, lastFailureType: 'ZendeskRateLimited' });
    const entries = ctx.stack.zd.log.entries();
    const gaps = entries.slice(1).map((e, i) => e.at - entries[i]!.at);
    assert.ok(gaps[0]! >= 1000 && gaps[1]! >= 1000, `retries waited ${gaps.join(', ')} ms`);
  });

  it('a 429 pauses every Zendesk call of the worker, not only the one that got it', async () => {
    const names = ['Shared Limit One', 'Shared Limit Two', 'Shared Limit Three', 'Shared Limit Four'];
    const ids = [];
    for (const Name of names) ids.push((await ctx.stack.salesforce.sobject('Account').create({ Name })).id!);
    ctx.stack.zd.log.reset();
    ctx.stack.zd.rateLimiter.forceBurst(1, 2);
    // The first record gets the 429; the others start once it has (a request already in flight at that
    // moment could not have known).
    await ctx.stack.notify('Account', ids[0]!, { source: 'created' });
    await eventually(
      'the 429',
      () => (ctx.stack.zd.log.summary().byStatus['429'] ? true : undefined),
      10_000,
      5,
    );
    await Promise.all(ids.slice(1).map((id) => ctx.stack.notify('Account', id, { source: 'created' })));
    for (const id of ids) assert.equal((await ctx.stack.waitForPasses('Account', id, 1)).outcome, 'created');

    const summary = ctx.stack.zd.log.summary();
    assert.equal(summary.byStatus['429'], 1, JSON.stringify(summary));
    // Zendesk's limit is per account: while Retry-After runs, no other record may call either.
    assert.equal(summary.duringRetryAfter, 0, JSON.stringify(ctx.stack.zd.log.entries()));
  });

  it('retries 5xx with backoff and completes without a duplicate', async () => {
    const { id } = await ctx.stack.salesforce.sobject('Account').create({ Name: 'Flaky Gateway AG' });
    ctx.stack.zd.log.reset();
    ctx.stack.zd.faults.update({ errorRate: 1, errorStatus: 503 });
    await ctx.stack.notify('Account', id!, { source: 'created' });
    await eventually(
      'two 503 answers',
      () => ((ctx.stack.zd.log.summary().byStatus['503'] ?? 0) >= 2 ? true : undefined),
      10_000,
    );
    ctx.stack.zd.faults.reset();
    const outcome = await ctx.stack.waitForPasses('Account', id!, 1);

    assert.equal(outcome.outcome, 'created', JSON.stringify(outcome));
    assert.equal((await orgsOf(id!)).length, 1);
    const entries = ctx.stack.zd.log.entries().filter((e) => e.status === 503);
    assert.ok(entries[1]!.at - entries[0]!.at >= 900, 'the second attempt waited for the backoff');
    const match = completedAttempts(await historyOf(ctx.stack.client, 'Account', id!)).find(
      (a) => a.activity === 'resolveMatch',
    );
    assert.equal(match?.lastFailureType, 'ZendeskUnavailable');
    assert.ok(match.attempt >= 3, JSON.stringify(match));
  });

  it('fails a record Zendesk rejects (422) at once, with Zendesk details in lastError', async () => {
    ctx.stack.zd.updateSettings({ validatePhoneNumbers: true });
    const { id } = await ctx.stack.salesforce
      .sobject('Contact')
      .create({ LastName: 'Badphone', Email: 'badphone@example.com', Phone: '555 not a number' });
    await ctx.stack.notify('Contact', id!, { source: 'created' });
    const outcome = await ctx.stack.waitForPasses('Contact', id!, 1);

    assert.equal(outcome.outcome, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.failure, 'ZendeskRejected');
    const state = await ctx.stack.state('Contact', id!);
    assert.equal(state.lastError?.type, 'ZendeskRejected');
    assert.match(state.lastError.message, /422/);
    // Zendesk documents this detail as an object (other details, e.g. email DuplicateValue, are arrays).
    const details = state.lastError.details as {
      status: number;
      details: Record<string, { error: string } | Array<{ error: string }>>;
    };
    assert.equal(details.status, 422);
    assert.deepEqual([details.details.phone].flat()[0]?.error, 'InvalidFormat', JSON.stringify(details));
    assert.equal(state.link, undefined);

    const failures = activityFailures(await historyOf(ctx.stack.client, 'Contact', id!));
    assert.deepEqual(failures, [{ activity: 'writeZendesk', failureType: 'ZendeskRejected', attempt: 1 }]);
    await sleep(1200); // longer than the first retry interval: nothing may come after the rejection
    const posts = ctx.stack.zd.log.entries().filter((e) => e.route === 'POST /api/v2/users');
    assert.equal(posts.length, 1, 'the rejected create was sent once');
  });
});
