/** Account-level switches a test can flip at runtime (`PUT /__sandbox/settings`). */
import type { ZendeskStore } from './store';

export interface ZendeskSettings {
  /** Admin Center "Validate user phone numbers": phones must then be E.164. */
  validatePhoneNumbers: boolean;
  /** How long a new user / identity stays invisible to `users/search?query=` (the search index lags). */
  searchIndexDelayMs: number;
  /** How long a bulk job stays `queued` before it runs; 0 runs it inside the request. */
  jobDelayMs: number;
}

export const DEFAULT_SETTINGS: Readonly<ZendeskSettings> = Object.freeze({
  validatePhoneNumbers: false,
  searchIndexDelayMs: 0,
  jobDelayMs: 50,
});

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  readonly code = 'INVALID_SANDBOX_SETTINGS';
}

export function mergeSettings(current: ZendeskSettings, partial: Record<string, unknown>): ZendeskSettings {
  const next = { ...current };
  for (const [key, value] of Object.entries(partial)) {
    if (key === 'validatePhoneNumbers') {
      if (typeof value !== 'boolean') throw new SettingsError('validatePhoneNumbers must be true or false');
      next.validatePhoneNumbers = value;
    } else if (key === 'searchIndexDelayMs' || key === 'jobDelayMs') {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
        throw new SettingsError(`${key} must be a number >= 0`);
      next[key] = value;
    } else
      throw new SettingsError(
        `Unknown setting ${key} (known: validatePhoneNumbers, searchIndexDelayMs, jobDelayMs)`,
      );
  }
  return next;
}

/** What every service needs: the data and the account settings in force. */
export interface ZendeskContext {
  store: ZendeskStore;
  settings: ZendeskSettings;
}
