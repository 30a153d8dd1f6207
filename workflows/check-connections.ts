import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { SalesforceCheck, ZendeskCheck } from '../activities/connectivity';

const { checkSalesforce, checkZendesk } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // A connectivity check should answer quickly, not retry for hours: three tries, then report.
  retry: { maximumAttempts: 3, initialInterval: '1 second' },
});

export interface ConnectionReport {
  salesforce: SalesforceCheck;
  zendesk: ZendeskCheck;
}

/** Checks both systems in parallel and returns what the worker sees. */
export async function checkConnections(): Promise<ConnectionReport> {
  const [salesforce, zendesk] = await Promise.all([checkSalesforce(), checkZendesk()]);
  return { salesforce, zendesk };
}
