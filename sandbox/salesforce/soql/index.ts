/**
 * The sandbox's SOQL engine: runs a query (parsed by `core/soql`, which product code shares for its
 * `--where` validation) over the org's in-memory records and shapes the result as the REST API does.
 */
export { executeSoql, DEFAULT_API_VERSION, type ExecuteOptions, type SoqlResult } from './evaluate';
export type { SoqlFieldInfo, SoqlSource } from './schema';
export { storeSoqlSource } from './store-source';
