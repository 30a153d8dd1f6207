/**
 * The parts of a record pass that users.multipleOrganizations and users.secondaryRelationships add:
 * which contact is a shared user's syncing record, and the organizations of a contact's secondary
 * accounts. Workflow code (deterministic): everything it learns comes from activities.
 */
import type { ActivityInterfaceFor } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { RecordState, SyncPlan } from './sync-types';

type Io = ActivityInterfaceFor<Activities>;
type SyncingPlan = Extract<SyncPlan, { kind: 'sync' }>;

/** The organizations linked to the contact's secondary accounts; undefined (no activity) without any. */
export async function secondaryOrganizations(io: Io, plan: SyncingPlan): Promise<number[] | undefined> {
  const accountIds = plan.secondaryAccountIds;
  if (!accountIds?.length) return undefined;
  return io.findLinkedOrganizations.executeWithOptions(
    { summary: `find organizations of ${accountIds.length} secondary account(s)` },
    [{ accountIds }],
  );
}

/**
 * The syncing record of user `zendeskId`: remembered with the link, or claimed (the first contact to
 * claim a user holds it for good; workflows/syncing-record.ts).
 */
export async function syncingRecordOf(io: Io, state: RecordState, zendeskId: number): Promise<string> {
  if (state.link?.zendeskId === zendeskId && state.link.syncingRecord !== undefined)
    return state.link.syncingRecord;
  const claim = await io.claimSyncingRecord.executeWithOptions(
    { summary: `claim the syncing record of user ${zendeskId}` },
    [{ zendeskUserId: zendeskId, salesforceId: state.salesforceId }],
  );
  return claim.syncingRecord;
}

/** `add memberships to user 123 (Contact 003… is its syncing record)` */
export function membershipsSummary(zendeskId: number, syncingRecord: string): string {
  return `add memberships to user ${zendeskId} (Contact ${syncingRecord} is its syncing record)`;
}

/** The message of a pass that only added memberships: IDs only. */
export function notSyncingRecordMessage(zendeskId: number, syncingRecord: string): string {
  return `Contact ${syncingRecord} is the syncing record of Zendesk user ${zendeskId}: this contact only adds organization memberships`;
}
