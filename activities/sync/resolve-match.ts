/**
 * Step 3: find the Zendesk record for a record that is not linked yet, by the one match criterion.
 * More than one candidate, or an agent/admin, is reported back to the workflow, which writes nothing.
 */
import type { MatchLookup, MatchResult, SalesforceObject } from '../../workflows/sync-types';
import type { ZendeskUser } from '../zendesk/client';
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

/** Runs the lookup a MatchLookup names; shared by matching and by create-recovery. */
export async function lookupCandidates(deps: SyncDeps, lookup: MatchLookup): Promise<MatchResult> {
  const zd = deps.zendesk;
  switch (lookup.kind) {
    case 'organization_by_name':
    case 'organization_by_external_id': {
      const by =
        lookup.kind === 'organization_by_name' ? { name: lookup.value } : { external_id: lookup.value };
      const orgs = await zd.searchOrganizations(by);
      if (orgs.length > 1) return { kind: 'many', candidateIds: orgs.map((o) => o.id) };
      return orgs[0] ? { kind: 'one', zendeskId: orgs[0].id } : { kind: 'none' };
    }
    case 'user_by_external_id':
      return fromUsers(await zd.searchUsersByExternalId(lookup.value));
    case 'user_by_email':
      // `email:` matches any of a user's email identities, primary or secondary, as a match should.
      return fromUsers(await zd.searchUsersByField('email', lookup.value));
    case 'user_by_custom_field':
      return fromUsers(await zd.searchUsersByField(lookup.key, lookup.value));
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
