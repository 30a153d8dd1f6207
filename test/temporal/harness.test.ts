import assert from 'node:assert/strict';
import type { checkConnections } from '../../workflows/check-connections';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { useStack } from '../helpers/stack';
import { temporalEnv } from '../helpers/temporal-env';

describe('Temporal harness (real dev server)', function () {
  this.timeout(60_000);

  const ctx = useStack();

  it('registers the custom search attributes', async () => {
    const env = await temporalEnv();
    const res = await env.connection.operatorService.listSearchAttributes({
      namespace: env.namespace ?? 'default',
    });
    const registered = Object.keys(res.customAttributes ?? {});
    for (const key of ALL_SEARCH_ATTRIBUTES)
      assert.ok(registered.includes(key.name), `${key.name} is registered`);
  });

  it('round-trips a workflow whose activities reach both sandboxes', async () => {
    const r = await ctx.stack.client.workflow.execute<typeof checkConnections>('checkConnections', {
      taskQueue: ctx.stack.taskQueue,
      workflowId: `check-connections-${Date.now()}`,
    });
    assert.equal(r.salesforce.organizationId, ctx.stack.sf.org.orgId);
    assert.ok(r.salesforce.dailyApiRequests.max > 0);
    assert.equal(r.zendesk.role, 'admin');
    assert.equal(r.zendesk.canManageUsers, true);
  });
});
