/**
 * Deletes, merges and undeletes in Zendesk: core/lifecycle.ts decides what a pass does, these activities do
 * it. Every step is idempotent (a tag is added or removed, a membership is checked or its duplicate
 * refusal accepted, external_id is cleared only while it still holds the record's Id), so a retried
 * attempt or a forced pass repeats it safely. Agents and admins are never touched. Nothing is deleted in
 * Zendesk.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  externalIdSetBySync,
  mergeTarget,
  winnerMembershipStep,
  type DeleteAction,
  type MergeTarget,
} from '../../core/lifecycle';
import { ZendeskId } from '../../workflows/search-attributes';
import { recordWorkflowId, zendeskKindOf, type SalesforceObject } from '../../workflows/sync-types';
import type { ZendeskOrganization, ZendeskUser } from '../zendesk/client';
import { ZendeskApiError } from '../zendesk/errors';
import type { SyncDeps } from './deps';
import { parseZendeskId } from './linked-organization';
import { isProtectedRole } from './resolve-match';
import { runClassified } from './run-classified';
import { isSalesforceId } from './salesforce-ids';
import { missingTags } from './write-zendesk';

export interface ApplyDeletionInput {
  object: SalesforceObject;
  salesforceId: string;
  /** The Zendesk record the deleted Salesforce record is linked to. */
  zendeskId: number;
  action: Exclude<DeleteAction, { kind: 'none' }>;
  /** The section's `externalId` (whether the sync wrote the Salesforce Id to external_id). */
  externalId: boolean;
}

/** What a merge did beyond tagging the loser. */
export interface MergeReport {
  masterId: string;
  /** The winner's linked Zendesk record, or null when the winner has no link (yet). */
  winnerZendeskId: number | null;
  target: MergeTarget;
  /** Members of the loser's organization whose default organization became the winner's. */
  defaultsSet: number;
  /** Members that got a membership of the winner's organization besides their default. */
  membershipsAdded: number;
  /** Agents and admins among the members, left alone. */
  skippedProtected: number;
}

export type DeletionResult =
  | { kind: 'done'; tagged?: string; externalIdCleared: boolean; merge?: MergeReport }
  /** The linked Zendesk record no longer exists: there is nothing to mark. */
  | { kind: 'link-lost' }
  | { kind: 'protected'; role: string };

export interface UndoDeletionInput {
  object: SalesforceObject;
  zendeskId: number;
  /** Tags the sync added when the record was deleted or merged. */
  tags: string[];
}

export type UndoDeletionResult =
  { kind: 'done'; removed: string[] } | { kind: 'link-lost' } | { kind: 'protected'; role: string };

const isNotFound = (err: unknown) => err instanceof ZendeskApiError && err.code === 'ZENDESK_NOT_FOUND';

/** The Zendesk record another record workflow is linked to (its ZendeskId search attribute), or null. */
async function linkedZendeskId(
  deps: SyncDeps,
  object: SalesforceObject,
  salesforceId: string,
): Promise<number | null> {
  if (!isSalesforceId(object, salesforceId)) return null;
  try {
    const description = await deps.temporal.workflow
      .getHandle(recordWorkflowId(object, salesforceId))
      .describe();
    return parseZendeskId(description.typedSearchAttributes.get(ZendeskId));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

async function showRecord(
  deps: SyncDeps,
  object: SalesforceObject,
  id: number,
): Promise<ZendeskOrganization | ZendeskUser | null> {
  return zendeskKindOf(object) === 'organization'
    ? deps.zendesk.showOrganization(id)
    : deps.zendesk.showUser(id);
}

/**
 * The members of a merged account's organization get the winner's organization (core winnerMembershipStep).
 * Contacts the merge re-parented also get it from their own pass; doing it here covers every member,
 * including users Zendesk put there by domain or by hand.
 */
async function giveWinnerOrganization(
  deps: SyncDeps,
  loserOrganizationId: number,
  winnerOrganizationId: number,
): Promise<Pick<MergeReport, 'defaultsSet' | 'membershipsAdded' | 'skippedProtected'>> {
  const zd = deps.zendesk;
  const report = { defaultsSet: 0, membershipsAdded: 0, skippedProtected: 0 };
  const memberships = await zd.listOrganizationMemberships(loserOrganizationId);
  const userIds = [...new Set(memberships.map((m) => m.user_id))];
  for (let i = 0; i < userIds.length; i += 100) {
    for (const user of await zd.showManyUsers(userIds.slice(i, i + 100))) {
      const step = winnerMembershipStep(user, loserOrganizationId);
      if (step === 'skip-protected') {
        report.skippedProtected += 1;
      } else if (step === 'set-default') {
        await zd.updateUser(user.id, { organization_id: winnerOrganizationId });
        report.defaultsSet += 1;
      } else {
        try {
          await zd.createMembership(user.id, winnerOrganizationId);
          report.membershipsAdded += 1;
        } catch (err) {
          // Already a member (an earlier attempt, or the user's own pass): nothing to add.
          if (!(err instanceof ZendeskApiError && err.hasDetail('user_id', 'DuplicateValue'))) throw err;
        }
      }
    }
  }
  return report;
}

export function createLifecycleActivities(deps: SyncDeps) {
  return {
    /** Tags, unlinks (clearing external_id) or handles a merge for a record deleted in Salesforce. */
    async applyDeletion(input: ApplyDeletionInput): Promise<DeletionResult> {
      return runClassified(deps, async () => {
        const { object, salesforceId, zendeskId, action } = input;
        const kind = zendeskKindOf(object);
        const zd = deps.zendesk;
        try {
          const current = await showRecord(deps, object, zendeskId);
          if (!current) return { kind: 'link-lost' };
          if ('role' in current && isProtectedRole(current.role))
            return { kind: 'protected', role: current.role };

          let tag: string | undefined;
          let merge: MergeReport | undefined;
          if (action.kind === 'tag') tag = action.tag;
          if (action.kind === 'merge') {
            const winner = await linkedZendeskId(deps, object, action.masterId);
            const target = mergeTarget(zendeskId, winner);
            merge = {
              masterId: action.masterId,
              winnerZendeskId: winner,
              target,
              defaultsSet: 0,
              membershipsAdded: 0,
              skippedProtected: 0,
            };
            // A record the winner is linked to as well lives on as the winner's: it is not marked merged.
            if (target !== 'same-record') tag = action.tag;
            if (target === 'apply' && kind === 'organization' && winner !== null)
              Object.assign(merge, await giveWinnerOrganization(deps, zendeskId, winner));
          }
          if (tag !== undefined && missingTags(current.tags, [tag]).length > 0)
            await zd.addTags(kind, zendeskId, [tag]);

          const unlink = action.kind === 'unlink' || (action.kind === 'merge' && action.unlink);
          let externalIdCleared = false;
          if (
            unlink &&
            merge?.target !== 'same-record' &&
            externalIdSetBySync(input, current.external_id, salesforceId)
          ) {
            if (kind === 'organization') await zd.updateOrganization(zendeskId, { external_id: null });
            else await zd.updateUser(zendeskId, { external_id: null });
            externalIdCleared = true;
          }
          return {
            kind: 'done',
            ...(tag !== undefined ? { tagged: tag } : {}),
            externalIdCleared,
            ...(merge ? { merge } : {}),
          };
        } catch (err) {
          if (isNotFound(err)) return { kind: 'link-lost' };
          throw err;
        }
      });
    },

    /** After an undelete: removes the tags the delete or merge added. */
    async undoDeletion(input: UndoDeletionInput): Promise<UndoDeletionResult> {
      return runClassified(deps, async () => {
        const { object, zendeskId } = input;
        try {
          const current = await showRecord(deps, object, zendeskId);
          if (!current) return { kind: 'link-lost' };
          if ('role' in current && isProtectedRole(current.role))
            return { kind: 'protected', role: current.role };
          const have = new Set(current.tags.map((t) => t.toLowerCase()));
          const removed = input.tags.filter((t) => have.has(t.toLowerCase()));
          if (removed.length > 0) await deps.zendesk.removeTags(zendeskKindOf(object), zendeskId, removed);
          return { kind: 'done', removed };
        } catch (err) {
          if (isNotFound(err)) return { kind: 'link-lost' };
          throw err;
        }
      });
    },
  };
}
