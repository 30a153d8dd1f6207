/**
 * The Search API's index: an eventually consistent copy of users and organizations. A write is seen by
 * search only `searchIndexDelayMs` after it happened ("It can take up to a few minutes for new tickets,
 * users, and other resources to be indexed for search",
 * https://developer.zendesk.com/api-reference/ticketing/ticket-management/search/); until then queries
 * match the previous version of the record (or nothing, for a new one). Results are hydrated from the
 * current records, so a matched record is returned as it is now and a deleted one drops out (inference:
 * Zendesk does not document which copy a result shows).
 *
 * Services call `store.touch(kind, id)` after a write; the document is built once per request (touches
 * are coalesced) and queued with the time it becomes visible.
 */
import { defaultOrganizationId } from './memberships';
import type { ZendeskStore } from './store';
import type { FieldDefinition, FieldOwner, FieldValue, OrganizationRecord, UserRecord } from './types';
import { words } from './search-query';

export type IndexedKind = 'user' | 'organization';

export type IndexedValue =
  | { type: 'text'; words: string[] }
  | { type: 'keyword'; value: string }
  | { type: 'number'; value: number }
  | { type: 'date'; value: string };

export interface SearchDoc {
  kind: IndexedKind;
  id: number;
  created_at: string;
  /** Values per property keyword (lower case). */
  props: Map<string, IndexedValue[]>;
  /** What a term without a keyword searches. */
  fullText: IndexedValue[];
}

interface Version {
  visibleAt: number;
  doc: SearchDoc | null;
}

const text = (value: string | null | undefined): IndexedValue[] =>
  value ? [{ type: 'text', words: words(value) }] : [];
const keyword = (value: string | null | undefined): IndexedValue[] =>
  value ? [{ type: 'keyword', value: value.toLowerCase() }] : [];
const date = (value: string): IndexedValue[] => [{ type: 'date', value }];

/** A custom field value as the index holds it, by the field's type. */
function fieldValues(def: FieldDefinition, value: FieldValue | undefined): IndexedValue[] {
  if (def.type === 'checkbox') return keyword(value === true ? 'true' : 'false');
  if (value === null || value === undefined) return [];
  switch (def.type) {
    case 'integer':
    case 'decimal':
      return typeof value === 'number' ? [{ type: 'number', value }] : [];
    case 'date':
      return typeof value === 'string' ? date(value) : [];
    case 'dropdown':
      return keyword(String(value));
    case 'multiselect':
      return (Array.isArray(value) ? value : [String(value)]).flatMap((v) => keyword(v));
    default:
      return text(String(value));
  }
}

function put(props: Map<string, IndexedValue[]>, key: string, values: IndexedValue[]): void {
  props.set(key, [...(props.get(key) ?? []), ...values]);
}

function common(
  store: ZendeskStore,
  owner: FieldOwner,
  record: { created_at: string; updated_at: string; tags: string[] },
  fields: Record<string, FieldValue>,
): Map<string, IndexedValue[]> {
  const props = new Map<string, IndexedValue[]>();
  for (const key of ['created', 'created_at']) put(props, key, date(record.created_at));
  for (const key of ['updated', 'updated_at']) put(props, key, date(record.updated_at));
  const tags = record.tags.flatMap((t) => keyword(t));
  put(props, 'tags', tags);
  put(props, 'tag', tags);
  for (const def of store.fieldsOf(owner))
    put(props, def.key.toLowerCase(), fieldValues(def, fields[def.key]));
  return props;
}

export function userDoc(store: ZendeskStore, u: UserRecord): SearchDoc {
  const props = common(store, 'user', u, u.user_fields);
  const identities = store.identitiesOf(u.id);
  const emails = identities.filter((i) => i.type === 'email').map((i) => i.value);
  const phones = identities.filter((i) => i.type === 'phone_number').map((i) => i.value);
  put(props, 'name', text(u.name));
  put(
    props,
    'email',
    emails.flatMap((e) => keyword(e)),
  );
  put(
    props,
    'phone',
    phones.flatMap((p) => keyword(p)),
  );
  put(props, 'external_id', keyword(u.external_id));
  put(props, 'role', keyword(u.role));
  put(props, 'notes', text(u.notes));
  put(props, 'details', text(u.details));
  // `organization:` takes an organization's name or id (Searching users,
  // https://support.zendesk.com/hc/en-us/articles/4408883318554).
  for (const m of store.membershipsOf(u.id)) {
    const org = store.organizations.get(m.organization_id);
    put(props, 'organization', [...keyword(String(m.organization_id)), ...text(org?.name)]);
  }
  put(props, 'organization_id', keyword(String(defaultOrganizationId(store, u.id) ?? '')));
  return {
    kind: 'user',
    id: u.id,
    created_at: u.created_at,
    props,
    // `users/search?query=` documents "partial or full name, email, notes, phone" (OAS, SearchUsers).
    fullText: [
      ...text(u.name),
      ...emails.flatMap((e) => text(e)),
      ...phones.flatMap((p) => keyword(p)),
      ...text(u.notes),
      ...text(u.details),
      ...keyword(u.external_id),
    ],
  };
}

export function organizationDoc(store: ZendeskStore, o: OrganizationRecord): SearchDoc {
  const props = common(store, 'organization', o, o.organization_fields);
  put(props, 'name', text(o.name));
  put(props, 'external_id', keyword(o.external_id));
  // Domain names as whole values. Zendesk's search reference does not list an organization `domain`
  // keyword; integrations query `type:organization domain:example.com` (activepieces' Zendesk "find
  // organization" action), so the sandbox answers it. Inference, kept exact per value: callers check
  // the returned organization's domain_names themselves.
  put(
    props,
    'domain',
    o.domain_names.flatMap((d) => keyword(d)),
  );
  put(props, 'notes', text(o.notes));
  put(props, 'details', text(o.details));
  return {
    kind: 'organization',
    id: o.id,
    created_at: o.created_at,
    props,
    fullText: [
      ...text(o.name),
      ...text(o.notes),
      ...text(o.details),
      ...o.tags.flatMap((t) => keyword(t)),
      ...keyword(o.external_id),
    ],
  };
}

export class SearchIndex {
  private readonly versions = new Map<string, Version[]>();
  /** Records written since the last flush, with the time of their first write. */
  private readonly dirty = new Map<string, number>();
  private flushScheduled = false;

  constructor(
    private readonly store: ZendeskStore,
    private readonly delayMs: () => number,
  ) {
    store.onTouch((kind, id) => this.touch(kind, id));
  }

  private docOf(kind: IndexedKind, id: number): SearchDoc | null {
    if (kind === 'user') {
      const u = this.store.users.get(id);
      return u ? userDoc(this.store, u) : null;
    }
    const o = this.store.organizations.get(id);
    return o ? organizationDoc(this.store, o) : null;
  }

  touch(kind: IndexedKind, id: number): void {
    const key = `${kind}:${id}`;
    if (!this.dirty.has(key)) this.dirty.set(key, this.store.now());
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // After the current request's writes, so one request yields one version per record.
    setImmediate(() => this.flush()).unref();
  }

  flush(): void {
    this.flushScheduled = false;
    const delay = this.delayMs();
    for (const [key, at] of this.dirty) {
      const [kind, id] = key.split(':') as [IndexedKind, string];
      const list = this.versions.get(key) ?? [];
      list.push({ visibleAt: at + delay, doc: this.docOf(kind, Number(id)) });
      this.versions.set(key, list);
    }
    this.dirty.clear();
  }

  /** Everything already visible: the whole store at once (start-up, snapshot load, seed). */
  rebuild(): void {
    this.versions.clear();
    this.dirty.clear();
    for (const u of this.store.users.values())
      this.versions.set(`user:${u.id}`, [{ visibleAt: 0, doc: userDoc(this.store, u) }]);
    for (const o of this.store.organizations.values())
      this.versions.set(`organization:${o.id}`, [{ visibleAt: 0, doc: organizationDoc(this.store, o) }]);
  }

  /** The documents search sees now, of the given kinds. */
  visible(kinds: readonly IndexedKind[]): SearchDoc[] {
    this.flush();
    const now = this.store.now();
    const out: SearchDoc[] = [];
    for (const [key, list] of this.versions) {
      let current = -1;
      for (let i = 0; i < list.length; i += 1) if ((list[i]?.visibleAt ?? Infinity) <= now) current = i;
      if (current > 0) list.splice(0, current);
      const doc = current >= 0 ? list[0]?.doc : undefined;
      // A deletion everyone can see leaves nothing to keep.
      if (doc === null && list.length === 1) this.versions.delete(key);
      if (doc && kinds.includes(doc.kind)) out.push(doc);
    }
    return out;
  }
}
