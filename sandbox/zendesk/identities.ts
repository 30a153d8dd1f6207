/**
 * User identities. `users.email` and `users.phone` are not stored on the user: they are the user's primary
 * email / phone_number identity, so the two views can never disagree. Emails are unique across all
 * identities of all users (case-insensitive).
 */
import { fieldError, type ErrorDetail } from './errors';
import { isE164, phoneFormatDetail } from './phone';
import type { ZendeskContext } from './settings';
import type { ZendeskStore } from './store';
import type { IdentityRecord, IdentityType } from './types';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const IDENTITY_TYPES: readonly IdentityType[] = ['email', 'phone_number'];

export function findIdentityByEmail(store: ZendeskStore, email: string): IdentityRecord | undefined {
  const wanted = email.trim().toLowerCase();
  return [...store.identities.values()].find((i) => i.type === 'email' && i.value.toLowerCase() === wanted);
}

export function primaryIdentity(
  store: ZendeskStore,
  userId: number,
  type: IdentityType,
): IdentityRecord | undefined {
  return store.identitiesOf(userId).find((i) => i.type === type && i.primary);
}

/** Why `email` cannot be given to user `userId` (undefined = it can). */
export function emailProblem(store: ZendeskStore, email: string, userId?: number): ErrorDetail | undefined {
  if (!EMAIL.test(email.trim()))
    return { description: `Email: ${email} is not properly formatted`, error: 'InvalidFormat' };
  const owner = findIdentityByEmail(store, email);
  if (owner && owner.user_id !== userId)
    return { description: `Email: ${email} is already being used by another user`, error: 'DuplicateValue' };
  return undefined;
}

export function phoneProblem(ctx: ZendeskContext, phone: string): ErrorDetail | undefined {
  return ctx.settings.validatePhoneNumbers && !isE164(phone) ? phoneFormatDetail(phone) : undefined;
}

export interface IdentityInput {
  type: IdentityType;
  value: string;
  verified?: boolean;
  primary?: boolean;
}

/**
 * Adds an identity. The first identity of a type becomes primary (that is what makes a first email show up
 * as `users.email`); later ones are secondary unless `primary` is asked for on create.
 */
export function addIdentity(
  ctx: ZendeskContext,
  userId: number,
  input: IdentityInput,
  opts: { skipVerifyEmail?: boolean } = {},
): IdentityRecord {
  const { store } = ctx;
  const value = input.value.trim();
  if (input.type === 'email') {
    const problem = emailProblem(store, value, userId);
    if (problem) throw fieldError('value', problem.error, problem.description);
    if (findIdentityByEmail(store, value))
      throw fieldError('value', 'DuplicateValue', `Value: ${value} has already been taken`);
  } else {
    const problem = phoneProblem(ctx, value);
    if (problem) throw fieldError('value', problem.error, problem.description.replace(/^Phone/, 'Value'));
    if (value === '') throw fieldError('value', 'BlankValue', 'Value: cannot be blank');
  }
  const siblings = store.identitiesOf(userId).filter((i) => i.type === input.type);
  const primary = siblings.length === 0 || input.primary === true;
  if (primary) for (const s of siblings) s.primary = false;
  const now = store.timestamp();
  const identity: IdentityRecord = {
    id: store.nextId('identity'),
    user_id: userId,
    type: input.type,
    value,
    primary,
    verified: input.verified === true,
    created_at: now,
    updated_at: now,
  };
  store.identities.set(identity.id, identity);
  if (identity.type === 'email' && !identity.verified && opts.skipVerifyEmail !== true)
    store.outbox.push({ at: now, to: value, kind: 'verify', user_id: userId });
  store.touch('user', userId);
  store.changed();
  return identity;
}

/** `phone` written on a user: replaces the primary phone identity's value; "" or null removes it. */
export function setPrimaryPhone(ctx: ZendeskContext, userId: number, phone: string | null): void {
  const { store } = ctx;
  const current = primaryIdentity(store, userId, 'phone_number');
  const value = (phone ?? '').trim();
  if (value === '') {
    if (current) store.identities.delete(current.id);
  } else if (current) {
    Object.assign(current, { value, updated_at: store.timestamp() });
  } else {
    addIdentity(ctx, userId, { type: 'phone_number', value });
  }
  store.touch('user', userId);
  store.changed();
}

/** `PUT .../make_primary`: the identity becomes the primary one of its type. */
export function makePrimaryIdentity(store: ZendeskStore, identity: IdentityRecord): void {
  const now = store.timestamp();
  for (const sibling of store.identitiesOf(identity.user_id))
    if (sibling.type === identity.type)
      Object.assign(sibling, { primary: sibling.id === identity.id, updated_at: now });
  store.touch('user', identity.user_id);
  store.changed();
}

/** `DELETE`: the oldest remaining identity of the type takes over, so users.email / users.phone stay defined. */
export function deleteIdentity(store: ZendeskStore, identity: IdentityRecord): void {
  store.identities.delete(identity.id);
  const next = store.identitiesOf(identity.user_id).find((i) => i.type === identity.type);
  if (identity.primary && next) next.primary = true;
  store.touch('user', identity.user_id);
  store.changed();
}

/**
 * `PUT /users/{id}/identities/{id}`: changes `value` and/or `verified`. It "cannot change `primary`"
 * (make_primary does). The July-2024 OAS says a verified identity cannot be unverified; the current docs
 * allow it with `verified: false` or `verification_method: "none"`
 * (https://developer.zendesk.com/api-reference/ticketing/users/user_identities/#update-identity).
 */
export function updateIdentity(
  ctx: ZendeskContext,
  identity: IdentityRecord,
  input: Record<string, unknown>,
): IdentityRecord {
  const { store } = ctx;
  let value = identity.value;
  if (input.value !== undefined) {
    if (typeof input.value !== 'string' || input.value.trim() === '')
      throw fieldError('value', 'BlankValue', 'Value: cannot be blank');
    value = input.value.trim();
    if (identity.type === 'email') {
      const problem = emailProblem(store, value, identity.user_id);
      if (problem) throw fieldError('value', problem.error, problem.description.replace(/^Email/, 'Value'));
      const owner = findIdentityByEmail(store, value);
      if (owner && owner.id !== identity.id)
        throw fieldError('value', 'DuplicateValue', `Value: ${value} has already been taken`);
    } else {
      const problem = phoneProblem(ctx, value);
      if (problem) throw fieldError('value', problem.error, problem.description.replace(/^Phone/, 'Value'));
    }
  }
  let verified = identity.verified;
  if (input.verified !== undefined) {
    if (typeof input.verified !== 'boolean')
      throw fieldError('verified', 'InvalidValue', 'Verified: must be true or false');
    verified = input.verified;
  }
  if (input.verification_method === 'none') verified = false;
  Object.assign(identity, { value, verified, updated_at: store.timestamp() });
  store.touch('user', identity.user_id);
  store.changed();
  return identity;
}

export function verifyIdentity(store: ZendeskStore, identity: IdentityRecord): IdentityRecord {
  Object.assign(identity, { verified: true, updated_at: store.timestamp() });
  store.touch('user', identity.user_id);
  store.changed();
  return identity;
}
