/**
 * The decisions a sync pass and `sfzd dry-run` share (workflows/pass-decisions.ts), called directly:
 * every branch of the match result, the protected user, update-only, the lost link (relink once, then
 * "vanished twice"), the unchanged skip, memberships-only, the write request, the write-back, the
 * outcome and verdict names, and how a failure is read. test/workflows/sync-record.test.ts and
 * test/cli/dry-run.test.ts run the same decisions inside the workflows.
 */
import assert from 'node:assert/strict';
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import type { DryRunPreview } from '../../workflows/dry-run-types';
import { FailureType } from '../../workflows/failure-types';
import {
  decideAfterWrite,
  decideMatch,
  failureOf,
  isMembershipsOnly,
  isUnchanged,
  matchRequest,
  MAX_RELINKS_PER_PASS,
  outcomeNeedsUpsert,
  previewVerdict,
  stopEntry,
  stopVerdict,
  writeBackField,
  writeRequest,
  writtenOutcome,
  type SyncingPlan,
} from '../../workflows/pass-decisions';
import type { WriteResult } from '../../workflows/sync-types';

function plan(extra: Partial<SyncingPlan> = {}): SyncingPlan {
  return {
    kind: 'sync',
    fingerprint: 'fp-1',
    label: 'Ada',
    mode: 'upsert',
    match: { kind: 'user_by_email', value: 'ada@example.com' },
    changes: { fields: { name: 'Ada' }, tagsToAdd: [], emailsToAdd: [], phonesToAdd: [], problems: [] },
    ...extra,
  };
}

const LINK = { zendeskId: 42, via: 'matched' as const, linkedAt: '2026-01-01T00:00:00.000Z' };

describe('pass decisions: the match request', () => {
  it('asks for the one criterion, with the own Salesforce Id first when externalId is on', () => {
    assert.deepEqual(matchRequest('Contact', plan()), {
      object: 'Contact',
      lookup: { kind: 'user_by_email', value: 'ada@example.com' },
    });
    assert.deepEqual(
      matchRequest(
        'Account',
        plan({
          match: { kind: 'organization_by_name', value: 'Acme' },
          externalIdFirst: '001000000000001AAA',
        }),
      ),
      {
        object: 'Account',
        lookup: { kind: 'organization_by_name', value: 'Acme' },
        externalIdFirst: '001000000000001AAA',
      },
    );
  });

  it('asks nothing without a usable match key (the record is new)', () => {
    assert.equal(matchRequest('Contact', plan({ match: undefined })), undefined);
  });
});

describe('pass decisions: the match result', () => {
  it('writes to the one match', () => {
    assert.deepEqual(decideMatch({ kind: 'one', zendeskId: 7 }, 'upsert'), { kind: 'write', zendeskId: 7 });
    assert.deepEqual(decideMatch({ kind: 'one', zendeskId: 7 }, 'update-only'), {
      kind: 'write',
      zendeskId: 7,
    });
  });

  it('creates when nothing matches in upsert mode, and skips in update-only mode', () => {
    assert.deepEqual(decideMatch({ kind: 'none' }, 'upsert'), { kind: 'write' });
    assert.deepEqual(decideMatch({ kind: 'none' }, 'update-only'), {
      kind: 'stop',
      stop: { kind: 'update-only' },
    });
  });

  it('writes nothing when several records match, whatever the mode', () => {
    for (const mode of ['upsert', 'update-only'] as const)
      assert.deepEqual(decideMatch({ kind: 'many', candidateIds: [1, 2] }, mode), {
        kind: 'stop',
        stop: { kind: 'multiple-matches', candidateIds: [1, 2] },
      });
  });

  it('never touches a matched agent or admin', () => {
    assert.deepEqual(decideMatch({ kind: 'protected', zendeskId: 5, role: 'admin' }, 'upsert'), {
      kind: 'stop',
      stop: { kind: 'protected', zendeskId: 5, role: 'admin' },
    });
  });
});

describe('pass decisions: after the write', () => {
  const written: WriteResult = { kind: 'written', zendeskId: 42, created: false };
  const previewed: DryRunPreview = { kind: 'write', create: false, zendeskId: 42, diff: [], requests: [] };

  it('is done with what the write step (or its preview) answered', () => {
    assert.deepEqual(decideAfterWrite(written, 0), { kind: 'done', result: written });
    assert.deepEqual(decideAfterWrite(previewed, 1), { kind: 'done', result: previewed });
  });

  it('matches again once when the link is lost, then stops: the record vanished twice', () => {
    assert.equal(MAX_RELINKS_PER_PASS, 1);
    assert.deepEqual(decideAfterWrite({ kind: 'link-lost' }, 0), { kind: 'match-again' });
    assert.deepEqual(decideAfterWrite({ kind: 'link-lost' }, 1), {
      kind: 'stop',
      stop: { kind: 'vanished-twice' },
    });
  });

  it('stops on a linked user who became an agent or admin', () => {
    assert.deepEqual(decideAfterWrite({ kind: 'protected', zendeskId: 42, role: 'agent' }, 0), {
      kind: 'stop',
      stop: { kind: 'protected', zendeskId: 42, role: 'agent' },
    });
  });
});

describe('pass decisions: unchanged values', () => {
  const facts = {
    linked: true,
    force: false,
    restored: false,
    lastFingerprint: 'fp-1',
    writtenBack: true,
    plan: { fingerprint: 'fp-1', syncedIdField: 'Zendesk_Id__c' },
  };

  it('skips a linked record whose mapped values did not change since the last write', () => {
    assert.equal(isUnchanged(facts), true);
    assert.equal(isUnchanged({ ...facts, writtenBack: false, plan: { fingerprint: 'fp-1' } }), true);
  });

  it('runs the pass when forced, restored, unlinked, changed, or owing the write-back', () => {
    assert.equal(isUnchanged({ ...facts, force: true }), false);
    assert.equal(isUnchanged({ ...facts, restored: true }), false);
    assert.equal(isUnchanged({ ...facts, linked: false }), false);
    assert.equal(isUnchanged({ ...facts, lastFingerprint: 'fp-0' }), false);
    assert.equal(isUnchanged({ ...facts, lastFingerprint: undefined }), false);
    assert.equal(isUnchanged({ ...facts, writtenBack: false }), false);
  });
});

describe('pass decisions: the write request', () => {
  it('adds memberships only for a contact that is not its user’s syncing record', () => {
    assert.equal(isMembershipsOnly('003B', '003A'), true);
    assert.equal(isMembershipsOnly('003A', '003A'), false);
    assert.equal(isMembershipsOnly(undefined, '003A'), false);
    assert.equal(isMembershipsOnly(null, '003A'), false);
  });

  it('carries the default organization the sync set only to the user it set it on', () => {
    const linked = { ...LINK, defaultOrganizationId: 900 };
    const base = {
      object: 'Contact' as const,
      salesforceId: '003A',
      plan: plan(),
      organizationId: 900,
      secondaryOrganizationIds: undefined,
      membershipsOnly: false,
    };
    assert.deepEqual(writeRequest({ ...base, zendeskId: 42, link: linked }), {
      object: 'Contact',
      salesforceId: '003A',
      zendeskId: 42,
      changes: plan().changes,
      organizationId: 900,
      syncDefaultOrganizationId: 900,
    });
    const other = writeRequest({ ...base, zendeskId: 43, link: linked });
    assert.equal('syncDefaultOrganizationId' in other, false);
  });

  it('names secondary organizations and memberships-only when there are any; null organization is none', () => {
    const request = writeRequest({
      object: 'Contact',
      salesforceId: '003A',
      zendeskId: undefined,
      plan: plan(),
      link: null,
      organizationId: null,
      secondaryOrganizationIds: [901, 902],
      membershipsOnly: true,
    });
    assert.equal(request.organizationId, undefined);
    assert.deepEqual(request.secondaryOrganizationIds, [901, 902]);
    assert.equal(request.membershipsOnly, true);
  });
});

describe('pass decisions: the write-back', () => {
  it('writes the ID back to the configured field unless Salesforce holds it already', () => {
    assert.equal(writeBackField(plan({ syncedIdField: 'Zd__c', syncedIdValue: null }), 42), 'Zd__c');
    assert.equal(writeBackField(plan({ syncedIdField: 'Zd__c', syncedIdValue: '41' }), 42), 'Zd__c');
    assert.equal(writeBackField(plan({ syncedIdField: 'Zd__c', syncedIdValue: '42' }), 42), undefined);
    assert.equal(writeBackField(plan(), 42), undefined);
  });

  it('always names the field for a record to create', () => {
    assert.equal(writeBackField(plan({ syncedIdField: 'Zd__c', syncedIdValue: '42' }), undefined), 'Zd__c');
  });
});

describe('pass decisions: the outcome of a pass that stops', () => {
  it('MultipleMatches names the match field and the candidates, never the value', () => {
    const entry = stopEntry({ kind: 'multiple-matches', candidateIds: [1, 2] }, 'Contact', plan().match);
    assert.equal(entry.outcome, 'failed');
    assert.equal(entry.failure, FailureType.MultipleMatches);
    assert.equal(entry.message, '2 Zendesk users match on email: 1, 2; nothing was written');
    assert.doesNotMatch(entry.message, /ada@example\.com/);
    assert.deepEqual(entry.details, { candidateIds: [1, 2] });
  });

  it('ProtectedUser, update-only and vanished-twice', () => {
    assert.deepEqual(stopEntry({ kind: 'protected', zendeskId: 5, role: 'admin' }, 'Lead', undefined), {
      outcome: 'failed',
      failure: FailureType.ProtectedUser,
      message: 'Zendesk user 5 is an admin; agents and admins are never modified',
    });
    assert.deepEqual(stopEntry({ kind: 'update-only' }, 'Account', undefined), {
      outcome: 'skipped-update-only',
    });
    assert.deepEqual(stopEntry({ kind: 'vanished-twice' }, 'Account', undefined), {
      outcome: 'failed',
      failure: FailureType.ZendeskRejected,
      message: 'The Zendesk record vanished twice in one pass',
    });
  });

  it('the dry-run reports the same stops as verdicts', () => {
    const lookup = { kind: 'organization_by_name' as const, value: 'Acme' };
    assert.deepEqual(
      stopVerdict({ kind: 'multiple-matches', candidateIds: [3, 4] }, 'Account', lookup, 'match'),
      {
        verdict: 'multiple-matches',
        message:
          '2 Zendesk organizations match organization by name: 3, 4; a sync would write nothing (MultipleMatches)',
        candidateIds: [3, 4],
      },
    );
    assert.deepEqual(
      stopVerdict({ kind: 'protected', zendeskId: 5, role: 'agent' }, 'Contact', undefined, 'link'),
      {
        verdict: 'protected',
        message: 'Zendesk user 5 is an agent; agents and admins are never modified (ProtectedUser)',
        zendeskId: 5,
        foundBy: 'link',
      },
    );
    assert.equal(
      stopVerdict({ kind: 'update-only' }, 'Contact', undefined, 'match').verdict,
      'skipped-update-only',
    );
    assert.deepEqual(stopVerdict({ kind: 'vanished-twice' }, 'Account', undefined, 'link'), {
      verdict: 'failed',
      message: 'the linked Zendesk organization no longer exists and matching found it gone too',
    });
  });
});

describe('pass decisions: the outcome of a pass that wrote', () => {
  const wrote = { zendeskId: 42, restored: undefined, membershipsOf: undefined, membershipsAdded: 0 };

  it('created, updated, or restored with what undoing the deletion did', () => {
    assert.deepEqual(writtenOutcome({ ...wrote, created: true }), { outcome: 'created' });
    assert.deepEqual(writtenOutcome({ ...wrote, created: false }), { outcome: 'updated' });
    assert.deepEqual(writtenOutcome({ ...wrote, created: false, restored: 'tag removed' }), {
      outcome: 'restored',
      message: 'tag removed; updated',
    });
  });

  it('membership-added, or unchanged, for a contact that is not the syncing record', () => {
    const only = { ...wrote, created: false, membershipsOf: '003B' };
    assert.equal(writtenOutcome({ ...only, membershipsAdded: 1 }).outcome, 'membership-added');
    const none = writtenOutcome(only);
    assert.equal(none.outcome, 'unchanged');
    assert.match(none.message!, /Contact 003B is the syncing record of Zendesk user 42/);
  });

  it('the dry-run names what a write would do', () => {
    const row = (changed: boolean) => ({
      field: 'name',
      current: 'a',
      new: 'b',
      op: 'set' as const,
      changed,
    });
    const write = (create: boolean, changed: boolean) => ({
      kind: 'write' as const,
      create,
      zendeskId: create ? undefined : 42,
      diff: [row(changed), row(false)],
      requests: [],
    });
    const verdict = (create: boolean, changed: boolean, membershipsOf?: string) =>
      previewVerdict({ object: 'Contact', preview: write(create, changed), foundBy: 'link', membershipsOf });
    assert.deepEqual(verdict(true, true), {
      verdict: 'would-create',
      message: 'no Zendesk user matches: a new user would be created',
    });
    assert.deepEqual(verdict(false, true), {
      verdict: 'would-update',
      message: 'linked Zendesk user 42: 1 field(s) would change',
    });
    assert.deepEqual(verdict(false, false), {
      verdict: 'no-change',
      message: 'linked Zendesk user 42 already has every mapped value',
    });
    assert.equal(verdict(false, true, '003B').verdict, 'would-update');
    assert.equal(verdict(false, false, '003B').verdict, 'no-change');
    assert.match(verdict(false, false, '003B').message, /Contact 003B is its syncing record/);
    assert.match(
      previewVerdict({
        object: 'Account',
        preview: write(false, true),
        foundBy: 'match',
        membershipsOf: undefined,
      }).message,
      /^matched Zendesk organization 42/,
    );
  });
});

describe('pass decisions: reading a failure', () => {
  const activityFailure = (cause?: Error) =>
    new ActivityFailure(
      'activity failed',
      'writeZendesk',
      '1',
      RetryState.NON_RETRYABLE_FAILURE,
      undefined,
      cause,
    );

  it('takes the type, message and first details of a classified activity failure', () => {
    const cause = ApplicationFailure.create({
      type: FailureType.ValueNotRepresentable,
      message: 'phone: no place',
      details: [{ field: 'phone' }],
    });
    assert.deepEqual(failureOf(activityFailure(cause)), {
      type: FailureType.ValueNotRepresentable,
      message: 'phone: no place',
      details: { field: 'phone' },
      classified: true,
    });
  });

  it('reads an ApplicationFailure the workflow threw itself, without details', () => {
    const failure = failureOf(ApplicationFailure.nonRetryable('bad', FailureType.ZendeskRejected));
    assert.deepEqual(failure, { type: FailureType.ZendeskRejected, message: 'bad', classified: true });
  });

  it('names an unclassified cause by its name, and a causeless failure as ActivityFailure', () => {
    const cause = new TypeError('x is undefined');
    assert.deepEqual(failureOf(activityFailure(cause)), {
      type: 'TypeError',
      message: 'x is undefined',
      classified: false,
    });
    assert.deepEqual(failureOf(activityFailure()), {
      type: 'ActivityFailure',
      message: 'activity failed',
      classified: false,
    });
  });

  it('leaves anything else to the caller (a bug in the workflow fails the task)', () => {
    assert.equal(failureOf(new Error('bug')), undefined);
  });
});

describe('outcomeNeedsUpsert: which passes write their outcome to the search attributes', () => {
  const inStep = { outcome: 'updated', zendeskId: '42' };
  const unchanged = { outcome: 'unchanged' as const, zendeskId: 42, retried: false };

  it('skips an unchanged pass when the attributes already show the record in step with the same link', () => {
    for (const outcome of ['created', 'updated', 'unchanged'])
      assert.equal(outcomeNeedsUpsert({ ...unchanged, shown: { ...inStep, outcome } }), false, outcome);
  });

  it('upserts every other pass', () => {
    for (const outcome of ['created', 'updated', 'failed', 'filtered-out', 'membership-added'] as const)
      assert.equal(outcomeNeedsUpsert({ ...unchanged, outcome, shown: inStep }), true, outcome);
  });

  it('upserts an unchanged pass that retried, follows a failure or another outcome, or changed the link', () => {
    assert.equal(outcomeNeedsUpsert({ ...unchanged, retried: true, shown: inStep }), true, 'retried');
    assert.equal(
      outcomeNeedsUpsert({
        ...unchanged,
        shown: { outcome: 'failed', failure: 'ZendeskUnavailable', zendeskId: '42' },
      }),
      true,
      'after a failure',
    );
    assert.equal(
      outcomeNeedsUpsert({ ...unchanged, shown: { ...inStep, outcome: 'filtered-out' } }),
      true,
      'back in scope',
    );
    assert.equal(
      outcomeNeedsUpsert({ ...unchanged, shown: { ...inStep, zendeskId: '41' } }),
      true,
      'relinked',
    );
    assert.equal(outcomeNeedsUpsert({ ...unchanged, shown: {} }), true, 'nothing shown yet (a new run)');
    assert.equal(outcomeNeedsUpsert({ ...unchanged, zendeskId: undefined, shown: inStep }), true, 'unlinked');
  });
});
