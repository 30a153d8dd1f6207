/**
 * Conformance (Zendesk half): node-zendesk's own organization and membership calls and parsing against
 * the Zendesk sandbox. Every request body and 2xx response is checked against Zendesk's OAS.
 */
import assert from 'node:assert/strict';
import { checkedOperations } from '../helpers/zendesk-openapi';
import { failure, getRaw, useConformanceZendesk, type JobStatus } from './zendesk-client';

interface Organization {
  id: number;
  name: string;
  external_id: string | null;
  notes: string | null;
  tags: string[];
  organization_fields: Record<string, unknown>;
}
interface Membership {
  id: number;
  user_id: number;
  organization_id: number;
  default: boolean | null;
}

const T0 = Date.parse('2025-09-02T09:00:00Z');

describe('Conformance: node-zendesk against the Zendesk sandbox (organizations)', function () {
  this.timeout(30_000);
  let clock = T0;
  const zd = useConformanceZendesk(() => ({ seed: true, now: () => clock }));

  const create = async (organization: Record<string, unknown>): Promise<Organization> =>
    (await zd().client.organizations.create({ organization })).result as unknown as Organization;

  it('creates, shows, updates, upserts and looks organizations up', async () => {
    const org = await create({ name: 'NZ Org One', external_id: 'NZ-ORG-1', tags: ['Premium'] });
    assert.deepEqual(org.tags, ['premium']);
    const shown = (await zd().client.organizations.show(org.id)).result as unknown as Organization;
    assert.deepEqual(shown, org);
    const updated = (await zd().client.organizations.update(org.id, { organization: { notes: 'nz notes' } }))
      .result as unknown as Organization;
    assert.equal(updated.notes, 'nz notes');
    // create_or_update matches on external_id (case-insensitively), never on name.
    const upserted = (
      await zd().client.organizations.upsert({
        organization: { external_id: 'nz-org-1', details: 'upserted' },
      })
    ).result as unknown as Organization;
    assert.equal(upserted.id, org.id);
    const byExternal = (await zd().client.organizations.search(
      'NZ-ORG-1' as unknown as number,
    )) as unknown as Organization[];
    assert.deepEqual(
      byExternal.map((o) => o.id),
      [org.id],
    );
    const many = (await zd().client.organizations.showManyByExternalIds([
      'NZ-ORG-1',
    ])) as unknown as Organization[];
    assert.deepEqual(
      many.map((o) => o.id),
      [org.id],
    );
    const auto = (await zd().client.organizations.autocomplete({
      name: 'NZ Org',
    })) as unknown as Organization[];
    assert.ok(auto.some((o) => o.id === org.id));
    const duplicate = await failure(create({ name: 'nz org one' }));
    assert.equal(duplicate.statusCode, 422);
    assert.deepEqual(duplicate.result, {
      error: 'RecordInvalid',
      description: 'Record validation errors',
      details: { name: [{ description: 'Name: has already been taken', error: 'DuplicateValue' }] },
    });
  });

  it('create_many and update_many run as jobs that node-zendesk watches to completion', async () => {
    const queued = (
      await zd().client.organizations.createMany({
        organizations: [{ name: 'NZ Many 1' }, { name: 'NZ Many 2' }, { name: 'Globex' }],
      } as unknown as object[])
    ).result as unknown as { job_status: JobStatus };
    const done = (await zd().client.jobstatuses.watch(queued.job_status.id, 25, 40)) as JobStatus;
    assert.equal(done.status, 'completed');
    assert.deepEqual(done.results?.[2], {
      index: 2,
      error: 'DuplicateValue',
      details: 'Name: has already been taken',
    });
    const ids = done.results?.slice(0, 2).map((r) => Number(r.id)) ?? [];
    // organizations.updateMany(body) sends the batch form as given.
    const batch = (
      await zd().client.organizations.updateMany({
        organizations: ids.map((id, i) => ({ id, notes: `batch ${i}` })),
      } as unknown as object[])
    ).result as unknown as { job_status: JobStatus };
    await zd().client.jobstatuses.watch(batch.job_status.id, 25, 40);
    // The ?ids= form through node-zendesk's generic put.
    const bulk = (await zd().client.organizations.put(
      ['organizations', 'update_many', { ids: ids.join(',') }],
      {
        organization: { details: 'bulk' },
      },
    )) as unknown as { result: { job_status: JobStatus } };
    await zd().client.jobstatuses.watch(bulk.result.job_status.id, 25, 40);
    const shown = (await zd().client.organizations.showMany(ids)) as unknown as (Organization & {
      details: string;
    })[];
    assert.deepEqual(
      shown.map((o) => [o.notes, o.details]),
      [
        ['batch 0', 'bulk'],
        ['batch 1', 'bulk'],
      ],
    );
  });

  it('counts organizations and reads related information', async () => {
    const count = await getRaw<{ count: { value: number; refreshed_at: string } }>(zd().client, [
      'organizations',
      'count',
    ]);
    assert.equal(count.count.value, zd().sandbox.store.organizations.size);
    // node-zendesk 6.0.1 organizations.count() reads `.count` off getAll's array of page bodies, so it
    // returns undefined against any server; the endpoint itself answers as above.
    assert.equal(await zd().client.organizations.count(), undefined);
    const acme = (
      (await zd().client.organizations.autocomplete({
        name: 'Acme Corporation',
      })) as unknown as Organization[]
    )[0];
    const related = (await zd().client.organizations.related(acme?.id ?? 0)).result as unknown as {
      organization_related: { users_count: number };
    };
    assert.equal(related.organization_related.users_count, 2);
  });

  it('memberships: one organization per user on a new account, several once enabled', async () => {
    const [a, b] = [await create({ name: 'NZ Member A' }), await create({ name: 'NZ Member B' })];
    const user = (
      await zd().client.users.create({ user: { name: 'NZ Member', email: 'nz.member@example.com' } })
    ).result as unknown as { id: number };
    // node-zendesk wraps the membership in {organization_membership: ...} itself.
    const ms = zd().client.organizationmemberships;
    const first = (await ms.create({ user_id: user.id, organization_id: a.id }))
      .result as unknown as Membership;
    assert.equal(first.default, true);
    const refused = await failure(ms.create({ user_id: user.id, organization_id: b.id }));
    assert.equal(refused.statusCode, 422);
    zd().sandbox.updateSettings({ multipleOrganizations: true });
    try {
      const second = (await ms.create({ user_id: user.id, organization_id: b.id }))
        .result as unknown as Membership;
      assert.equal(second.default, null);
      await ms.makeDefault(user.id, second.id);
      const mine = (await ms.listByUser(user.id)) as unknown as Membership[];
      assert.deepEqual(
        mine.map((m) => [m.organization_id, m.default]),
        [
          [a.id, null],
          [b.id, true],
        ],
      );
      const inB = (await ms.listByOrganization(b.id)) as unknown as Membership[];
      assert.deepEqual(
        inB.map((m) => m.user_id),
        [user.id],
      );
      await ms.delete(second.id);
      assert.equal(((await ms.listByUser(user.id)) as unknown as Membership[]).length, 1);
    } finally {
      zd().sandbox.updateSettings({ multipleOrganizations: false });
    }
  });

  it('custom organization fields: define, write (checkbox, multiselect, null) and read back', async () => {
    const field = (
      await zd().client.organizationfields.create({
        organization_field: { key: 'nz_segment', type: 'text', title: 'NZ segment' },
      })
    ).result as unknown as { key: string };
    assert.equal(field.key, 'nz_segment');
    const fields = (await zd().client.organizationfields.list()) as unknown as { key: string }[];
    assert.ok(fields.some((f) => f.key === 'nz_segment'));
    const org = await create({
      name: 'NZ Fields Org',
      organization_fields: {
        nz_segment: 'smb',
        is_partner: true,
        industries: ['retail', 'health'],
        tier: null,
      },
    });
    assert.deepEqual(
      [
        org.organization_fields.nz_segment,
        org.organization_fields.is_partner,
        org.organization_fields.industries,
      ],
      ['smb', true, ['retail', 'health']],
    );
    assert.equal(org.organization_fields.tier, null);
    const bad = await failure(create({ name: 'NZ Bad Field', organization_fields: { tier: 'platinum' } }));
    assert.equal(bad.statusCode, 422);
  });

  it('incremental organization export (time-based) and its sample', async () => {
    const org = await create({ name: 'NZ Incremental Org' });
    clock += 61_000;
    const start = Math.floor(T0 / 1000) - 60;
    const exported = (await zd().client.organizations.incremental(
      start as unknown as Date,
    )) as unknown as Organization[];
    assert.ok(exported.some((o) => o.id === org.id));
    const sample = (await zd().client.organizations.incrementalSample(start as unknown as Date))
      .result as unknown as Organization[];
    assert.ok(sample.some((o) => o.id === org.id));
    const tooRecent = await failure(
      zd().client.organizations.incremental(Math.floor(clock / 1000) as unknown as Date),
    );
    assert.equal(tooRecent.statusCode, 422);
  });

  it('checked every organization operation node-zendesk made against the OAS', () => {
    for (const op of [
      'CreateOrganization',
      'ShowOrganization',
      'UpdateOrganization',
      'CreateOrUpdateOrganization',
      'SearchOrganizations',
      'ShowManyOrganizations',
      'AutocompleteOrganizations',
      'CreateManyOrganizations',
      'UpdateManyOrganizations',
      'CountOrganizations',
      'OrganizationRelated',
      'CreateOrganizationMembership',
      'SetOrganizationMembershipAsDefault',
      'CreateOrganizationField',
      'IncrementalOrganizationExport',
    ])
      assert.ok(checkedOperations.has(op), `${op} was never checked`);
  });
});
