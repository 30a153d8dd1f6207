/**
 * Conformance (Zendesk half): node-zendesk's own user calls and parsing against the Zendesk sandbox.
 * Every request body and 2xx response node-zendesk exchanges is checked against Zendesk's OAS.
 */
import assert from 'node:assert/strict';
import { checkedOperations } from '../helpers/zendesk-openapi';
import { failure, getRaw, useConformanceZendesk, type JobStatus } from './zendesk-client';

interface User {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  external_id: string | null;
  notes: string;
  tags: string[];
  role: string;
  verified: boolean;
  user_fields: Record<string, unknown>;
}
interface Identity {
  id: number;
  type: string;
  value: string;
  primary: boolean;
  verified: boolean;
}

const T0 = Date.parse('2025-09-01T09:00:00Z');

describe('Conformance: node-zendesk against the Zendesk sandbox (users)', function () {
  this.timeout(30_000);
  let clock = T0;
  const zd = useConformanceZendesk(() => ({ seed: true, now: () => clock }));

  const created = async (user: Record<string, unknown>): Promise<User> =>
    (await zd().client.users.create({ user })).result as unknown as User;

  it('creates, shows, updates and lists users', async () => {
    const user = await created({
      name: 'NZ One',
      email: 'nz.one@example.com',
      phone: '+15550100001',
      external_id: 'NZ-1',
    });
    assert.ok(Number.isSafeInteger(user.id));
    assert.equal(user.email, 'nz.one@example.com');
    assert.equal(user.phone, '+15550100001');
    assert.equal(user.role, 'end-user');
    const shown = (await zd().client.users.show(user.id)).result as unknown as User;
    assert.deepEqual(shown, user);
    const updated = (await zd().client.users.update(user.id, { user: { notes: 'from node-zendesk' } }))
      .result as unknown as User;
    assert.equal(updated.notes, 'from node-zendesk');
    // users.list() asks for cursor pagination (page[size]=100) and follows links.next.
    const all = (await zd().client.users.list()) as unknown as User[];
    assert.ok(all.some((u) => u.id === user.id));
    assert.equal(new Set(all.map((u) => u.id)).size, all.length, 'no user twice across pages');
    const me = (await zd().client.users.me()).result as unknown as User;
    assert.equal(me.email, 'admin@sandbox.test');
    const missing = await failure(zd().client.users.show(999));
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.result, { error: 'RecordNotFound', description: 'Not found' });
  });

  it('create_many needs bulk import enabled, then its job is polled to completion with jobstatuses.watch', async () => {
    const refused = await failure(
      zd().client.users.createMany({
        users: [{ name: 'NZ Bulk 0', email: 'nz.bulk0@example.com' }],
      } as unknown as object[]),
    );
    assert.equal(refused.statusCode, 403);
    zd().sandbox.updateSettings({ bulkUserImport: true });
    try {
      const queued = (
        await zd().client.users.createMany({
          users: [
            { name: 'NZ Bulk 1', email: 'nz.bulk1@example.com' },
            { name: 'NZ Bulk 2', email: 'nz.bulk2@example.com' },
          ],
        } as unknown as object[])
      ).result as unknown as { job_status: JobStatus };
      assert.equal(queued.job_status.status, 'queued');
      const done = (await zd().client.jobstatuses.watch(queued.job_status.id, 25, 40)) as JobStatus;
      assert.equal(done.status, 'completed');
      assert.deepEqual(
        done.results?.map((r) => r.index),
        [0, 1],
      );
      const second = (await zd().client.users.show(Number(done.results?.[1]?.id))).result as unknown as User;
      assert.equal(second.email, 'nz.bulk2@example.com');
      const many = (await zd().client.users.showMany(
        done.results?.map((r) => Number(r.id)) ?? [],
      )) as unknown as {
        result: User[];
      };
      assert.deepEqual(
        many.result.map((u) => u.name),
        ['NZ Bulk 1', 'NZ Bulk 2'],
      );
    } finally {
      zd().sandbox.updateSettings({ bulkUserImport: false });
    }
  });

  it('update_many: by ids with one change, and a batch of changes; job results parsed', async () => {
    const a = await created({ name: 'NZ Upd A', email: 'nz.upd.a@example.com' });
    const b = await created({ name: 'NZ Upd B', email: 'nz.upd.b@example.com' });
    // node-zendesk 6.0.1 takes (ids, body, <anything>) for the ?ids= form and (body, <anything>) for a batch.
    // With the two arguments its docs show, it sends the ids array as the body, which Zendesk refuses.
    const twoArgs = await failure(zd().client.users.updateMany([a.id, b.id], { user: { notes: 'lost' } }));
    assert.equal(twoArgs.statusCode, 400);
    const bulk = (await zd().client.users.updateMany([a.id, b.id], { user: { notes: 'same' } }, undefined))
      .result as unknown as { job_status: JobStatus };
    const bulkDone = (await zd().client.jobstatuses.watch(bulk.job_status.id, 25, 40)) as JobStatus;
    assert.deepEqual(
      bulkDone.results?.map((r) => [r.id, r.success]),
      [
        [a.id, true],
        [b.id, true],
      ],
    );
    const batch = (
      await zd().client.users.updateMany(
        {
          users: [
            { id: a.id, notes: 'first' },
            { id: b.id, notes: 'second' },
          ],
        },
        undefined,
      )
    ).result as unknown as { job_status: JobStatus };
    await zd().client.jobstatuses.watch(batch.job_status.id, 25, 40);
    const shown = (await zd().client.users.showMany([a.id, b.id])) as unknown as { result: User[] };
    assert.deepEqual(
      shown.result.map((u) => u.notes),
      ['first', 'second'],
    );
    const statuses = (await zd().client.jobstatuses.showMany([bulk.job_status.id, batch.job_status.id]))
      .result as unknown as JobStatus[] | { job_statuses: JobStatus[] };
    const list = Array.isArray(statuses) ? statuses : statuses.job_statuses;
    assert.deepEqual(
      list.map((j) => j.status),
      ['completed', 'completed'],
    );
  });

  it('searches users (users/search and search.json) and counts them', async () => {
    await created({
      name: 'NZ Search Person',
      email: 'nz.search@example.com',
      user_fields: { salesforce_id: '003NZ0001' },
    });
    const bySearch = (await zd().client.users.search({
      query: 'email:nz.search@example.com',
    })) as unknown as User[];
    assert.deepEqual(
      bySearch.map((u) => u.name),
      ['NZ Search Person'],
    );
    const byField = (await zd().client.search.query('type:user salesforce_id:"003NZ0001"'))
      .result as unknown as User[];
    assert.deepEqual(
      byField.map((u) => u.email),
      ['nz.search@example.com'],
    );
    const count = await getRaw<{ count: { value: number } }>(zd().client, ['users', 'count']);
    assert.equal(count.count.value, zd().sandbox.store.users.size);
    const agents = await getRaw<{ count: { value: number } }>(zd().client, [
      'users',
      'count',
      { role: 'agent' },
    ]);
    assert.equal(agents.count.value, 3);
    const related = await getRaw<{ user_related: Record<string, number> }>(zd().client, [
      'users',
      bySearch[0]?.id ?? 0,
      'related',
    ]);
    assert.equal(related.user_related.requested_tickets, 0);
  });

  it('identities: create, list, update, verify, request verification, make primary, delete', async () => {
    const user = await created({ name: 'NZ Ident', email: 'nz.ident@example.com', skip_verify_email: true });
    const ids = zd().client.useridentities;
    // node-zendesk wraps a bare identity in {identity: ...} itself.
    const added = (await ids.create(user.id, { type: 'email', value: 'nz.ident.2@example.com' }))
      .result as unknown as Identity;
    assert.equal(added.primary, false);
    const listed = (await ids.list(user.id)) as unknown as Identity[];
    assert.deepEqual(
      listed.map((i) => i.value),
      ['nz.ident@example.com', 'nz.ident.2@example.com'],
    );
    const changed = (await ids.update(user.id, added.id, { identity: { value: 'nz.ident.two@example.com' } }))
      .result as unknown as Identity;
    assert.equal(changed.value, 'nz.ident.two@example.com');
    await ids.requestVerification(user.id, added.id);
    const verified = (await ids.verify(user.id, added.id)).result as unknown as Identity;
    assert.equal(verified.verified, true);
    const primary = (await ids.makePrimary(user.id, added.id)).result as unknown as Identity[];
    assert.deepEqual(
      primary.map((i) => [i.value, i.primary]),
      [
        ['nz.ident@example.com', false],
        ['nz.ident.two@example.com', true],
      ],
    );
    assert.equal(
      ((await zd().client.users.show(user.id)).result as unknown as User).email,
      'nz.ident.two@example.com',
    );
    await ids.delete(user.id, listed[0]?.id ?? 0);
    assert.equal(((await ids.list(user.id)) as unknown as Identity[]).length, 1);
    const dup = await failure(ids.create(user.id, { type: 'email', value: 'jane.doe@acme.example' }));
    assert.equal(dup.statusCode, 422);
  });

  it('tags: set, add and list; node-zendesk 6.0.1 removeTags drops its tag list', async () => {
    const user = await created({ name: 'NZ Tags', email: 'nz.tags@example.com' });
    // listTags pages with getAll, which hands back each page body: [{tags: [...]}].
    const tagsOf = async () =>
      ((await zd().client.users.listTags(user.id)) as unknown as { tags: string[] }[])[0]?.tags;
    await zd().client.users.setTags(user.id, { tags: ['alpha', 'beta'] } as unknown as string[]);
    await zd().client.users.addTags(user.id, { tags: ['gamma'] } as unknown as string[]);
    assert.deepEqual(await tagsOf(), ['alpha', 'beta', 'gamma']);
    // removeTags calls delete(path, tags), but the library's delete() sends no body: the DELETE arrives
    // without the documented {tags: [...]} and is refused, and no tag is removed.
    const removed = await failure(
      zd().client.users.removeTags(user.id, { tags: ['alpha'] } as unknown as string[]),
    );
    assert.equal(removed.statusCode, 400);
    assert.deepEqual(await tagsOf(), ['alpha', 'beta', 'gamma']);
  });

  it('custom user fields: define, write, read back', async () => {
    const field = (
      await zd().client.userfields.create({
        user_field: { key: 'nz_level', type: 'integer', title: 'NZ level' },
      })
    ).result as unknown as { id: number; key: string };
    assert.equal(field.key, 'nz_level');
    const user = await created({
      name: 'NZ Fields',
      email: 'nz.fields@example.com',
      user_fields: { nz_level: 7, vip: true },
    });
    assert.equal(user.user_fields.nz_level, 7);
    assert.equal(user.user_fields.vip, true);
    const bad = await failure(
      zd().client.users.update(user.id, { user: { user_fields: { nz_level: 'seven' } } }),
    );
    assert.equal(bad.statusCode, 422);
  });

  it('incremental user export (time-based, as node-zendesk pages it) leaves out the last minute', async () => {
    const user = await created({ name: 'NZ Incremental', email: 'nz.incremental@example.com' });
    const start = Math.floor(T0 / 1000) - 3600;
    const fresh = (await zd().client.users.incremental(start)) as unknown as User[];
    assert.ok(!fresh.some((u) => u.id === user.id), 'changed within the last minute: not exported yet');
    clock += 61_000;
    const later = (await zd().client.users.incremental(start)) as unknown as User[];
    assert.ok(later.some((u) => u.id === user.id));
    const sample = (await zd().client.users.incrementalSample(start)).result as unknown as User[];
    assert.ok(sample.length > 0 && sample.length <= 50);
  });

  it('checked every user operation node-zendesk made against the OAS', () => {
    for (const op of [
      'CreateUser',
      'ShowUser',
      'UpdateUser',
      'ListUsers',
      'CreateManyUsers',
      'ShowJobStatus',
      'UpdateManyUsers',
      'ShowManyUsers',
      'SearchUsers',
      'ListSearchResults',
      'CountUsers',
      'CreateUserIdentity',
      'UpdateUserIdentity',
      'VerifyUserIdentity',
      'RequestUserVerfication',
      'MakeUserIdentityPrimary',
      'IncrementalUserExportTime',
      'CreateUserField',
    ])
      assert.ok(checkedOperations.has(op), `${op} was never checked`);
  });
});
