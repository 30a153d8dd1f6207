/**
 * All activities, built by one factory from their dependencies (as in temporalio/samples-typescript),
 * so tests and the worker wire the same code to different endpoints.
 */
import { createBatchAccounts } from './bulk/batch-accounts';
import { createHandoff } from './bulk/handoff';
import { createRecordActivities } from './bulk/records';
import { createChangeFeedActivities } from './change-feed';
import { createConnectivityActivities } from './connectivity';
import { createDryRunActivities } from './dry-run';
import { createReconcileActivities } from './reconcile';
import type { SyncDeps } from './sync/deps';
import { createAdoptLink } from './sync/adopt-link';
import { createFetchAndPlan } from './sync/fetch-and-plan';
import { createLifecycleActivities } from './sync/lifecycle';
import { createFindLinkedOrganization, createFindLinkedOrganizations } from './sync/linked-organization';
import { createResolveMatch } from './sync/resolve-match';
import { createClaimSyncingRecord } from './sync/syncing-record';
import { createWriteBack } from './sync/write-back';
import { createWriteZendesk } from './sync/write-zendesk';

export type ActivityDeps = SyncDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createConnectivityActivities(deps),
    ...createChangeFeedActivities(deps),
    fetchAndPlan: createFetchAndPlan(deps),
    resolveMatch: createResolveMatch(deps),
    adoptLink: createAdoptLink(deps),
    findLinkedOrganization: createFindLinkedOrganization(deps),
    findLinkedOrganizations: createFindLinkedOrganizations(deps),
    claimSyncingRecord: createClaimSyncingRecord(deps),
    writeZendesk: createWriteZendesk(deps),
    writeBackZendeskId: createWriteBack(deps),
    ...createLifecycleActivities(deps),
    ...createRecordActivities(deps),
    ...createHandoff(deps),
    ...createBatchAccounts(deps),
    ...createReconcileActivities(deps),
    ...createDryRunActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;

/**
 * A record pass's activities: short, idempotent, with no progress of their own to report. The worker
 * heartbeats them while they run (worker/heartbeat-interceptor.ts) so a dead worker is noticed quickly.
 * The others that heartbeat do it themselves, with details they resume from (the listener's replayId,
 * the handoff's position); a heartbeat without details would overwrite those.
 */
export const RECORD_PASS_ACTIVITIES: ReadonlySet<string> = new Set<keyof Activities>([
  'fetchAndPlan',
  'resolveMatch',
  'adoptLink',
  'findLinkedOrganization',
  'findLinkedOrganizations',
  'claimSyncingRecord',
  'writeZendesk',
  'writeBackZendeskId',
  'applyDeletion',
  'undoDeletion',
]);
