/** Read-only activities of `sfzd dry-run` (workflows/dry-run.ts): they never write to either system. */
import type { SyncDeps } from '../sync/deps';
import { createReadSyncingRecord } from '../sync/syncing-record';
import { createPreviewZendeskWrite } from './preview';
import { createReadRecordLink } from './record-link';

export function createDryRunActivities(deps: SyncDeps) {
  return {
    readRecordLink: createReadRecordLink(deps),
    previewZendeskWrite: createPreviewZendeskWrite(deps),
    readSyncingRecord: createReadSyncingRecord(deps),
  };
}
