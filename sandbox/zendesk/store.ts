/**
 * In-memory state of one Zendesk account. Pure data plus id allocation and change notification; the
 * rules (uniqueness, validation, identities) live in the services that mutate it.
 */
import { OrganizationMap } from './organization-map';
import type {
  FieldDefinition,
  IdentityRecord,
  JobRecord,
  MembershipRecord,
  OrganizationRecord,
  OutboxEmail,
  UserRecord,
} from './types';

/**
 * Ids start high and differ per kind, like real Zendesk ids (13 digits), so a client that confuses an org id
 * with a user id, or stores ids in 32-bit ints, fails here rather than in production.
 */
const ID_BASES = {
  organization: 360_000_000_000,
  user: 361_000_000_000,
  identity: 362_000_000_000,
  membership: 363_000_000_000,
  field: 364_000_000_000,
  option: 365_000_000_000,
} as const;

export type IdKind = keyof typeof ID_BASES;

export interface StoreSnapshot {
  version: 1;
  counters: Record<IdKind, number>;
  organizations: OrganizationRecord[];
  users: UserRecord[];
  identities: IdentityRecord[];
  memberships: MembershipRecord[];
  fields: FieldDefinition[];
  jobs: JobRecord[];
  outbox: OutboxEmail[];
}

const freshCounters = (): Record<IdKind, number> => ({
  organization: 0,
  user: 0,
  identity: 0,
  membership: 0,
  field: 0,
  option: 0,
});

export class ZendeskStore {
  organizations = new OrganizationMap();
  users = new Map<number, UserRecord>();
  identities = new Map<number, IdentityRecord>();
  memberships = new Map<number, MembershipRecord>();
  fields = new Map<number, FieldDefinition>();
  jobs = new Map<string, JobRecord>();
  outbox: OutboxEmail[] = [];
  private counters = freshCounters();
  private readonly listeners: (() => void)[] = [];
  private readonly touchListeners: ((kind: 'user' | 'organization', id: number) => void)[] = [];

  constructor(readonly now: () => number = Date.now) {}

  nextId(kind: IdKind): number {
    this.counters[kind] += 1;
    return ID_BASES[kind] + this.counters[kind];
  }

  /** Zendesk timestamps: ISO 8601 UTC without milliseconds. */
  timestamp(): string {
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  changed(): void {
    for (const listener of this.listeners) listener();
  }

  onTouch(listener: (kind: 'user' | 'organization', id: number) => void): void {
    this.touchListeners.push(listener);
  }

  /**
   * A user or organization was written, or something it is searched by (an identity, a membership, a
   * tag): the search index re-reads it (after its lag) and the record counts as changed.
   */
  touch(kind: 'user' | 'organization', id: number): void {
    for (const listener of this.touchListeners) listener(kind, id);
  }

  clear(): void {
    this.organizations.clear();
    this.users.clear();
    this.identities.clear();
    this.memberships.clear();
    this.fields.clear();
    this.jobs.clear();
    this.outbox = [];
    this.counters = freshCounters();
    this.changed();
  }

  identitiesOf(userId: number): IdentityRecord[] {
    return [...this.identities.values()].filter((i) => i.user_id === userId).sort((a, b) => a.id - b.id);
  }

  membershipsOf(userId: number): MembershipRecord[] {
    return [...this.memberships.values()].filter((m) => m.user_id === userId).sort((a, b) => a.id - b.id);
  }

  fieldsOf(owner: FieldDefinition['owner']): FieldDefinition[] {
    return [...this.fields.values()]
      .filter((f) => f.owner === owner)
      .sort((a, b) => a.position - b.position || a.id - b.id);
  }

  toSnapshot(): StoreSnapshot {
    return {
      version: 1,
      counters: { ...this.counters },
      organizations: [...this.organizations.values()],
      users: [...this.users.values()],
      identities: [...this.identities.values()],
      memberships: [...this.memberships.values()],
      fields: [...this.fields.values()],
      jobs: [...this.jobs.values()],
      outbox: [...this.outbox],
    };
  }

  loadSnapshot(snapshot: StoreSnapshot): void {
    if (snapshot.version !== 1)
      throw new Error(`Unsupported Zendesk sandbox snapshot version ${String(snapshot.version)}`);
    this.counters = { ...freshCounters(), ...snapshot.counters };
    this.organizations = OrganizationMap.of(snapshot.organizations);
    this.users = new Map(snapshot.users.map((r) => [r.id, r]));
    this.identities = new Map(snapshot.identities.map((r) => [r.id, r]));
    this.memberships = new Map(snapshot.memberships.map((r) => [r.id, r]));
    this.fields = new Map(snapshot.fields.map((r) => [r.id, r]));
    this.jobs = new Map(snapshot.jobs.map((r) => [r.id, r]));
    this.outbox = [...snapshot.outbox];
  }
}
