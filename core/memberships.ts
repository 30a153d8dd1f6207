/**
 * Which organizations a synced user belongs to, and which one is its default. Pure, so the write step
 * (activities/sync/memberships.ts) and the dry-run preview decide with the same rule.
 *
 * The user belongs to the organization of its contact's account (the primary relationship) and, with
 * `users.secondaryRelationships`, to the organizations of the contact's other accounts. What that means
 * depends on Zendesk's "Allow users to belong to multiple organizations" setting
 * (https://support.zendesk.com/hc/en-us/articles/4408838140314):
 *
 * - off: a user has one organization. A contact that moved to another account moves its user: the
 *   organization is replaced (`organization_id` is written). Secondary relationships add nothing.
 * - on: memberships are only added, never deleted, as in Zendesk's own integration ("Organization
 *   memberships are only added, not deleted", https://support.zendesk.com/hc/en-us/articles/4408832217882).
 *   The primary organization becomes the default, unless the default was set by hand: "The integration
 *   respects existing default memberships, which are manually assigned" (same article).
 *
 * **Set by hand**, as the sync can tell it: the user's default is neither the organization this sync
 * last made its default (remembered in the record workflow's state, per linked user) nor the contact's
 * own primary organization. A default the sync set, or one that already is the contact's organization,
 * follows the contact to its next account; any other (an agent's choice, another integration's, a user
 * matched with a default of its own) is kept.
 */

export interface MembershipSituation {
  /** Zendesk's multiple-organizations setting. */
  multipleOrganizations: boolean;
  /** The organization linked to the contact's account, if the account has synced. */
  primary?: number;
  /** Organizations linked to the contact's secondary accounts (AccountContactRelation). */
  secondary?: readonly number[];
  /** Organizations the user belongs to now. */
  memberOf: readonly number[];
  /** The user's default organization now (`organization_id`), or null without any. */
  currentDefault: number | null;
  /** The organization this sync last made the user's default. */
  lastSetBySync?: number;
  /**
   * Whether this record may set the user's default and, with one organization, replace it. False for a
   * contact that is not the syncing record of a user several contacts share: it only adds memberships.
   */
  managesDefault: boolean;
}

/** What a pass did to the user's organizations; shown with the pass's outcome. */
export interface MembershipChange {
  /** Organizations the user joined. */
  added: number[];
  /** One organization per user: the user moved from one organization to another. */
  replaced?: { from: number; to: number };
  /** The organization made the user's default (several organizations per user). */
  defaultSet?: number;
  /** A default set by hand, kept where the contact's own organization would otherwise have become it. */
  keptDefault?: number;
}

export interface MembershipPlan {
  /** One organization per user: write `organization_id`, which replaces the user's organization. */
  setOrganization?: number;
  /** Several per user: memberships to create, the primary organization first. */
  add: number[];
  /** Several per user: the organization to make the default once it is a membership. */
  makeDefault?: number;
  /** What the plan changes, if carried out entirely. */
  change: MembershipChange;
  /** The organization the sync has made the user's default after the plan (to remember in state). */
  syncDefault?: number;
}

const unique = (ids: ReadonlyArray<number | undefined>): number[] => [
  ...new Set(ids.filter((id): id is number => id !== undefined)),
];

export function planMemberships(s: MembershipSituation): MembershipPlan {
  const keep: MembershipPlan = { add: [], change: { added: [] }, syncDefault: s.lastSetBySync };
  if (!s.multipleOrganizations) {
    // One organization: only the record that manages the user may move it; the others would take the
    // organization away from the user's syncing record.
    if (s.primary === undefined || !s.managesDefault) return keep;
    if (s.currentDefault === s.primary) return { ...keep, syncDefault: s.primary };
    return {
      setOrganization: s.primary,
      add: [],
      change:
        s.currentDefault === null
          ? { added: [s.primary] }
          : { added: [], replaced: { from: s.currentDefault, to: s.primary } },
      syncDefault: s.primary,
    };
  }
  const member = new Set(s.memberOf);
  const add = unique([s.primary, ...(s.secondary ?? [])]).filter((id) => !member.has(id));
  const plan: MembershipPlan = { add, change: { added: add }, syncDefault: s.lastSetBySync };
  if (!s.managesDefault || s.primary === undefined) return plan;
  if (s.currentDefault === s.primary) return { ...plan, syncDefault: s.primary };
  const setBySync = s.lastSetBySync !== undefined && s.currentDefault === s.lastSetBySync;
  if (s.currentDefault === null || setBySync)
    return {
      ...plan,
      makeDefault: s.primary,
      change: { ...plan.change, defaultSet: s.primary },
      syncDefault: s.primary,
    };
  return { ...plan, change: { ...plan.change, keptDefault: s.currentDefault } };
}

/** Whether a change changed anything. */
export function isMembershipChange(change: MembershipChange | undefined): boolean {
  return (
    change !== undefined &&
    (change.added.length > 0 || change.replaced !== undefined || change.defaultSet !== undefined)
  );
}

/**
 * One line for the UI, `sfzd status` and the outcome's message: `organization 12 replaced by 34`,
 * `joined organizations 34, 56; default 34`, `joined organization 34; default 12 set by hand kept`.
 */
export function describeMembershipChange(change: MembershipChange): string {
  const parts: string[] = [];
  if (change.replaced) parts.push(`organization ${change.replaced.from} replaced by ${change.replaced.to}`);
  if (change.added.length)
    parts.push(`joined organization${change.added.length === 1 ? '' : 's'} ${change.added.join(', ')}`);
  if (change.defaultSet !== undefined) parts.push(`default ${change.defaultSet}`);
  if (change.keptDefault !== undefined) parts.push(`default ${change.keptDefault} set by hand kept`);
  return parts.join('; ');
}
