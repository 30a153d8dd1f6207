/**
 * The Zendesk sandbox's record rules, exercised with an unmodified got client over loopback. Every request
 * body sent and every 2xx response received is checked against Zendesk's OAS (see zendesk-openapi.ts).
 */
import assert from 'node:assert/strict';
import type { Got } from 'got';
import { startZendeskSandbox, type ZendeskSandbox } from '../../sandbox/zendesk/index';
import { SEED_STAFF } from '../../sandbox/zendesk/seed';
import { checkedOperations, waitForJob as waitForJobOf, zendeskTestClient } from '../helpers/zendesk-openapi';

interface Org {
  id: number;
  url: string;
  name: string;
  external_id: string | null;
  created_at: string;
  updated_at: string;
  tags: string[];
  organization_fields: Record<string, unknown>;
}
interface User {
  id: number;
  url: string;
  name: string;
  email: string | null;
  phone: string | null;
  role: string;
  external_id: string | null;
  organization_id: number | null;
  tags: string[];
  user_fields: Record<string, unknown>;
}
interface Identity {
  id: number;
  type: string;
  value: string;
  primary: boolean;
  user_id: number;
}
interface Membership {
  id: number;
  user_id: number;
  organization_id: number;
  default: boolean | null;
}
interface JobStatus {
  id: string;
  status: string;
  total: number;
  results: Record<string, unknown>[] | null;
}
interface ErrorBody {
  error: string;
  description?: string;
  details?: Record<string, unknown>;
}
interface Page {
  next_page: string | null;
  previous_page: string | null;
  count: number;
}

const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('Zendesk sandbox: records', function () {
  this.timeout(20_000);
  let sandbox: ZendeskSandbox;
  let zd: Got;

  before(async () => {
    sandbox = await startZendeskSandbox({ port: 0, seed: true, jobDelayMs: 40 });
    zd = zendeskTestClient(sandbox.url);
  });
  after(async () => {
    await sandbox.close();
  });

  const createOrg = async (organization: Record<string, unknown>) => {
    const res = await zd.post<{ organization: Org }>('organizations', { json: { organization } });
    assert.equal(res.statusCode, 201, JSON.stringify(res.body));
    return res.body.organization;
  };
  const createUser = async (user: Record<string, unknown>) => {
    const res = await zd.post<{ user: User }>('users', { json: { user } });
    assert.equal(res.statusCode, 201, JSON.stringify(res.body));
    return res.body.user;
  };
  const waitForJob = (id: string) => waitForJobOf(zd, id);

  describe('organizations', () => {
    it('creates with Zendesk envelopes: integer ids, url, ISO timestamps, 404 RecordNotFound', async () => {
      const org = await createOrg({ name: 'Envelope Test Ltd', external_id: 'SF-ENV-1', notes: 'n' });
      assert.ok(Number.isSafeInteger(org.id) && org.id > 1_000_000);
      assert.equal(org.url, `${sandbox.url}/api/v2/organizations/${org.id}.json`);
      assert.match(org.created_at, ISO_SECONDS);
      const shown = await zd.get<{ organization: Org }>(`organizations/${org.id}.json`);
      assert.equal(shown.statusCode, 200);
      assert.deepEqual(shown.body.organization, org);
      const missing = await zd.get<ErrorBody>('organizations/999');
      assert.equal(missing.statusCode, 404);
      assert.deepEqual(missing.body, { error: 'RecordNotFound', description: 'Not found' });
    });

    it('refuses a duplicate name case-insensitively with the exact 422 DuplicateValue body', async () => {
      await createOrg({ name: 'Duplicate Name Co' });
      const res = await zd.post<ErrorBody>('organizations', {
        json: { organization: { name: '  duplicate NAME co ' } },
      });
      assert.equal(res.statusCode, 422);
      assert.deepEqual(res.body, {
        error: 'RecordInvalid',
        description: 'Record validation errors',
        details: { name: [{ description: 'Name: has already been taken', error: 'DuplicateValue' }] },
      });
      const renamed = await createOrg({ name: 'Other Co' });
      const clash = await zd.put<ErrorBody>(`organizations/${renamed.id}`, {
        json: { organization: { name: 'DUPLICATE name co' } },
      });
      assert.equal(clash.statusCode, 422);
    });

    it('create_or_update matches by id or external_id, never by name', async () => {
      const created = await zd.post<{ organization: Org }>('organizations/create_or_update', {
        json: { organization: { name: 'Upsert Org', external_id: 'SF-UP-1' } },
      });
      assert.equal(created.statusCode, 201);
      const byExternal = await zd.post<{ organization: Org }>('organizations/create_or_update', {
        json: { organization: { name: 'Upsert Org Renamed', external_id: 'sf-up-1' } },
      });
      assert.equal(byExternal.statusCode, 200);
      assert.equal(byExternal.body.organization.id, created.body.organization.id);
      assert.equal(byExternal.body.organization.name, 'Upsert Org Renamed');
      const byId = await zd.post<{ organization: Org }>('organizations/create_or_update', {
        json: { organization: { id: created.body.organization.id, notes: 'x' } },
      });
      assert.equal(byId.statusCode, 200);
      // Same name, no id/external_id: Zendesk tries to create and trips over the unique name.
      const byName = await zd.post<ErrorBody>('organizations/create_or_update', {
        json: { organization: { name: 'upsert org renamed' } },
      });
      assert.equal(byName.statusCode, 422);
      assert.equal((byName.body.details?.name as { error: string }[])[0]?.error, 'DuplicateValue');
      const otherExternal = await zd.post<ErrorBody>('organizations/create_or_update', {
        json: { organization: { name: 'Upsert Org Renamed', external_id: 'SF-UP-2' } },
      });
      assert.equal(otherExternal.statusCode, 422);
    });

    it('search is exact and case-insensitive, by name or external_id but not both', async () => {
      const byName = await zd.get<{ organizations: Org[] } & Page>('organizations/search', {
        searchParams: { name: 'acme corp' },
      });
      assert.equal(byName.statusCode, 200);
      assert.deepEqual(
        byName.body.organizations.map((o) => o.name),
        ['Acme Corp'],
      );
      assert.equal(byName.body.count, 1);
      const partial = await zd.get<{ organizations: Org[] }>('organizations/search', {
        searchParams: { name: 'Acme' },
      });
      assert.deepEqual(partial.body.organizations, []);
      const byExternal = await zd.get<{ organizations: Org[] }>('organizations/search', {
        searchParams: { external_id: '001000000000001aaa' },
      });
      assert.deepEqual(
        byExternal.body.organizations.map((o) => o.name),
        ['Acme Corporation'],
      );
      const both = await zd.get<ErrorBody>('organizations/search', {
        searchParams: { name: 'Globex', external_id: '001000000000002AAA' },
      });
      assert.equal(both.statusCode, 400);
      const neither = await zd.get<ErrorBody>('organizations/search');
      assert.equal(neither.statusCode, 400);
    });

    it('show_many takes ids or external_ids (at most 100) and skips unknown ones', async () => {
      const a = await createOrg({ name: 'Many A', external_id: 'MANY-A' });
      const b = await createOrg({ name: 'Many B', external_id: 'MANY-B' });
      const byIds = await zd.get<{ organizations: Org[] }>('organizations/show_many', {
        searchParams: { ids: `${a.id},${b.id},12345` },
      });
      assert.deepEqual(
        byIds.body.organizations.map((o) => o.id),
        [a.id, b.id],
      );
      const byExternal = await zd.get<{ organizations: Org[] }>('organizations/show_many', {
        searchParams: { external_ids: 'many-b,nope' },
      });
      assert.deepEqual(
        byExternal.body.organizations.map((o) => o.id),
        [b.id],
      );
      const tooMany = await zd.get<ErrorBody>('organizations/show_many', {
        searchParams: { ids: Array.from({ length: 101 }, (_, i) => i + 1).join(',') },
      });
      assert.equal(tooMany.statusCode, 400);
    });

    it('paginates lists by offset (page/per_page) and by cursor (page[size]/page[after])', async () => {
      const offset = await zd.get<{ organizations: Org[] } & Page>('organizations', {
        searchParams: { per_page: 2 },
      });
      assert.equal(offset.body.organizations.length, 2);
      assert.ok(offset.body.count > 2);
      assert.equal(offset.body.previous_page, null);
      assert.ok(offset.body.next_page);
      const second = await zd.get<{ organizations: Org[] } & Page>(
        offset.body.next_page.replace(`${sandbox.url}/api/v2/`, ''),
      );
      assert.notEqual(second.body.organizations[0]?.id, offset.body.organizations[0]?.id);
      interface CursorPage {
        organizations: Org[];
        meta: { has_more: boolean };
        links: { next: string | null };
      }
      const seen: number[] = [];
      let next: string | null = 'organizations?page[size]=3';
      while (next) {
        const res: { body: CursorPage } = await zd.get<CursorPage>(
          next.replace(`${sandbox.url}/api/v2/`, ''),
        );
        seen.push(...res.body.organizations.map((o) => o.id));
        next = res.body.meta.has_more ? res.body.links.next : null;
      }
      assert.equal(seen.length, offset.body.count);
      assert.equal(new Set(seen).size, seen.length);
    });

    it('create_many returns a queued job_status that completes with per-record results', async () => {
      const res = await zd.post<{ job_status: JobStatus }>('organizations/create_many', {
        json: {
          organizations: [
            { name: 'Bulk One' },
            { name: 'acme corp' },
            { name: 'Bulk Two', external_id: 'BULK-2' },
          ],
        },
      });
      assert.equal(res.statusCode, 200);
      assert.equal(res.body.job_status.status, 'queued');
      assert.equal(res.body.job_status.results, null);
      // Nothing exists until the job has run, as with Zendesk's background jobs.
      const early = await zd.get<{ organizations: Org[] }>('organizations/search', {
        searchParams: { name: 'Bulk One' },
      });
      assert.equal(early.body.organizations.length, 0);
      const done = await waitForJob(res.body.job_status.id);
      assert.equal(done.total, 3);
      const [first, second, third] = done.results ?? [];
      assert.equal(first?.index, 0);
      assert.equal(typeof first?.id, 'number');
      assert.deepEqual(second, {
        index: 1,
        error: 'DuplicateValue',
        details: 'Name: has already been taken',
      });
      assert.equal(third?.index, 2);
      const many = await zd.get<{ job_statuses: JobStatus[] }>('job_statuses/show_many', {
        searchParams: { ids: `${done.id},unknown` },
      });
      assert.deepEqual(
        many.body.job_statuses.map((j) => [j.id, j.status]),
        [[done.id, 'completed']],
      );
    });

    it('update_many supports the bulk (?ids=) and batch ({organizations:[{id}]}) forms', async () => {
      const a = await createOrg({ name: 'Upd A' });
      const b = await createOrg({ name: 'Upd B', external_id: 'UPD-B' });
      const bulk = await zd.put<{ job_status: JobStatus }>('organizations/update_many', {
        searchParams: { ids: `${a.id},${b.id}` },
        json: { organization: { notes: 'Priority' } },
      });
      const bulkDone = await waitForJob(bulk.body.job_status.id);
      assert.deepEqual(bulkDone.results, [
        { id: a.id, action: 'update', status: 'Updated', success: true },
        { id: b.id, action: 'update', status: 'Updated', success: true },
      ]);
      const batch = await zd.put<{ job_status: JobStatus }>('organizations/update_many', {
        json: {
          organizations: [
            { id: a.id, notes: 'Normal' },
            { id: 42, notes: 'x' },
            { id: b.id, name: 'Upd A' },
          ],
        },
      });
      const batchDone = await waitForJob(batch.body.job_status.id);
      assert.deepEqual(batchDone.results?.[0], {
        id: a.id,
        action: 'update',
        status: 'Updated',
        success: true,
      });
      assert.equal(batchDone.results?.[1]?.success, false);
      assert.equal(batchDone.results?.[1]?.error, 'RecordNotFound');
      assert.equal(batchDone.results?.[2]?.error, 'DuplicateValue');
      const shown = await zd.get<{ organizations: Org[] }>('organizations/show_many', {
        searchParams: { ids: `${a.id},${b.id}` },
      });
      assert.deepEqual(
        shown.body.organizations.map((o) => [o.name, (o as unknown as { notes: string }).notes]),
        [
          ['Upd A', 'Normal'],
          ['Upd B', 'Priority'],
        ],
      );
    });
  });

  describe('tags', () => {
    it('PUT adds, POST sets, DELETE removes; a body `tags` replaces the whole list', async () => {
      const org = await createOrg({ name: 'Tagged Org', tags: ['Alpha'] });
      assert.deepEqual(org.tags, ['alpha']);
      const added = await zd.put<{ tags: string[] }>(`organizations/${org.id}/tags`, {
        json: { tags: ['beta', 'alpha'] },
      });
      assert.equal(added.statusCode, 200);
      assert.deepEqual(added.body.tags, ['alpha', 'beta']);
      const set = await zd.post<{ tags: string[] }>(`organizations/${org.id}/tags`, {
        json: { tags: ['gamma'] },
      });
      assert.equal(set.statusCode, 201);
      assert.deepEqual(set.body.tags, ['gamma']);
      const user = await createUser({
        name: 'Tag User',
        email: 'tag.user@example.com',
        tags: ['one', 'two'],
      });
      const removed = await zd.delete(`users/${user.id}/tags`, { json: { tags: ['one'] } });
      assert.equal(removed.statusCode, 204);
      const listed = await zd.get<{ tags: string[] }>(`users/${user.id}/tags`);
      assert.deepEqual(listed.body.tags, ['two']);
      const replaced = await zd.put<{ user: User }>(`users/${user.id}`, {
        json: { user: { tags: ['three'] } },
      });
      assert.deepEqual(replaced.body.user.tags, ['three']);
    });
  });

  describe('custom fields', () => {
    it('lists seeded definitions of every type, creates new ones and refuses duplicate keys', async () => {
      const orgFields = await zd.get<{
        organization_fields: { key: string; type: string; custom_field_options?: { value: string }[] }[];
      }>('organization_fields');
      // multiselect is missing from the July-2024 OAS type list; the OAS leaves `type` a free string, so it validates.
      assert.deepEqual(orgFields.body.organization_fields.map((f) => f.type).sort(), [
        'checkbox',
        'date',
        'decimal',
        'dropdown',
        'integer',
        'multiselect',
        'regexp',
        'text',
        'textarea',
      ]);
      const tier = orgFields.body.organization_fields.find((f) => f.key === 'tier');
      assert.deepEqual(
        tier?.custom_field_options?.map((o) => o.value),
        ['tier_gold', 'tier_silver', 'tier_bronze'],
      );
      const created = await zd.post<{ user_field: { id: number; key: string } }>('user_fields', {
        json: { user_field: { key: 'nickname', type: 'text', title: 'Nickname' } },
      });
      assert.equal(created.statusCode, 201);
      const dup = await zd.post<ErrorBody>('user_fields', {
        json: { user_field: { key: 'nickname', type: 'text', title: 'Again' } },
      });
      assert.equal(dup.statusCode, 422);
      assert.deepEqual(dup.body.details, {
        key: [{ description: 'Key: has already been taken', error: 'DuplicateValue' }],
      });
      const badKey = await zd.post<ErrorBody>('organization_fields', {
        json: { organization_field: { key: '123', type: 'text', title: 'Numbers only' } },
      });
      assert.equal(badKey.statusCode, 422);
    });

    it('stores values that fit their field type and ignores unknown keys', async () => {
      const org = await createOrg({
        name: 'Typed Fields Org',
        organization_fields: {
          account_number: 'A-1',
          is_partner: true,
          renewal_date: '2025-02-28',
          employees: '120',
          annual_revenue: 1234.5,
          region_code: 'DE',
          tier: 'tier_gold',
          industries: ['retail', 'health'],
          not_a_field: 'ignored',
        },
      });
      assert.deepEqual(org.organization_fields, {
        account_number: 'A-1',
        account_description: null,
        is_partner: true,
        renewal_date: '2025-02-28',
        employees: 120,
        annual_revenue: 1234.5,
        region_code: 'DE',
        tier: 'tier_gold',
        industries: ['retail', 'health'],
      });
      const cleared = await zd.put<{ organization: Org }>(`organizations/${org.id}`, {
        json: { organization: { organization_fields: { tier: null } } },
      });
      assert.equal(cleared.body.organization.organization_fields.tier, null);
      assert.equal(cleared.body.organization.organization_fields.account_number, 'A-1');
    });

    const badValues: [string, unknown][] = [
      ['is_partner', 'yes'],
      ['renewal_date', '2025-02-30'],
      ['renewal_date', '28/02/2025'],
      ['employees', 1.5],
      ['annual_revenue', 'lots'],
      ['region_code', 'Germany'],
      ['tier', 'Gold'],
      ['industries', ['retail', 'mining']],
    ];
    for (const [key, value] of badValues) {
      it(`refuses ${key} = ${JSON.stringify(value)} with 422 RecordInvalid naming the field`, async () => {
        const res = await zd.post<ErrorBody>('organizations', {
          json: {
            organization: {
              name: `Bad ${key} ${JSON.stringify(value)}`,
              organization_fields: { [key]: value },
            },
          },
        });
        assert.equal(res.statusCode, 422);
        assert.equal(res.body.error, 'RecordInvalid');
        const detail = (res.body.details?.[key] as { error: string; description: string }[] | undefined)?.[0];
        assert.equal(detail?.error, 'InvalidValue');
        assert.match(detail.description, /:/);
      });
    }

    it('validates user_fields the same way', async () => {
      const ok = await createUser({
        name: 'Field User',
        email: 'field.user@example.com',
        user_fields: { vip: false, lead_score: 7, contact_type: 'billing_contact' },
      });
      assert.equal(ok.user_fields.lead_score, 7);
      const bad = await zd.put<ErrorBody>(`users/${ok.id}`, {
        json: { user: { user_fields: { contact_type: 'nope', birthday: 'tomorrow' } } },
      });
      assert.equal(bad.statusCode, 422);
      assert.deepEqual(Object.keys(bad.body.details ?? {}).sort(), ['birthday', 'contact_type']);
    });
  });

  describe('users and identities', () => {
    it('keeps emails unique across all identities, case-insensitively', async () => {
      await createUser({ name: 'Unique One', email: 'unique@example.com' });
      const dup = await zd.post<ErrorBody>('users', {
        json: { user: { name: 'Unique Two', email: 'UNIQUE@example.com' } },
      });
      assert.equal(dup.statusCode, 422);
      assert.equal(dup.body.error, 'RecordInvalid');
      assert.equal((dup.body.details?.email as { error: string }[])[0]?.error, 'DuplicateValue');
      const secondaryOwner = await zd.post<ErrorBody>('users', {
        json: { user: { name: 'Pat Clone', email: 'pat.secondary@shared.example' } },
      });
      assert.equal(secondaryOwner.statusCode, 422, 'a secondary identity of another user also counts');
    });

    it('sets email only on create; on update a new email becomes a secondary identity', async () => {
      const user = await createUser({ name: 'Email Once', email: 'first@example.com' });
      const updated = await zd.put<{ user: User }>(`users/${user.id}`, {
        json: { user: { email: 'second@example.com' } },
      });
      assert.equal(updated.statusCode, 200);
      assert.equal(updated.body.user.email, 'first@example.com');
      const identities = await zd.get<{ identities: Identity[] }>(`users/${user.id}/identities`);
      assert.deepEqual(
        identities.body.identities.map((i) => [i.type, i.value, i.primary]),
        [
          ['email', 'first@example.com', true],
          ['email', 'second@example.com', false],
        ],
      );
    });

    it('adds secondary identities, refuses emails owned by another user, keeps phone consistent', async () => {
      const user = await createUser({ name: 'Identity Owner', email: 'owner@example.com' });
      const added = await zd.post<{ identity: Identity }>(`users/${user.id}/identities`, {
        json: { identity: { type: 'email', value: 'owner.alt@example.com' }, skip_verify_email: true },
      });
      assert.equal(added.statusCode, 201);
      assert.equal(added.body.identity.primary, false);
      const taken = await zd.post<ErrorBody>(`users/${user.id}/identities`, {
        json: { identity: { type: 'email', value: 'jane.doe@acme.example' } },
      });
      assert.equal(taken.statusCode, 422);
      assert.equal((taken.body.details?.value as { error: string }[])[0]?.error, 'DuplicateValue');
      const phone = await zd.post<{ identity: Identity }>(`users/${user.id}/identities`, {
        json: { identity: { type: 'phone_number', value: '+4930123456' } },
      });
      assert.equal(phone.body.identity.primary, true);
      const shown = await zd.get<{ user: User }>(`users/${user.id}`);
      assert.equal(shown.body.user.phone, '+4930123456');
      const changed = await zd.put<{ user: User }>(`users/${user.id}`, {
        json: { user: { phone: '+4930999999' } },
      });
      assert.equal(changed.body.user.phone, '+4930999999');
      const identities = await zd.get<{ identities: Identity[] }>(`users/${user.id}/identities`);
      assert.deepEqual(
        identities.body.identities.filter((i) => i.type === 'phone_number').map((i) => i.value),
        ['+4930999999'],
      );
    });

    it('make_primary swaps users.email; deleting the primary promotes the next identity', async () => {
      const user = await createUser({ name: 'Swap Primary', email: 'swap.one@example.com' });
      const second = await zd.post<{ identity: Identity }>(`users/${user.id}/identities`, {
        json: { identity: { type: 'email', value: 'swap.two@example.com' } },
      });
      const swapped = await zd.put<{ identities: Identity[] }>(
        `users/${user.id}/identities/${second.body.identity.id}/make_primary`,
      );
      assert.equal(swapped.statusCode, 200);
      assert.equal(
        (await zd.get<{ user: User }>(`users/${user.id}`)).body.user.email,
        'swap.two@example.com',
      );
      const deleted = await zd.delete(`users/${user.id}/identities/${second.body.identity.id}`);
      assert.equal(deleted.statusCode, 204);
      assert.equal(
        (await zd.get<{ user: User }>(`users/${user.id}`)).body.user.email,
        'swap.one@example.com',
      );
      const gone = await zd.get<ErrorBody>(`users/${user.id}/identities/${second.body.identity.id}`);
      assert.equal(gone.statusCode, 404);
    });

    it('create_or_update matches by email or external_id (201 new, 200 + Location existing)', async () => {
      const created = await zd.post<{ user: User }>('users/create_or_update', {
        json: {
          user: { name: 'Upsert User', email: 'upsert@example.com', external_id: 'CONTACT-1' },
          skip_verify_email: true,
        },
      });
      assert.equal(created.statusCode, 201);
      assert.equal(created.body.user.role, 'end-user');
      const byEmail = await zd.post<{ user: User }>('users/create_or_update', {
        json: { user: { name: 'Upsert User 2', email: 'UPSERT@example.com' } },
      });
      assert.equal(byEmail.statusCode, 200);
      assert.equal(byEmail.body.user.id, created.body.user.id);
      assert.equal(byEmail.headers.location, `/api/v2/users/${created.body.user.id}.json`);
      const byExternal = await zd.post<{ user: User }>('users/create_or_update', {
        json: { user: { name: 'Upsert User 3', external_id: 'contact-1' } },
      });
      assert.equal(byExternal.statusCode, 200);
      assert.equal(byExternal.body.user.id, created.body.user.id);
      assert.equal(
        byExternal.body.user.external_id,
        'contact-1',
        'the stored external_id takes the case sent',
      );
      const outbox = await fetch(`${sandbox.url}/__sandbox/records/outbox`).then(
        (r) => r.json() as Promise<{ outbox: { to: string }[] }>,
      );
      assert.ok(
        !outbox.outbox.some((m) => m.to === 'upsert@example.com'),
        'skip_verify_email suppresses the email',
      );
      await createUser({ name: 'Welcomed', email: 'welcomed@example.com' });
      const after = await fetch(`${sandbox.url}/__sandbox/records/outbox`).then(
        (r) => r.json() as Promise<{ outbox: { to: string; kind: string }[] }>,
      );
      assert.ok(after.outbox.some((m) => m.to === 'welcomed@example.com' && m.kind === 'welcome'));
    });

    it('refuses unknown roles and a blank name', async () => {
      const role = await zd.post<ErrorBody>('users', {
        json: { user: { name: 'Bad Role', email: 'badrole@example.com', role: 'owner' } },
      });
      assert.equal(role.statusCode, 422);
      assert.ok(role.body.details?.role);
      const blank = await zd.post<ErrorBody>('users', {
        json: { user: { name: ' ', email: 'blank@example.com' } },
      });
      assert.equal(blank.statusCode, 422);
      assert.ok(blank.body.details?.name);
    });

    it('search: external_id exact; query by email:, name:"..." and bare words', async () => {
      const byExternal = await zd.get<{ users: User[] }>('users/search', {
        searchParams: { external_id: '003000000000001aaa' },
      });
      assert.deepEqual(
        byExternal.body.users.map((u) => u.email),
        ['jane.doe@acme.example'],
      );
      const byEmail = await zd.get<{ users: User[] }>('users/search', {
        searchParams: { query: 'email:"JANE.DOE@acme.example"' },
      });
      assert.deepEqual(
        byEmail.body.users.map((u) => u.name),
        ['Jane Doe'],
      );
      const bySecondary = await zd.get<{ users: User[] }>('users/search', {
        searchParams: { query: 'email:pat.secondary@shared.example' },
      });
      assert.deepEqual(
        bySecondary.body.users.map((u) => u.email),
        ['pat@shared.example'],
      );
      const byName = await zd.get<{ users: User[] }>('users/search', {
        searchParams: { query: 'name:"John Smith"' },
      });
      assert.equal(byName.body.users.length, 2);
      const bare = await zd.get<{ users: User[] }>('users/search', { searchParams: { query: 'initech' } });
      assert.deepEqual(
        bare.body.users.map((u) => u.email),
        ['jsmith@initech.example'],
      );
      const both = await zd.get<ErrorBody>('users/search', {
        searchParams: { query: 'x', external_id: 'y' },
      });
      assert.equal(both.statusCode, 400);
    });

    it('search by query lags new users by searchIndexDelayMs; external_id lookups do not', async () => {
      sandbox.updateSettings({ searchIndexDelayMs: 300 });
      try {
        const user = await createUser({
          name: 'Fresh Lag',
          email: 'fresh.lag@example.com',
          external_id: 'LAG-1',
        });
        const early = await zd.get<{ users: User[] }>('users/search', {
          searchParams: { query: 'email:fresh.lag@example.com' },
        });
        assert.equal(early.body.users.length, 0);
        const direct = await zd.get<{ users: User[] }>('users/search', {
          searchParams: { external_id: 'LAG-1' },
        });
        assert.equal(direct.body.users[0]?.id, user.id);
        await new Promise((r) => setTimeout(r, 320));
        const late = await zd.get<{ users: User[] }>('users/search', {
          searchParams: { query: 'email:fresh.lag@example.com' },
        });
        assert.equal(late.body.users[0]?.id, user.id);
      } finally {
        sandbox.updateSettings({ searchIndexDelayMs: 0 });
      }
    });

    it('show_many by ids and external_ids; users/me is the token owner; seeded agents and admins exist', async () => {
      const jane = (
        await zd.get<{ users: User[] }>('users/search', {
          searchParams: { external_id: '003000000000001AAA' },
        })
      ).body.users[0];
      assert.ok(jane);
      const many = await zd.get<{ users: User[] }>('users/show_many', {
        searchParams: { ids: String(jane.id), external_ids: '003000000000002AAA' },
      });
      assert.deepEqual(
        many.body.users.map((u) => u.email),
        ['jane.doe@acme.example', 'jsmith@initech.example'],
      );
      const me = await zd.get<{ user: User }>('users/me');
      assert.equal(me.body.user.email, 'admin@sandbox.test');
      assert.equal(me.body.user.role, 'admin');
      const agents = await zd.get<{ users: User[] }>('users', { searchParams: { role: 'agent' } });
      assert.deepEqual(
        agents.body.users.map((u) => u.email),
        SEED_STAFF.filter((s) => s.role === 'agent').map((s) => s.email),
      );
      const admins = await zd.get<{ users: User[] }>('users', { searchParams: { role: 'admin' } });
      assert.equal(admins.body.users.length, 2);
      const agentLogin = zendeskTestClient(sandbox.url, { email: 'agent1@sandbox.test' });
      assert.equal((await agentLogin.get<{ user: User }>('users/me')).body.user.role, 'agent');
    });

    it('validates E.164 phones only while "Validate user phone numbers" is on', async () => {
      const loose = await createUser({
        name: 'Loose Phone',
        email: 'loose.phone@example.com',
        phone: '5551234567',
      });
      assert.equal(loose.phone, '5551234567');
      sandbox.updateSettings({ validatePhoneNumbers: true });
      try {
        const bad = await zd.post<ErrorBody>('users', {
          json: { user: { name: 'Strict Phone', email: 'strict.phone@example.com', phone: '5551234567' } },
        });
        assert.equal(bad.statusCode, 422);
        assert.deepEqual(bad.body, {
          error: 'RecordInvalid',
          description: 'Record validation errors',
          details: {
            phone: { description: 'Phone 5551234567 is not properly formatted', error: 'InvalidFormat' },
          },
        });
        const good = await createUser({
          name: 'Strict Phone',
          email: 'strict.phone@example.com',
          phone: '+15551234567',
        });
        assert.equal(good.phone, '+15551234567');
      } finally {
        sandbox.updateSettings({ validatePhoneNumbers: false });
      }
    });
  });

  describe('organization memberships', () => {
    it('first membership is the default and sets organization_id; duplicates are 422', async () => {
      // Several memberships per user need the account's multiple-organizations setting (off by default).
      sandbox.updateSettings({ multipleOrganizations: true });
      try {
        const orgA = await createOrg({ name: 'Member Org A' });
        const orgB = await createOrg({ name: 'Member Org B' });
        const user = await createUser({ name: 'Member', email: 'member@example.com' });
        assert.equal(user.organization_id, null);
        const first = await zd.post<{ organization_membership: Membership }>('organization_memberships', {
          json: { organization_membership: { user_id: user.id, organization_id: orgA.id } },
        });
        assert.equal(first.statusCode, 201);
        assert.equal(first.body.organization_membership.default, true);
        const dup = await zd.post<ErrorBody>('organization_memberships', {
          json: { organization_membership: { user_id: user.id, organization_id: orgA.id } },
        });
        assert.equal(dup.statusCode, 422);
        const second = await zd.post<{ organization_membership: Membership }>('organization_memberships', {
          json: { organization_membership: { user_id: user.id, organization_id: orgB.id } },
        });
        assert.equal(second.body.organization_membership.default, null);
        const mine = await zd.get<{ organization_memberships: Membership[] }>(
          `users/${user.id}/organization_memberships`,
        );
        assert.deepEqual(
          mine.body.organization_memberships.map((m) => [m.organization_id, m.default]),
          [
            [orgA.id, true],
            [orgB.id, null],
          ],
        );
        assert.equal((await zd.get<{ user: User }>(`users/${user.id}`)).body.user.organization_id, orgA.id);
        const moved = await zd.put<{ user: User }>(`users/${user.id}`, {
          json: { user: { organization_id: orgB.id } },
        });
        assert.equal(moved.body.user.organization_id, orgB.id);
        const inOrg = await zd.get<{ organization_memberships: Membership[] }>(
          `organizations/${orgB.id}/organization_memberships`,
        );
        assert.deepEqual(
          inOrg.body.organization_memberships.map((m) => m.user_id),
          [user.id],
        );
        const all = await zd.get<{ organization_memberships: Membership[] }>('organization_memberships');
        assert.ok(all.body.organization_memberships.length >= 2);
        const unknownOrg = await zd.post<ErrorBody>('organization_memberships', {
          json: { organization_membership: { user_id: user.id, organization_id: 1 } },
        });
        assert.equal(unknownOrg.statusCode, 404);
      } finally {
        sandbox.updateSettings({ multipleOrganizations: false });
      }
    });
  });

  // Last suite, so it runs after every request above (mocha runs a suite's own tests before its children).
  describe('OAS coverage', () => {
    it('validated these operations against the OAS', () => {
      for (const op of [
        'CreateOrganization',
        'ShowOrganization',
        'SearchOrganizations',
        'CreateManyOrganizations',
        'UpdateManyOrganizations',
        'ShowJobStatus',
        'ShowManyJobStatuses',
        'CreateOrUpdateUser',
        'SearchUsers',
        'ShowManyUsers',
        'ListUserIdentities',
        'CreateUserIdentity',
        'CreateOrganizationMembership',
        'ListOrganizationFields',
        'CreateUserField',
      ])
        assert.ok(checkedOperations.has(op), `${op} was never checked`);
    });
  });
});
