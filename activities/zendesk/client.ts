/**
 * The Zendesk Support endpoints the sync uses, typed, each failure classified by toZendeskApiError.
 * Lookups prefer read-after-write-consistent endpoints (organizations/search?name=, ?external_id=,
 * users/search?external_id=, identities); the other match fields (domain, phone, email, custom fields)
 * go through the search index, which can lag a fresh write by minutes.
 */
import type { Got, OptionsOfJSONResponseBody } from 'got';
import { toZendeskApiError } from './errors';

export interface ZendeskOrganization {
  id: number;
  name: string;
  external_id: string | null;
  tags: string[];
  organization_fields: Record<string, unknown>;
  details?: string | null;
  notes?: string | null;
  domain_names?: string[];
}

export interface ZendeskUser {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  role: 'end-user' | 'agent' | 'admin';
  external_id: string | null;
  organization_id: number | null;
  tags: string[];
  user_fields: Record<string, unknown>;
  active?: boolean;
}

export interface ZendeskIdentity {
  id: number;
  user_id: number;
  type: string;
  value: string;
  primary: boolean;
  verified: boolean;
}

export interface ZendeskMembership {
  id: number;
  user_id: number;
  organization_id: number;
  default: boolean | null;
}

/** A bulk job (create_many, update_many): `results` appear once it is `completed`. */
export interface ZendeskJobStatus {
  id: string;
  status: 'queued' | 'working' | 'failed' | 'completed' | 'killed';
  total?: number | null;
  progress?: number | null;
  message?: string | null;
  results?: Array<{
    index?: number;
    id?: number;
    action?: string;
    status?: string;
    success?: boolean;
    error?: string;
    details?: string;
  }> | null;
}

export interface ZendeskFieldDefinition {
  id: number;
  key: string;
  type: string;
  title: string;
  active: boolean;
  custom_field_options?: Array<{ id?: number; name: string; value: string }>;
}

/**
 * A value as one quoted phrase of the Zendesk search syntax. "Double quotes are used for search phrases.
 * The search only returns records that contain an exact match of the phrase"; `*` is a wildcard and `-`
 * a negation only outside quotes (https://developer.zendesk.com/api-reference/ticketing/ticket-management/search/
 * "How the query syntax works"; https://support.zendesk.com/hc/en-us/articles/4408886879258). Zendesk
 * documents no escape for a quote inside a phrase, so quotes and backslashes become spaces: the index
 * splits words on them anyway, so the phrase still finds the value, and a `"` in a Salesforce value can
 * never close the phrase and add terms. Search only proposes candidates: each is then checked for the
 * exact value (core/match.ts holdsMatchValue), so a wider hit can never link.
 */
export function searchPhrase(value: string): string {
  const phrase = value.replace(/["\\]/g, ' ').replace(/\s+/g, ' ').trim();
  return `"${phrase}"`;
}

/** "The Search API returns up to 1,000 results per query, with a maximum of 100 results per page" (search docs). */
export const SEARCH_RESULTS_LIMIT = 1000;
const SEARCH_PAGE_SIZE = 100;

/** Too many search hits to check every candidate for the exact value. */
export class SearchTooBroadError extends Error {
  override readonly name = 'SearchTooBroadError';
  constructor(readonly count: number) {
    super(`Zendesk search found ${count} candidates, more than the ${SEARCH_RESULTS_LIMIT} it returns`);
  }
}

export class ZendeskClient {
  constructor(private readonly http: Got) {}

  private async call<T>(endpoint: string, path: string, options: OptionsOfJSONResponseBody = {}): Promise<T> {
    try {
      return await this.http<T>(path, { ...options, responseType: 'json' }).json<T>();
    } catch (err) {
      throw toZendeskApiError(err, endpoint);
    }
  }

  private async orNull<T>(promise: Promise<T>): Promise<T | null> {
    try {
      return await promise;
    } catch (err) {
      if ((err as { code?: string }).code === 'ZENDESK_NOT_FOUND') return null;
      throw err;
    }
  }

  // Organizations

  async searchOrganizations(by: { name: string } | { external_id: string }): Promise<ZendeskOrganization[]> {
    const res = await this.call<{ organizations: ZendeskOrganization[] }>(
      'GET organizations/search',
      'organizations/search',
      { searchParams: by },
    );
    return res.organizations;
  }

  /**
   * Organizations the Search API finds for `terms` (`GET search.json?query=type:organization <terms>`),
   * every page. Eventually consistent: a write can take minutes to be found.
   */
  async searchOrganizationsByQuery(terms: string): Promise<ZendeskOrganization[]> {
    const found: ZendeskOrganization[] = [];
    for (let page = 1; ; page++) {
      const res = await this.call<{
        results: Array<ZendeskOrganization & { result_type?: string }>;
        count: number;
        next_page: string | null;
      }>('GET search', 'search', {
        searchParams: { query: `type:organization ${terms}`, page, per_page: SEARCH_PAGE_SIZE },
      });
      if (res.count > SEARCH_RESULTS_LIMIT) throw new SearchTooBroadError(res.count);
      found.push(
        ...res.results.filter((r) => r.result_type === undefined || r.result_type === 'organization'),
      );
      if (!res.next_page || res.results.length === 0) return found;
    }
  }

  async showOrganization(id: number): Promise<ZendeskOrganization | null> {
    return this.orNull(
      this.call<{ organization: ZendeskOrganization }>('GET organizations/{id}', `organizations/${id}`).then(
        (r) => r.organization,
      ),
    );
  }

  async createOrganization(organization: Record<string, unknown>): Promise<ZendeskOrganization> {
    const res = await this.call<{ organization: ZendeskOrganization }>(
      'POST organizations',
      'organizations',
      { method: 'POST', json: { organization } },
    );
    return res.organization;
  }

  async updateOrganization(id: number, organization: Record<string, unknown>): Promise<ZendeskOrganization> {
    const res = await this.call<{ organization: ZendeskOrganization }>(
      'PUT organizations/{id}',
      `organizations/${id}`,
      { method: 'PUT', json: { organization } },
    );
    return res.organization;
  }

  // Organizations in bulk (activities/bulk/batch-accounts.ts): up to 100 per call.

  async showManyOrganizations(
    by: { ids: number[] } | { external_ids: string[] },
  ): Promise<ZendeskOrganization[]> {
    const searchParams =
      'ids' in by ? { ids: by.ids.join(',') } : { external_ids: by.external_ids.join(',') };
    const res = await this.call<{ organizations: ZendeskOrganization[] }>(
      'GET organizations/show_many',
      'organizations/show_many',
      { searchParams },
    );
    return res.organizations;
  }

  /** Every item of a list endpoint, 100 per call (cursor pagination). */
  private async listAll<T>(endpoint: string, path: string, key: string): Promise<T[]> {
    const all: T[] = [];
    let after: string | undefined;
    for (;;) {
      const res = await this.call<
        Record<string, unknown> & { meta?: { has_more?: boolean; after_cursor?: string | null } }
      >(endpoint, path, { searchParams: { 'page[size]': 100, ...(after ? { 'page[after]': after } : {}) } });
      all.push(...((res[key] as T[] | undefined) ?? []));
      if (!res.meta?.has_more || !res.meta.after_cursor) return all;
      after = res.meta.after_cursor;
    }
  }

  /** Every organization, 100 per call (cursor pagination). */
  async listOrganizations(): Promise<ZendeskOrganization[]> {
    return this.listAll('GET organizations', 'organizations', 'organizations');
  }

  async createManyOrganizations(organizations: Array<Record<string, unknown>>): Promise<ZendeskJobStatus> {
    const res = await this.call<{ job_status: ZendeskJobStatus }>(
      'POST organizations/create_many',
      'organizations/create_many',
      { method: 'POST', json: { organizations } },
    );
    return res.job_status;
  }

  /** Batch form: each object carries its own `id`. */
  async updateManyOrganizations(organizations: Array<Record<string, unknown>>): Promise<ZendeskJobStatus> {
    const res = await this.call<{ job_status: ZendeskJobStatus }>(
      'PUT organizations/update_many',
      'organizations/update_many',
      { method: 'PUT', json: { organizations } },
    );
    return res.job_status;
  }

  async showManyJobStatuses(ids: string[]): Promise<ZendeskJobStatus[]> {
    const res = await this.call<{ job_statuses: ZendeskJobStatus[] }>(
      'GET job_statuses/show_many',
      'job_statuses/show_many',
      { searchParams: { ids: ids.join(',') } },
    );
    return res.job_statuses;
  }

  // Users

  async searchUsersByExternalId(externalId: string): Promise<ZendeskUser[]> {
    const res = await this.call<{ users: ZendeskUser[] }>('GET users/search?external_id', 'users/search', {
      searchParams: { external_id: externalId },
    });
    return res.users;
  }

  /**
   * Search-index lookup (may lag fresh writes), every page: `field` is `email`, `phone` or a user field
   * key; the value goes in as one quoted phrase. Candidates only: the caller checks each for the value.
   */
  async searchUsersByField(field: string, value: string): Promise<ZendeskUser[]> {
    const found: ZendeskUser[] = [];
    for (let page = 1; ; page++) {
      const res = await this.call<{ users: ZendeskUser[]; count?: number; next_page?: string | null }>(
        'GET users/search?query',
        'users/search',
        { searchParams: { query: `${field}:${searchPhrase(value)}`, page, per_page: SEARCH_PAGE_SIZE } },
      );
      if ((res.count ?? 0) > SEARCH_RESULTS_LIMIT) throw new SearchTooBroadError(res.count ?? 0);
      found.push(...res.users);
      if (!res.next_page || res.users.length === 0) return found;
    }
  }

  async showUser(id: number): Promise<ZendeskUser | null> {
    return this.orNull(this.call<{ user: ZendeskUser }>('GET users/{id}', `users/${id}`).then((r) => r.user));
  }

  async createUser(user: Record<string, unknown>): Promise<ZendeskUser> {
    const res = await this.call<{ user: ZendeskUser }>('POST users', 'users', {
      method: 'POST',
      json: { user },
    });
    return res.user;
  }

  async updateUser(id: number, user: Record<string, unknown>): Promise<ZendeskUser> {
    const res = await this.call<{ user: ZendeskUser }>('PUT users/{id}', `users/${id}`, {
      method: 'PUT',
      json: { user },
    });
    return res.user;
  }

  async listIdentities(userId: number): Promise<ZendeskIdentity[]> {
    const res = await this.call<{ identities: ZendeskIdentity[] }>(
      'GET users/{id}/identities',
      `users/${userId}/identities`,
    );
    return res.identities;
  }

  async addIdentity(
    userId: number,
    identity: { type: 'email' | 'phone_number'; value: string },
    skipVerifyEmail: boolean,
  ): Promise<ZendeskIdentity> {
    const res = await this.call<{ identity: ZendeskIdentity }>(
      'POST users/{id}/identities',
      `users/${userId}/identities`,
      {
        method: 'POST',
        json: { identity, ...(identity.type === 'email' ? { skip_verify_email: skipVerifyEmail } : {}) },
      },
    );
    return res.identity;
  }

  async listUserMemberships(userId: number): Promise<ZendeskMembership[]> {
    const res = await this.call<{ organization_memberships: ZendeskMembership[] }>(
      'GET users/{id}/organization_memberships',
      `users/${userId}/organization_memberships`,
    );
    return res.organization_memberships;
  }

  async createMembership(userId: number, organizationId: number): Promise<ZendeskMembership> {
    const res = await this.call<{ organization_membership: ZendeskMembership }>(
      'POST organization_memberships',
      'organization_memberships',
      {
        method: 'POST',
        json: { organization_membership: { user_id: userId, organization_id: organizationId } },
      },
    );
    return res.organization_membership;
  }

  /** Every membership of an organization, 100 per call (cursor pagination). */
  async listOrganizationMemberships(organizationId: number): Promise<ZendeskMembership[]> {
    return this.listAll(
      'GET organizations/{id}/organization_memberships',
      `organizations/${organizationId}/organization_memberships`,
      'organization_memberships',
    );
  }

  /** Up to 100 users by id (`users/show_many?ids=`); ids that no longer exist are left out. */
  async showManyUsers(ids: number[]): Promise<ZendeskUser[]> {
    const res = await this.call<{ users: ZendeskUser[] }>('GET users/show_many', 'users/show_many', {
      searchParams: { ids: ids.join(',') },
    });
    return res.users;
  }

  /**
   * Up to 100 users by external id (`users/show_many?external_ids=`, OAS ShowManyUsers), matched the
   * way Zendesk compares external ids: case-insensitively.
   */
  async showManyUsersByExternalIds(externalIds: string[]): Promise<ZendeskUser[]> {
    const res = await this.call<{ users: ZendeskUser[] }>('GET users/show_many', 'users/show_many', {
      searchParams: { external_ids: externalIds.join(',') },
    });
    return res.users;
  }

  /**
   * Makes one of the user's memberships the default (`organization_id`): OAS
   * SetOrganizationMembershipAsDefault, `PUT users/{user_id}/organization_memberships/{id}/make_default`.
   */
  async makeDefaultMembership(userId: number, membershipId: number): Promise<ZendeskMembership[]> {
    const res = await this.call<{ organization_memberships: ZendeskMembership[] }>(
      'PUT users/{id}/organization_memberships/{id}/make_default',
      `users/${userId}/organization_memberships/${membershipId}/make_default`,
      { method: 'PUT' },
    );
    return res.organization_memberships;
  }

  // Tags: PUT adds to the existing tags (Salesforce appends, never replaces).

  async addTags(kind: 'organization' | 'user', id: number, tags: string[]): Promise<string[]> {
    const res = await this.call<{ tags: string[] }>(`PUT ${kind}s/{id}/tags`, `${kind}s/${id}/tags`, {
      method: 'PUT',
      json: { tags },
    });
    return res.tags;
  }

  /** DELETE removes only the given tags (https://developer.zendesk.com/api-reference/ticketing/ticket-management/tags/). */
  async removeTags(kind: 'organization' | 'user', id: number, tags: string[]): Promise<void> {
    await this.call<unknown>(`DELETE ${kind}s/{id}/tags`, `${kind}s/${id}/tags`, {
      method: 'DELETE',
      json: { tags },
    });
  }

  // Field definitions (custom fields only; Zendesk's list endpoints omit system fields)

  async listFieldDefinitions(kind: 'organization' | 'user'): Promise<ZendeskFieldDefinition[]> {
    const key = `${kind}_fields`;
    const all: ZendeskFieldDefinition[] = [];
    let path: string | undefined = `${key}`;
    for (let page = 0; path && page < 50; page++) {
      const res: Record<string, unknown> = await this.call(`GET ${key}`, path);
      all.push(...((res[key] as ZendeskFieldDefinition[] | undefined) ?? []));
      const next = res.next_page as string | null | undefined;
      path = next ? `${key}?${new URL(next).searchParams.toString()}` : undefined;
    }
    return all;
  }

  /**
   * The account settings the sync depends on (OAS AccountSettingsUserObject; GET allowed for agents):
   * "Validate user phone numbers" is `settings.user.end_user_phone_number_validation`, "Allow users to
   * belong to multiple organizations" is `settings.user.multiple_organizations` (left out when the answer
   * lacks it, so the sync judges by Zendesk's answer to a membership instead of guessing).
   */
  async accountSettings(): Promise<{ validatesPhoneNumbers: boolean; multipleOrganizations?: boolean }> {
    const res = await this.call<{
      settings?: { user?: { end_user_phone_number_validation?: boolean; multiple_organizations?: boolean } };
    }>('GET account/settings', 'account/settings');
    const multiple = res.settings?.user?.multiple_organizations;
    return {
      validatesPhoneNumbers: res.settings?.user?.end_user_phone_number_validation === true,
      ...(typeof multiple === 'boolean' ? { multipleOrganizations: multiple } : {}),
    };
  }

  async me(): Promise<ZendeskUser> {
    return (await this.call<{ user: ZendeskUser }>('GET users/me', 'users/me')).user;
  }
}
