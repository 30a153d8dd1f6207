/**
 * Name matching for a batch bulk resync without one search per record: the worker lists the account's
 * organizations once per run (100 per call) and matches names in memory with Zendesk's own rule (exact,
 * trimmed, case-insensitive; organizations/search?name=). The listing can go stale while the run goes
 * on; every way that matters is caught downstream: a name created since makes create_many refuse the
 * record (DuplicateValue, and the record takes the per-record path), an organization deleted since
 * makes update_many report it not found (same fallback). Organizations this run creates are added.
 *
 * With `externalId`, the same listing answers each account's own-Id lookup (external_id, compared as
 * Zendesk does: case-insensitively) instead of one show_many per 50 accounts, which was most of a first
 * backfill's Zendesk calls. An organization given the Id since the listing makes create_many refuse the
 * account (DuplicateValue on external_id): it takes the per-record path, which looks the Id up again.
 */
import type { ZendeskClient, ZendeskOrganization } from '../zendesk/client';

export const normalizeName = (name: string): string => name.trim().toLowerCase();

export interface IndexedOrganization {
  id: number;
  tags: string[];
  external_id?: string | null;
}

export class OrganizationIndex {
  private readonly byName = new Map<string, IndexedOrganization[]>();
  private readonly byExternalId = new Map<string, IndexedOrganization[]>();

  constructor(organizations: ZendeskOrganization[]) {
    for (const o of organizations)
      this.add(o.name, { id: o.id, tags: o.tags ?? [], external_id: o.external_id ?? null });
  }

  /** The organizations whose external_id is one of `values` (case-insensitive, as Zendesk compares them). */
  withExternalIds(values: string[]): IndexedOrganization[] {
    return values.flatMap((v) => this.byExternalId.get(normalizeName(v)) ?? []);
  }

  find(name: string): IndexedOrganization[] {
    return this.byName.get(normalizeName(name)) ?? [];
  }

  add(name: string, org: IndexedOrganization): void {
    const key = normalizeName(name);
    const list = this.byName.get(key) ?? [];
    if (!list.some((o) => o.id === org.id)) list.push(org);
    this.byName.set(key, list);
    if (org.external_id) {
      const ext = normalizeName(org.external_id);
      const holders = this.byExternalId.get(ext) ?? [];
      if (!holders.some((o) => o.id === org.id)) holders.push(org);
      this.byExternalId.set(ext, holders);
    }
  }

  /** Drops an organization Zendesk no longer has. */
  remove(id: number): void {
    for (const map of [this.byName, this.byExternalId]) OrganizationIndex.drop(map, id);
  }

  private static drop(map: Map<string, IndexedOrganization[]>, id: number): void {
    for (const [key, list] of map) {
      const kept = list.filter((o) => o.id !== id);
      if (kept.length === 0) map.delete(key);
      else if (kept.length !== list.length) map.set(key, kept);
    }
  }
}

/** One listing per bulk run per worker process; a few recent runs are kept. */
export class OrganizationIndexCache {
  private readonly runs = new Map<string, Promise<OrganizationIndex>>();

  constructor(
    private readonly zendesk: () => ZendeskClient,
    private readonly keep = 2,
  ) {}

  get(runKey: string): Promise<OrganizationIndex> {
    let index = this.runs.get(runKey);
    if (!index) {
      index = this.zendesk()
        .listOrganizations()
        .then((orgs) => new OrganizationIndex(orgs));
      // A failed listing must not be cached: the activity's retry lists again.
      index.catch(() => this.runs.delete(runKey));
      this.runs.set(runKey, index);
      while (this.runs.size > this.keep) this.runs.delete(this.runs.keys().next().value!);
    }
    return index;
  }
}
