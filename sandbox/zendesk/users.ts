/**
 * User rules as Zendesk enforces them: email unique across identities and settable only on create (on
 * update it adds a secondary identity), external_id unique case-insensitively, roles end-user/agent/admin,
 * E.164 phones when the account validates phone numbers, create_or_update matching by external_id or email.
 */
import { applyFieldValues } from './custom-fields';
import { DetailCollector, notFound } from './errors';
import {
  addIdentity,
  emailProblem,
  findIdentityByEmail,
  IDENTITY_TYPES,
  phoneProblem,
  setPrimaryPhone,
} from './identities';
import { isRecord, optBoolean, optInteger, optString } from './input';
import { joinOrganizations, setDefaultOrganization } from './memberships';
import type { ZendeskContext } from './settings';
import type { ZendeskStore } from './store';
import { normalizeTags } from './tags';
import { USER_ROLES, type IdentityType, type UserRecord, type UserRole } from './types';

export interface UserWriteOptions {
  /** `skip_verify_email`: no verification/welcome email for new addresses. */
  skipVerifyEmail?: boolean;
}

export function getUser(store: ZendeskStore, id: number): UserRecord {
  const user = store.users.get(id);
  if (!user) throw notFound();
  return user;
}

export function findUsersByExternalId(store: ZendeskStore, externalId: string): UserRecord[] {
  const wanted = externalId.trim().toLowerCase();
  return [...store.users.values()].filter(
    (u) => u.external_id !== null && u.external_id.toLowerCase() === wanted,
  );
}

export function findUserByEmail(store: ZendeskStore, email: string): UserRecord | undefined {
  const identity = findIdentityByEmail(store, email);
  return identity ? store.users.get(identity.user_id) : undefined;
}

interface ParsedUserInput {
  name?: string;
  role?: UserRole;
  email?: string;
  externalId?: string | null;
  phone?: string | null;
  organizationId?: number | null;
  organizationIds?: number[];
  identities: { type: IdentityType; value: string }[];
}

/** Reads and checks everything that can fail *before* any record changes, so a 422 leaves no trace. */
function parse(
  ctx: ZendeskContext,
  input: Record<string, unknown>,
  userId: number | undefined,
): ParsedUserInput {
  const { store } = ctx;
  const problems = new DetailCollector();
  const out: ParsedUserInput = { identities: [] };
  const name = optString(input, 'name', 'Name');
  if (name !== undefined) {
    out.name = (name ?? '').trim();
    if (out.name === '') problems.add('name', 'BlankValue', 'Name: cannot be blank');
  } else if (userId === undefined) problems.add('name', 'BlankValue', 'Name: cannot be blank');
  const role = input.role;
  if (role !== undefined) {
    if (typeof role === 'string' && (USER_ROLES as readonly string[]).includes(role))
      out.role = role as UserRole;
    else
      problems.add(
        'role',
        'InvalidValue',
        `Role: ${JSON.stringify(role)} is not one of ${USER_ROLES.join(', ')}`,
      );
  }
  const email = optString(input, 'email', 'Email');
  if (typeof email === 'string' && email.trim() !== '') {
    out.email = email.trim();
    const problem = emailProblem(store, out.email, userId);
    if (problem) problems.add('email', problem.error, problem.description);
  }
  const externalId = optString(input, 'external_id', 'External');
  if (externalId !== undefined) {
    out.externalId = externalId === '' ? null : externalId;
    if (out.externalId !== null && findUsersByExternalId(store, out.externalId).some((u) => u.id !== userId))
      problems.add('external_id', 'DuplicateValue', 'External: has already been taken');
  }
  const phone = optString(input, 'phone', 'Phone');
  if (phone !== undefined) {
    out.phone = phone;
    const problem = phone ? phoneProblem(ctx, phone.trim()) : undefined;
    if (problem) problems.set('phone', problem);
  }
  const organizationId = optInteger(input, 'organization_id', 'Organization');
  if (organizationId !== undefined) {
    out.organizationId = organizationId;
    if (organizationId !== null && !store.organizations.has(organizationId))
      problems.add('organization_id', 'InvalidValue', `Organization: ${organizationId} does not exist`);
  }
  if (input.organization_ids !== undefined) {
    const ids = Array.isArray(input.organization_ids) ? input.organization_ids : [];
    if (!Array.isArray(input.organization_ids) || !ids.every((id) => Number.isSafeInteger(id)))
      problems.add('organization_ids', 'InvalidValue', 'Organization ids: must be an array of integers');
    else {
      out.organizationIds = ids as number[];
      for (const id of out.organizationIds)
        if (!store.organizations.has(id))
          problems.add('organization_ids', 'InvalidValue', `Organization: ${id} does not exist`);
    }
  }
  if (input.identities !== undefined) {
    const list = Array.isArray(input.identities) ? input.identities : [];
    for (const item of list) {
      const type = isRecord(item) ? item.type : undefined;
      const value = isRecord(item) ? item.value : undefined;
      if (typeof value !== 'string' || !IDENTITY_TYPES.includes(type as IdentityType))
        problems.add(
          'identities',
          'InvalidValue',
          `Identities: each needs type (${IDENTITY_TYPES.join(' or ')}) and a string value`,
        );
      else {
        const problem = type === 'email' ? emailProblem(store, value, userId) : phoneProblem(ctx, value);
        if (problem) problems.add('identities', problem.error, problem.description);
        else out.identities.push({ type: type as IdentityType, value });
      }
    }
  }
  problems.throwIfAny();
  return out;
}

/** Writes the plain (non-identity) properties; returns the next version of the record. */
function withPlainProperties(
  ctx: ZendeskContext,
  base: UserRecord,
  input: Record<string, unknown>,
  parsed: ParsedUserInput,
): UserRecord {
  const next: UserRecord = { ...base, updated_at: ctx.store.timestamp() };
  if (parsed.name !== undefined) next.name = parsed.name;
  if (parsed.role !== undefined) next.role = parsed.role;
  if (parsed.externalId !== undefined) next.external_id = parsed.externalId;
  for (const key of ['details', 'notes', 'time_zone', 'locale'] as const) {
    const v = optString(input, key, key);
    if (v !== undefined && (key === 'details' || key === 'notes')) next[key] = v;
    else if (typeof v === 'string' && (key === 'time_zone' || key === 'locale')) next[key] = v;
  }
  const suspended = optBoolean(input, 'suspended', 'Suspended');
  if (suspended !== undefined) next.suspended = suspended;
  const shared = optBoolean(input, 'shared_phone_number', 'Shared phone number');
  if (shared !== undefined) next.shared_phone_number = shared;
  if (input.tags !== undefined) next.tags = normalizeTags(input.tags);
  next.user_fields = applyFieldValues(ctx.store, 'user', next.user_fields, input.user_fields);
  return next;
}

export function createUser(
  ctx: ZendeskContext,
  input: Record<string, unknown>,
  opts: UserWriteOptions = {},
): UserRecord {
  const { store } = ctx;
  const parsed = parse(ctx, input, undefined);
  const now = store.timestamp();
  const blank: UserRecord = {
    id: 0,
    name: '',
    role: 'end-user',
    external_id: null,
    details: null,
    notes: null,
    time_zone: 'Etc/UTC',
    locale: 'en-US',
    active: true,
    suspended: false,
    shared_phone_number: null,
    tags: [],
    user_fields: {},
    created_at: now,
    updated_at: now,
  };
  const user = withPlainProperties(ctx, blank, input, parsed);
  user.id = store.nextId('user');
  store.users.set(user.id, user);
  const verified = input.verified === true;
  if (parsed.email !== undefined) {
    addIdentity(ctx, user.id, { type: 'email', value: parsed.email, verified }, { skipVerifyEmail: true });
    if (!verified && opts.skipVerifyEmail !== true)
      store.outbox.push({ at: now, to: parsed.email, kind: 'welcome', user_id: user.id });
  }
  for (const identity of parsed.identities) addIdentity(ctx, user.id, { ...identity, verified }, opts);
  if (parsed.phone) setPrimaryPhone(ctx, user.id, parsed.phone);
  if (typeof parsed.organizationId === 'number') setDefaultOrganization(ctx, user.id, parsed.organizationId);
  if (parsed.organizationIds) joinOrganizations(ctx, user.id, parsed.organizationIds);
  store.touch('user', user.id);
  store.changed();
  return user;
}

export function updateUser(
  ctx: ZendeskContext,
  id: number,
  input: Record<string, unknown>,
  opts: UserWriteOptions = {},
): UserRecord {
  const { store } = ctx;
  const base = getUser(store, id);
  const parsed = parse(ctx, input, id);
  const user = withPlainProperties(ctx, base, input, parsed);
  store.users.set(id, user);
  // Zendesk: `email` is writable on create only; on update a new address becomes a *secondary* identity.
  if (parsed.email !== undefined && !findIdentityByEmail(store, parsed.email))
    addIdentity(ctx, id, { type: 'email', value: parsed.email }, opts);
  for (const identity of parsed.identities) {
    if (identity.type === 'phone_number' || !findIdentityByEmail(store, identity.value))
      addIdentity(ctx, id, identity, opts);
  }
  if (parsed.phone !== undefined) setPrimaryPhone(ctx, id, parsed.phone);
  if (typeof parsed.organizationId === 'number') setDefaultOrganization(ctx, id, parsed.organizationId);
  if (parsed.organizationIds) joinOrganizations(ctx, id, parsed.organizationIds);
  store.touch('user', id);
  store.changed();
  return user;
}

/**
 * Matches by external_id first, then by any email identity (both case-insensitive). The stored external_id
 * takes the case that was sent, as the OAS describes.
 */
export function createOrUpdateUser(
  ctx: ZendeskContext,
  input: Record<string, unknown>,
  opts: UserWriteOptions = {},
): { user: UserRecord; created: boolean } {
  const externalId = optString(input, 'external_id', 'External');
  const email = optString(input, 'email', 'Email');
  const byExternal =
    typeof externalId === 'string' && externalId !== ''
      ? findUsersByExternalId(ctx.store, externalId)[0]
      : undefined;
  const byEmail =
    typeof email === 'string' && email.trim() !== '' ? findUserByEmail(ctx.store, email) : undefined;
  const match = byExternal ?? byEmail;
  if (match) return { user: updateUser(ctx, match.id, input, opts), created: false };
  return { user: createUser(ctx, input, opts), created: true };
}

/** Agents and admins may authenticate; end-users may not use the API with a token. */
export function isStaff(user: UserRecord): boolean {
  return user.role === 'agent' || user.role === 'admin';
}
