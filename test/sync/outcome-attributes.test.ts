/**
 * The search attributes an operator filters on stay true with fewer upserts (the
 * `fewer-search-attribute-upserts` patch, docs/architecture.md "Temporal cost per pass"), end to end:
 * after a first sync, a linked update, a no-op pass (which leaves them as the update set them), a no-op
 * pass that retried (which clears the retry attributes), and across continue-as-new.
 */
import assert from 'node:assert/strict';
import { temporal } from '@temporalio/proto';
import {
  LastSyncedAt,
  SalesforceId,
  SalesforceObject,
  SyncFailure,
  SyncOutcome,
  SyncRetrying,
  ZendeskId,
} from '../../workflows/search-attributes';
import { recordWorkflowId } from '../../workflows/sync-types';
import { useStack } from '../helpers/stack';
import { eventually, historyOf, notifyTuned } from './durability-support';

const E = temporal.api.enums.v1.EventType;

describe('search attributes after each kind of pass (end to end)', function () {
  this.timeout(120_000);

  const ctx = useStack();
  afterEach(() => ctx.stack.sf.faults.reset());

  const handleOf = (id: string) => ctx.stack.client.workflow.getHandle(recordWorkflowId('Account', id));
  async function shown(id: string) {
    const sa = (await handleOf(id).describe()).typedSearchAttributes;
    return {
      object: sa.get(SalesforceObject),
      salesforceId: sa.get(SalesforceId),
      outcome: sa.get(SyncOutcome),
      failure: sa.get(SyncFailure),
      zendeskId: sa.get(ZendeskId),
      lastSyncedAt: sa.get(LastSyncedAt)?.toISOString(),
      retrying: sa.get(SyncRetrying),
    };
  }
  /** Outcome upserts in the current run's history (the patch's TemporalChangeVersion upsert aside). */
  async function outcomeUpserts(id: string): Promise<number> {
    return (await historyOf(ctx.stack.client, 'Account', id)).filter(
      (e) =>
        e.eventType === E.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES &&
        Object.keys(
          e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {},
        ).includes(SyncOutcome.name),
    ).length;
  }
  /** What an operator's list query finds, as `sfzd status` counts running ones (visibility is eventually consistent). */
  const listed = (id: string, outcome: string) =>
    eventually(
      `${id} listed with SyncOutcome ${outcome}`,
      async () => {
        const { count } = await ctx.stack.client.workflow.count(
          `ExecutionStatus = "Running" AND SalesforceObject = "Account" AND SalesforceId = "${id}" AND SyncOutcome = "${outcome}"`,
        );
        return count === 1 ? true : undefined;
      },
      20_000,
      200,
    );

  it('first sync, linked update, no-op pass, retried no-op pass', async () => {
    const { id } = await ctx.stack.salesforce
      .sobject('Account')
      .create({ Name: 'Attr Co', Industry: 'Banking' });
    await ctx.stack.notify('Account', id!, { source: 'created' });
    const created = await ctx.stack.waitForPasses('Account', id!, 1);
    assert.equal(created.outcome, 'created');
    const afterCreate = await shown(id!);
    assert.deepEqual(
      { ...afterCreate, lastSyncedAt: typeof afterCreate.lastSyncedAt },
      {
        object: 'Account',
        salesforceId: id,
        outcome: 'created',
        failure: undefined,
        zendeskId: String(created.zendeskId),
        lastSyncedAt: 'string',
        retrying: undefined,
      },
    );
    await listed(id!, 'created');

    await ctx.stack.salesforce.sobject('Account').update({ Id: id!, Industry: 'Energy' });
    await ctx.stack.notify('Account', id!, { source: 'cdc', changedFields: ['Industry'] });
    assert.equal((await ctx.stack.waitForPasses('Account', id!, 2)).outcome, 'updated');
    const afterUpdate = await shown(id!);
    assert.equal(afterUpdate.outcome, 'updated');
    assert.ok(afterUpdate.lastSyncedAt! > afterCreate.lastSyncedAt!, 'LastSyncedAt moved on');
    await listed(id!, 'updated');
    assert.equal(await outcomeUpserts(id!), 2);

    // A no-op pass: recorded in the state query, attributes left as the update set them, no upsert.
    await ctx.stack.notify('Account', id!, { source: 'reconcile' });
    assert.equal((await ctx.stack.waitForPasses('Account', id!, 3)).outcome, 'unchanged');
    assert.deepEqual(await shown(id!), afterUpdate);
    assert.equal(await outcomeUpserts(id!), 2, 'no upsert for the no-op pass');
    assert.deepEqual(
      (await ctx.stack.state('Account', id!)).outcomes.map((o) => o.outcome),
      ['unchanged', 'updated', 'created'],
    );

    // A no-op pass that retried: its upsert clears SyncRetrying, so it shows as unchanged.
    ctx.stack.sf.faults.update({ errorRate: 1, errorStatus: 503 });
    await ctx.stack.notify('Account', id!, { source: 'reconcile' });
    await eventually(
      'the pass retrying',
      async () => ((await shown(id!)).retrying !== undefined ? true : undefined),
      30_000,
      100,
    );
    ctx.stack.sf.faults.reset();
    assert.equal((await ctx.stack.waitForPasses('Account', id!, 4, 40_000)).outcome, 'unchanged');
    const afterRetry = await shown(id!);
    assert.deepEqual(
      [afterRetry.outcome, afterRetry.retrying, afterRetry.failure],
      ['unchanged', undefined, undefined],
    );
    await listed(id!, 'unchanged');
  });

  it('keeps them across continue-as-new, and a no-op pass in the new run leaves them alone', async () => {
    const { id } = await ctx.stack.salesforce.sobject('Account').create({ Name: 'Attr Continued Co' });
    await notifyTuned(ctx.stack, 'Account', id!, { passesPerRun: 1 }, { source: 'created' });
    const created = await ctx.stack.waitForPasses('Account', id!, 1);
    const { runId: firstRun } = await handleOf(id!).describe();
    await ctx.stack.notify('Account', id!, { source: 'reconcile' });
    assert.equal((await ctx.stack.waitForPasses('Account', id!, 2)).outcome, 'unchanged');
    const now = await handleOf(id!).describe();
    assert.notEqual(now.runId, firstRun, 'continued as new after each pass');
    const attrs = await shown(id!);
    assert.deepEqual(
      [attrs.object, attrs.salesforceId, attrs.outcome, attrs.zendeskId],
      ['Account', id, 'created', String(created.zendeskId)],
    );
    await listed(id!, 'created');
  });
});
