/**
 * The read-only half of `sfzd dry-run`: loads the current Zendesk record (GET only) and computes the
 * requests the write step (activities/sync/write-zendesk.ts) would send for the same changes, as a
 * field-by-field diff. It follows the write step's rules: mapped fields overwrite; tags, emails and
 * phones are appended; a user without a phone gets the first phone as primary; agents/admins are never
 * written; memberships are only added.
 */
import type { DiffRow, DryRunPreview, DryRunPreviewInput, WouldSend } from '../../workflows/dry-run-types';
import type { ZendeskMembership, ZendeskOrganization, ZendeskUser } from '../zendesk/client';
import type { SyncDeps } from '../sync/deps';
import { isProtectedRole } from '../sync/resolve-match';
import { runClassified } from '../sync/run-classified';
import { newUserBody, overwriteFields } from '../sync/write-zendesk';
import { planMemberships } from '../../core';

const CUSTOM_FIELD_GROUPS = new Set(['organization_fields', 'user_fields']);

const norm = (v: unknown): unknown => (v === undefined || v === '' ? null : v);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(norm(a)) === JSON.stringify(norm(b));

/** One `set` row per overwritten field; custom fields get one row each (`organization_fields.industry`). */
function setRows(body: Record<string, unknown>, current: Record<string, unknown> | undefined): DiffRow[] {
  const rows: DiffRow[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (CUSTOM_FIELD_GROUPS.has(key) && value && typeof value === 'object' && !Array.isArray(value)) {
      const group = (current?.[key] ?? {}) as Record<string, unknown>;
      for (const [sub, subValue] of Object.entries(value as Record<string, unknown>)) {
        const before = norm(group[sub]);
        rows.push({
          field: `${key}.${sub}`,
          current: before,
          new: subValue,
          op: 'set',
          changed: !same(before, subValue),
        });
      }
      continue;
    }
    const before = norm(current?.[key]);
    rows.push({ field: key, current: before, new: value, op: 'set', changed: !same(before, value) });
  }
  return rows;
}

/** An `append` row: what Zendesk has, and the values it lacks (compared case-insensitively). */
function appendRow(field: string, current: string[], wanted: string[]): DiffRow & { missing: string[] } {
  const have = new Set(current.map((v) => v.toLowerCase()));
  const missing = [...new Set(wanted)].filter((v) => !have.has(v.toLowerCase()));
  return { field, current, new: missing, op: 'append', changed: missing.length > 0, missing };
}

const withoutMissing = ({ missing: _missing, ...row }: DiffRow & { missing: string[] }): DiffRow => row;

async function previewOrganization(deps: SyncDeps, input: DryRunPreviewInput): Promise<DryRunPreview> {
  const { changes } = input;
  const body = overwriteFields(changes);
  if (input.zendeskId === undefined) {
    const tags = appendRow('tags', [], changes.tagsToAdd);
    return {
      kind: 'write',
      create: true,
      diff: [...setRows(body, undefined), ...(changes.tagsToAdd.length ? [withoutMissing(tags)] : [])],
      requests: [
        {
          method: 'POST',
          path: 'organizations',
          body: { organization: { ...body, tags: changes.tagsToAdd } },
        },
      ],
    };
  }
  const org: ZendeskOrganization | null = await deps.zendesk.showOrganization(input.zendeskId);
  if (!org) return { kind: 'link-lost' };
  const requests: WouldSend[] = [];
  if (Object.keys(body).length > 0)
    requests.push({ method: 'PUT', path: `organizations/${org.id}`, body: { organization: body } });
  const tags = appendRow('tags', org.tags ?? [], changes.tagsToAdd);
  // Tags are only added: the sync sends the ones the organization lacks, if any.
  if (tags.missing.length > 0)
    requests.push({ method: 'PUT', path: `organizations/${org.id}/tags`, body: { tags: tags.missing } });
  return {
    kind: 'write',
    create: false,
    zendeskId: org.id,
    diff: [
      ...setRows(body, org as unknown as Record<string, unknown>),
      ...(changes.tagsToAdd.length ? [withoutMissing(tags)] : []),
    ],
    requests,
  };
}

async function previewUserCreate(deps: SyncDeps, input: DryRunPreviewInput): Promise<DryRunPreview> {
  const { changes } = input;
  const [, ...moreEmails] = changes.emailsToAdd;
  const [, ...morePhones] = changes.phonesToAdd;
  const { welcomeEmail } = deps.context().config.users;
  const body = newUserBody(changes, input.organizationId, welcomeEmail);
  const requests: WouldSend[] = [{ method: 'POST', path: 'users', body: { user: body } }];
  const placeholder = '{new user id}';
  for (const value of moreEmails)
    requests.push({
      method: 'POST',
      path: `users/${placeholder}/identities`,
      body: { identity: { type: 'email', value }, skip_verify_email: !welcomeEmail },
    });
  for (const value of morePhones)
    requests.push({
      method: 'POST',
      path: `users/${placeholder}/identities`,
      body: { identity: { type: 'phone_number', value } },
    });
  const diff = setRows({ ...overwriteFields(changes), role: 'end-user' }, undefined);
  // The create sets the primary organization; with several per user, the secondary ones follow.
  const multiple = deps.context().schemas.zendesk.settings?.multipleOrganizations !== false;
  const secondary = multiple
    ? (input.secondaryOrganizationIds ?? []).filter((id) => id !== input.organizationId)
    : [];
  for (const organizationId of secondary)
    requests.push({
      method: 'POST',
      path: 'organization_memberships',
      body: { organization_membership: { user_id: placeholder, organization_id: organizationId } },
    });
  const appended: Array<[string, string[]]> = [
    ['emails', changes.emailsToAdd],
    ['phones', changes.phonesToAdd],
    ['tags', changes.tagsToAdd],
    [
      'organization_memberships',
      [...(input.organizationId ? [input.organizationId] : []), ...secondary].map(String),
    ],
  ];
  for (const [field, values] of appended)
    if (values.length) diff.push(withoutMissing(appendRow(field, [], values)));
  return { kind: 'write', create: true, diff, requests };
}

/**
 * What the write step's placement (activities/sync/memberships.ts) would do, by the same rule
 * (core/memberships.ts): the memberships it would add, the default it would set, or the organization
 * it would replace.
 */
async function previewMemberships(
  deps: SyncDeps,
  input: DryRunPreviewInput,
  user: ZendeskUser,
): Promise<{ diff: DiffRow[]; requests: WouldSend[] }> {
  const secondary = input.secondaryOrganizationIds ?? [];
  if (input.organizationId === undefined && secondary.length === 0) return { diff: [], requests: [] };
  const multiple = deps.context().schemas.zendesk.settings?.multipleOrganizations !== false;
  // Listed only when the write step would list them too (a user already in its organization needs nothing).
  const needsList =
    multiple &&
    (secondary.length > 0 ||
      (input.organizationId !== undefined && input.organizationId !== user.organization_id));
  const list = needsList ? await deps.zendesk.listUserMemberships(user.id) : undefined;
  const memberOf = list
    ? list.map((m) => m.organization_id)
    : user.organization_id !== null
      ? [user.organization_id]
      : [];
  const plan = planMemberships({
    multipleOrganizations: multiple,
    primary: input.organizationId,
    secondary,
    memberOf,
    currentDefault: user.organization_id,
    lastSetBySync: input.syncDefaultOrganizationId,
    managesDefault: !input.membershipsOnly,
  });
  return {
    diff: membershipDiff(input, user, plan, list ? memberOf : undefined),
    requests: membershipRequests(user, plan, list),
  };
}

type MembershipPlan = ReturnType<typeof planMemberships>;

/** The user's organization as it would be set, and, when listed, the memberships it would gain. */
function membershipDiff(
  input: DryRunPreviewInput,
  user: ZendeskUser,
  plan: MembershipPlan,
  listedMemberOf: number[] | undefined,
): DiffRow[] {
  const diff: DiffRow[] = [];
  const next = plan.setOrganization ?? plan.makeDefault;
  if (next !== undefined)
    diff.push({
      field: 'organization_id',
      current: user.organization_id,
      new: next,
      op: 'set',
      changed: next !== user.organization_id,
    });
  if (listedMemberOf) {
    const membership = appendRow(
      'organization_memberships',
      listedMemberOf.map(String),
      [input.organizationId, ...(input.secondaryOrganizationIds ?? [])]
        .filter((id) => id !== undefined)
        .map(String),
    );
    diff.push(withoutMissing(membership));
  }
  return diff;
}

/** The placement's requests, in the write step's order: replace, add, make default. */
function membershipRequests(
  user: ZendeskUser,
  plan: MembershipPlan,
  list: ZendeskMembership[] | undefined,
): WouldSend[] {
  const requests: WouldSend[] = [];
  if (plan.setOrganization !== undefined)
    requests.push({
      method: 'PUT',
      path: `users/${user.id}`,
      body: { user: { organization_id: plan.setOrganization } },
    });
  for (const organizationId of plan.add)
    requests.push({
      method: 'POST',
      path: 'organization_memberships',
      body: { organization_membership: { user_id: user.id, organization_id: organizationId } },
    });
  if (plan.makeDefault !== undefined && plan.makeDefault !== user.organization_id) {
    const existing = list?.find((m) => m.organization_id === plan.makeDefault);
    requests.push({
      method: 'PUT',
      path: `users/${user.id}/organization_memberships/${existing?.id ?? '{new membership id}'}/make_default`,
      body: null,
    });
  }
  return requests;
}

async function previewUserUpdate(
  deps: SyncDeps,
  input: DryRunPreviewInput,
  zendeskId: number,
): Promise<DryRunPreview> {
  const zd = deps.zendesk;
  const { changes } = input;
  const user: ZendeskUser | null = await zd.showUser(zendeskId);
  if (!user) return { kind: 'link-lost' };
  if (isProtectedRole(user.role)) return { kind: 'protected', zendeskId, role: user.role };
  if (input.membershipsOnly) {
    // Another contact is this user's syncing record: only memberships would be added.
    const memberships = await previewMemberships(deps, input, user);
    return { kind: 'write', create: false, zendeskId, ...memberships };
  }
  const body = overwriteFields(changes);
  if (!user.phone && changes.phonesToAdd[0]) body.phone = changes.phonesToAdd[0];
  const identities =
    changes.emailsToAdd.length || changes.phonesToAdd.length ? await zd.listIdentities(zendeskId) : [];
  const valuesOf = (type: string, primary: string | null) => [
    ...new Set([
      ...(primary ? [primary] : []),
      ...identities.filter((i) => i.type === type).map((i) => i.value),
    ]),
  ];
  const phone = (body.phone as string | undefined) ?? user.phone;
  const emails = appendRow('emails', valuesOf('email', user.email), changes.emailsToAdd);
  const phones = appendRow('phones', valuesOf('phone_number', phone), changes.phonesToAdd);
  const tags = appendRow('tags', user.tags ?? [], changes.tagsToAdd);

  // In the write step's order: identities first, then the user's fields in one PUT.
  const requests: WouldSend[] = [];
  const { welcomeEmail } = deps.context().config.users;
  for (const value of emails.missing)
    requests.push({
      method: 'POST',
      path: `users/${zendeskId}/identities`,
      body: { identity: { type: 'email', value }, skip_verify_email: !welcomeEmail },
    });
  for (const value of phones.missing)
    requests.push({
      method: 'POST',
      path: `users/${zendeskId}/identities`,
      body: { identity: { type: 'phone_number', value } },
    });
  if (Object.keys(body).length > 0)
    requests.push({ method: 'PUT', path: `users/${zendeskId}`, body: { user: body } });
  if (tags.missing.length > 0)
    requests.push({ method: 'PUT', path: `users/${zendeskId}/tags`, body: { tags: tags.missing } });

  const diff = setRows(body, user as unknown as Record<string, unknown>);
  if (changes.emailsToAdd.length) diff.push(withoutMissing(emails));
  if (changes.phonesToAdd.length) diff.push(withoutMissing(phones));
  if (changes.tagsToAdd.length) diff.push(withoutMissing(tags));
  const memberships = await previewMemberships(deps, input, user);
  diff.push(...memberships.diff);
  requests.push(...memberships.requests);
  return { kind: 'write', create: false, zendeskId, diff, requests };
}

export function createPreviewZendeskWrite(deps: SyncDeps) {
  return async function previewZendeskWrite(input: DryRunPreviewInput): Promise<DryRunPreview> {
    return runClassified(deps, () => {
      if (input.object === 'Account') return previewOrganization(deps, input);
      return input.zendeskId === undefined
        ? previewUserCreate(deps, input)
        : previewUserUpdate(deps, input, input.zendeskId);
    });
  };
}
