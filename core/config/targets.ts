// Which Zendesk fields a Salesforce field may be mapped to or matched on. Standard targets are limited to
// writable attributes of the Organization / User objects in the Zendesk API (OAS 2024-07); custom fields
// are addressed as `organization_fields.<key>` / `user_fields.<key>`.

export type SyncKind = 'organization' | 'user';

export const ORGANIZATION_STANDARD_TARGETS = ['name', 'details', 'notes', 'domain_names', 'tags'] as const;
export const USER_STANDARD_TARGETS = [
  'name',
  'email',
  'phone',
  'details',
  'notes',
  'tags',
  'alias',
  'time_zone',
] as const;

/** Zendesk's external_id: filled with the Salesforce Id (`externalId: true`) or mapped from a field. */
export const EXTERNAL_ID = 'external_id';

export type ZendeskTarget =
  | { kind: 'standard'; field: string }
  | { kind: 'custom'; key: string }
  /** A multi-picklist whose `values:` map sends each value to a checkbox field of its own. */
  | { kind: 'checkboxes' };

/** The mapping target of a multi-picklist whose values each set a checkbox field of their own. */
export const CHECKBOXES_TARGET = 'checkboxes';

export function customFieldsProperty(kind: SyncKind): 'organization_fields' | 'user_fields' {
  return kind === 'organization' ? 'organization_fields' : 'user_fields';
}

export function standardTargets(kind: SyncKind): readonly string[] {
  return kind === 'organization' ? ORGANIZATION_STANDARD_TARGETS : USER_STANDARD_TARGETS;
}

// Zendesk field keys: letters, digits and underscores, and not only digits (OAS UserField.key).
const CUSTOM_KEY = /^(?![0-9]+$)[A-Za-z0-9_]+$/;

/** Parses a mapping target; returns an error message when the target is not one Zendesk accepts. */
export function parseZendeskTarget(kind: SyncKind, target: string): ZendeskTarget | { error: string } {
  const prefix = `${customFieldsProperty(kind)}.`;
  if (target.startsWith(prefix)) {
    const key = target.slice(prefix.length);
    if (!CUSTOM_KEY.test(key)) {
      return {
        error: `'${key}' is not a valid Zendesk field key (letters, digits and _ only, not only digits)`,
      };
    }
    return { kind: 'custom', key };
  }
  if (target === CHECKBOXES_TARGET) return { kind: 'checkboxes' };
  // Mappable from a Salesforce field only when `externalId` is false (semantic-rules.ts refuses both at once,
  // as the native sync's "Zendesk external ID" checkbox owns the field when ticked).
  if (target === EXTERNAL_ID) return { kind: 'standard', field: EXTERNAL_ID };
  const allowed = standardTargets(kind);
  if (allowed.includes(target)) return { kind: 'standard', field: target };
  return {
    error: `'${target}' is not a mappable Zendesk ${kind} field (use one of ${[...allowed, EXTERNAL_ID].join(', ')} or ${prefix}<key>)`,
  };
}

/**
 * A Zendesk field a record can be matched on (issue #15): one Zendesk can look up, by an exact-lookup
 * endpoint (organization name / external_id, user external_id) or by its Search API (the rest). Search
 * candidates are then checked for an exact value match (activities/sync/resolve-match.ts).
 */
export type MatchTarget =
  | { kind: 'name' }
  | { kind: 'email' }
  | { kind: 'external_id' }
  | { kind: 'domain_names' }
  | { kind: 'phone' }
  | { kind: 'custom'; key: string };

/** The match targets of each kind, as written in the configuration (`<prefix>.<key>` for custom fields). */
export const MATCH_TARGETS: Record<SyncKind, readonly string[]> = {
  organization: ['name', 'external_id', 'domain_names', 'organization_fields.<key>'],
  user: ['email', 'external_id', 'phone', 'user_fields.<key>'],
};

/** Parses a match target; returns an error naming the allowed targets when Zendesk cannot look it up. */
export function parseMatchTarget(kind: SyncKind, target: string): MatchTarget | { error: string } {
  if (target === 'external_id') return { kind: 'external_id' };
  const prefix = `${customFieldsProperty(kind)}.`;
  if (target.startsWith(prefix)) {
    const key = target.slice(prefix.length);
    if (!CUSTOM_KEY.test(key)) {
      return {
        error: `'${key}' is not a valid Zendesk field key (letters, digits and _ only, not only digits)`,
      };
    }
    return { kind: 'custom', key };
  }
  if (kind === 'organization') {
    if (target === 'name') return { kind: 'name' };
    if (target === 'domain_names') return { kind: 'domain_names' };
  } else {
    if (target === 'email') return { kind: 'email' };
    if (target === 'phone') return { kind: 'phone' };
  }
  const plural = kind === 'organization' ? 'organizations' : 'users';
  return { error: `${plural} can be matched on ${MATCH_TARGETS[kind].join(', ')}, not '${target}'` };
}
