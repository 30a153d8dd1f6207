/**
 * `sfzd dry-run`: one sync pass that writes nothing. It runs the record workflow's read steps (fetch,
 * filter, map, match unless already linked) and, instead of the write, a read-only preview of the
 * Zendesk requests. Being a workflow on the sync's task queue, it uses the worker's configuration and
 * credentials (the CLI needs none) and it is itself inspectable in the Temporal UI.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  log,
  proxyActivities,
  setCurrentDetails,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DryRunResult } from './dry-run-types';
import { FailureType, NON_RETRYABLE_FAILURES } from './failure-types';
import { convertedMessage, fetchSummary, findOrganizationSummary, matchSummary } from './record-details';
import { zendeskKindOf, type MatchResult, type RecordLink, type SalesforceObject } from './sync-types';

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
  const { object, salesforceId } = input;
  const kind = zendeskKindOf(object);
  const base: DryRunResult = {
    object,
    salesforceId,
    zendeskKind: kind,
    verdict: 'failed',
    message: '',
    diff: [],
    requests: [],
  };
  const verdict = (
    v: DryRunResult['verdict'],
    message: string,
    extra: Partial<DryRunResult> = {},
  ): DryRunResult => ({
    ...base,
    verdict: v,
    message,
    ...extra,
  });
  try {
    let link: RecordLink | null = await io.readRecordLink.executeWithOptions(
      { summary: `read link of ${object} ${salesforceId}` },
      [{ object, salesforceId }],
    );
    const plan = await io.fetchAndPlan.executeWithOptions({ summary: fetchSummary(object, salesforceId) }, [
      { object, salesforceId, linked: link !== null },
    ]);
    if (plan.kind === 'deleted')
      return verdict('deleted-in-salesforce', `${object} ${salesforceId} does not exist in Salesforce`);
    if (plan.kind === 'disabled') return verdict('disabled', `not synced: ${plan.reason}`);
    if (plan.kind === 'converted')
      return verdict(
        'lead-converted',
        `${convertedMessage(object, salesforceId, plan.conversion)}; a sync would write nothing`,
      );
    if (plan.kind === 'filtered-out')
      return verdict('filtered-out', `filtered out by the configured filters: ${plan.reasons.join('; ')}`);

    // A real pass matches again when the linked record was deleted in Zendesk; so does the dry-run, once.
    for (let attempt = 0; attempt < 2; attempt++) {
      let zendeskId = link?.zendeskId;
      const foundBy = link ? ('link' as const) : ('match' as const);
      if (zendeskId === undefined) {
        const match: MatchResult = plan.match
          ? await io.resolveMatch.executeWithOptions({ summary: matchSummary(plan.match) }, [
              {
                object,
                lookup: plan.match,
                ...(plan.externalIdFirst ? { externalIdFirst: plan.externalIdFirst } : {}),
              },
            ])
          : { kind: 'none' };
        if (match.kind === 'many')
          return verdict(
            'multiple-matches',
            `${match.candidateIds.length} Zendesk ${kind}s match ${plan.match?.kind.replace(/_/g, ' ')}: ${match.candidateIds.join(', ')}; a sync would write nothing (MultipleMatches)`,
            { candidateIds: match.candidateIds },
          );
        if (match.kind === 'protected')
          return verdict(
            'protected',
            `Zendesk user ${match.zendeskId} is an ${match.role}; agents and admins are never modified (ProtectedUser)`,
            { zendeskId: match.zendeskId, foundBy },
          );
        if (match.kind === 'none' && plan.mode === 'update-only')
          return verdict(
            'skipped-update-only',
            `no Zendesk ${kind} matches and the mode is update-only: nothing would be created`,
          );
        zendeskId = match.kind === 'one' ? match.zendeskId : undefined;
      }
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
      // A shared user (users.multipleOrganizations): read who its syncing record is, never claim it.
      const syncingRecord =
        plan.sharedUsers && zendeskId !== undefined
          ? link?.zendeskId === zendeskId && link.syncingRecord !== undefined
            ? link.syncingRecord
            : await io.readSyncingRecord.executeWithOptions(
                { summary: `read the syncing record of user ${zendeskId}` },
                [{ zendeskUserId: zendeskId }],
              )
          : null;
      const membershipsOnly = syncingRecord !== null && syncingRecord !== salesforceId;
      const syncDefault = link?.zendeskId === zendeskId ? link?.defaultOrganizationId : undefined;
      const p = await io.previewZendeskWrite.executeWithOptions(
        {
          summary: `preview ${zendeskId === undefined ? `create ${kind}` : `update ${kind} ${zendeskId}`} (read-only)`,
        },
        [
          {
            object,
            salesforceId,
            zendeskId,
            changes: plan.changes,
            organizationId: organizationId ?? undefined,
            ...(secondaryOrganizationIds ? { secondaryOrganizationIds } : {}),
            ...(syncDefault !== undefined ? { syncDefaultOrganizationId: syncDefault } : {}),
            ...(membershipsOnly ? { membershipsOnly } : {}),
          },
        ],
      );
      if (p.kind === 'link-lost') {
        link = null;
        continue;
      }
      if (p.kind === 'protected')
        return verdict(
          'protected',
          `Zendesk user ${p.zendeskId} is an ${p.role}; agents and admins are never modified (ProtectedUser)`,
          { zendeskId: p.zendeskId, foundBy },
        );
      const changed = p.diff.filter((r) => r.changed).length;
      const writeBack =
        plan.syncedIdField && (p.create || plan.syncedIdValue !== String(p.zendeskId))
          ? { field: plan.syncedIdField, current: plan.syncedIdValue ?? null }
          : undefined;
      const extra = {
        diff: p.diff,
        requests: p.requests,
        zendeskId: p.zendeskId,
        foundBy: p.create ? undefined : foundBy,
        writeBack,
      };
      if (p.create)
        return verdict('would-create', `no Zendesk ${kind} matches: a new ${kind} would be created`, extra);
      const via = foundBy === 'link' ? 'linked' : 'matched';
      if (membershipsOnly)
        return verdict(
          changed === 0 ? 'no-change' : 'would-update',
          `${via} Zendesk ${kind} ${p.zendeskId}: Contact ${syncingRecord} is its syncing record, so only organization memberships would be added (${changed} change(s))`,
          extra,
        );
      if (changed === 0)
        return verdict(
          'no-change',
          `${via} Zendesk ${kind} ${p.zendeskId} already has every mapped value`,
          extra,
        );
      return verdict(
        'would-update',
        `${via} Zendesk ${kind} ${p.zendeskId}: ${changed} field(s) would change`,
        extra,
      );
    }
    return verdict('failed', `the linked Zendesk ${kind} no longer exists and matching found it gone too`);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err; // a bug in this workflow: fail the task
    const cause = err.cause;
    // The same failure a pass would end with (e.g. ValueNotRepresentable), with its details.
    if (cause instanceof ApplicationFailure)
      return verdict('failed', `${cause.type ?? 'Unknown'}: ${cause.message}`, {
        failure: { type: cause.type ?? 'Unknown', details: cause.details?.[0] },
      });
    return verdict('failed', cause?.message ?? err.message);
  }
}
