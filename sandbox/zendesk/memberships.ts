/**
 * Organization memberships. A user's `organization_id` is their *default* membership; the first membership
 * a user gets becomes the default. Duplicates are refused with 422 like Zendesk ("Returns an error with
 * status 422 if the user is already assigned to the organization", OAS CreateOrganizationMembership).
 *
 * The account's "multiple organizations" setting decides how many a user may have
 * (https://support.zendesk.com/hc/en-us/articles/4408838140314): off (a new account), one; writing
 * `organization_id` then moves the user, replacing the membership. On, up to 300, and `organization_id`
 * joins that organization and makes it the default.
 */
import { fieldError, notFound } from './errors';
import type { ZendeskContext } from './settings';
import type { ZendeskStore } from './store';
import type { MembershipRecord } from './types';

/** "After you enable multiple organizations, you can add a user to as many as 300 organizations." */
export const MAX_ORGANIZATIONS_PER_USER = 300;

export function defaultOrganizationId(store: ZendeskStore, userId: number): number | null {
  return store.membershipsOf(userId).find((m) => m.default)?.organization_id ?? null;
}

/**
 * Why user `userId` cannot join one more organization, if they cannot. The 422 is documented; its detail
 * wording for the single-organization case is not (inferred: a RecordInvalid on user_id, never the
 * DuplicateValue of an existing membership).
 */
function membershipLimitProblem(ctx: ZendeskContext, userId: number): Error | undefined {
  const count = ctx.store.membershipsOf(userId).length;
  if (!ctx.settings.multipleOrganizations && count >= 1)
    return fieldError(
      'user_id',
      'InvalidValue',
      'User: already belongs to an organization, and this account does not allow users in multiple organizations',
    );
  if (count >= MAX_ORGANIZATIONS_PER_USER)
    return fieldError(
      'user_id',
      'InvalidValue',
      `User: cannot belong to more than ${MAX_ORGANIZATIONS_PER_USER} organizations`,
    );
  return undefined;
}

export function createMembership(
  ctx: ZendeskContext,
  userId: number,
  organizationId: number,
  makeDefault = false,
): MembershipRecord {
  const { store } = ctx;
  if (!store.users.has(userId) || !store.organizations.has(organizationId)) throw notFound();
  const existing = store.membershipsOf(userId);
  if (existing.some((m) => m.organization_id === organizationId))
    throw fieldError('user_id', 'DuplicateValue', 'User: is already a member of this organization');
  const problem = membershipLimitProblem(ctx, userId);
  if (problem) throw problem;
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
  store.touch('user', userId);
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
  store.touch('user', target.user_id);
  store.changed();
  return target;
}

/** Removes a membership; the default moves to the oldest remaining one, so organization_id stays meaningful. */
export function deleteMembership(store: ZendeskStore, membership: MembershipRecord): void {
  store.memberships.delete(membership.id);
  const rest = store.membershipsOf(membership.user_id);
  if (membership.default && rest[0]) rest[0].default = true;
  store.touch('user', membership.user_id);
  store.changed();
}

/**
 * `organization_id` written on a user. Multiple organizations on: joins that organization if needed and
 * makes it the default. Off: the user's only membership becomes that organization (the old one is removed).
 */
export function setDefaultOrganization(ctx: ZendeskContext, userId: number, organizationId: number): void {
  const { store } = ctx;
  if (!store.organizations.has(organizationId))
    throw fieldError('organization_id', 'InvalidValue', `Organization: ${organizationId} does not exist`);
  const memberships = store.membershipsOf(userId);
  const existing = memberships.find((m) => m.organization_id === organizationId);
  if (!ctx.settings.multipleOrganizations)
    for (const m of memberships) if (m !== existing) deleteMembership(store, m);
  makeDefaultMembership(store, (existing ?? createMembership(ctx, userId, organizationId)).id);
}

/**
 * `organization_ids` written on a user, with multiple organizations on: joins each listed organization
 * (memberships are added, never removed). Ignored with the setting off, as Zendesk ignores properties it
 * does not use (inferred; the property is not in the July-2024 OAS).
 */
export function joinOrganizations(ctx: ZendeskContext, userId: number, organizationIds: number[]): void {
  if (!ctx.settings.multipleOrganizations) return;
  for (const id of organizationIds)
    if (!ctx.store.membershipsOf(userId).some((m) => m.organization_id === id))
      createMembership(ctx, userId, id);
}
