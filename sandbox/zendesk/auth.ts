/**
 * Zendesk API authentication: Basic `{email}/token:{api_token}` (the email must belong to an active agent
 * or admin, since an API token acts as that user) or `Bearer {oauth_access_token}` (acts as the owner).
 */
import type { ZendeskStore } from './store';
import type { UserRecord } from './types';
import { findUserByEmail, isStaff } from './users';

export interface AuthConfig {
  ownerEmail: string;
  apiToken: string;
  oauthTokens: readonly string[];
}

export interface Principal {
  user: UserRecord;
  /** Stable key for per-credential bookkeeping (the Retry-After tracker). */
  credential: string;
}

export function authenticate(
  store: ZendeskStore,
  config: AuthConfig,
  header: string | undefined,
): Principal | undefined {
  if (!header) return undefined;
  const [scheme, value = ''] = header.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'bearer') {
    if (!config.oauthTokens.includes(value)) return undefined;
    const owner = findUserByEmail(store, config.ownerEmail);
    return owner && owner.active ? { user: owner, credential: `oauth:${value}` } : undefined;
  }
  if (scheme?.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.lastIndexOf(':');
  if (colon < 0) return undefined;
  const login = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  // Password auth is off (as on new Zendesk accounts): only `{email}/token` logins are accepted.
  if (!login.endsWith('/token') || secret !== config.apiToken) return undefined;
  const user = findUserByEmail(store, login.slice(0, -'/token'.length));
  if (!user || !user.active || user.suspended || !isStaff(user)) return undefined;
  return { user, credential: `token:${user.id}` };
}
