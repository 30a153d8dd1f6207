/**
 * The "syncing record" of a Zendesk user that several Salesforce contacts share (users.multipleOrganizations):
 * the one contact whose fields update the user; the others only add memberships. Zendesk's integration
 * makes it "the first contact or lead linked" (support.zendesk.com article 4408832217882).
 *
 * Who was first must be decided once, even when several contacts link to the user at the same moment
 * (a bulk resync, two contacts created together). Temporal decides it: a workflow with the ID
 * `zendesk/user/<id>/syncing-record` can run only once at a time, so of the contacts that start it,
 * exactly one succeeds; the others read its `SalesforceId` search attribute (describe, answered by the
 * server from stored state, strongly consistent). The workflow does nothing but hold that ID: it waits
 * forever, costs no worker time after its first task, and terminating it hands the role to the next
 * contact that links (docs/architecture.md).
 */
import { condition, setCurrentDetails } from '@temporalio/workflow';

export interface SyncingRecordInput {
  zendeskUserId: number;
  /** The Salesforce Contact Id that claimed the user. */
  salesforceId: string;
}

export const syncingRecordWorkflowId = (zendeskUserId: number): string =>
  `zendesk/user/${zendeskUserId}/syncing-record`;

export async function userSyncingRecord(input: SyncingRecordInput): Promise<void> {
  setCurrentDetails(
    `**Zendesk user ${input.zendeskUserId}: syncing record Contact ${input.salesforceId}**\n\n` +
      `Contact ${input.salesforceId} writes this user's fields; other contacts linked to the user only add ` +
      'organization memberships. Terminate this workflow to let the next contact that syncs take the role.',
  );
  await condition(() => false);
}
