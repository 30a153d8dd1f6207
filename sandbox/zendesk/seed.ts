/**
 * Deterministic seed data: staff (admins and agents, whom a contact sync must never overwrite), custom
 * field definitions of every type, and existing organizations/users for matching, including names that
 * differ only in case or punctuation and an end-user with a secondary email.
 */
import { createRandom } from '../common/random';
import { createFieldDefinition, type FieldInput } from './custom-fields';
import { ZendeskApiError } from './errors';
import { addIdentity } from './identities';
import { createMembership } from './memberships';
import { createOrganization } from './organizations';
import type { ZendeskContext } from './settings';
import { createUser, findUserByEmail } from './users';

export interface ZendeskSeedOptions {
  /** PRNG seed: the same value always yields the same records. */
  randomSeed?: number;
  /** Extra generated organizations beyond the fixed ones. */
  organizations?: number;
  /** Extra generated end-users beyond the fixed ones. */
  endUsers?: number;
}

export interface SeedSummary {
  organizations: number;
  users: number;
  organizationFields: number;
  userFields: number;
}

export const SEED_STAFF = [
  { name: 'Second Admin', email: 'admin2@sandbox.test', role: 'admin' },
  { name: 'Alice Agent', email: 'agent1@sandbox.test', role: 'agent' },
  { name: 'Bob Agent', email: 'agent2@sandbox.test', role: 'agent' },
  { name: 'Carol Agent', email: 'agent3@sandbox.test', role: 'agent' },
] as const;

/** Pairs/triples that a name-based matcher must not confuse: Zendesk treats them as distinct names. */
export const SEED_ORGANIZATIONS = [
  { name: 'Acme Corporation', external_id: '001000000000001AAA', tags: ['customer'] },
  { name: 'Acme Corp', external_id: null, tags: [] },
  { name: 'ACME Corp.', external_id: null, tags: ['legacy'] },
  { name: 'Globex', external_id: '001000000000002AAA', tags: ['customer', 'enterprise'] },
  { name: 'Globex Inc', external_id: null, tags: [] },
  { name: 'Initech', external_id: '001000000000003AAA', tags: [] },
  { name: 'Umbrella Holdings', external_id: null, tags: ['prospect'] },
] as const;

const ORG_FIELDS: FieldInput[] = [
  { key: 'account_number', type: 'text', title: 'Account number' },
  { key: 'account_description', type: 'textarea', title: 'Description' },
  { key: 'is_partner', type: 'checkbox', title: 'Partner', tag: 'partner' },
  { key: 'renewal_date', type: 'date', title: 'Renewal date' },
  { key: 'employees', type: 'integer', title: 'Employees' },
  { key: 'annual_revenue', type: 'decimal', title: 'Annual revenue' },
  { key: 'region_code', type: 'regexp', title: 'Region code', regexp_for_validation: '^[A-Z]{2}$' },
  {
    key: 'tier',
    type: 'dropdown',
    title: 'Tier',
    custom_field_options: [
      { name: 'Gold', value: 'tier_gold' },
      { name: 'Silver', value: 'tier_silver' },
      { name: 'Bronze', value: 'tier_bronze' },
    ],
  },
  {
    key: 'industries',
    type: 'multiselect',
    title: 'Industries',
    custom_field_options: [
      { name: 'Retail', value: 'retail' },
      { name: 'Finance', value: 'finance' },
      { name: 'Health', value: 'health' },
    ],
  },
];

const USER_FIELDS: FieldInput[] = [
  { key: 'salesforce_id', type: 'text', title: 'Salesforce ID' },
  { key: 'vip', type: 'checkbox', title: 'VIP' },
  { key: 'birthday', type: 'date', title: 'Birthday' },
  { key: 'lead_score', type: 'integer', title: 'Lead score' },
  {
    key: 'contact_type',
    type: 'dropdown',
    title: 'Contact type',
    custom_field_options: [
      { name: 'Primary', value: 'primary_contact' },
      { name: 'Billing', value: 'billing_contact' },
    ],
  },
];

const FIRST = ['Ada', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Frances', 'Edsger', 'Radia'];
const LAST = [
  'Lovelace',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Thompson',
  'Liskov',
  'Ritchie',
  'Allen',
  'Dijkstra',
  'Perlman',
];
const WORDS = [
  'Northwind',
  'Contoso',
  'Fabrikam',
  'Tailspin',
  'Wingtip',
  'Litware',
  'Adventure',
  'Proseware',
  'Lucerne',
  'Wide World',
];

/** Creates a record unless an equal one exists: seeding twice must not fail on uniqueness rules. */
function tolerant<T>(create: () => T): T | undefined {
  try {
    return create();
  } catch (err) {
    if (err instanceof ZendeskApiError && err.status === 422) return undefined;
    throw err;
  }
}

export function seedZendesk(ctx: ZendeskContext, opts: ZendeskSeedOptions = {}): SeedSummary {
  const { store } = ctx;
  const random = createRandom(opts.randomSeed ?? 7402);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const quiet = { skipVerifyEmail: true };

  for (const staff of SEED_STAFF)
    if (!findUserByEmail(store, staff.email))
      createUser(ctx, { name: staff.name, email: staff.email, role: staff.role, verified: true }, quiet);
  for (const field of ORG_FIELDS) tolerant(() => createFieldDefinition(store, 'organization', field));
  for (const field of USER_FIELDS) tolerant(() => createFieldDefinition(store, 'user', field));

  const orgIds: number[] = [];
  for (const org of SEED_ORGANIZATIONS) {
    const created = tolerant(() =>
      createOrganization(store, {
        ...org,
        tags: [...org.tags],
        organization_fields: { tier: pick(['tier_gold', 'tier_silver', 'tier_bronze']) },
      }),
    );
    if (created) orgIds.push(created.id);
  }
  for (let i = 0; i < (opts.organizations ?? 0); i += 1) {
    const name = `${pick(WORDS)} ${pick(['Labs', 'Systems', 'Group', 'Partners'])} ${i + 1}`;
    const created = tolerant(() =>
      createOrganization(store, { name, external_id: `001SEED${String(i).padStart(11, '0')}` }),
    );
    if (created) orgIds.push(created.id);
  }

  const fixedUsers = [
    { name: 'Jane Doe', email: 'jane.doe@acme.example', external_id: '003000000000001AAA', org: 0 },
    { name: 'John Smith', email: 'john.smith@globex.example', external_id: null, org: 3 },
    // Same display name as the previous user: name is never a safe match key for users either.
    { name: 'John Smith', email: 'jsmith@initech.example', external_id: '003000000000002AAA', org: 5 },
    { name: 'Pat Shared', email: 'pat@shared.example', external_id: null, org: 0 },
  ];
  for (const u of fixedUsers) {
    if (findUserByEmail(store, u.email)) continue;
    const orgId = orgIds[u.org];
    const user = createUser(
      ctx,
      {
        name: u.name,
        email: u.email,
        external_id: u.external_id,
        ...(orgId ? { organization_id: orgId } : {}),
      },
      quiet,
    );
    if (u.name === 'Pat Shared') {
      // A user with a secondary email, and (where the account allows several) in two organizations: the
      // multi-org case of the native sync.
      addIdentity(ctx, user.id, { type: 'email', value: 'pat.secondary@shared.example' }, quiet);
      const second = orgIds[3];
      if (second && ctx.settings.multipleOrganizations) createMembership(ctx, user.id, second);
    }
  }
  for (let i = 0; i < (opts.endUsers ?? 0); i += 1) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const email = `${first}.${last}.${i + 1}@seed.example`.toLowerCase();
    if (findUserByEmail(store, email)) continue;
    const orgId = orgIds.length > 0 ? pick(orgIds) : undefined;
    createUser(ctx, { name: `${first} ${last}`, email, ...(orgId ? { organization_id: orgId } : {}) }, quiet);
  }
  return {
    organizations: store.organizations.size,
    users: store.users.size,
    organizationFields: store.fieldsOf('organization').length,
    userFields: store.fieldsOf('user').length,
  };
}
