// The workflow bundle's entry point: every workflow the worker registers is exported here.
export { checkConnections } from './check-connections';
export { syncRecord } from './sync-record';
