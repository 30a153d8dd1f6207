/**
 * The record workflow's passes for a record that stopped being live in Salesforce: deleted (or merged away),
 * undeleted, or a converted Lead. The rules are core/lifecycle.ts; the Zendesk side is
 * activities/sync/lifecycle.ts. Workflow code: deterministic, I/O through activities only.
 *
 * - Deleted, `onDelete: ignore` (the default) or not linked: `deleted-in-salesforce`, nothing written.
 * - Deleted, `tag`: `deletedTag` on the linked record, the link kept: `deleted-tagged`.
 * - Deleted, `unlink`: the link forgotten, external_id cleared if it is the record's own Id: `deleted-unlinked`.
 * - Merged away (MasterRecordId), `tag` or `unlink`: `mergedTag` on the loser's record unless the winner is
 *   linked to it too, the winner's organization for the loser organization's users (accounts), and with
 *   `unlink` the link forgotten: `merged`.
 * - A pass that finds a record the sync acted on alive again (an UNDELETE, or any later pass) removes the tag it
 *   added and runs a full pass (an unlinked record matches again): `restored`.
 * - A converted Lead: `lead-converted`, nothing written.
 */
import type { ActivityInterfaceFor } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { deleteAction } from '../core/lifecycle';
import { FailureType } from './failure-types';
import { convertedMessage, deletionLine, deletionSummary, undoDeletionSummary } from './record-details';
import type { ChangeNotice, DeletionRecord, OutcomeEntry, RecordState, SyncPlan } from './sync-types';
import { zendeskKindOf } from './sync-types';

type Io = ActivityInterfaceFor<Activities>;
type Done = (outcome: OutcomeEntry['outcome'], extra?: Partial<OutcomeEntry>) => OutcomeEntry;

/** A pass whose fetch found the record deleted in Salesforce. */
export async function deletedPass(
  io: Io,
  state: RecordState,
  plan: Extract<SyncPlan, { kind: 'deleted' }>,
  notice: ChangeNotice,
  at: string,
  done: Done,
): Promise<OutcomeEntry> {
  const { object, salesforceId } = state;
  const kind = zendeskKindOf(object);
  const mergedNote = plan.mergedInto ? ` (merged into ${object} ${plan.mergedInto})` : '';
  const mergeDetails = plan.mergedInto ? { details: { masterRecordId: plan.mergedInto } } : {};
  // Handled already: a later pass (a gap, a reconcile) repeats the outcome; a forced one (resync) redoes it,
  // e.g. a merge whose winner had no link yet.
  if (state.deleted && !(notice.force && state.link)) {
    return done(state.deleted.outcome, {
      zendeskId: state.deleted.zendeskId,
      message: `already handled at ${state.deleted.at}: ${deletionLine(object, state.deleted)}`,
    });
  }
  const action = plan.rule
    ? deleteAction(plan.rule, { linked: state.link !== undefined, mergedInto: plan.mergedInto })
    : ({ kind: 'none', reason: 'ignore' } as const);
  if (action.kind === 'none') {
    const why =
      action.reason === 'ignore'
        ? 'onDelete is ignore, so nothing changes in Zendesk'
        : `it is not linked to a Zendesk ${kind}, so there is nothing to change`;
    return done('deleted-in-salesforce', {
      message: `${object} ${salesforceId} is deleted in Salesforce${mergedNote}; ${why}`,
      ...mergeDetails,
    });
  }

  const zendeskId = state.link!.zendeskId;
  const result = await io.applyDeletion.executeWithOptions(
    { summary: deletionSummary(object, zendeskId, action) },
    [{ object, salesforceId, zendeskId, action, externalId: plan.rule?.externalId ?? false }],
  );
  if (result.kind === 'link-lost') {
    state.link = undefined;
    return done('deleted-in-salesforce', {
      zendeskId,
      message: `${object} ${salesforceId} is deleted in Salesforce${mergedNote}, and the Zendesk ${kind} ${zendeskId} it was linked to no longer exists; the link is forgotten`,
      ...mergeDetails,
    });
  }
  if (result.kind === 'protected') {
    return done('failed', {
      failure: FailureType.ProtectedUser,
      message: `Zendesk user ${zendeskId} is an ${result.role}; agents and admins are never modified`,
    });
  }

  const unlinked = action.kind === 'unlink' || (action.kind === 'merge' && action.unlink);
  const outcome: DeletionRecord['outcome'] =
    action.kind === 'merge' ? 'merged' : action.kind === 'tag' ? 'deleted-tagged' : 'deleted-unlinked';
  const deleted: DeletionRecord = {
    at,
    outcome,
    zendeskId,
    unlinked,
    ...(result.tagged ? { tag: result.tagged } : {}),
    ...(result.externalIdCleared ? { externalIdCleared: true } : {}),
    ...(plan.mergedInto ? { mergedInto: plan.mergedInto } : {}),
  };
  state.deleted = deleted;
  if (unlinked) state.link = undefined;

  const merge = result.merge;
  let mergeText = '';
  if (merge) {
    if (merge.target === 'same-record')
      mergeText = `; the winner is linked to the same Zendesk ${kind}, which is left as it is`;
    else if (merge.target === 'winner-not-linked')
      mergeText = `; the winner is not linked to a Zendesk ${kind}, so no memberships were added (resync this record once it is)`;
    else if (kind === 'organization')
      mergeText = `; ${merge.defaultsSet + merge.membershipsAdded} of its users got organization ${merge.winnerZendeskId} (${merge.defaultsSet} as default, ${merge.membershipsAdded} added)${merge.skippedProtected ? `, ${merge.skippedProtected} agents/admins left alone` : ''}`;
  }
  return done(outcome, {
    zendeskId,
    message: `${object} ${salesforceId} ${deletionLine(object, deleted)}${mergeText}`,
    ...(merge ? { details: merge } : {}),
  });
}

/**
 * The record is alive again after a delete the sync acted on: removes the tag it added and forgets the
 * deletion. Returns a sentence for the outcome, which the caller's full pass then follows.
 */
export async function undoDeletion(io: Io, state: RecordState): Promise<string> {
  const deleted = state.deleted!;
  const { object } = state;
  let text = `undeleted in Salesforce (${deleted.mergedInto ? `had been merged into ${object} ${deleted.mergedInto}` : 'had been deleted'})`;
  if (deleted.tag) {
    const tags = [deleted.tag];
    const result = await io.undoDeletion.executeWithOptions(
      { summary: undoDeletionSummary(object, deleted.zendeskId, tags) },
      [{ object, zendeskId: deleted.zendeskId, tags }],
    );
    const target = `${zendeskKindOf(object)} ${deleted.zendeskId}`;
    if (result.kind === 'done')
      text += result.removed.length
        ? `: tag ${deleted.tag} removed from ${target}`
        : `: ${target} no longer had tag ${deleted.tag}`;
    else if (result.kind === 'link-lost') text += `: ${target} no longer exists`;
    else text += `: ${target} is an ${result.role} and was left alone`;
  }
  if (deleted.unlinked) text += '; matched again';
  state.deleted = undefined;
  return text;
}

/** A converted Lead: the pass writes nothing (docs/configuration.md, "Lead conversion"). */
export function convertedPass(
  state: RecordState,
  plan: Extract<SyncPlan, { kind: 'converted' }>,
  at: string,
  done: Done,
): OutcomeEntry {
  state.converted = { ...plan.conversion, at };
  return done('lead-converted', {
    message: `${convertedMessage(state.object, state.salesforceId, plan.conversion)}; a converted lead is not synced, nothing was written`,
    details: {
      convertedContactId: plan.conversion.contactId ?? null,
      convertedAccountId: plan.conversion.accountId ?? null,
      convertedDate: plan.conversion.date ?? null,
    },
  });
}
