/**
 * A contact joins the organization its account is linked to. The link lives in the account's record
 * workflow, so it is read with a query; no account workflow (or no link yet) means no membership,
 * as in Zendesk's integration, where the account must have synced first.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { stateQuery } from '../../workflows/record-messages';
import { recordWorkflowId } from '../../workflows/sync-types';
import type { SyncDeps } from './deps';
import { isSalesforceId } from './salesforce-ids';

export function createFindLinkedOrganization(deps: SyncDeps) {
  return async function findLinkedOrganization(input: { accountId: string }): Promise<number | null> {
    if (!isSalesforceId('Account', input.accountId)) return null;
    const handle = deps.temporal.workflow.getHandle(recordWorkflowId('Account', input.accountId));
    try {
      const state = await handle.query(stateQuery);
      return state.link?.zendeskId ?? null;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    }
  };
}
