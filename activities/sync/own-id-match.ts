/**
 * The first matching step of a record not linked yet when `externalId: true`: its own Salesforce Id,
 * looked up as Zendesk external_id before the configured criterion. The Id is unique, so what it finds is
 * unambiguous; an organization or user that an earlier integration keyed by the Id (and that the
 * configured criterion no longer finds, e.g. after a rename) is linked instead of a create failing on the
 * taken external_id (support.zendesk.com article 4408823346458).
 *
 * One `show_many?external_ids=` call asks for the 18- and the 15-character form together (core/own-id.ts
 * decides which answer is the record's own). Like `organizations/search?external_id=` it is an exact
 * lookup by id, not a query of the search index that can lag a fresh write by minutes
 * (/work/shared/reference/zendesk.md: show_many is a direct lookup, read-after-write safe by inference).
 */
import { ownExternalIdForms, ownIdHolder } from '../../core';
import type { MatchResult, SalesforceObject } from '../../workflows/sync-types';
import type { SyncDeps } from './deps';
import { isProtectedRole } from './resolve-match';

/** `one` (or `protected` for an agent/admin) when a Zendesk record holds the Id as external_id, else `none`. */
export async function lookupOwnExternalId(
  deps: SyncDeps,
  object: SalesforceObject,
  salesforceId: string,
): Promise<MatchResult> {
  const forms = ownExternalIdForms(salesforceId);
  if (object === 'Account') {
    const org = ownIdHolder(await deps.zendesk.showManyOrganizations({ external_ids: forms }), salesforceId);
    return org ? { kind: 'one', zendeskId: org.id } : { kind: 'none' };
  }
  const user = ownIdHolder(await deps.zendesk.showManyUsersByExternalIds(forms), salesforceId);
  if (!user) return { kind: 'none' };
  if (isProtectedRole(user.role)) return { kind: 'protected', zendeskId: user.id, role: user.role };
  return { kind: 'one', zendeskId: user.id };
}
