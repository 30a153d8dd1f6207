/** The listener's pure rules: which events trigger a sync, which channels to subscribe, backoff, parsing. */
import assert from 'node:assert/strict';
import { parseSyncConfig } from '../../core';
import { backoffDelay } from '../../activities/change-feed/backoff';
import {
  MalformedChangeEventError,
  parseChangeEvent,
  type ChangeEventHeader,
} from '../../activities/change-feed/cdc-message';
import { feedChannels } from '../../activities/change-feed/channels';
import { modifiedSinceSoql } from '../../activities/change-feed/reconcile-since';
import { decideAction, originClient } from '../../activities/change-feed/trigger';
import { baseSyncConfig, syncConfig } from '../fixtures/sync-config';

const config = parseSyncConfig(baseSyncConfig());
const OURS = 'com/salesforce/api/rest/62.0;client=salesforce-zendesk-sync';
const THEIRS = 'com/salesforce/api/rest/62.0;client=data-loader';

function header(partial: Partial<ChangeEventHeader>): ChangeEventHeader {
  return {
    entityName: 'Account',
    recordIds: ['001A'],
    changeType: 'UPDATE',
    changedFields: [],
    changeOrigin: THEIRS,
    commitTimestamp: 1_000,
    ...partial,
  };
}

describe('change feed rules', () => {
  it('syncs CREATE and UNDELETE, and by default (onDelete: ignore) never DELETE', () => {
    assert.deepEqual(
      decideAction(config, 'Account', header({ changeType: 'CREATE', recordIds: ['001A', '001B'] })),
      {
        kind: 'notify',
        recordIds: ['001A', '001B'],
        notice: { source: 'cdc' },
      },
    );
    assert.equal(decideAction(config, 'Account', header({ changeType: 'UNDELETE' })).kind, 'notify');
    assert.deepEqual(decideAction(config, 'Account', header({ changeType: 'DELETE' })), {
      kind: 'ignore',
      reason: 'delete',
    });
  });

  it("signals the existing workflows of DELETEd records per section's onDelete, starting none", () => {
    const tagAccounts = parseSyncConfig(syncConfig({ accounts: { onDelete: 'tag' } }));
    assert.deepEqual(
      decideAction(tagAccounts, 'Account', header({ changeType: 'DELETE', recordIds: ['001A', '001B'] })),
      {
        kind: 'notify',
        recordIds: ['001A', '001B'],
        notice: { source: 'cdc' },
        existingOnly: true,
      },
    );
    // The users section still has the default (ignore): its deletes stay ignored.
    assert.deepEqual(
      decideAction(
        tagAccounts,
        'Contact',
        header({ entityName: 'Contact', changeType: 'DELETE', recordIds: ['003A'] }),
      ),
      { kind: 'ignore', reason: 'delete' },
    );
    const unlinkUsers = parseSyncConfig(syncConfig({ users: { onDelete: 'unlink' } }));
    assert.equal(
      decideAction(
        unlinkUsers,
        'Contact',
        header({ entityName: 'Contact', changeType: 'DELETE', recordIds: ['003A'] }),
      ).kind,
      'notify',
    );
    assert.deepEqual(
      decideAction(tagAccounts, 'Account', header({ changeType: 'DELETE', recordIds: ['001*'] })),
      {
        kind: 'ignore',
        reason: 'no-record-ids',
      },
    );
  });

  it('syncs the UPDATE that converts a Lead, though IsConverted is not mapped', () => {
    const leads = parseSyncConfig(syncConfig({ users: { source: 'Lead', organizationMembership: false } }));
    const conversion = ['Status', 'IsConverted', 'ConvertedDate', 'ConvertedAccountId', 'ConvertedContactId'];
    assert.deepEqual(
      decideAction(
        leads,
        'Lead',
        header({ entityName: 'Lead', recordIds: ['00QA'], changedFields: conversion, changeOrigin: THEIRS }),
      ),
      { kind: 'notify', recordIds: ['00QA'], notice: { source: 'cdc', changedFields: conversion } },
    );
    assert.deepEqual(
      decideAction(
        leads,
        'Lead',
        header({ entityName: 'Lead', recordIds: ['00QA'], changedFields: ['Status'] }),
      ),
      { kind: 'ignore', reason: 'unmapped-fields' },
    );
  });

  it('syncs an UPDATE only when a mapped, match or filter field changed', () => {
    const mapped = decideAction(
      config,
      'Account',
      header({ changedFields: ['Industry', 'LastModifiedDate'] }),
    );
    assert.deepEqual(mapped, {
      kind: 'notify',
      recordIds: ['001A'],
      notice: { source: 'cdc', changedFields: ['Industry', 'LastModifiedDate'] },
    });
    assert.deepEqual(
      decideAction(config, 'Account', header({ changedFields: ['Website', 'LastModifiedDate'] })),
      { kind: 'ignore', reason: 'unmapped-fields' },
    );
    // Contact Name is compound: a LastName change is a Name change.
    assert.equal(
      decideAction(config, 'Contact', header({ entityName: 'Contact', changedFields: ['Name.LastName'] }))
        .kind,
      'notify',
    );
    // A contact moving to another account: its user's organization changes (organizationMembership is on).
    assert.deepEqual(
      decideAction(
        config,
        'Contact',
        header({
          entityName: 'Contact',
          recordIds: ['003A'],
          changedFields: ['AccountId', 'LastModifiedDate'],
        }),
      ),
      {
        kind: 'notify',
        recordIds: ['003A'],
        notice: { source: 'cdc', changedFields: ['AccountId', 'LastModifiedDate'] },
      },
    );
  });

  it('ignores our own write-back of the synced-ID field, and only that', () => {
    const writeBack = header({
      changeOrigin: OURS,
      changedFields: ['Zendesk_Organization_Id__c', 'LastModifiedDate', 'SystemModstamp'],
    });
    assert.deepEqual(decideAction(config, 'Account', writeBack), {
      kind: 'ignore',
      reason: 'own-write-back',
    });
    // Someone else writing the same field is not our loop (and the field is unmapped, so still no sync).
    assert.deepEqual(decideAction(config, 'Account', { ...writeBack, changeOrigin: THEIRS }), {
      kind: 'ignore',
      reason: 'unmapped-fields',
    });
    // Our client changing a mapped field too is a real change.
    assert.equal(
      decideAction(config, 'Account', {
        ...writeBack,
        changedFields: ['Zendesk_Organization_Id__c', 'Industry'],
      }).kind,
      'notify',
    );
    assert.equal(originClient(OURS), 'salesforce-zendesk-sync');
    assert.equal(
      originClient('com/salesforce/api/soap/62.0;client=salesforce-zendesk-sync-copy'),
      'salesforce-zendesk-sync-copy',
    );
    assert.equal(originClient(''), undefined);
  });

  it('forces a re-read on GAP events and reconciles on GAP_OVERFLOW', () => {
    for (const changeType of ['GAP_CREATE', 'GAP_UPDATE', 'GAP_DELETE', 'GAP_UNDELETE']) {
      assert.deepEqual(decideAction(config, 'Account', header({ changeType, changeOrigin: '' })), {
        kind: 'notify',
        recordIds: ['001A'],
        notice: { source: 'gap', force: true },
      });
    }
    assert.deepEqual(
      decideAction(
        config,
        'Account',
        header({ changeType: 'GAP_OVERFLOW', recordIds: [], commitTimestamp: 42 }),
      ),
      { kind: 'reconcile', sinceMs: 42 },
    );
    assert.deepEqual(decideAction(config, 'Account', header({ changeType: 'CREATE', recordIds: ['001*'] })), {
      kind: 'ignore',
      reason: 'no-record-ids',
    });
    assert.deepEqual(decideAction(config, 'Account', header({ changeType: 'SNAPSHOT' })), {
      kind: 'ignore',
      reason: 'unsupported-change-type',
    });
  });

  it('subscribes to the channel of each enabled section, following users.source', () => {
    assert.deepEqual(
      feedChannels(config).map((c) => c.channel),
      ['/data/AccountChangeEvent', '/data/ContactChangeEvent'],
    );
    const leadsOnly = parseSyncConfig(
      syncConfig({
        accounts: { enabled: false },
        users: { source: 'Lead', organizationMembership: false },
      }),
    );
    assert.deepEqual(feedChannels(leadsOnly), [{ channel: '/data/LeadChangeEvent', object: 'Lead' }]);
  });

  it('backs off exponentially with jitter, capped', () => {
    const policy = { baseMs: 100, maxMs: 1_000 };
    assert.equal(
      backoffDelay(policy, 0, () => 0.999),
      99,
    );
    assert.equal(
      backoffDelay(policy, 3, () => 0.999),
      799,
    );
    assert.equal(
      backoffDelay(policy, 30, () => 0.999),
      999,
    );
    assert.equal(
      backoffDelay(policy, 5, () => 0),
      50,
      'never below half the base',
    );
  });

  it('reads the CometD message header and rejects malformed events by name', () => {
    const event = parseChangeEvent({
      schema: 'x',
      payload: {
        ChangeEventHeader: {
          entityName: 'Account',
          recordIds: ['001A'],
          changeType: 'CREATE',
          changedFields: [],
          changeOrigin: '',
          commitTimestamp: 5,
        },
        Name: 'A',
      },
      event: { replayId: 7 },
    });
    assert.equal(event.replayId, 7);
    assert.equal(event.header.changeType, 'CREATE');
    assert.throws(
      () => parseChangeEvent({ payload: {}, event: { replayId: 8 } }),
      (err: unknown) =>
        err instanceof MalformedChangeEventError && /8 has no payload.ChangeEventHeader/.test(err.message),
    );
    assert.throws(() => parseChangeEvent({ event: {} }), /no numeric event.replayId/);
  });

  it('builds the reconcile query on SystemModstamp with a SOQL datetime literal', () => {
    assert.equal(
      modifiedSinceSoql('Account', Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
      'SELECT Id FROM Account WHERE SystemModstamp >= 2026-01-02T03:04:05Z ORDER BY SystemModstamp',
    );
  });
});
