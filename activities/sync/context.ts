/**
 * The worker's view of the sync: the validated configuration plus the live schemas it was checked
 * against. Loaded at start-up, where an invalid file, an unknown field or an impossible mapping stops
 * the worker with every problem listed by config path. The schemas are then refreshed while the worker
 * runs (activities/sync/live-context.ts); a configuration that stops fitting them fails the records it
 * affects (ConfigInvalid) instead of stopping the worker.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import {
  ConfigError,
  checkConfigAgainstSchemas,
  parseSyncConfig,
  uncoveredPicklistValues,
  type ConfigIssue,
  type SchemaSnapshot,
  type SyncConfig,
  type ZendeskAccountSettings,
} from '../../core';
import type { FieldDescribe } from '../../core/salesforce-fields';
import type { SalesforceObject } from '../../core/salesforce-object';
import type { SalesforceSession } from '../salesforce/session';
import { toSalesforceApiError } from '../salesforce/errors';
import type { ZendeskClient } from '../zendesk/client';
import { ZendeskApiError } from '../zendesk/errors';

export interface SyncContext {
  config: SyncConfig;
  schemas: SchemaSnapshot;
  /**
   * Problems of the configuration against the schemas as last read. Empty at start-up (any stops the
   * worker); after a refresh they fail the passes of the section they belong to (ConfigInvalid).
   */
  issues: ConfigIssue[];
  /** Picklist values with no place in Zendesk: a record holding one fails with ValueNotRepresentable. */
  uncovered: ConfigIssue[];
  /** When the schemas were read (epoch ms). */
  readAt: number;
}

/** Reads and validates the YAML file offline (zod only). */
export function readSyncConfigFile(path: string): SyncConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError({
      issues: [{ path: '(file)', message: `cannot read ${path}: ${(err as Error).message}` }],
      cause: err,
    });
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const where = err.linePos?.[0] ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '';
      throw new ConfigError({
        issues: [
          { path: '(file)', message: `${path} is not valid YAML${where}: ${err.message.split('\n')[0]}` },
        ],
        cause: err,
      });
    }
    throw err;
  }
  return parseSyncConfig(data);
}

/** Salesforce describe() of the three synced objects. */
export async function fetchSalesforceSchemas(
  salesforce: SalesforceSession,
): Promise<SchemaSnapshot['salesforce']> {
  const conn = await salesforce.connection();
  const describe = async (object: SalesforceObject): Promise<FieldDescribe[]> => {
    try {
      return (await conn.sobject(object).describe()).fields as unknown as FieldDescribe[];
    } catch (err) {
      throw toSalesforceApiError(err, `describe ${object}`);
    }
  };
  const [Account, Contact, Lead] = await Promise.all([
    describe('Account'),
    describe('Contact'),
    describe('Lead'),
  ]);
  return { Account, Contact, Lead };
}

/**
 * The Zendesk organization and user field definitions, and the account settings mapping depends on
 * (phone validation). Settings the token may not read (403/404) are left out: phones are then judged by
 * Zendesk's answer to the write alone.
 */
export async function fetchZendeskSchemas(zendesk: ZendeskClient): Promise<SchemaSnapshot['zendesk']> {
  const readSettings = async (): Promise<ZendeskAccountSettings | undefined> => {
    try {
      return await zendesk.accountSettings();
    } catch (err) {
      if (err instanceof ZendeskApiError && (err.status === 403 || err.status === 404)) return undefined;
      throw err;
    }
  };
  const [organizationFields, userFields, settings] = await Promise.all([
    zendesk.listFieldDefinitions('organization'),
    zendesk.listFieldDefinitions('user'),
    readSettings(),
  ]);
  return settings ? { organizationFields, userFields, settings } : { organizationFields, userFields };
}

export async function fetchSchemas(
  salesforce: SalesforceSession,
  zendesk: ZendeskClient,
): Promise<SchemaSnapshot> {
  const [sf, zd] = await Promise.all([fetchSalesforceSchemas(salesforce), fetchZendeskSchemas(zendesk)]);
  return { salesforce: sf, zendesk: zd };
}

/** The context of a configuration against freshly read schemas: its issues and uncovered values. */
export function contextFor(config: SyncConfig, schemas: SchemaSnapshot, readAt = Date.now()): SyncContext {
  return {
    config,
    schemas,
    issues: checkConfigAgainstSchemas(config, schemas),
    uncovered: uncoveredPicklistValues(config, schemas),
    readAt,
  };
}

/** The full start-up check: the file, then the configuration against Salesforce describe and the Zendesk fields. */
export async function loadSyncContext(
  path: string,
  salesforce: SalesforceSession,
  zendesk: ZendeskClient,
): Promise<SyncContext> {
  const config = readSyncConfigFile(path);
  const context = contextFor(config, await fetchSchemas(salesforce, zendesk));
  if (context.issues.length > 0) throw new ConfigError({ issues: context.issues });
  return context;
}
