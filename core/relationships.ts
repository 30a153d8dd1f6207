/**
 * A contact's secondary account relationships ("Contacts to Multiple Accounts"): AccountContactRelation
 * rows with IsDirect = false. The direct one is the contact's own AccountId, which Salesforce keeps in
 * step (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_accountcontactrelation.htm).
 * Read with the contact itself, as a parent-to-child subquery on the `AccountContactRelations`
 * relationship, so a pass and reconciliation still make one query per page. Only active relationships
 * count: an inactive one is a relationship that has ended.
 */
import type { SyncConfig } from './config/schema';
import type { SalesforceRecord } from './record';
import type { SalesforceObject } from './salesforce-object';

const SECONDARY_SUBQUERY =
  '(SELECT AccountId FROM AccountContactRelations WHERE IsDirect = false AND IsActive = true ORDER BY AccountId)';

/** The subqueries to add to a pass's SELECT (none unless users.secondaryRelationships is on). */
export function relationshipSubqueries(config: SyncConfig, object: SalesforceObject): string[] {
  return object === 'Contact' && config.users.secondaryRelationships ? [SECONDARY_SUBQUERY] : [];
}

/**
 * The secondary account Ids of a contact read with `relationshipSubqueries`, sorted and unique. The REST
 * API returns a child subquery as `{totalSize, done, records}`, or null when there are no rows.
 */
export function secondaryAccountIds(record: SalesforceRecord): string[] {
  const nested = record.AccountContactRelations as
    { records?: Array<{ AccountId?: unknown }> } | null | undefined;
  const ids = (nested?.records ?? [])
    .map((r) => r.AccountId)
    .filter((id): id is string => typeof id === 'string' && id !== '');
  return [...new Set(ids)].sort();
}
