/**
 * `sfzd config validate [file]`: the worker's start-up check without starting a worker. Offline it is
 * the zod schema; --online adds Salesforce describe and the Zendesk field definitions, and lists every
 * picklist value (from describe) that has no Zendesk option or mapping.
 */
import { SalesforceSession } from '../../activities/salesforce/session';
import { loadSyncContext, readSyncConfigFile } from '../../activities/sync/context';
import { ZendeskClient } from '../../activities/zendesk/client';
import { createZendeskHttp } from '../../activities/zendesk/http';
import { ConfigError, type ConfigIssue } from '../../core';
import { collectEnvErrors, readSalesforceCredentials, readZendeskCredentials } from '../../common/env';
import { explainStartupFailure } from '../../worker/startup-errors';
import { EXIT_OK, EXIT_OPERATIONAL } from './errors';
import { table } from './format';
import type { CommandContext, CommandResult } from './result';

export interface ConfigValidateOptions {
  online?: boolean;
}

export async function configValidate(
  ctx: CommandContext,
  file: string | undefined,
  opts: ConfigValidateOptions,
): Promise<CommandResult> {
  const path = file ?? ctx.env.SYNC_CONFIG ?? 'sync.config.yaml';
  const online = Boolean(opts.online);
  let uncovered: ConfigIssue[] = [];
  try {
    if (online) {
      const [salesforce, zendesk] = collectEnvErrors(
        () => readSalesforceCredentials(ctx.env),
        () => readZendeskCredentials(ctx.env),
      );
      const context = await loadSyncContext(
        path,
        new SalesforceSession(salesforce),
        new ZendeskClient(createZendeskHttp(zendesk)),
      ).catch((err: unknown) => {
        // Refused or unreachable: one line naming the variables, as the worker says it.
        throw explainStartupFailure(err, { salesforce, zendesk });
      });
      uncovered = context.uncovered;
    } else {
      readSyncConfigFile(path);
    }
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const issues = err.issues.map((i) => ({ path: i.path || '(root)', message: i.message }));
    return {
      json: { valid: false, file: path, online, issues },
      text: `${path} is invalid (${issues.length} issue${issues.length === 1 ? '' : 's'}):\n${table(
        ['PATH', 'PROBLEM'],
        issues.map((i) => [i.path, i.message]),
      )}`,
      exitCode: EXIT_OPERATIONAL,
    };
  }
  const valid = `${path} is valid${online ? ' (checked against Salesforce and Zendesk)' : ' (offline check; add --online to check fields)'}`;
  if (uncovered.length > 0) {
    // Not a configuration error (records without these values sync), but each is a sync that would
    // fail with ValueNotRepresentable: listed, and a non-zero exit so a CI check notices.
    return {
      json: { valid: true, file: path, online, issues: [], uncoveredValues: uncovered },
      text: `${valid}, but these picklist values have no place in Zendesk, so a record holding one fails its sync (ValueNotRepresentable):\n${table(
        ['PATH', 'VALUES'],
        uncovered.map((i) => [i.path, i.message]),
      )}`,
      exitCode: EXIT_OPERATIONAL,
    };
  }
  return {
    json: { valid: true, file: path, online, issues: [], ...(online ? { uncoveredValues: [] } : {}) },
    text: valid,
    exitCode: EXIT_OK,
  };
}
