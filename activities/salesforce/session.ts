/**
 * One logged-in jsforce Connection shared by every activity in a worker process. Logging in per
 * activity would double the Salesforce API cost of each sync; jsforce refreshes the token itself.
 */
import type { Connection } from 'jsforce';
import type { SalesforceCredentials } from '../../common/env';
import { connectSalesforce } from './connection';
import { toSalesforceApiError } from './errors';

export class SalesforceSession {
  private pending: Promise<Connection> | undefined;

  constructor(private readonly credentials: SalesforceCredentials) {}

  /**
   * The shared connection, logging in first if needed. A refused login (invalid_client, invalid_grant…)
   * is classified like every other Salesforce failure (SALESFORCE_AUTH_FAILED), so the pass shows
   * SalesforceAuthFailed and retries slowly instead of surfacing jsforce's raw error.
   */
  connection(): Promise<Connection> {
    this.pending ??= connectSalesforce(this.credentials).catch((err: unknown) => {
      this.pending = undefined; // let the next activity attempt log in again
      throw toSalesforceApiError(err, 'log in to Salesforce');
    });
    return this.pending;
  }

  /** Drops the cached login, e.g. after the refresh itself was rejected. */
  reset(): void {
    this.pending = undefined;
  }
}
