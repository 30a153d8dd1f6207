/**
 * The worker's view of the sync: the validated configuration plus the live schemas it was checked
 * against. Loaded once at start-up; an invalid file, an unknown field or an impossible mapping stops
 * the worker there, with every problem listed by config path, instead of failing record by record.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import {
  ConfigError,
  checkConfigAgainstSchemas,
  parseSyncConfig,
  type SchemaSnapshot,
  type SyncConfig,
} from '../../core';
import type { FieldDescribe } from '../../core/salesforce-fields';
import type { SalesforceSession } from '../salesforce/session';
import { toSalesforceApiError } from '../salesforce/errors';
import type { ZendeskClient } from '../zendesk/client';

export interface SyncContext {
  config: SyncConfig;
  schemas: SchemaSnapshot;
}

/** Reads and validates the YAML file offline (zod only). */
export function readSyncConfigFile(path: string): SyncConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([{ path: '(file)', message: `cannot read ${path}: ${(err as Error).message}` }]);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const where = err.linePos?.[0] ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '';
      throw new ConfigError([
        { path: '(file)', message: `${path} is not valid YAML${where}: ${err.message.split('\n')[0]}` },
      ]);
    }
    throw err;
  }
  return parseSyncConfig(data);
}

export async function fetchSchemas(
  salesforce: SalesforceSession,
  zendesk: ZendeskClient,
): Promise<SchemaSnapshot> {
  const conn = await salesforce.connection();
  const describe = async (object: 'Account' | 'Contact' | 'Lead'): Promise<FieldDescribe[]> => {
    try {
      return (await conn.sobject(object).describe()).fields as unknown as FieldDescribe[];
    } catch (err) {
      throw toSalesforceApiError(err, `describe ${object}`);
    }
  };
  const [Account, Contact, Lead, organizationFields, userFields] = await Promise.all([
    describe('Account'),
    describe('Contact'),
    describe('Lead'),
    zendesk.listFieldDefinitions('organization'),
    zendesk.listFieldDefinitions('user'),
  ]);
  return { salesforce: { Account, Contact, Lead }, zendesk: { organizationFields, userFields } };
}

/** The full start-up check: the file, then the configuration against Salesforce describe and the Zendesk fields. */
export async function loadSyncContext(
  path: string,
  salesforce: SalesforceSession,
  zendesk: ZendeskClient,
): Promise<SyncContext> {
  const config = readSyncConfigFile(path);
  const schemas = await fetchSchemas(salesforce, zendesk);
  const issues = checkConfigAgainstSchemas(config, schemas);
  if (issues.length > 0) throw new ConfigError(issues);
  return { config, schemas };
}
