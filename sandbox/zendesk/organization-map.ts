/**
 * The store's organizations, indexed by name and by external_id (both compared trimmed and
 * case-insensitively, as Zendesk enforces their uniqueness). Without the index every create or update
 * scanned every organization twice, so a 100,000-account backfill spent its time in the sandbox
 * (quadratic), not in the sync. What the API answers is unchanged: a lookup still returns exactly the
 * organizations whose current name or external_id equals the value.
 *
 * Records are replaced through `set` (organizations.ts builds a new record for every write); a record
 * mutated in place is re-checked on lookup, so a stale index entry can never return a wrong organization.
 */
import type { OrganizationRecord } from './types';

const key = (value: string | null): string | undefined =>
  value === null ? undefined : value.trim().toLowerCase();

export class OrganizationMap extends Map<number, OrganizationRecord> {
  // Created on first use: Map's constructor calls `set` before subclass fields exist.
  private index?: {
    name: Map<string, Set<number>>;
    externalId: Map<string, Set<number>>;
    keys: Map<number, { name?: string; externalId?: string }>;
  };

  static of(records: Iterable<OrganizationRecord>): OrganizationMap {
    const map = new OrganizationMap();
    for (const r of records) map.set(r.id, r);
    return map;
  }

  private idx() {
    this.index ??= { name: new Map(), externalId: new Map(), keys: new Map() };
    return this.index;
  }

  override set(id: number, record: OrganizationRecord): this {
    this.unindex(id);
    super.set(id, record);
    const idx = this.idx();
    const keys = { name: key(record.name), externalId: key(record.external_id) };
    idx.keys.set(id, keys);
    if (keys.name !== undefined) add(idx.name, keys.name, id);
    if (keys.externalId !== undefined) add(idx.externalId, keys.externalId, id);
    return this;
  }

  override delete(id: number): boolean {
    this.unindex(id);
    return super.delete(id);
  }

  override clear(): void {
    this.index = undefined;
    super.clear();
  }

  /** Organizations whose name equals `name` (trimmed, case-insensitive). */
  withName(name: string): OrganizationRecord[] {
    const k = key(name)!;
    return this.lookup(this.idx().name.get(k), (o) => key(o.name) === k);
  }

  /** Organizations whose external_id equals `externalId` (trimmed, case-insensitive). */
  withExternalId(externalId: string): OrganizationRecord[] {
    const k = key(externalId)!;
    return this.lookup(this.idx().externalId.get(k), (o) => key(o.external_id) === k);
  }

  private lookup(ids: Set<number> | undefined, matches: (o: OrganizationRecord) => boolean) {
    const out: OrganizationRecord[] = [];
    for (const id of ids ?? []) {
      const o = super.get(id);
      if (o && matches(o)) out.push(o);
    }
    return out.sort((a, b) => a.id - b.id);
  }

  private unindex(id: number): void {
    const idx = this.index;
    const keys = idx?.keys.get(id);
    if (!idx || !keys) return;
    if (keys.name !== undefined) idx.name.get(keys.name)?.delete(id);
    if (keys.externalId !== undefined) idx.externalId.get(keys.externalId)?.delete(id);
    idx.keys.delete(id);
  }
}

function add(map: Map<string, Set<number>>, k: string, id: number): void {
  let ids = map.get(k);
  if (!ids) map.set(k, (ids = new Set()));
  ids.add(id);
}
