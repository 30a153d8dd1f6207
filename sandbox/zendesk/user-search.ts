/**
 * The subset of Zendesk search syntax `users/search?query=` needs: `email:x`, `name:"x y"`,
 * `external_id:x`, `role:x`, `phone:x`, `<user_field_key>:x` and bare words (matched against name, emails, notes, phone).
 * Terms are ANDed. New users and identities stay invisible for `searchIndexDelayMs`, like the real index.
 */
import type { ZendeskStore } from './store';
import type { UserRecord } from './types';

interface Term {
  field: string | undefined;
  value: string;
}

export function parseQuery(query: string): Term[] {
  const terms: Term[] = [];
  const re = /(?:(\w+):)?(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (const m of query.matchAll(re)) {
    const quoted = m[2]?.replace(/\\(.)/g, '$1');
    const value = (quoted ?? m[3] ?? '').toLowerCase();
    if (value !== '') terms.push({ field: m[1]?.toLowerCase(), value });
  }
  return terms;
}

export function searchUsers(store: ZendeskStore, query: string): UserRecord[] {
  const now = store.now();
  const terms = parseQuery(query);
  if (terms.length === 0) return [];
  return [...store.users.values()]
    .filter((u) => u.searchable_at <= now)
    .filter((u) => {
      const identities = store.identitiesOf(u.id).filter((i) => i.searchable_at <= now);
      const emails = identities.filter((i) => i.type === 'email').map((i) => i.value.toLowerCase());
      const phones = identities.filter((i) => i.type === 'phone_number').map((i) => i.value.toLowerCase());
      const name = u.name.toLowerCase();
      return terms.every((t) => {
        switch (t.field) {
          case 'email':
            return emails.includes(t.value);
          case 'name':
            return name.includes(t.value);
          case 'external_id':
            return (u.external_id ?? '').toLowerCase() === t.value;
          case 'role':
            return u.role === t.value;
          case 'type':
            return t.value === 'user';
          case 'phone':
            return phones.includes(t.value);
          case undefined:
            return (
              name.includes(t.value) ||
              emails.some((e) => e.includes(t.value)) ||
              phones.includes(t.value) ||
              (u.notes ?? '').toLowerCase().includes(t.value)
            );
          default: {
            // Zendesk search also matches custom user fields by key (`salesforce_id:003...`).
            const value = u.user_fields[t.field];
            const values = Array.isArray(value)
              ? value
              : value === null || value === undefined
                ? []
                : [value];
            return values.some((v) => String(v).toLowerCase() === t.value);
          }
        }
      });
    })
    .sort((a, b) => a.id - b.id);
}
