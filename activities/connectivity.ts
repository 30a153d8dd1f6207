/**
 * "Can this worker reach both systems with the configured credentials?" — the first thing to check
 * at 3 a.m., and the workflow that proves a fresh install end to end.
 */
import type { SalesforceSession } from './salesforce/session';
import type { ZendeskClient } from './zendesk/client';

export interface SalesforceCheck {
  instanceUrl: string;
  organizationId: string;
  userId: string;
  apiVersion: string;
  dailyApiRequests: { max: number; remaining: number };
}

export interface ZendeskCheck {
  userId: number;
  role: string;
  /** The sync writes organizations and users, which needs an admin (or an agent with a custom role). */
  canManageUsers: boolean;
}

export function createConnectivityActivities(deps: {
  salesforce: SalesforceSession;
  zendesk: ZendeskClient;
}) {
  return {
    async checkSalesforce(): Promise<SalesforceCheck> {
      const conn = await deps.salesforce.connection();
      const limits = await conn.limits();
      const daily = limits.DailyApiRequests ?? { Max: 0, Remaining: 0 };
      return {
        instanceUrl: conn.instanceUrl,
        organizationId: conn.userInfo?.organizationId ?? '',
        userId: conn.userInfo?.id ?? '',
        apiVersion: conn.version,
        dailyApiRequests: { max: daily.Max, remaining: daily.Remaining },
      };
    },

    async checkZendesk(): Promise<ZendeskCheck> {
      const user = await deps.zendesk.me();
      return { userId: user.id, role: user.role, canManageUsers: user.role === 'admin' };
    },
  };
}
