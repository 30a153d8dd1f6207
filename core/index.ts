// Pure sync rules shared by workflows and activities (no I/O; safe in the Temporal workflow sandbox).
export * from './config/errors';
export * from './config/schema';
export * from './config/targets';
export * from './config/check-schemas';
export { MAX_CONDITIONS_PER_GROUP } from './config/semantic-rules';
export * from './salesforce-fields';
export * from './type-table';
export * from './record';
export * from './filters';
export * from './mapping';
export * from './fingerprint';
export * from './match';
export * from './tags';
export * from './options';
export * from './phone';
export * from './lifecycle';
export * from './memberships';
export * from './relationships';
