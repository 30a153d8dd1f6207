/** Account-level switches a test can flip at runtime (`PUT /__sandbox/settings`). */
import type { ZendeskStore } from './store';

export interface ZendeskSettings {
  /** Admin Center "Validate user phone numbers": phones must then be E.164. */
  validatePhoneNumbers: boolean;
  /**
   * How long a write stays invisible to the Search API (`search.json`, `search/export`, `search/count`,
   * `users/search?query=`): "It can take up to a few minutes for new tickets, users, and other resources
   * to be indexed for search" (https://developer.zendesk.com/api-reference/ticketing/ticket-management/search/).
   */
  searchIndexDelayMs: number;
  /** How long a bulk job stays `queued` before it runs; 0 runs it inside the request. */
  jobDelayMs: number;
  /**
   * Admin Center > People > End users "Allow users to belong to multiple organizations". Off on a new
   * account: an administrator must enable it (https://support.zendesk.com/hc/en-us/articles/4408838140314),
   * and the account settings example in the OAS shows `user.multiple_organizations: false`.
   */
  multipleOrganizations: boolean;
  /**
   * Bulk user imports (`users/create_many`, `users/create_or_update_many`): "not enabled by default ... A 403
   * Forbidden error is returned if data imports are not enabled" (OAS, CreateManyUsers).
   */
  bulkUserImport: boolean;
}

export const DEFAULT_SETTINGS: Readonly<ZendeskSettings> = Object.freeze({
  validatePhoneNumbers: false,
  searchIndexDelayMs: 0,
  jobDelayMs: 50,
  multipleOrganizations: false,
  bulkUserImport: false,
});

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  readonly code = 'INVALID_SANDBOX_SETTINGS';
}

const BOOLEAN_SETTINGS = ['validatePhoneNumbers', 'multipleOrganizations', 'bulkUserImport'] as const;
const DURATION_SETTINGS = ['searchIndexDelayMs', 'jobDelayMs'] as const;

export function mergeSettings(current: ZendeskSettings, partial: Record<string, unknown>): ZendeskSettings {
  const next = { ...current };
  for (const [key, value] of Object.entries(partial)) {
    if ((BOOLEAN_SETTINGS as readonly string[]).includes(key)) {
      if (typeof value !== 'boolean') throw new SettingsError(`${key} must be true or false`);
      next[key as (typeof BOOLEAN_SETTINGS)[number]] = value;
    } else if ((DURATION_SETTINGS as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
        throw new SettingsError(`${key} must be a number >= 0`);
      next[key as (typeof DURATION_SETTINGS)[number]] = value;
    } else
      throw new SettingsError(
        `Unknown setting ${key} (known: ${[...BOOLEAN_SETTINGS, ...DURATION_SETTINGS].join(', ')})`,
      );
  }
  return next;
}

/** What every service needs: the data and the account settings in force. */
export interface ZendeskContext {
  store: ZendeskStore;
  settings: ZendeskSettings;
}
