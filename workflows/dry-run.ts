/**
 * `sfzd dry-run`: one sync pass that writes nothing. It runs the record workflow's read steps (fetch,
 * filter, map, match unless already linked) and, instead of the write, a read-only preview of the
 * Zendesk requests. Being a workflow on the sync's task queue, it uses the worker's configuration and
 * credentials (the CLI needs none) and it is itself inspectable in the Temporal UI.
 */
import { ActivityFailure, log, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DryRunPreview, DryRunResult } from './dry-run-types';
import { FailureType, NON_RETRYABLE_FAILURES } from './failure-types';
import {
  matchRequest,
  decideAfterWrite,
  decideMatch,
  failureOf,
  isMembershipsOnly,
  previewVerdict,
  stopVerdict,
  writeBackField,
  writeRequest,
  type SyncingPlan,
  type TargetDecision,
} from './pass-decisions';
import { convertedMessage, fetchSummary, findOrganizationSummary, matchSummary } from './record-details';
import {
  zendeskKindOf,
  type MatchResult,
  type RecordLink,
  type SalesforceObject,
  type SyncPlan,
} from './sync-types';

const io = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  // An operator is waiting: a few quick tries, then report the failure instead of retrying for hours.
  // Refused credentials need an operator, and their retries wait minutes: report them at once.
  retry: {
    maximumAttempts: 3,
    initialInterval: '1 second',
    nonRetryableErrorTypes: [
      ...NON_RETRYABLE_FAILURES,
      FailureType.SalesforceAuthFailed,
      FailureType.ZendeskAuthFailed,
    ],
  },
});

export interface DryRunInput {
  object: SalesforceObject;
  salesforceId: string;
}

export async function dryRunRecord(input: DryRunInput): Promise<DryRunResult> {
  const result = await preview(input);
  log.info('dry-run', { verdict: result.verdict, zendeskId: result.zendeskId });
  // The filters' reasons quote the record's values (`… failed (value: '…')`), and current details are
  // shown in clear without SYNC_ENCRYPTION_KEYS: they stay in the result, which `sfzd dry-run` prints.
  const said =
    result.verdict === 'filtered-out'
      ? 'filtered out by the configured filters (the reasons are in the result)'
      : result.message;
  setCurrentDetails(
    `### Dry-run of ${input.object} ${input.salesforceId}\n\n**${result.verdict}**: ${said}\n\n` +
      `${result.diff.filter((r) => r.changed).length} field(s) would change; ${result.requests.length} Zendesk request(s) would be sent. Nothing was written.`,
  );
  return result;
}

async function preview(input: DryRunInput): Promise<DryRunResult> {
  const verdict = verdictOf(input);
  try {
    let link = await readLink(input);
    const plan = await io.fetchAndPlan.executeWithOptions(
      { summary: fetchSummary(input.object, input.salesforceId) },
      [{ object: input.object, salesforceId: input.salesforceId, linked: link !== null }],
    );
    if (plan.kind !== 'sync') return verdict(planVerdict(input, plan));

    // A real pass matches again when the linked record was deleted in Zendesk; so does the dry-run, once.
    for (let relinks = 0; ; relinks++) {
      const foundBy = link ? ('link' as const) : ('match' as const);
      const target: TargetDecision = link
        ? { kind: 'write', zendeskId: link.zendeskId }
        : decideMatch(await matchRecord(input, plan), plan.mode);
      if (target.kind === 'stop') return verdict(stopVerdict(target.stop, input.object, plan.match, foundBy));
      const { p, syncingRecord, membershipsOnly } = await previewWrite(input, plan, link, target.zendeskId);
      const next = decideAfterWrite(p, relinks);
      if (next.kind === 'match-again') {
        link = null;
        continue;
      }
      if (next.kind === 'stop') return verdict(stopVerdict(next.stop, input.object, plan.match, foundBy));
      const written = next.result;
      const writeBack = writeBackField(plan, written.create ? undefined : written.zendeskId);
      return verdict({
        ...previewVerdict({
          object: input.object,
          preview: written,
          foundBy,
          membershipsOf: membershipsOnly ? (syncingRecord ?? undefined) : undefined,
        }),
        diff: written.diff,
        requests: written.requests,
        zendeskId: written.zendeskId,
        foundBy: written.create ? undefined : foundBy,
        writeBack: writeBack ? { field: writeBack, current: plan.syncedIdValue ?? null } : undefined,
      });
    }
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err; // a bug in this workflow: fail the task
    const failure = failureOf(err)!;
    // The same failure a pass would end with (e.g. ValueNotRepresentable), with its details.
    if (failure.classified)
      return verdict({
        verdict: 'failed',
        message: `${failure.type}: ${failure.message}`,
        failure: { type: failure.type, details: failure.details },
      });
    return verdict({ verdict: 'failed', message: failure.message });
  }
}

type Verdict = Pick<DryRunResult, 'verdict' | 'message'> & Partial<DryRunResult>;

/** The result of this dry-run with a verdict; nothing else known yet is empty. */
function verdictOf({ object, salesforceId }: DryRunInput): (v: Verdict) => DryRunResult {
  const base: DryRunResult = {
    object,
    salesforceId,
    zendeskKind: zendeskKindOf(object),
    verdict: 'failed',
    message: '',
    diff: [],
    requests: [],
  };
  return (v) => ({ ...base, ...v });
}

/** The record workflow's link, if it has one (the dry-run never starts the record's workflow). */
function readLink({ object, salesforceId }: DryRunInput): Promise<RecordLink | null> {
  return io.readRecordLink.executeWithOptions({ summary: `read link of ${object} ${salesforceId}` }, [
    { object, salesforceId },
  ]);
}

/** A plan that ends the pass before matching: the record is deleted, disabled, converted or out of scope. */
function planVerdict(
  { object, salesforceId }: DryRunInput,
  plan: Exclude<SyncPlan, { kind: 'sync' }>,
): Verdict {
  switch (plan.kind) {
    case 'deleted':
      return {
        verdict: 'deleted-in-salesforce',
        message: `${object} ${salesforceId} does not exist in Salesforce`,
      };
    case 'disabled':
      return { verdict: 'disabled', message: `not synced: ${plan.reason}` };
    case 'converted':
      return {
        verdict: 'lead-converted',
        message: `${convertedMessage(object, salesforceId, plan.conversion)}; a sync would write nothing`,
      };
    case 'filtered-out':
      return {
        verdict: 'filtered-out',
        message: `filtered out by the configured filters: ${plan.reasons.join('; ')}`,
      };
  }
}

/** As the pass: the one match criterion, or none without a usable match key. */
async function matchRecord(input: DryRunInput, plan: SyncingPlan): Promise<MatchResult> {
  const request = matchRequest(input.object, plan);
  if (!request) return { kind: 'none' };
  return io.resolveMatch.executeWithOptions({ summary: matchSummary(request.lookup) }, [request]);
}

/** The read-only preview of the write step's request, built as the pass builds it. */
async function previewWrite(
  { object, salesforceId }: DryRunInput,
  plan: SyncingPlan,
  link: RecordLink | null,
  zendeskId: number | undefined,
): Promise<{ p: DryRunPreview; syncingRecord: string | null; membershipsOnly: boolean }> {
  const kind = zendeskKindOf(object);
  const organizationId = plan.accountId
    ? await io.findLinkedOrganization.executeWithOptions(
        { summary: findOrganizationSummary(plan.accountId) },
        [{ accountId: plan.accountId }],
      )
    : null;
  const secondaryOrganizationIds = plan.secondaryAccountIds?.length
    ? await io.findLinkedOrganizations.executeWithOptions(
        { summary: `find organizations of ${plan.secondaryAccountIds.length} secondary account(s)` },
        [{ accountIds: plan.secondaryAccountIds }],
      )
    : undefined;
  const syncingRecord =
    plan.sharedUsers && zendeskId !== undefined ? await readSyncingRecord(link, zendeskId) : null;
  const membershipsOnly = isMembershipsOnly(syncingRecord, salesforceId);
  const p = await io.previewZendeskWrite.executeWithOptions(
    {
      summary: `preview ${zendeskId === undefined ? `create ${kind}` : `update ${kind} ${zendeskId}`} (read-only)`,
    },
    [
      writeRequest({
        object,
        salesforceId,
        zendeskId,
        plan,
        link,
        organizationId,
        secondaryOrganizationIds,
        membershipsOnly,
      }),
    ],
  );
  return { p, syncingRecord, membershipsOnly };
}

/** A shared user (users.multipleOrganizations): read who its syncing record is, never claim it. */
async function readSyncingRecord(link: RecordLink | null, zendeskId: number): Promise<string | null> {
  if (link?.zendeskId === zendeskId && link.syncingRecord !== undefined) return link.syncingRecord;
  return io.readSyncingRecord.executeWithOptions(
    { summary: `read the syncing record of user ${zendeskId}` },
    [{ zendeskUserId: zendeskId }],
  );
}
