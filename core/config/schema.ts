// SYNC_CONFIG: the admin's choices from Zendesk's "Data sync" settings page, as a plain object (the YAML is
// parsed on the I/O side). zod checks the shape and fills defaults; `semanticIssues` adds the rules of the
// native sync that do not depend on the Salesforce/Zendesk schemas (those live in check-schemas.ts).
import { z } from 'zod';
import { ConfigError, formatPath, type ConfigIssue } from './errors';
import { semanticIssues } from './semantic-rules';
import type { SalesforceObject } from '../salesforce-object';

import { FILTER_OPERATORS, type FilterOperator } from './operators';

export { FILTER_OPERATORS, type FilterOperator };

/** Operators that test presence only and take no value. */
export const VALUELESS_OPERATORS: readonly FilterOperator[] = ['is_empty', 'is_not_empty'];

// YAML turns `value: true` / `value: 100` into a boolean / number; filter values are text either way.
const filterValue = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

const conditionSchema = z.strictObject({
  field: z.string().min(1),
  operator: z.enum(FILTER_OPERATORS),
  value: filterValue.optional(),
});

const filtersSchema = z
  .strictObject({
    all: z.array(conditionSchema).default([]),
    any: z.array(conditionSchema).default([]),
  })
  .prefault({});

const matchSchema = z.strictObject({ salesforce: z.string().min(1), zendesk: z.string().min(1) });

/** Which selected value of a multi-picklist a dropdown (one option) takes: first, last, or by priority. */
const pickSchema = z.union([z.enum(['first', 'last']), z.array(z.string().min(1)).min(1)]);

const mappingSchema = z.strictObject({
  salesforce: z.string().min(1),
  zendesk: z.string().min(1),
  /**
   * Multi-picklist only ("Mapped values"): Salesforce value -> Zendesk option value (dropdown,
   * multiselect), tag (tags), or `…_fields.<key>` checkbox (`zendesk: checkboxes`). `null` leaves a value
   * out on purpose; a selected value missing from the map fails the pass (ValueNotRepresentable).
   */
  values: z.record(z.string(), z.union([filterValue, z.null()])).optional(),
  /** Multi-picklist to a dropdown only: which selected value wins (a dropdown holds one option). */
  pick: pickSchema.optional(),
});

/**
 * How Salesforce phone numbers are written to Zendesk's `phone`: as they are (`none`), or rewritten to
 * E.164 (`e164`, numbers without a country code read in `defaultRegion`); a number that cannot be read
 * fails the pass instead of being sent.
 */
const phoneSchema = z
  .strictObject({
    normalise: z.enum(['none', 'e164']).default('none'),
    defaultRegion: z.string().min(1).optional(),
  })
  .prefault({});

const modeSchema = z.enum(['upsert', 'update-only']).default('upsert');

/**
 * What a record deleted in Salesforce (a Change Data Capture DELETE) does to its linked Zendesk record:
 * `ignore` (the native sync: nothing), `tag` (add `deletedTag`), `unlink` (forget the link, and clear
 * `external_id` if it is the record's own Salesforce Id). Unless `ignore`, a merge is told apart from a
 * delete and handled as one (`mergedTag`). See core/lifecycle.ts.
 */
const onDeleteSchema = z.enum(['ignore', 'tag', 'unlink']).default('ignore');
/** A Zendesk tag: Zendesk stores tags lower-cased, and one cannot contain spaces or commas. */
const tagSchema = z
  .string()
  .min(1)
  .regex(/^[^\s,]+$/, 'a Zendesk tag cannot contain spaces or commas')
  .transform((t) => t.toLowerCase());
const lifecycleShape = {
  onDelete: onDeleteSchema,
  deletedTag: tagSchema.default('salesforce_deleted'),
  mergedTag: tagSchema.default('salesforce_merged'),
};

const accountsShape = {
  enabled: z.boolean().default(true),
  mode: modeSchema,
  filters: filtersSchema,
  match: matchSchema.default({ salesforce: 'Name', zendesk: 'name' }),
  fields: z.array(mappingSchema).default([{ salesforce: 'Name', zendesk: 'name' }]),
  syncedIdField: z.string().min(1).optional(),
  externalId: z.boolean().default(false),
  ...lifecycleShape,
};

const usersShape = {
  enabled: z.boolean().default(true),
  source: z.enum(['Contact', 'Lead']).default('Contact'),
  mode: modeSchema,
  filters: filtersSchema,
  match: matchSchema.default({ salesforce: 'Email', zendesk: 'email' }),
  // The native default is Email -> email; Name -> name is added because the Zendesk API cannot create a
  // user without a name.
  fields: z.array(mappingSchema).default([
    { salesforce: 'Name', zendesk: 'name' },
    { salesforce: 'Email', zendesk: 'email' },
  ]),
  syncedIdField: z.string().min(1).optional(),
  externalId: z.boolean().default(false),
  welcomeEmail: z.boolean().default(false),
  /** Defaults to true for Contacts (they have an AccountId) and false for Leads (they have none). */
  organizationMembership: z.boolean().optional(),
  phone: phoneSchema,
  /**
   * Zendesk's multiple-organizations sync (Contacts): contacts that share a user (the same email in
   * several accounts) link to that one user with a membership per account. The first contact linked is
   * the user's "syncing record" and writes its fields; the others only add memberships. Needs Zendesk's
   * "Allow users to belong to multiple organizations".
   */
  multipleOrganizations: z.boolean().default(false),
  /**
   * With multipleOrganizations: the contact's other accounts (AccountContactRelation rows with
   * IsDirect = false, IsActive = true) add memberships too.
   */
  secondaryRelationships: z.boolean().default(false),
  ...lifecycleShape,
};

const accountsSchema = z.strictObject(accountsShape);
const usersSchema = z.strictObject(usersShape);
const syncConfigSchema = z.strictObject({
  accounts: accountsSchema.optional(),
  users: usersSchema.optional(),
});

export type FilterCondition = z.output<typeof conditionSchema>;
export type Filters = z.output<typeof filtersSchema>;
export type FieldMapping = z.output<typeof mappingSchema>;
export type PickRule = z.output<typeof pickSchema>;
export type PhoneRule = z.output<typeof phoneSchema>;
export type MatchCriterion = z.output<typeof matchSchema>;
export type SyncMode = z.output<typeof modeSchema>;
export type OnDelete = z.output<typeof onDeleteSchema>;
export type AccountsConfig = z.output<typeof accountsSchema>;
export type UsersConfig = Omit<z.output<typeof usersSchema>, 'organizationMembership'> & {
  organizationMembership: boolean;
};
export interface SyncConfig {
  accounts: AccountsConfig;
  users: UsersConfig;
}
/** The parts shared by both sync sections (what filters, mapping and matching need). */
export type ObjectSyncConfig = AccountsConfig | UsersConfig;

/** Keys allowed at each object level, for "unknown key" messages. */
function allowedKeysAt(path: ReadonlyArray<PropertyKey>): string[] {
  const names = path.filter((p): p is string => typeof p === 'string');
  const last = names[names.length - 1];
  const section = names[0];
  if (names.length === 0) return ['accounts', 'users'];
  if (names.length === 1) return Object.keys(section === 'users' ? usersShape : accountsShape);
  if (last === 'filters') return ['all', 'any'];
  if (last === 'all' || last === 'any') return ['field', 'operator', 'value'];
  if (last === 'match') return ['salesforce', 'zendesk'];
  if (last === 'fields') return ['salesforce', 'zendesk', 'values', 'pick'];
  if (last === 'phone') return ['normalise', 'defaultRegion'];
  return [];
}

function valueAt(data: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current = data;
  for (const part of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

function zodIssues(error: z.ZodError, data: unknown): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const last = issue.path[issue.path.length - 1];
    // a list of match criteria gets its own explanation from semanticIssues
    if (issue.code === 'invalid_type' && last === 'match' && Array.isArray(valueAt(data, issue.path)))
      continue;
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeysAt(issue.path);
      for (const key of issue.keys) {
        out.push({
          path: formatPath([...issue.path, key]),
          message: `unknown key '${key}'${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`,
        });
      }
    } else if (issue.code === 'invalid_value') {
      out.push({
        path: formatPath(issue.path),
        message: `must be one of: ${issue.values.map(String).join(', ')} (got ${JSON.stringify(valueAt(data, issue.path))})`,
      });
    } else if (issue.code === 'too_small' && issue.origin === 'string') {
      out.push({ path: formatPath(issue.path), message: 'must not be empty' });
    } else if (issue.code === 'invalid_type') {
      const received = issue.message.replace(/^.*received /, '');
      out.push({
        path: formatPath(issue.path),
        message:
          received === 'undefined'
            ? `is required (${issue.expected})`
            : `expected ${issue.expected}, got ${received}`,
      });
    } else {
      out.push({ path: formatPath(issue.path), message: issue.message });
    }
  }
  return out;
}

function comparePaths(a: ConfigIssue, b: ConfigIssue): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * Validates an already-parsed SYNC_CONFIG object and fills in defaults. Throws ConfigError listing every
 * problem (shape, unknown keys, and the native sync's rules) so a typo fails fast at startup.
 * A missing section means that sync is disabled.
 */
export function parseSyncConfig(data: unknown): SyncConfig {
  const parsed = syncConfigSchema.safeParse(data);
  const issues = [...(parsed.success ? [] : zodIssues(parsed.error, data)), ...semanticIssues(data)];
  if (issues.length > 0 || !parsed.success) {
    // stable order: by path, keeping the original order for issues on the same path
    throw new ConfigError({
      issues: issues
        .map((issue, i) => ({ issue, i }))
        .sort((x, y) => comparePaths(x.issue, y.issue) || x.i - y.i)
        .map((x) => x.issue),
    });
  }
  const accounts = parsed.data.accounts ?? accountsSchema.parse({ enabled: false });
  const rawUsers = parsed.data.users ?? usersSchema.parse({ enabled: false });
  const users: UsersConfig = {
    ...rawUsers,
    organizationMembership: rawUsers.organizationMembership ?? rawUsers.source === 'Contact',
  };
  return { accounts, users };
}

/** The Salesforce object a section reads from. */
export function salesforceObjectOf(kind: 'organization' | 'user', config: SyncConfig): SalesforceObject {
  return kind === 'organization' ? 'Account' : config.users.source;
}
