/**
 * Step 5: write the Zendesk ID into the configured Salesforce field, once. The workflow calls this only
 * on the first successful sync; a retry after a worker died mid-call reads the field first, so the
 * Salesforce record is written exactly once.
 */
import { ApplicationFailure } from '@temporalio/common';
import { redactContactValues } from '../../core/redact';
import { FailureType } from '../../workflows/failure-types';
import type { SalesforceObject } from '../../workflows/sync-types';
import { toSalesforceApiError } from '../salesforce/errors';
import type { SyncDeps } from './deps';
import { isRetryAttempt, runClassified } from './run-classified';
import { assertSalesforceId } from './salesforce-ids';

export interface WriteBackInput {
  object: SalesforceObject;
  salesforceId: string;
  field: string;
  zendeskId: number;
}

export function createWriteBack(deps: SyncDeps) {
  return async function writeBackZendeskId(input: WriteBackInput): Promise<{ written: boolean }> {
    return runClassified(deps, async () => {
      assertSalesforceId(input.object, input.salesforceId);
      const { config } = deps.context();
      const section = input.object === 'Account' ? config.accounts : config.users;
      if (section.syncedIdField !== input.field) {
        // The configuration changed since the plan was made; the field name is only trusted from config.
        throw ApplicationFailure.create({
          type: FailureType.ConfigInvalid,
          nonRetryable: true,
          message: `syncedIdField is no longer ${input.field}`,
        });
      }
      const value = String(input.zendeskId);
      const conn = await deps.salesforce.connection();
      try {
        if (isRetryAttempt()) {
          const soql = `SELECT Id, ${input.field} FROM ${input.object} WHERE Id = '${input.salesforceId}'`;
          const current = (await conn.query<Record<string, unknown>>(soql)).records[0];
          if (current?.[input.field] === value) return { written: false };
        }
        const result = await conn
          .sobject(input.object)
          .update({ Id: input.salesforceId, [input.field]: value });
        if (!result.success) {
          const errors =
            (result as { errors?: Array<{ errorCode?: string; message?: string }> }).errors ?? [];
          throw ApplicationFailure.create({
            type: FailureType.SalesforceRejected,
            nonRetryable: true,
            // Salesforce's text (a validation rule's) is redacted here; the details keep it as it was.
            message: `Salesforce refused to write ${input.field}: ${errors.map((e) => `${e.errorCode}: ${redactContactValues(e.message ?? '')}`).join('; ')}`,
            details: [errors],
          });
        }
        return { written: true };
      } catch (err) {
        if (err instanceof ApplicationFailure) throw err;
        throw toSalesforceApiError(err, `write back ${input.field} on ${input.object} ${input.salesforceId}`);
      }
    });
  };
}
