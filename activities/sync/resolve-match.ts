/**
 * Step 3: find the Zendesk record for a record that is not linked yet, by the one match criterion.
 * More than one candidate, or an agent/admin, is reported back to the workflow, which writes nothing.
 *
 * Candidates come from an exact-lookup endpoint where Zendesk has one (organizations/search?name= and
 * ?external_id=, users/search?external_id=) and from the Search API for every other field
 * (search.json `type:organization`, users/search?query=). Search is tokenised, case-insensitive and
 * matches word prefixes, so every candidate is then checked for the exact value in the record itself
 * (core/match.ts holdsMatchValue); an email or phone counts when it is one of the user's identities.
 */
import { ApplicationFailure } from '@temporalio/common';
import { holdsMatchValue } from '../../core';
import { FailureType } from '../../workflows/failure-types';
import type { MatchLookup, MatchResult, SalesforceObject } from '../../workflows/sync-types';
import {
  searchPhrase,
  SearchTooBroadError,
  type ZendeskOrganization,
  type ZendeskUser,
} from '../zendesk/client';
import type { SyncDeps } from './deps';
import { lookupOwnExternalId } from './own-id-match';
import { runClassified } from './run-classified';

export interface ResolveMatchInput {
  object: SalesforceObject;
  lookup: MatchLookup;
  /** With `externalId: true`: the record's own Salesforce Id, looked up as external_id before `lookup`. */
  externalIdFirst?: string;
}

export const isProtectedRole = (role: string): boolean => role === 'agent' || role === 'admin';

function fromUsers(users: ZendeskUser[]): MatchResult {
  if (users.length > 1) return { kind: 'many', candidateIds: users.map((u) => u.id) };
  const [user] = users;
  if (!user) return { kind: 'none' };
  if (isProtectedRole(user.role)) return { kind: 'protected', zendeskId: user.id, role: user.role };
  return { kind: 'one', zendeskId: user.id };
}

function fromOrganizations(orgs: ZendeskOrganization[]): MatchResult {
  if (orgs.length > 1) return { kind: 'many', candidateIds: orgs.map((o) => o.id) };
  return orgs[0] ? { kind: 'one', zendeskId: orgs[0].id } : { kind: 'none' };
}

const unique = <T extends { id: number }>(records: T[]): T[] =>
  records.filter((r, i) => records.findIndex((o) => o.id === r.id) === i);

/** The organizations Zendesk proposes for a lookup (not yet checked for the exact value). */
async function organizationCandidates(deps: SyncDeps, lookup: MatchLookup): Promise<ZendeskOrganization[]> {
  const zd = deps.zendesk;
  switch (lookup.kind) {
    case 'organization_by_name':
      return zd.searchOrganizations({ name: lookup.value });
    case 'organization_by_external_id':
      return zd.searchOrganizations({ external_id: lookup.value });
    case 'organization_by_domain':
      return zd.searchOrganizationsByQuery(`domain:${searchPhrase(lookup.value)}`);
    case 'organization_by_custom_field':
      // A field key is letters, digits and _ (validated with the configuration): safe as a keyword.
      return zd.searchOrganizationsByQuery(`${lookup.key}:${searchPhrase(lookup.value)}`);
    default:
      return [];
  }
}

/** The users Zendesk proposes for a lookup (not yet checked for the exact value). */
async function userCandidates(deps: SyncDeps, lookup: MatchLookup): Promise<ZendeskUser[]> {
  const zd = deps.zendesk;
  switch (lookup.kind) {
    case 'user_by_external_id':
      return zd.searchUsersByExternalId(lookup.value);
    case 'user_by_email':
      // `email:` finds any of a user's email identities, primary or secondary, as a match should.
      return zd.searchUsersByField('email', lookup.value);
    case 'user_by_phone':
      return zd.searchUsersByField('phone', lookup.value);
    case 'user_by_custom_field':
      return zd.searchUsersByField(lookup.key, lookup.value);
    default:
      return [];
  }
}

/** Whether the user holds the value, reading its identities when the primary email/phone is another. */
async function userHolds(deps: SyncDeps, lookup: MatchLookup, user: ZendeskUser): Promise<boolean> {
  if (holdsMatchValue(lookup, user)) return true;
  if (lookup.kind !== 'user_by_email' && lookup.kind !== 'user_by_phone') return false;
  return holdsMatchValue(lookup, user, await deps.zendesk.listIdentities(user.id));
}

/** Runs the lookup a MatchLookup names and keeps the exact matches; shared by matching and create-recovery. */
export async function lookupCandidates(deps: SyncDeps, lookup: MatchLookup): Promise<MatchResult> {
  try {
    if (lookup.kind.startsWith('organization_')) {
      const orgs = unique(await organizationCandidates(deps, lookup));
      return fromOrganizations(orgs.filter((o) => holdsMatchValue(lookup, o)));
    }
    const users = unique(await userCandidates(deps, lookup));
    const exact: ZendeskUser[] = [];
    for (const user of users) if (await userHolds(deps, lookup, user)) exact.push(user);
    return fromUsers(exact);
  } catch (err) {
    if (!(err instanceof SearchTooBroadError)) throw err;
    // Past 1,000 hits Zendesk returns no more, so the exact match may be among those not returned.
    throw ApplicationFailure.create({
      type: FailureType.ZendeskRejected,
      nonRetryable: true,
      message: `${err.message}: the exact match cannot be checked; match on a more distinctive field`,
    });
  }
}

export function createResolveMatch(deps: SyncDeps) {
  return async function resolveMatch(input: ResolveMatchInput): Promise<MatchResult> {
    return runClassified(deps, async () => {
      if (input.externalIdFirst !== undefined) {
        const own = await lookupOwnExternalId(deps, input.object, input.externalIdFirst);
        if (own.kind !== 'none') return own;
      }
      return lookupCandidates(deps, input.lookup);
    });
  };
}
