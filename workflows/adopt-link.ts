/**
 * A pass of an unlinked record whose write-back field holds a Zendesk ID adopts that link instead of
 * matching (a search) or creating again: a batch backfill links accounts without starting their
 * workflows, and the written-back ID is the record of the link (docs/architecture.md, "A batch backfill
 * starts no workflows"). The `adoptLink` activity checks the value is the record's own; a refusal (a
 * clone carrying its original's value) leaves the pass to its normal match, and the outcome says why.
 */
import { type ActivityInterfaceFor, patched } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { TargetDecision, SyncingPlan } from './pass-decisions';
import type { OutcomeEntry, RecordState } from './sync-types';

/** Adds one patch marker to histories that reach it; older histories replay without the activity. */
export const ADOPT_LINK_PATCH = 'adopt-link-from-write-back';

/**
 * The Zendesk record to write to, adopted from the write-back field, or undefined to match as before.
 * Only for a record that has not written back itself: one that did and lost its link matches again.
 * `notes` receives what the outcome should say (adopted, or why not).
 */
export async function adoptFromWriteBack(
  io: ActivityInterfaceFor<Activities>,
  state: RecordState,
  plan: Pick<SyncingPlan, 'syncedIdField' | 'syncedIdValue'>,
  notes: string[],
): Promise<TargetDecision | undefined> {
  const value = plan.syncedIdValue?.trim();
  if (!plan.syncedIdField || !value || state.writtenBack || state.link) return undefined;
  if (!patched(ADOPT_LINK_PATCH)) return undefined;
  const result = await io.adoptLink.executeWithOptions(
    { summary: `adopt the link in ${plan.syncedIdField}` },
    [{ object: state.object, salesforceId: state.salesforceId, value }],
  );
  if (result.kind === 'refused') {
    notes.push(`link in ${plan.syncedIdField} not adopted: ${result.reason}`);
    return undefined;
  }
  notes.push(`adopted the link to ${result.zendeskId} from ${plan.syncedIdField}`);
  return { kind: 'write', zendeskId: result.zendeskId };
}

/** The outcome's message with the adoption notes appended. */
export function withNotes<T extends Pick<OutcomeEntry, 'message'>>(extra: T, notes: string[]): T {
  if (notes.length === 0) return extra;
  return { ...extra, message: [extra.message, ...notes].filter(Boolean).join('; ') };
}
