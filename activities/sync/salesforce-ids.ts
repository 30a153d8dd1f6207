/**
 * Salesforce IDs reach SOQL and the REST path, so they are validated, not escaped: 15 or 18
 * alphanumerics with the key prefix of the object.
 */
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../../workflows/failure-types';
import type { SalesforceObject } from '../../workflows/sync-types';

export const KEY_PREFIX: Record<SalesforceObject, string> = { Account: '001', Contact: '003', Lead: '00Q' };

export function isSalesforceId(object: SalesforceObject, id: string): boolean {
  return /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id) && id.startsWith(KEY_PREFIX[object]);
}

export function assertSalesforceId(object: SalesforceObject, id: string): void {
  if (!isSalesforceId(object, id)) {
    throw ApplicationFailure.create({
      type: FailureType.SalesforceRejected,
      nonRetryable: true,
      message: `'${id}' is not a ${object} ID (15 or 18 letters and digits starting with ${KEY_PREFIX[object]})`,
    });
  }
}
