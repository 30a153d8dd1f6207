/**
 * Claims a search-backed match value before a create, so a second Salesforce record with the same value
 * links to the record the first one created instead of duplicating it while Zendesk's search index lags
 * (the rule and why a workflow ID decides it: workflows/match-claim.ts, docs/configuration.md "Match").
 */
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { isSearchLookup, type MatchLookup } from '../../core';
import { FailureType } from '../../workflows/failure-types';
import {
  matchClaimCreatedSignal,
  matchClaimReleasedSignal,
  type MatchClaimInput,
} from '../../workflows/match-claim';
import { matchField } from '../../workflows/record-details';
import { SalesforceId, ZendeskId } from '../../workflows/search-attributes';
import type { WriteRequest } from '../../workflows/sync-types';
import type { SyncDeps } from './deps';
import { parseZendeskId } from './linked-organization';

export type MatchClaim =
  /** This record holds the value; `zendeskId` when an earlier attempt of it already created. */
  | { kind: 'ours'; workflowId: string; zendeskId?: number }
  /** Another record created the Zendesk record for this value moments ago: link to it. */
  | { kind: 'taken'; zendeskId: number; salesforceId: string };

/**
 * Whether a create must claim its match value first: only values found through the Search API. Name and
 * external_id have read-after-write exact lookups (and Zendesk keeps both unique); a taken email is
 * refused by Zendesk itself, which the create turns into a short ZendeskIndexLag retry.
 */
export function needsClaim(lookup: MatchLookup | undefined): lookup is MatchLookup {
  return lookup !== undefined && isSearchLookup(lookup) && lookup.kind !== 'user_by_email';
}

/** `zendesk/<kind>/match/<sha-256 of lookup kind, key and lower-cased value>`: no value in the ID. */
export function matchClaimWorkflowId(lookup: MatchLookup): string {
  const kind = lookup.kind.startsWith('organization_') ? 'organization' : 'user';
  const key = 'key' in lookup ? lookup.key : '';
  const hash = createHash('sha256')
    .update(`${lookup.kind}\u0000${key}\u0000${lookup.value.trim().toLowerCase()}`)
    .digest('hex');
  return `zendesk/${kind}/match/${hash}`;
}

async function holderOf(
  deps: SyncDeps,
  workflowId: string,
): Promise<{ salesforceId?: string; zendeskId: number | null } | undefined> {
  try {
    const d = await deps.temporal.workflow.getHandle(workflowId).describe();
    if (d.status.name !== 'RUNNING') return undefined;
    return {
      salesforceId: d.typedSearchAttributes.get(SalesforceId),
      zendeskId: parseZendeskId(d.typedSearchAttributes.get(ZendeskId)),
    };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/**
 * Claims the request's match value, or says who holds it. Throws a retryable ZendeskIndexLag while
 * another record holds it without having created yet. Undefined: no claim needed.
 */
export async function claimMatchValue(deps: SyncDeps, req: WriteRequest): Promise<MatchClaim | undefined> {
  const lookup = req.match;
  if (!needsClaim(lookup)) return undefined;
  const workflowId = matchClaimWorkflowId(lookup);
  const input: MatchClaimInput = { salesforceId: req.salesforceId, field: matchField(lookup) };
  // Two rounds: the holder may end between a refused start and the describe.
  for (let round = 0; round < 2; round++) {
    try {
      await deps.temporal.workflow.start('matchValueClaim', {
        workflowId,
        taskQueue: Context.current().info.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        // IDs only: search attributes are never encrypted.
        typedSearchAttributes: [{ key: SalesforceId, value: req.salesforceId }],
      });
      return { kind: 'ours', workflowId };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    const holder = await holderOf(deps, workflowId);
    if (!holder) continue;
    if (holder.salesforceId === req.salesforceId)
      return {
        kind: 'ours',
        workflowId,
        ...(holder.zendeskId !== null ? { zendeskId: holder.zendeskId } : {}),
      };
    if (holder.zendeskId !== null)
      return { kind: 'taken', zendeskId: holder.zendeskId, salesforceId: holder.salesforceId ?? 'unknown' };
    throw ApplicationFailure.create({
      type: FailureType.ZendeskIndexLag,
      message: `${req.object} ${holder.salesforceId ?? 'another record'} is creating the Zendesk record for the same ${input.field} value; this record links to it once it exists`,
    });
  }
  throw new Error(`the ${input.field} match value could not be claimed or read`);
}

/** Publishes the created record's ID on the claim (other records link to it). */
export async function settleClaim(deps: SyncDeps, claim: MatchClaim | undefined, zendeskId: number) {
  if (claim?.kind !== 'ours' || claim.zendeskId !== undefined) return;
  await deps.temporal.workflow.getHandle(claim.workflowId).signal(matchClaimCreatedSignal, zendeskId);
}

/** Frees the value after a create that did not happen (best effort: the claim also expires by itself). */
export async function releaseClaim(deps: SyncDeps, claim: MatchClaim | undefined): Promise<void> {
  if (claim?.kind !== 'ours' || claim.zendeskId !== undefined) return;
  await deps.temporal.workflow
    .getHandle(claim.workflowId)
    .signal(matchClaimReleasedSignal)
    .catch(() => undefined);
}
