/**
 * Puts a synced user in its contact's organizations, following core/memberships.ts: with Zendesk's
 * multiple-organizations setting off, `PUT users/{id} {organization_id}` replaces the user's only
 * organization; on, `POST organization_memberships` adds the missing ones (never deleting any) and
 * `PUT users/{id}/organization_memberships/{id}/make_default` moves the default unless it was set by hand.
 *
 * The setting comes from the worker's last read of `GET account/settings` (refreshed every
 * SCHEMA_REFRESH_EVERY). An administrator may switch it between two reads: a membership Zendesk refuses
 * on that ground makes the worker read the settings again at once, and the pass follows the new value.
 * Settings that could not be read count as "on", the answer that never deletes; a single-organization
 * account then refuses the membership, and the re-read decides.
 */
import {
  isMembershipChange,
  planMemberships,
  type MembershipChange,
  type MembershipSituation,
} from '../../core';
import type { WriteRequest } from '../../workflows/sync-types';
import type { ZendeskMembership } from '../zendesk/client';
import { ZendeskApiError } from '../zendesk/errors';
import type { SyncDeps } from './deps';

export interface Placement {
  /** What changed (absent when nothing did and no hand-set default was kept). */
  change?: MembershipChange;
  /** The organization the sync has made the user's default, to remember with the link. */
  syncDefault?: number;
}

/** Zendesk's answer when an organization_id names no organization (422 on a user, 404 on a membership). */
export function isMissingOrganization(err: unknown): boolean {
  return (
    err instanceof ZendeskApiError &&
    (err.hasDetail('organization_id', 'InvalidValue') || err.code === 'ZENDESK_NOT_FOUND')
  );
}

/** A membership made since the user's memberships were listed (a concurrent pass of another contact). */
const isDuplicateMembership = (err: unknown): boolean =>
  err instanceof ZendeskApiError && err.hasDetail('user_id', 'DuplicateValue');

/** A 422 on a new membership for another reason: on a single-organization account, the user already has one. */
const isRefusedMembership = (err: unknown): boolean =>
  err instanceof ZendeskApiError &&
  err.code === 'ZENDESK_REJECTED' &&
  !isDuplicateMembership(err) &&
  !isMissingOrganization(err);

/**
 * Whether organization `id` is gone from Zendesk (deleted since its account synced): then the user gets
 * no membership there and its sync goes on ("If an organization doesn't exist in Zendesk, organization
 * memberships aren't created", support.zendesk.com article 4408832217882).
 */
async function organizationIsGone(deps: SyncDeps, err: unknown, id: number): Promise<boolean> {
  return isMissingOrganization(err) && (await deps.zendesk.showOrganization(id)) === null;
}

const wants = (req: WriteRequest): boolean =>
  req.organizationId !== undefined || (req.secondaryOrganizationIds?.length ?? 0) > 0;

/** The user's memberships, listed only when the plan can differ from "already in its organization". */
async function memberOf(
  deps: SyncDeps,
  userId: number,
  currentDefault: number | null,
  req: WriteRequest,
  multiple: boolean,
): Promise<{ ids: number[]; list?: ZendeskMembership[] }> {
  const needsList =
    multiple &&
    ((req.secondaryOrganizationIds?.length ?? 0) > 0 ||
      (req.organizationId !== undefined && req.organizationId !== currentDefault));
  if (!needsList) return { ids: currentDefault === null ? [] : [currentDefault] };
  const list = await deps.zendesk.listUserMemberships(userId);
  return { ids: list.map((m) => m.organization_id), list };
}

async function placeOnce(
  deps: SyncDeps,
  userId: number,
  currentDefault: number | null,
  req: WriteRequest,
  managesDefault: boolean,
  multiple: boolean,
): Promise<Placement> {
  const zd = deps.zendesk;
  const members = await memberOf(deps, userId, currentDefault, req, multiple);
  const situation: MembershipSituation = {
    multipleOrganizations: multiple,
    primary: req.organizationId,
    secondary: req.secondaryOrganizationIds ?? [],
    memberOf: members.ids,
    currentDefault,
    lastSetBySync: req.syncDefaultOrganizationId,
    managesDefault,
  };
  const plan = planMemberships(situation);
  const change: MembershipChange = { ...plan.change, added: [] };
  let syncDefault = plan.syncDefault;

  if (plan.setOrganization !== undefined) {
    const to = plan.setOrganization;
    try {
      await zd.updateUser(userId, { organization_id: to });
      return { change: plan.change, syncDefault };
    } catch (err) {
      if (!(await organizationIsGone(deps, err, to))) throw err;
      return { syncDefault: req.syncDefaultOrganizationId };
    }
  }

  const byOrganization = new Map((members.list ?? []).map((m) => [m.organization_id, m]));
  for (const organizationId of plan.add) {
    try {
      const created = await zd.createMembership(userId, organizationId);
      byOrganization.set(organizationId, created);
      change.added.push(organizationId);
    } catch (err) {
      if (isDuplicateMembership(err)) continue;
      if (await organizationIsGone(deps, err, organizationId)) continue;
      throw err;
    }
  }
  if (plan.makeDefault !== undefined) {
    const target = plan.makeDefault;
    let membership = byOrganization.get(target);
    // A membership another pass made meanwhile (a duplicate above) is not in the map yet.
    if (!membership)
      membership = (await zd.listUserMemberships(userId)).find((m) => m.organization_id === target);
    if (!membership) {
      // The organization is gone: no membership, so no default either.
      delete change.defaultSet;
      syncDefault = req.syncDefaultOrganizationId;
    } else if (membership.default !== true) {
      await zd.makeDefaultMembership(userId, membership.id);
    }
  }
  return isMembershipChange(change) || change.keptDefault !== undefined
    ? { change, syncDefault }
    : { syncDefault };
}

/**
 * Places user `userId` (whose default organization is `currentDefault`) in the organizations `req`
 * names. `managesDefault` is false for a contact that only adds memberships to a user another contact
 * syncs. Returns what changed and the default the sync now stands behind.
 */
export async function placeUser(
  deps: SyncDeps,
  userId: number,
  currentDefault: number | null,
  req: WriteRequest,
  managesDefault: boolean,
): Promise<Placement> {
  if (!wants(req)) return { syncDefault: req.syncDefaultOrganizationId };
  const setting = () => deps.context().schemas.zendesk.settings?.multipleOrganizations;
  const multiple = setting() !== false;
  try {
    return await placeOnce(deps, userId, currentDefault, req, managesDefault, multiple);
  } catch (err) {
    if (!multiple || !isRefusedMembership(err) || !deps.refreshSchemas) throw err;
    // Refused: perhaps the setting was switched off since the worker read it. Read it again now.
    await deps.refreshSchemas('zendesk');
    if (setting() !== false) throw err;
    return placeOnce(deps, userId, currentDefault, req, managesDefault, false);
  }
}
