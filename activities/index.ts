/**
 * All activities, built by one factory from their dependencies (as in temporalio/samples-typescript),
 * so tests and the worker wire the same code to different endpoints.
 */
import type { Got } from 'got';
import { createConnectivityActivities } from './connectivity';
import type { SalesforceSession } from './salesforce/session';

export interface ActivityDeps {
  salesforce: SalesforceSession;
  zendesk: Got;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createConnectivityActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
