/**
 * Organization memberships. A user's `organization_id` is their *default* membership; the first membership
 * a user gets becomes the default. Duplicates are refused with 422 like Zendesk.
 */
import { fieldError, notFound } from './errors';
import type { ZendeskStore } from './store';
import type { MembershipRecord } from './types';

export function defaultOrganizationId(store: ZendeskStore, userId: number): number | null {
  return store.membershipsOf(userId).find((m) => m.default)?.organization_id ?? null;
}

export function createMembership(
  store: ZendeskStore,
  userId: number,
  organizationId: number,
  makeDefault = false,
): MembershipRecord {
  if (!store.users.has(userId) || !store.organizations.has(organizationId)) throw notFound();
  const existing = store.membershipsOf(userId);
  if (existing.some((m) => m.organization_id === organizationId))
    throw fieldError('user_id', 'DuplicateValue', 'User: is already a member of this organization');
  const now = store.timestamp();
  const membership: MembershipRecord = {
    id: store.nextId('membership'),
    user_id: userId,
    organization_id: organizationId,
    default: existing.length === 0,
    created_at: now,
    updated_at: now,
  };
  store.memberships.set(membership.id, membership);
  if (makeDefault) makeDefaultMembership(store, membership.id);
  store.changed();
  return membership;
}

export function makeDefaultMembership(store: ZendeskStore, membershipId: number): MembershipRecord {
  const target = store.memberships.get(membershipId);
  if (!target) throw notFound();
  const now = store.timestamp();
  for (const m of store.membershipsOf(target.user_id)) {
    const isDefault = m.id === target.id;
    if (m.default !== isDefault) Object.assign(m, { default: isDefault, updated_at: now });
  }
  store.changed();
  return target;
}

/** `organization_id` written on a user: joins that org if needed and makes it the default. */
export function setDefaultOrganization(store: ZendeskStore, userId: number, organizationId: number): void {
  if (!store.organizations.has(organizationId))
    throw fieldError('organization_id', 'InvalidValue', `Organization: ${organizationId} does not exist`);
  const existing = store.membershipsOf(userId).find((m) => m.organization_id === organizationId);
  makeDefaultMembership(store, (existing ?? createMembership(store, userId, organizationId)).id);
}
