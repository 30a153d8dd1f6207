import assert from 'node:assert/strict';
import got from 'got';
import { useStack } from '../helpers/stack';
import { completedAttempts, historyOf } from './durability-support';

describe('Salesforce faults: REQUEST_LIMIT_EXCEEDED', function () {
  this.timeout(60_000);

  const ctx = useStack();

  it('waits while the request limit is exceeded and completes after the window', async () => {
    const { id } = await ctx.stack.salesforce.sobject('Account').create({ Name: 'Limit Window plc' });
    const windowMs = 2_000;
    const { blockedUntil } = await got
      .post(`${ctx.stack.sf.url}/__sandbox/request-limit`, { json: { durationMs: windowMs } })
      .json<{ blockedUntil: string }>();
    await ctx.stack.notify('Account', id!, { source: 'created' });
    const outcome = await ctx.stack.waitForPasses('Account', id!, 1);

    assert.equal(outcome.outcome, 'created', JSON.stringify(outcome));
    assert.ok(Date.parse(outcome.at) < Date.parse(blockedUntil), 'the pass started inside the window');
    const refused = ctx.stack.sf.log.entries().filter((e) => e.status === 403);
    assert.ok(refused.length >= 2, `${refused.length} requests were refused`);
    const fetch = completedAttempts(await historyOf(ctx.stack.client, 'Account', id!)).find(
      (a) => a.activity === 'fetchAndPlan',
    );
    assert.equal(fetch?.lastFailureType, 'SalesforceRequestLimit');
    assert.ok(fetch.attempt >= 3, JSON.stringify(fetch));
    // TEST_BACKOFF doubles from 300 ms: the refused attempts spread over the window instead of hammering it.
    assert.ok(refused.length <= 6, `${refused.length} refused requests in ${windowMs} ms`);
    const account = await ctx.stack.salesforce.sobject('Account').retrieve(id!);
    assert.equal(account.Zendesk_Organization_Id__c, String(outcome.zendeskId));
  });
});
