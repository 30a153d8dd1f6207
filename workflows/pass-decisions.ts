/**
 * The decisions of one sync pass, made once for both callers: the record workflow's pass
 * (sync-record.ts), which acts on them, and `sfzd dry-run` (dry-run.ts), which reports what a pass
 * would do. Pure functions of what the activities reported: no I/O, no clock, no randomness, so they
 * are safe in workflow code and tests call them directly (test/workflows/pass-decisions.test.ts).
 *
 * A pass, in order: the plan (deleted, converted, disabled and out-of-scope plans end it, decided by
 * fetchAndPlan); unchanged values end it; an unlinked record is matched (decideMatch); the write, or its
 * preview, reports a lost link (match again, once), a protected user, or what it wrote
 * (decideAfterWrite); a new link is written back once (writeBackField); the outcome is named
 * (writtenOutcome, previewVerdict).
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { ResolveMatchInput } from '../activities/sync/resolve-match';
import type { DryRunPreview, DryRunPreviewInput, DryRunResult, DryRunVerdict } from './dry-run-types';
import { FailureType } from './failure-types';
import { matchField } from './record-details';
import { notSyncingRecordMessage } from './shared-users';
import {
  zendeskKindOf,
  type MatchLookup,
  type MatchResult,
  type OutcomeEntry,
  type RecordLink,
  type SalesforceObject,
  type SyncPlan,
  type WriteRequest,
  type WriteResult,
} from './sync-types';

export type SyncingPlan = Extract<SyncPlan, { kind: 'sync' }>;

/** A linked record whose Zendesk record vanished is matched again this many times in one pass. */
export const MAX_RELINKS_PER_PASS = 1;

/** Why a pass writes nothing. */
export type PassStop =
  /** More than one Zendesk record matches: nothing is written (MultipleMatches). */
  | { kind: 'multiple-matches'; candidateIds: number[] }
  /** The Zendesk user is an agent or admin: never modified (ProtectedUser). */
  | { kind: 'protected'; zendeskId: number; role: string }
  /** Nothing matches and the section's mode is update-only: nothing is created. */
  | { kind: 'update-only' }
  /** The linked record vanished, and the one matched after it vanished too. */
  | { kind: 'vanished-twice' };

/** Where the write goes: `zendeskId` absent = create. */
export type TargetDecision = { kind: 'write'; zendeskId?: number } | { kind: 'stop'; stop: PassStop };

/** The match result of an unlinked record, as the pass acts on it. */
export function decideMatch(match: MatchResult, mode: SyncingPlan['mode']): TargetDecision {
  switch (match.kind) {
    case 'many':
      return { kind: 'stop', stop: { kind: 'multiple-matches', candidateIds: match.candidateIds } };
    case 'protected':
      return { kind: 'stop', stop: { kind: 'protected', zendeskId: match.zendeskId, role: match.role } };
    case 'one':
      return { kind: 'write', zendeskId: match.zendeskId };
    case 'none':
      return mode === 'update-only' ? { kind: 'stop', stop: { kind: 'update-only' } } : { kind: 'write' };
  }
}

/** What the pass does after the write step (or its read-only preview) answered. */
export type AfterWrite<R> =
  { kind: 'done'; result: R } | { kind: 'match-again' } | { kind: 'stop'; stop: PassStop };

type Answered<R> = Exclude<R, { kind: 'link-lost' } | { kind: 'protected' }>;

/**
 * `relinks`: how often this pass matched again already. A lost link (the linked record was deleted in
 * Zendesk) is matched again following the configured mode, once; an agent or admin is never written.
 */
export function decideAfterWrite<R extends WriteResult | DryRunPreview>(
  result: R,
  relinks: number,
): AfterWrite<Answered<R>> {
  if (result.kind === 'link-lost')
    return relinks < MAX_RELINKS_PER_PASS
      ? { kind: 'match-again' }
      : { kind: 'stop', stop: { kind: 'vanished-twice' } };
  if (result.kind === 'protected')
    return { kind: 'stop', stop: { kind: 'protected', zendeskId: result.zendeskId, role: result.role } };
  return { kind: 'done', result: result as Answered<R> };
}

/**
 * A linked record whose mapped values have not changed since the last write needs no pass, unless it
 * is forced, was just restored, or still owes the write-back of its Zendesk ID.
 */
export function isUnchanged(facts: {
  linked: boolean;
  force: boolean;
  restored: boolean;
  /** The fingerprint of the last successful write. */
  lastFingerprint: string | undefined;
  writtenBack: boolean;
  plan: Pick<SyncingPlan, 'fingerprint' | 'syncedIdField'>;
}): boolean {
  return (
    facts.linked &&
    !facts.force &&
    !facts.restored &&
    facts.lastFingerprint === facts.plan.fingerprint &&
    (facts.writtenBack || !facts.plan.syncedIdField)
  );
}

/**
 * users.multipleOrganizations: a contact that is not its user's syncing record only adds memberships.
 * `syncingRecord` is absent when the user has none to read (no shared users, or a user to create).
 */
export function isMembershipsOnly(syncingRecord: string | null | undefined, salesforceId: string): boolean {
  return syncingRecord !== undefined && syncingRecord !== null && syncingRecord !== salesforceId;
}

/**
 * The match step's request for an unlinked record (the dry-run sends the same one), or undefined without
 * a usable match key: then there is nothing to match and the record is new.
 */
export function matchRequest(object: SalesforceObject, plan: SyncingPlan): ResolveMatchInput | undefined {
  if (!plan.match) return undefined;
  return {
    object,
    lookup: plan.match,
    ...(plan.externalIdFirst ? { externalIdFirst: plan.externalIdFirst } : {}),
  };
}

/** The write step's request (the dry-run previews the same one). */
export function writeRequest(facts: {
  object: SalesforceObject;
  salesforceId: string;
  zendeskId: number | undefined;
  plan: SyncingPlan;
  /** The record's current link: the default organization it remembers is for its own user only. */
  link: RecordLink | null | undefined;
  organizationId: number | null | undefined;
  secondaryOrganizationIds: number[] | undefined;
  membershipsOnly: boolean;
}): WriteRequest & DryRunPreviewInput {
  const { zendeskId, link, secondaryOrganizationIds, membershipsOnly } = facts;
  // The default organization this sync set on the user it is about to write (none on another user).
  const syncDefault = link?.zendeskId === zendeskId ? link?.defaultOrganizationId : undefined;
  return {
    object: facts.object,
    salesforceId: facts.salesforceId,
    zendeskId,
    changes: facts.plan.changes,
    organizationId: facts.organizationId ?? undefined,
    ...(syncDefault !== undefined ? { syncDefaultOrganizationId: syncDefault } : {}),
    ...(secondaryOrganizationIds ? { secondaryOrganizationIds } : {}),
    ...(membershipsOnly ? { membershipsOnly } : {}),
    // A create claims a search-backed match value first (workflows/match-claim.ts).
    ...(zendeskId === undefined && facts.plan.match ? { match: facts.plan.match } : {}),
  };
}

/**
 * The Salesforce field the Zendesk ID goes back to, or undefined: none is configured, or Salesforce
 * holds the ID already (an earlier attempt, or an admin). `zendeskId` absent: a record to create.
 */
export function writeBackField(
  plan: Pick<SyncingPlan, 'syncedIdField' | 'syncedIdValue'>,
  zendeskId: number | undefined,
): string | undefined {
  if (!plan.syncedIdField) return undefined;
  return zendeskId !== undefined && plan.syncedIdValue === String(zendeskId) ? undefined : plan.syncedIdField;
}

type EntryFields = Pick<OutcomeEntry, 'outcome' | 'failure' | 'message' | 'details'>;

const protectedMessage = (zendeskId: number, role: string) =>
  `Zendesk user ${zendeskId} is an ${role}; agents and admins are never modified`;

/** The outcome a pass records when it stops without writing. */
export function stopEntry(
  stop: PassStop,
  object: SalesforceObject,
  lookup: MatchLookup | undefined,
): EntryFields {
  switch (stop.kind) {
    case 'multiple-matches':
      return {
        outcome: 'failed',
        failure: FailureType.MultipleMatches,
        // The field, never the value: messages are not payloads (an email, a name).
        message: `${stop.candidateIds.length} Zendesk ${zendeskKindOf(object)}s match on ${lookup ? matchField(lookup) : 'the match field'}: ${stop.candidateIds.join(', ')}; nothing was written`,
        details: { candidateIds: stop.candidateIds },
      };
    case 'protected':
      return {
        outcome: 'failed',
        failure: FailureType.ProtectedUser,
        message: protectedMessage(stop.zendeskId, stop.role),
      };
    case 'update-only':
      return { outcome: 'skipped-update-only' };
    case 'vanished-twice':
      return {
        outcome: 'failed',
        failure: FailureType.ZendeskRejected,
        message: 'The Zendesk record vanished twice in one pass',
      };
  }
}

type Verdict = { verdict: DryRunVerdict; message: string } & Partial<DryRunResult>;

/** The dry-run's verdict when a pass would stop without writing. */
export function stopVerdict(
  stop: PassStop,
  object: SalesforceObject,
  lookup: MatchLookup | undefined,
  foundBy: 'link' | 'match',
): Verdict {
  const kind = zendeskKindOf(object);
  switch (stop.kind) {
    case 'multiple-matches':
      return {
        verdict: 'multiple-matches',
        message: `${stop.candidateIds.length} Zendesk ${kind}s match ${lookup?.kind.replace(/_/g, ' ')}: ${stop.candidateIds.join(', ')}; a sync would write nothing (MultipleMatches)`,
        candidateIds: stop.candidateIds,
      };
    case 'protected':
      return {
        verdict: 'protected',
        message: `${protectedMessage(stop.zendeskId, stop.role)} (ProtectedUser)`,
        zendeskId: stop.zendeskId,
        foundBy,
      };
    case 'update-only':
      return {
        verdict: 'skipped-update-only',
        message: `no Zendesk ${kind} matches and the mode is update-only: nothing would be created`,
      };
    case 'vanished-twice':
      return {
        verdict: 'failed',
        message: `the linked Zendesk ${kind} no longer exists and matching found it gone too`,
      };
  }
}

/** The outcome of a pass that wrote (or, for a contact that is not the syncing record, added memberships). */
export function writtenOutcome(facts: {
  zendeskId: number;
  created: boolean;
  /** What undoing a deletion did, when the record came back this pass. */
  restored: string | undefined;
  /** The user's syncing record, when this contact only adds memberships. */
  membershipsOf: string | undefined;
  membershipsAdded: number;
}): Pick<OutcomeEntry, 'outcome' | 'message'> {
  const { zendeskId, created, restored, membershipsOf } = facts;
  if (membershipsOf !== undefined)
    return {
      outcome: facts.membershipsAdded > 0 ? 'membership-added' : 'unchanged',
      message: notSyncingRecordMessage(zendeskId, membershipsOf),
    };
  const wrote = created ? 'created' : 'updated';
  return restored ? { outcome: 'restored', message: `${restored}; ${wrote}` } : { outcome: wrote };
}

/** The dry-run's verdict on a previewed write. */
export function previewVerdict(facts: {
  object: SalesforceObject;
  preview: Extract<DryRunPreview, { kind: 'write' }>;
  foundBy: 'link' | 'match';
  /** The user's syncing record, when this contact would only add memberships. */
  membershipsOf: string | undefined;
}): Verdict {
  const { preview: p, membershipsOf } = facts;
  const kind = zendeskKindOf(facts.object);
  const changed = p.diff.filter((r) => r.changed).length;
  if (p.create)
    return { verdict: 'would-create', message: `no Zendesk ${kind} matches: a new ${kind} would be created` };
  const via = facts.foundBy === 'link' ? 'linked' : 'matched';
  if (membershipsOf !== undefined)
    return {
      verdict: changed === 0 ? 'no-change' : 'would-update',
      message: `${via} Zendesk ${kind} ${p.zendeskId}: Contact ${membershipsOf} is its syncing record, so only organization memberships would be added (${changed} change(s))`,
    };
  if (changed === 0)
    return {
      verdict: 'no-change',
      message: `${via} Zendesk ${kind} ${p.zendeskId} already has every mapped value`,
    };
  return {
    verdict: 'would-update',
    message: `${via} Zendesk ${kind} ${p.zendeskId}: ${changed} field(s) would change`,
  };
}

/** The failure a pass ends with, from what an activity (or the workflow itself) threw. */
export interface PassFailure {
  /** The FailureType, or the error's name when the failure is not one of ours. */
  type: string;
  message: string;
  details?: unknown;
  /** An ApplicationFailure with an explicit type: a failure the sync classified. */
  classified: boolean;
}

/**
 * An activity's failure (its ApplicationFailure cause when classified, activities/failures.ts), or an
 * ApplicationFailure the workflow threw; undefined for anything else, which is a bug in the workflow
 * code: the caller rethrows it so the task fails and can be fixed and replayed.
 */
export function failureOf(err: unknown): PassFailure | undefined {
  if (err instanceof ApplicationFailure)
    return { type: err.type ?? 'Unknown', message: err.message, classified: true };
  if (!(err instanceof ActivityFailure)) return undefined;
  const cause = err.cause;
  if (cause instanceof ApplicationFailure)
    return {
      type: cause.type ?? 'Unknown',
      message: cause.message,
      details: cause.details?.[0],
      classified: true,
    };
  return {
    type: cause?.name ?? 'ActivityFailure',
    message: cause?.message ?? err.message,
    classified: false,
  };
}

/** What a record workflow's search attributes show now (`workflowInfo().typedSearchAttributes`). */
export interface ShownOutcome {
  outcome?: string;
  failure?: string;
  zendeskId?: string;
}

/** Outcomes after which the Zendesk record holds the Salesforce record's mapped values. */
const IN_STEP_OUTCOMES: ReadonlySet<string> = new Set(['created', 'updated', 'unchanged']);

/**
 * Whether a pass's outcome is upserted to the search attributes (one billable Temporal Cloud action
 * each). Every pass upserts, except an unchanged pass that did not retry when the attributes already
 * show the record in step: a created, updated or unchanged outcome, no failure, the same Zendesk ID.
 * Skipping it leaves `SyncOutcome` at the write that made the record current and `LastSyncedAt` at that
 * pass (docs/architecture.md, "Temporal cost per pass"); the state query and the UI's current details
 * still record the unchanged pass.
 */
export function outcomeNeedsUpsert(facts: {
  outcome: OutcomeEntry['outcome'];
  /** The link after the pass. */
  zendeskId: number | undefined;
  /** The pass set SyncRetrying/SyncAttempt, which the upsert clears. */
  retried: boolean;
  shown: ShownOutcome;
}): boolean {
  const { outcome, zendeskId, retried, shown } = facts;
  if (outcome !== 'unchanged' || retried || zendeskId === undefined) return true;
  const inStep = shown.outcome !== undefined && IN_STEP_OUTCOMES.has(shown.outcome) && !shown.failure;
  return !(inStep && shown.zendeskId === String(zendeskId));
}
