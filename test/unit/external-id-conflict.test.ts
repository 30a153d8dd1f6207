/**
 * ExternalIdTaken (activities/sync/external-id-conflict.ts) against a stand-in Zendesk client: the check
 * before the write, and Zendesk's own refusal of a value taken in between (a race the end-to-end tests
 * cannot time), both naming the holder's ID and never the value.
 */
import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { assertExternalIdFree, explainExternalIdRefusal } from '../../activities/sync/external-id-conflict';
import type { SyncDeps } from '../../activities/sync/deps';
import { ZendeskApiError } from '../../activities/zendesk/errors';
import type { ZendeskChanges } from '../../workflows/sync-types';

const changes = (fields: ZendeskChanges['fields'], externalId?: string): ZendeskChanges => ({
  fields,
  tagsToAdd: [],
  emailsToAdd: [],
  phonesToAdd: [],
  problems: [],
  ...(externalId ? { externalId } : {}),
});

function depsHolding(holders: Record<string, number[]>): { deps: SyncDeps; lookups: string[] } {
  const lookups: string[] = [];
  const find = (value: string) => {
    lookups.push(value);
    return (holders[value.toLowerCase()] ?? []).map((id) => ({ id }));
  };
  const zendesk = {
    searchOrganizations: async (by: { external_id: string }) => find(by.external_id),
    searchUsersByExternalId: async (value: string) => find(value),
  };
  return { deps: { zendesk } as unknown as SyncDeps, lookups };
}

const duplicate = new ZendeskApiError({
  code: 'ZENDESK_REJECTED',
  message: 'PUT organizations/{id} answered 422 RecordInvalid: external_id: DuplicateValue',
  endpoint: 'PUT organizations/{id}',
  status: 422,
  zendeskError: 'RecordInvalid',
  details: { external_id: [{ error: 'DuplicateValue', description: 'External: has already been taken' }] },
});

describe('ExternalIdTaken', () => {
  it('fails before the write when another record holds the mapped value, naming it', async () => {
    const { deps } = depsHolding({ 'erp-7': [41] });
    const err = await assertExternalIdFree(deps, 'Account', changes({ external_id: 'ERP-7' }), 42).then(
      () => assert.fail('expected ExternalIdTaken'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ApplicationFailure);
    assert.equal(err.type, 'ExternalIdTaken');
    assert.equal(err.nonRetryable, true);
    assert.match(err.message, /held by Zendesk organization 41 .*to organization 42; nothing was written$/);
    assert.doesNotMatch(err.message, /erp-7/i);
    assert.deepEqual(err.details, [{ field: 'external_id', value: 'ERP-7', heldBy: 41 }]);
  });

  it('passes when the holder is the record itself, nothing is mapped, or the user already has it', async () => {
    const { deps, lookups } = depsHolding({ 'erp-7': [42] });
    await assertExternalIdFree(deps, 'Account', changes({ external_id: 'ERP-7' }), 42);
    await assertExternalIdFree(deps, 'Account', changes({ external_id: null }), 42);
    await assertExternalIdFree(deps, 'Account', changes({ name: 'x' }, '001000000000001AAA'), undefined);
    assert.deepEqual(lookups, ['ERP-7'], 'only the mapped value is looked up');
    await assertExternalIdFree(deps, 'Contact', changes({ external_id: 'ERP-7' }), 43, ' erp-7');
    assert.deepEqual(lookups, ['ERP-7'], "no lookup when the user's value is unchanged");
  });

  it("turns Zendesk's DuplicateValue refusal into ExternalIdTaken naming the holder, for the Salesforce Id too", async () => {
    const { deps } = depsHolding({ 'erp-8': [51], '001000000000001aaa': [52] });
    const mapped = await explainExternalIdRefusal(
      deps,
      'Contact',
      changes({ external_id: 'ERP-8' }),
      undefined,
      duplicate,
    );
    assert.ok(mapped instanceof ApplicationFailure);
    assert.match(mapped.message, /^the mapped external_id is already held by Zendesk user 51 .*a new user/);
    const own = await explainExternalIdRefusal(
      deps,
      'Account',
      changes({}, '001000000000001AAA'),
      7,
      duplicate,
    );
    assert.ok(own instanceof ApplicationFailure);
    assert.match(
      own.message,
      /^the record's Salesforce Id \(external_id\) is already held by Zendesk organization 52/,
    );
    const other = new Error('boom');
    assert.equal(await explainExternalIdRefusal(deps, 'Account', changes({}), 7, other), other);
  });
});
