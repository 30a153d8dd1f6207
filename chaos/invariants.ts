/**
 * The four promises every chaos scenario checks at the end, read straight from the sandboxes' state and
 * request logs (never from the product's own view of what it did):
 *  1. every Salesforce record in scope is linked to exactly one Zendesk record (its ID written back, and
 *     exactly one Zendesk record carrying its external_id);
 *  2. no duplicate organizations (by name) or users (by email or external_id);
 *  3. every write-back was written exactly once (successful PATCHes of the record in the Salesforce log);
 *  4. the final Zendesk values equal the Salesforce values.
 * Records expected to fail (hostile data, protected users) are checked for the opposite: nothing written.
 */
import type { SalesforceSandbox } from '../sandbox/salesforce';
import type { ZendeskSandbox } from '../sandbox/zendesk';
import type { SalesforceObject } from '../workflows/sync-types';
import type { Target } from './rig';

export const SYNCED_ID_FIELD: Record<SalesforceObject, string> = {
  Account: 'Zendesk_Organization_Id__c',
  Contact: 'Zendesk_User_Id__c',
  Lead: 'Zendesk_User_Id__c',
};

export interface InvariantReport {
  ok: boolean;
  /** At most 20 descriptions; `violationCount` has the total. */
  violations: string[];
  violationCount: number;
  linked: number;
  duplicateOrganizations: number;
  duplicateUsers: number;
  writeBacks: number;
  valueMismatches: number;
}

export interface InvariantOptions {
  /** Salesforce IDs expected to end failed: no Zendesk record with their external_id, no write-back. */
  expectNothingWritten?: ReadonlySet<string>;
}

const key15 = (id: string) => id.slice(0, 15);
const text = (v: unknown): string | null => {
  if (v === undefined || v === null || v === '') return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
};

/** Successful write-back PATCHes per record (15-character ID), from the Salesforce request log. */
export function writeBackCounts(sf: SalesforceSandbox): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of sf.log.entries()) {
    if (e.method !== 'PATCH' || e.status >= 300) continue;
    const m = /\/sobjects\/(?:Account|Contact|Lead)\/([A-Za-z0-9]{15,18})$/.exec(e.path);
    if (!m) continue;
    counts.set(key15(m[1]!), (counts.get(key15(m[1]!)) ?? 0) + 1);
  }
  return counts;
}

export function checkInvariants(
  sf: SalesforceSandbox,
  zd: ZendeskSandbox,
  targets: readonly Target[],
  opts: InvariantOptions = {},
): InvariantReport {
  const violations: string[] = [];
  let violationCount = 0;
  const violate = (message: string) => {
    violationCount += 1;
    if (violations.length < 20) violations.push(message);
  };
  const orgsByExternal = new Map<string, number[]>();
  const orgsByName = new Map<string, number>();
  for (const o of zd.store.organizations.values()) {
    if (o.external_id)
      orgsByExternal.set(key15(o.external_id), [...(orgsByExternal.get(key15(o.external_id)) ?? []), o.id]);
    const name = o.name.toLowerCase();
    orgsByName.set(name, (orgsByName.get(name) ?? 0) + 1);
  }
  const usersByExternal = new Map<string, number[]>();
  for (const u of zd.store.users.values()) {
    if (u.external_id)
      usersByExternal.set(key15(u.external_id), [...(usersByExternal.get(key15(u.external_id)) ?? []), u.id]);
  }
  const emailOwners = new Map<string, Set<number>>();
  const identitiesByUser = new Map<number, { email: string[]; phone: string[] }>();
  for (const i of zd.store.identities.values()) {
    const entry = identitiesByUser.get(i.user_id) ?? { email: [], phone: [] };
    if (i.type === 'email') {
      entry.email.push(i.value.toLowerCase());
      emailOwners.set(
        i.value.toLowerCase(),
        (emailOwners.get(i.value.toLowerCase()) ?? new Set()).add(i.user_id),
      );
    } else entry.phone.push(i.value);
    identitiesByUser.set(i.user_id, entry);
  }
  let duplicateOrganizations = 0;
  for (const [name, n] of orgsByName)
    if (n > 1) {
      duplicateOrganizations += n - 1;
      violate(`${n} organizations named '${name.slice(0, 60)}'`);
    }
  let duplicateUsers = 0;
  for (const [email, owners] of emailOwners)
    if (owners.size > 1) {
      duplicateUsers += owners.size - 1;
      violate(`${owners.size} users with email ${email}`);
    }
  for (const map of [orgsByExternal, usersByExternal])
    for (const [ext, ids] of map)
      if (ids.length > 1) {
        if (map === orgsByExternal) duplicateOrganizations += ids.length - 1;
        else duplicateUsers += ids.length - 1;
        violate(`${ids.length} Zendesk records with external_id ${ext}: ${ids.join(', ')}`);
      }

  const writeBacks = writeBackCounts(sf);
  let linked = 0;
  let writeBackTotal = 0;
  let valueMismatches = 0;
  for (const t of targets) {
    const id = t.salesforceId;
    const label = `${t.object} ${id}`;
    const rec = sf.store.read(t.object, id);
    const written = writeBacks.get(key15(id)) ?? 0;
    writeBackTotal += written;
    const isOrg = t.object === 'Account';
    const holders = (isOrg ? orgsByExternal : usersByExternal).get(key15(id)) ?? [];
    if (opts.expectNothingWritten?.has(id)) {
      if (holders.length > 0) violate(`${label} should have failed, but Zendesk holds ${holders.join(', ')}`);
      if (written > 0) violate(`${label} should have failed, but was written back ${written} times`);
      continue;
    }
    const linkedId = text(rec[SYNCED_ID_FIELD[t.object]]);
    if (linkedId === null) {
      violate(`${label} has no Zendesk ID written back`);
      continue;
    }
    if (holders.length !== 1 || String(holders[0]) !== linkedId) {
      violate(
        `${label} is linked to ${linkedId}, but Zendesk records with its external_id are [${holders.join(', ')}]`,
      );
      continue;
    }
    if (written !== 1) violate(`${label} was written back ${written} times (expected exactly 1)`);
    linked += 1;
    const mismatch = (field: string, want: unknown, got: unknown) => {
      valueMismatches += 1;
      violate(
        `${label} ${field}: Salesforce ${JSON.stringify(want)?.slice(0, 80)}, Zendesk ${JSON.stringify(got)?.slice(0, 80)}`,
      );
    };
    if (isOrg) {
      const org = zd.store.organizations.get(Number(linkedId))!;
      if (org.name !== rec.Name) mismatch('name', rec.Name, org.name);
      const industry = text(org.organization_fields.industry);
      if (industry !== text(rec.Industry)) mismatch('industry', rec.Industry, industry);
    } else {
      const user = zd.store.users.get(Number(linkedId))!;
      if (text(rec.Name) !== null && user.name !== rec.Name) mismatch('name', rec.Name, user.name);
      const ids = identitiesByUser.get(user.id) ?? { email: [], phone: [] };
      const email = text(rec.Email)?.trim().toLowerCase();
      if (email && !ids.email.includes(email)) mismatch('email', email, ids.email);
      const phone = text(rec.Phone)?.trim();
      if (phone && !ids.phone.includes(phone)) mismatch('phone', phone, ids.phone);
    }
  }
  return {
    ok: violationCount === 0,
    violations,
    violationCount,
    linked,
    duplicateOrganizations,
    duplicateUsers,
    writeBacks: writeBackTotal,
    valueMismatches,
  };
}

export class InvariantViolation extends Error {
  override readonly name = 'InvariantViolation';
  readonly code = 'CHAOS_INVARIANT_VIOLATED';
  constructor(
    scenario: string,
    readonly report: InvariantReport,
  ) {
    super(`${scenario}: ${report.violationCount} invariant violations:\n  ${report.violations.join('\n  ')}`);
  }
}
