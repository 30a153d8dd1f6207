/** Reading one record workflow's state, with "never synced" turned into an operator message. */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { readRecordState } from '../../common/record-workflows';
import type { RecordStateView } from '../../workflows/record-messages';
import { recordWorkflowId, type SalesforceObject } from '../../workflows/sync-types';
import { CliError } from './errors';

export async function fetchRecordState(
  client: Client,
  object: SalesforceObject,
  salesforceId: string,
): Promise<RecordStateView> {
  try {
    return await readRecordState(client, { object, salesforceId });
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || (err as Error).name === 'WorkflowNotFoundError')
      throw new CliError(
        'RECORD_NOT_SYNCED',
        `no sync workflow ${recordWorkflowId(object, salesforceId)}: the record was never synced; run \`sfzd resync ${object} ${salesforceId}\``,
      );
    throw err;
  }
}
