/**
 * One long-lived workflow per Salesforce record (`salesforce/Account/001…`). Changes arrive as signals
 * (signal-with-start), so changes to one record are serialized and a burst coalesces into one pass.
 * The link to Zendesk, the write-back flag and the fingerprint of the last synced values live in the
 * workflow state and are carried across continue-as-new, so they survive worker and server restarts.
 */
import {
  type ActivityInterfaceFor,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  metricMeter,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { FailureType, NON_RETRYABLE_FAILURES } from './failure-types';
import {
  LastSyncedAt,
  SalesforceId,
  SalesforceObject as SalesforceObjectKey,
  SyncAttempt,
  SyncFailure,
  SyncOutcome,
  SyncRetrying,
  ZendeskId,
} from './search-attributes';
import type {
  ChangeNotice,
  MatchResult,
  OutcomeEntry,
  RecordLink,
  RecordState,
  SyncPlan,
  SyncRecordInput,
  WriteResult,
} from './sync-types';
import {
  matchRequest,
  outcomeNeedsUpsert,
  decideAfterWrite,
  decideMatch,
  failureOf,
  isMembershipsOnly,
  isUnchanged,
  stopEntry,
  writeBackField,
  writeRequest,
  writtenOutcome,
  type PassStop,
  type SyncingPlan,
  type TargetDecision,
} from './pass-decisions';
import { adoptFromWriteBack, withNotes } from './adopt-link';
import { convertedPass, deletedPass, undoDeletion } from './record-lifecycle';
import { membershipsSummary, secondaryOrganizations, syncingRecordOf } from './shared-users';
import type { BatchSyncResult } from './bulk-types';
import {
  batchSyncedSignal,
  changedSignal,
  resyncSignal,
  retryingSignal,
  stateQuery,
} from './record-messages';
import {
  fetchSummary,
  findOrganizationSummary,
  matchSummary,
  renderDetails,
  writeBackSummary,
  writeSummary,
} from './record-details';

export { batchSyncedSignal, changedSignal, resyncSignal, retryingSignal, stateQuery };

/**
 * Patch: no search-attribute upsert of SalesforceObject/SalesforceId when the start set them, and none
 * for an unchanged pass the attributes already show (outcomeNeedsUpsert). Histories from before it
 * replay with the upserts they recorded.
 */
export const FEWER_UPSERTS = 'fewer-search-attribute-upserts';

/** Outcomes kept in state (and shown by `sfzd status`); older ones are in the workflow history. */
const OUTCOMES_KEPT = 20;
/** Continue-as-new well before Temporal's history limits, even when the server does not suggest it. */
export const DEFAULT_PASSES_PER_RUN = 100;
/** Longer than the slowest activity (several Zendesk calls of up to 30 s each would be pathological). */
export const DEFAULT_ACTIVITY_TIMEOUT_MS = 2 * 60_000;
/**
 * A worker that dies mid-activity is noticed after this, not after the 2-minute timeout: the worker
 * heartbeats a pass's activities while they run (worker/heartbeat-interceptor.ts), so the retry moves
 * to another worker.
 */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 30_000;

const retry = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '5 minutes',
  nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURES],
};

type Io = ActivityInterfaceFor<Activities>;

export function mergeNotices(a: ChangeNotice | undefined, b: ChangeNotice): ChangeNotice {
  if (!a) return b;
  const changedFields =
    a.changedFields && b.changedFields ? [...new Set([...a.changedFields, ...b.changedFields])] : undefined;
  return { source: a.force ? a.source : b.source, force: Boolean(a.force || b.force), changedFields };
}

export async function syncRecord(input: SyncRecordInput): Promise<void> {
  const state: RecordState = input.state ?? {
    object: input.object,
    salesforceId: input.salesforceId,
    writtenBack: false,
    outcomes: [],
    passes: 0,
  };
  let pending: ChangeNotice | undefined = input.pending;
  let running = false;
  let batch: BatchSyncResult | undefined = input.pendingBatch;

  setHandler(batchSyncedSignal, (result) => {
    batch = result;
  });
  setHandler(changedSignal, (notice) => {
    pending = mergeNotices(pending, notice);
  });
  setHandler(resyncSignal, () => {
    pending = mergeNotices(pending, { source: 'resync', force: true });
  });
  setHandler(retryingSignal, (report) => {
    // Sent by the activity before it reports the failed attempt, so it arrives while the pass runs; a
    // report that arrives later (a slow signal from a pass that has ended) describes nothing current.
    if (!running) return;
    state.retrying = report;
    // One event per retry: the attempt count is what tells a stuck record from a blip.
    upsertSearchAttributes([
      { key: SyncRetrying, value: report.failure },
      { key: SyncAttempt, value: report.attempt },
    ]);
    setCurrentDetails(renderDetails(state));
  });
  setHandler(stateQuery, () => ({ ...state, pending, running }));

  // Signal-with-start sets both at start, free of charge; the upsert repeated them for one action.
  const startedWithKeys = workflowInfo().typedSearchAttributes.get(SalesforceId) === state.salesforceId;
  if (!input.state && !(startedWithKeys && patched(FEWER_UPSERTS))) {
    upsertSearchAttributes([
      { key: SalesforceObjectKey, value: state.object },
      { key: SalesforceId, value: state.salesforceId },
    ]);
  }

  const tuning = input.tuning ?? {};
  const passesPerRun = Math.max(1, tuning.passesPerRun ?? DEFAULT_PASSES_PER_RUN);
  const io: Io = proxyActivities<Activities>({
    startToCloseTimeout: tuning.activityTimeoutMs ?? DEFAULT_ACTIVITY_TIMEOUT_MS,
    heartbeatTimeout: tuning.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
    retry,
  });

  let passesThisRun = 0;
  for (;;) {
    await condition(() => pending !== undefined || batch !== undefined);
    let entry: OutcomeEntry;
    if (batch !== undefined) {
      // Applied between passes, never during one; a pending change still runs its own pass after it.
      const adopted = applyBatch(state, batch);
      batch = undefined;
      if (!adopted) {
        pending = mergeNotices(pending, { source: 'bulk-resync', force: true });
        continue;
      }
      entry = adopted;
    } else {
      const notice = pending!;
      pending = undefined;
      running = true;
      entry = await runPass(io, state, notice);
      running = false;
    }
    state.passes += 1;
    passesThisRun += 1;
    record(state, entry);
    if (workflowInfo().continueAsNewSuggested || passesThisRun >= passesPerRun) {
      // Signals that arrive while handlers finish are kept in `pending` and carried over.
      await condition(allHandlersFinished);
      await continueAsNew<typeof syncRecord>({
        object: state.object,
        salesforceId: state.salesforceId,
        state,
        pending,
        pendingBatch: batch,
        tuning: input.tuning,
      });
    }
  }
}

/**
 * Adopts a batch page's result as this pass's outcome. The race rule: if a pass ran since the batch read
 * this workflow's state, or the workflow is linked to another Zendesk record, the batch may have written
 * older values; then only a missing link and the write-back flag are taken over, and undefined is returned
 * so that a forced pass writes the current values last.
 */
export function applyBatch(state: RecordState, result: BatchSyncResult): OutcomeEntry | undefined {
  const at = nowIso();
  const linkedElsewhere =
    result.zendeskId !== undefined && state.link !== undefined && state.link.zendeskId !== result.zendeskId;
  const wrote = result.outcome === 'created' || result.outcome === 'updated';
  // `created` is set whenever Zendesk was written, even if the write-back failed afterwards (as in a pass).
  if (result.created !== undefined && result.zendeskId !== undefined && !state.link) {
    state.link = { zendeskId: result.zendeskId, via: result.created ? 'created' : 'matched', linkedAt: at };
  }
  if (result.writtenBack && state.link?.zendeskId === result.zendeskId) state.writtenBack = true;
  if (state.passes !== result.basedOnPasses || linkedElsewhere) return undefined;
  if (wrote && result.fingerprint !== undefined) state.fingerprint = result.fingerprint;
  if (result.label !== undefined) state.label = result.label;
  return {
    outcome: result.outcome,
    at,
    trigger: 'bulk-resync',
    zendeskId: state.link?.zendeskId,
    ...(result.failure !== undefined ? { failure: result.failure } : {}),
    ...(result.message !== undefined ? { message: result.message } : {}),
    ...(result.details !== undefined ? { details: result.details } : {}),
  };
}

function nowIso(): string {
  return new Date().toISOString(); // workflow time: deterministic under replay
}

function record(state: RecordState, entry: OutcomeEntry): void {
  // The workflow meter drops increments made while replaying, so each pass counts exactly once.
  metricMeter.createCounter('sfzd_syncs_total', 'passes', 'Record sync passes by outcome').add(1, {
    object: state.object,
    outcome: entry.outcome,
    failure: entry.outcome === 'failed' ? (entry.failure ?? 'Unknown') : 'none',
  });
  // One line per pass; the logger adds workflowId (hence object and Salesforce ID, see worker/telemetry.ts).
  // No message: failure messages can quote record values (names, emails), which stay out of info logs.
  log.info('sync pass', {
    outcome: entry.outcome,
    failure: entry.failure,
    trigger: entry.trigger,
    zendeskId: entry.zendeskId ?? state.link?.zendeskId,
  });
  state.outcomes = [entry, ...state.outcomes].slice(0, OUTCOMES_KEPT);
  if (entry.outcome === 'failed') {
    state.lastError = {
      type: entry.failure ?? 'Unknown',
      message: entry.message ?? '',
      at: entry.at,
      details: entry.details,
    };
  } else if (entry.outcome !== 'unchanged') {
    state.lastError = undefined;
  }
  const wasRetrying = state.retrying !== undefined;
  state.retrying = undefined;
  const shown = workflowInfo().typedSearchAttributes;
  const needsUpsert = outcomeNeedsUpsert({
    outcome: entry.outcome,
    zendeskId: state.link?.zendeskId,
    retried: wasRetrying,
    shown: {
      outcome: shown.get(SyncOutcome),
      failure: shown.get(SyncFailure),
      zendeskId: shown.get(ZendeskId),
    },
  });
  if (!needsUpsert && patched(FEWER_UPSERTS)) return setCurrentDetails(renderDetails(state));
  upsertSearchAttributes([
    { key: SyncOutcome, value: entry.outcome },
    { key: SyncFailure, value: entry.outcome === 'failed' ? (entry.failure ?? 'Unknown') : null },
    { key: ZendeskId, value: state.link ? String(state.link.zendeskId) : null },
    { key: LastSyncedAt, value: new Date() },
    // Only a pass that retried set them: the others leave the upsert as it was.
    ...(wasRetrying
      ? [
          { key: SyncRetrying, value: null },
          { key: SyncAttempt, value: null },
        ]
      : []),
  ]);
  setCurrentDetails(renderDetails(state));
}

/** One pass: fetch, filter, match (unless linked), write, write back once. Never throws. */
async function runPass(io: Io, state: RecordState, notice: ChangeNotice): Promise<OutcomeEntry> {
  const at = nowIso();
  const done = (outcome: OutcomeEntry['outcome'], extra: Partial<OutcomeEntry> = {}): OutcomeEntry => ({
    outcome,
    at,
    trigger: notice.source,
    zendeskId: state.link?.zendeskId,
    ...extra,
  });
  try {
    const plan: SyncPlan = await io.fetchAndPlan.executeWithOptions(
      { summary: fetchSummary(state.object, state.salesforceId) },
      [{ object: state.object, salesforceId: state.salesforceId, linked: state.link !== undefined }],
    );
    if (plan.kind === 'deleted') return await deletedPass(io, state, plan, notice, at, done);
    if (plan.kind === 'disabled')
      return done('failed', { failure: FailureType.ConfigInvalid, message: plan.reason });
    if (plan.kind === 'converted') return convertedPass(state, plan, at, done);
    // Alive again after a delete the sync acted on: undo it, then a full pass (record-lifecycle.ts).
    const restored = state.deleted ? await undoDeletion(io, state) : undefined;
    if (plan.kind === 'filtered-out')
      return done('filtered-out', {
        message: [restored, plan.reasons.join('; ')].filter(Boolean).join('; '),
      });
    state.label = plan.label;
    state.seenFingerprint = plan.fingerprint;
    const unchanged = isUnchanged({
      linked: state.link !== undefined,
      force: Boolean(notice.force),
      restored: Boolean(restored),
      lastFingerprint: state.fingerprint,
      writtenBack: state.writtenBack,
      plan,
    });
    if (unchanged) return done('unchanged');

    const notes: string[] = []; // adoption of a written-back link (adopt-link.ts)
    const written = await writeWithRelink(io, state, plan, at, notes);
    if (written.kind === 'stop') {
      const { outcome, ...extra } = stopEntry(written.stop, state.object, plan.match);
      return done(outcome, withNotes(extra, notes));
    }
    state.fingerprint = plan.fingerprint;
    await writeBackOnce(io, state, plan, written.link);
    const { outcome, ...extra } = writtenEntry(written, restored);
    return done(outcome, withNotes(extra, notes));
  } catch (err) {
    const failure = failureOf(err);
    if (!failure) throw err; // a bug in this workflow: fail the task so it can be fixed and replayed
    return done('failed', {
      failure: failure.type,
      message: failure.message,
      ...('details' in failure ? { details: failure.details } : {}),
    });
  }
}

/** The outcome of a pass that wrote, with the organizations it placed the user in. */
function writtenEntry(
  written: Extract<Written, { kind: 'written' }>,
  restored: string | undefined,
): Pick<OutcomeEntry, 'outcome' | 'zendeskId' | 'message' | 'organizations'> {
  const { zendeskId } = written.link;
  const { outcome, message } = writtenOutcome({
    zendeskId,
    created: written.created,
    restored,
    membershipsOf: written.membershipsOnly ? written.syncingRecord : undefined,
    membershipsAdded: written.organizations?.added.length ?? 0,
  });
  return {
    outcome,
    zendeskId,
    ...(message !== undefined ? { message } : {}),
    ...(written.organizations ? { organizations: written.organizations } : {}),
  };
}

/** What the write step did, once the record is linked to it. */
type Written =
  | { kind: 'stop'; stop: PassStop }
  | {
      kind: 'written';
      link: RecordLink;
      created: boolean;
      organizations: OutcomeEntry['organizations'];
      syncingRecord: string | undefined;
      membershipsOnly: boolean;
    };

/**
 * Writes to the linked Zendesk record, or to the one matching finds (decideMatch). A link lost on the
 * way (the linked record was deleted in Zendesk) is matched again, following the configured mode, once.
 */
async function writeWithRelink(
  io: Io,
  state: RecordState,
  plan: SyncingPlan,
  at: string,
  notes: string[],
): Promise<Written> {
  for (let relinks = 0; ; relinks++) {
    const target: TargetDecision = state.link
      ? { kind: 'write', zendeskId: state.link.zendeskId }
      : ((relinks === 0 ? await adoptFromWriteBack(io, state, plan, notes) : undefined) ??
        decideMatch(await matchRecord(io, state, plan), plan.mode));
    if (target.kind === 'stop') return target;
    const { result, syncingRecord, membershipsOnly } = await writeRecord(io, state, plan, target.zendeskId);
    // The write-back stays done when a link is lost: Zendesk's integration writes the ID back on the
    // first successful sync only, never again, even when the record is re-linked.
    if (result.kind === 'link-lost') state.link = undefined;
    const next = decideAfterWrite(result, relinks);
    if (next.kind === 'match-again') continue;
    if (next.kind === 'stop') return next;
    const link = await linkWritten(io, state, plan, next.result, syncingRecord, at);
    return {
      kind: 'written',
      link,
      created: next.result.created,
      organizations: next.result.organizations,
      syncingRecord,
      membershipsOnly,
    };
  }
}

/** The match of an unlinked record by its one match criterion; none without a usable match key. */
async function matchRecord(io: Io, state: RecordState, plan: SyncingPlan): Promise<MatchResult> {
  const request = matchRequest(state.object, plan);
  if (!request) return { kind: 'none' };
  return io.resolveMatch.executeWithOptions({ summary: matchSummary(request.lookup) }, [request]);
}

/** The write step, with the organizations it places the user in and its syncing record. */
async function writeRecord(
  io: Io,
  state: RecordState,
  plan: SyncingPlan,
  zendeskId: number | undefined,
): Promise<{ result: WriteResult; syncingRecord: string | undefined; membershipsOnly: boolean }> {
  const organizationId = plan.accountId
    ? await io.findLinkedOrganization.executeWithOptions(
        { summary: findOrganizationSummary(plan.accountId) },
        [{ accountId: plan.accountId }],
      )
    : undefined;
  const secondaryOrganizationIds = await secondaryOrganizations(io, plan);
  // users.multipleOrganizations: only the user's syncing record writes its fields.
  const syncingRecord =
    plan.sharedUsers && zendeskId !== undefined ? await syncingRecordOf(io, state, zendeskId) : undefined;
  const membershipsOnly = isMembershipsOnly(syncingRecord, state.salesforceId);
  const result: WriteResult = await io.writeZendesk.executeWithOptions(
    {
      summary:
        membershipsOnly && zendeskId !== undefined
          ? membershipsSummary(zendeskId, syncingRecord!)
          : writeSummary(state.object, zendeskId, plan.changes),
    },
    [
      writeRequest({
        object: state.object,
        salesforceId: state.salesforceId,
        zendeskId,
        plan,
        link: state.link,
        organizationId,
        secondaryOrganizationIds,
        membershipsOnly,
      }),
    ],
  );
  return { result, syncingRecord, membershipsOnly };
}

/** Links the record to what the write step wrote, and remembers the default organization it set. */
async function linkWritten(
  io: Io,
  state: RecordState,
  plan: SyncingPlan,
  result: Extract<WriteResult, { kind: 'written' }>,
  syncingRecord: string | undefined,
  at: string,
): Promise<RecordLink> {
  if (!state.link || state.link.zendeskId !== result.zendeskId) {
    state.link = { zendeskId: result.zendeskId, via: result.created ? 'created' : 'matched', linkedAt: at };
  }
  const link = state.link;
  if (result.defaultOrganizationId !== undefined) link.defaultOrganizationId = result.defaultOrganizationId;
  // A user this pass created is claimed now (almost always by this contact, which just made it).
  if (plan.sharedUsers)
    link.syncingRecord = syncingRecord ?? (await syncingRecordOf(io, state, result.zendeskId));
  return link;
}

/** Writes the Zendesk ID back to Salesforce once per link, as Zendesk's integration does. */
async function writeBackOnce(io: Io, state: RecordState, plan: SyncingPlan, link: RecordLink): Promise<void> {
  if (!plan.syncedIdField || state.writtenBack) return;
  // Salesforce may hold the ID already (an earlier run of this workflow, or an admin): no write needed.
  const field = writeBackField(plan, link.zendeskId);
  if (field) {
    await io.writeBackZendeskId.executeWithOptions({ summary: writeBackSummary(field, link.zendeskId) }, [
      { object: state.object, salesforceId: state.salesforceId, field, zendeskId: link.zendeskId },
    ]);
  }
  state.writtenBack = true;
}
