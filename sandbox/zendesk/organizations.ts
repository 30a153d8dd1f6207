/**
 * Organization rules as Zendesk enforces them: names unique case-insensitively, external ids unique
 * case-insensitively, create_or_update matching by id or external_id only (never by name).
 */
import { applyFieldValues } from './custom-fields';
import { DetailCollector, notFound } from './errors';
import { optBoolean, optInteger, optString, optStringArray } from './input';
import type { ZendeskStore } from './store';
import { normalizeTags } from './tags';
import type { OrganizationRecord } from './types';

/** Organizations named `name` (trimmed, case-insensitive), by the store's index (organization-map.ts). */
export function findOrganizationByName(store: ZendeskStore, name: string): OrganizationRecord[] {
  return store.organizations.withName(name);
}

export function findOrganizationByExternalId(store: ZendeskStore, externalId: string): OrganizationRecord[] {
  return store.organizations.withExternalId(externalId);
}

export function getOrganization(store: ZendeskStore, id: number): OrganizationRecord {
  const org = store.organizations.get(id);
  if (!org) throw notFound();
  return org;
}

/** Validates `input` against `base` (undefined = create) and returns the record it would produce. */
function build(
  store: ZendeskStore,
  base: OrganizationRecord | undefined,
  input: Record<string, unknown>,
): OrganizationRecord {
  const problems = new DetailCollector();
  const name = optString(input, 'name', 'Name');
  const externalId = optString(input, 'external_id', 'External');
  const now = store.timestamp();
  const next: OrganizationRecord = base
    ? { ...base, updated_at: now }
    : {
        id: 0,
        name: '',
        external_id: null,
        details: null,
        notes: null,
        domain_names: [],
        group_id: null,
        shared_tickets: false,
        shared_comments: false,
        tags: [],
        organization_fields: {},
        created_at: now,
        updated_at: now,
      };
  if (name !== undefined) next.name = (name ?? '').trim();
  if (externalId !== undefined) next.external_id = externalId === '' ? null : externalId;
  const details = optString(input, 'details', 'Details');
  if (details !== undefined) next.details = details;
  const notes = optString(input, 'notes', 'Notes');
  if (notes !== undefined) next.notes = notes;
  const domains = optStringArray(input, 'domain_names', 'Domain names');
  // Zendesk overwrites the whole domain list on update (documented in the OAS).
  if (domains !== undefined)
    next.domain_names = domains.map((d) => d.trim().toLowerCase()).filter((d) => d !== '');
  const groupId = optInteger(input, 'group_id', 'Group');
  if (groupId !== undefined) next.group_id = groupId;
  const sharedTickets = optBoolean(input, 'shared_tickets', 'Shared tickets');
  if (sharedTickets !== undefined) next.shared_tickets = sharedTickets;
  const sharedComments = optBoolean(input, 'shared_comments', 'Shared comments');
  if (sharedComments !== undefined) next.shared_comments = sharedComments;
  if (input.tags !== undefined) next.tags = normalizeTags(input.tags);
  next.organization_fields = applyFieldValues(
    store,
    'organization',
    next.organization_fields,
    input.organization_fields,
  );

  if (next.name === '') problems.add('name', 'BlankValue', 'Name: cannot be blank');
  else if (findOrganizationByName(store, next.name).some((o) => o.id !== next.id))
    problems.add('name', 'DuplicateValue', 'Name: has already been taken');
  if (
    next.external_id !== null &&
    findOrganizationByExternalId(store, next.external_id).some((o) => o.id !== next.id)
  )
    problems.add('external_id', 'DuplicateValue', 'External: has already been taken');
  problems.throwIfAny();
  return next;
}

export function createOrganization(store: ZendeskStore, input: Record<string, unknown>): OrganizationRecord {
  const org = build(store, undefined, input);
  org.id = store.nextId('organization');
  store.organizations.set(org.id, org);
  store.touch('organization', org.id);
  store.changed();
  return org;
}

export function updateOrganization(
  store: ZendeskStore,
  id: number,
  input: Record<string, unknown>,
): OrganizationRecord {
  const org = build(store, getOrganization(store, id), input);
  store.organizations.set(org.id, org);
  store.touch('organization', org.id);
  store.changed();
  return org;
}

/**
 * Matches by `id`, then `external_id` (case-insensitive; the stored value takes the case sent). Without a
 * match it creates, so an existing *name* without id/external_id ends in the 422 duplicate-name error.
 */
export function createOrUpdateOrganization(
  store: ZendeskStore,
  input: Record<string, unknown>,
): { organization: OrganizationRecord; created: boolean } {
  const id = optInteger(input, 'id', 'Id');
  if (typeof id === 'number') {
    if (store.organizations.has(id))
      return { organization: updateOrganization(store, id, input), created: false };
    throw notFound();
  }
  const externalId = optString(input, 'external_id', 'External');
  const match =
    typeof externalId === 'string' && externalId !== ''
      ? findOrganizationByExternalId(store, externalId)[0]
      : undefined;
  if (match) return { organization: updateOrganization(store, match.id, input), created: false };
  return { organization: createOrganization(store, input), created: true };
}
