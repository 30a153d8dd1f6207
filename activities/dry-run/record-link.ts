/**
 * The Zendesk record a Salesforce record is linked to, read from its record workflow's `state` query,
 * so a dry-run shows an update of the linked record instead of matching again (as a real pass does).
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { readRecordState } from '../../common/record-workflows';
import type { RecordLink, SalesforceObject } from '../../workflows/sync-types';
import type { SyncDeps } from '../sync/deps';
import { assertSalesforceId } from '../sync/salesforce-ids';

export function createReadRecordLink(deps: SyncDeps) {
  return async function readRecordLink(input: {
    object: SalesforceObject;
    salesforceId: string;
  }): Promise<RecordLink | null> {
    assertSalesforceId(input.object, input.salesforceId);
    try {
      return (await readRecordState(deps.temporal, input)).link ?? null;
    } catch (err) {
      // Never synced (or its workflow was terminated): a real pass would match, and so does the dry-run.
      if (err instanceof WorkflowNotFoundError || (err as Error).name === 'WorkflowNotFoundError')
        return null;
      throw err;
    }
  };
}
