// The workflow bundle's entry point: every workflow the worker registers is exported here.
export { checkConnections } from './check-connections';
export { syncRecord } from './sync-record';
export { bulkResync } from './bulk-resync';
export { salesforceChangeFeed } from './change-feed';
export { reconcile } from './reconcile';
export { dryRunRecord } from './dry-run';
export { userSyncingRecord } from './syncing-record';
export { matchValueClaim } from './match-claim';
