import type { SalesforceObject } from '../../workflows/sync-types';
import type { SyncDeps } from '../sync/deps';
import { createReconcilePage } from './reconcile-page';
import { createAdvanceWatermark } from './watermark';

export function createReconcileActivities(deps: SyncDeps) {
  return {
    reconcilePage: createReconcilePage(deps),
    advanceReconcileWatermark: createAdvanceWatermark(deps),
    /** The objects the worker's configuration syncs (Account and the users source), enabled ones only. */
    async syncedObjects(): Promise<SalesforceObject[]> {
      const { config } = deps.context();
      return [
        ...(config.accounts.enabled ? (['Account'] as const) : []),
        ...(config.users.enabled ? [config.users.source] : []),
      ];
    },
  };
}
