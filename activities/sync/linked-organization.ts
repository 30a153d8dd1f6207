/**
 * A contact joins the organization its account is linked to. The link lives in the account's record
 * workflow, which publishes it as the `ZendeskId` search attribute after every pass. It is read with
 * `describe`, which the server answers from the workflow's stored state: a query would have to wait for
 * a worker to load the account's workflow, and under a burst (every worker slot taken by passes) it
 * timed out after 30 s and stalled the contact's pass.
 *
 * An account without a workflow may have been linked by a batch backfill, which starts none: then the
 * link is the Zendesk ID in the account's write-back field, taken only if it is the account's own (the
 * adoption rule of adopt-link.ts: a cloned account's copied value is refused). Otherwise no account
 * workflow (or no link yet) means no membership, as in Zendesk's integration, where the account must
 * have synced first.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { ZendeskId } from '../../workflows/search-attributes';
import { recordWorkflowId } from '../../workflows/sync-types';
import type { SyncDeps } from './deps';
import { runClassified } from './run-classified';
import { isSalesforceId } from './salesforce-ids';
import { ownsWriteBackValue } from './adopt-link';
import { toSalesforceApiError } from '../salesforce/errors';

async function linkOf(deps: SyncDeps, accountId: string): Promise<number | null> {
  if (!isSalesforceId('Account', accountId)) return null;
  const handle = deps.temporal.workflow.getHandle(recordWorkflowId('Account', accountId));
  try {
    const description = await handle.describe();
    return parseZendeskId(description.typedSearchAttributes.get(ZendeskId));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return linkFromWriteBack(deps, accountId);
    throw err;
  }
}

/** The account's written-back Zendesk ID, if the account owns it; null without one. */
async function linkFromWriteBack(deps: SyncDeps, accountId: string): Promise<number | null> {
  const field = deps.context().config.accounts.syncedIdField;
  if (!field) return null;
  // The field comes from the validated configuration and the Id was validated above.
  const soql = `SELECT Id, ${field} FROM Account WHERE Id = '${accountId}'`;
  const conn = await deps.salesforce.connection();
  let value: unknown;
  try {
    value = (await conn.query<Record<string, unknown>>(soql)).records[0]?.[field];
  } catch (err) {
    throw toSalesforceApiError(err, `query Account ${field}`);
  }
  if (typeof value !== 'string' || value.trim() === '') return null;
  const owned = await ownsWriteBackValue(deps, 'Account', accountId, value);
  return owned.kind === 'adopted' ? owned.zendeskId : null;
}

export function createFindLinkedOrganization(deps: SyncDeps) {
  return async function findLinkedOrganization(input: { accountId: string }): Promise<number | null> {
    // Classified like the API calls: a Temporal server that does not answer is TemporalUnavailable.
    return runClassified(deps, () => linkOf(deps, input.accountId));
  };
}

/** Many accounts at once (a contact's secondary relationships): the organizations of those that synced. */
export function createFindLinkedOrganizations(deps: SyncDeps) {
  return async function findLinkedOrganizations(input: { accountIds: string[] }): Promise<number[]> {
    return runClassified(deps, async () => {
      const ids = await Promise.all(input.accountIds.map((id) => linkOf(deps, id)));
      return [...new Set(ids.filter((id): id is number => id !== null))];
    });
  };
}

export function parseZendeskId(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,16}$/.test(value)) return null;
  return Number(value);
}
