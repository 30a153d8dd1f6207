/**
 * The Zendesk sandbox's bulk and count endpoints: users/create_many (behind the account's bulk user
 * import switch), users|organizations/update_many in both documented forms, users|organizations/count
 * and /related. Every request and 2xx response is checked against Zendesk's OAS.
 */
import assert from 'node:assert/strict';
import type { Got } from 'got';
import { startZendeskSandbox, type ZendeskSandbox } from '../../sandbox/zendesk/index';
import { checkedOperations, waitForJob as waitForJobOf, zendeskTestClient } from '../helpers/zendesk-openapi';

interface JobStatus {
  id: string;
  job_type: string;
  status: string;
  total: number;
  results: Record<string, unknown>[] | null;
}
interface User {
  id: number;
  name: string;
  email: string | null;
  external_id: string | null;
  organization_id: number | null;
  tags: string[];
  notes: string;
}
interface Count {
  count: { value: number; refreshed_at: string };
}

describe('Zendesk sandbox: bulk jobs, counts and related', function () {
  this.timeout(20_000);
  let sandbox: ZendeskSandbox;
  let zd: Got;

  before(async () => {
    sandbox = await startZendeskSandbox({ port: 0, seed: true, jobDelayMs: 30 });
    zd = zendeskTestClient(sandbox.url);
  });
  after(async () => {
    await sandbox.close();
  });

  const waitForJob = (id: string) => waitForJobOf(zd, id);
  const user = async (id: number) => (await zd.get<{ user: User }>(`users/${id}`)).body.user;

  describe('users/create_many', () => {
    it('answers 403 Forbidden while bulk user import is not enabled (a new account)', async () => {
      for (const path of ['users/create_many', 'users/create_or_update_many']) {
        const res = await zd.post<unknown>(path, {
          json: { users: [{ name: 'Nope', email: 'nope@example.com' }] },
        });
        assert.equal(res.statusCode, 403, path);
        assert.deepEqual(res.body, {
          error: {
            title: 'Forbidden',
            message:
              'You do not have access to this page. Please contact the account owner of this help desk for further help.',
          },
        });
      }
      const dump = await zd.get<{ users: User[] }>('users/search', {
        searchParams: { query: 'email:nope@example.com' },
      });
      assert.equal(dump.body.users.length, 0, 'nothing was created');
    });

    it('queues a job that creates each user, with per-record results and failures', async () => {
      sandbox.updateSettings({ bulkUserImport: true });
      try {
        const res = await zd.post<{ job_status: JobStatus }>('users/create_many', {
          json: {
            users: [
              { name: 'Bulk One', email: 'bulk.one@example.com', external_id: 'BULK-1' },
              { name: 'Bulk Two', email: 'jane.doe@acme.example' },
              { name: 'Bulk Three', email: 'bulk.three@example.com', skip_verify_email: true },
            ],
          },
        });
        assert.equal(res.statusCode, 200, JSON.stringify(res.body));
        assert.equal(res.body.job_status.status, 'queued');
        assert.equal(res.body.job_status.total, 3);
        assert.equal(res.body.job_status.results, null);
        const done = await waitForJob(res.body.job_status.id);
        assert.equal(done.job_type, 'Bulk Create Users');
        const [one, two, three] = done.results ?? [];
        assert.deepEqual(Object.keys(one ?? {}).sort(), ['id', 'index']);
        assert.equal(one?.index, 0);
        assert.deepEqual(two, {
          index: 1,
          error: 'DuplicateValue',
          details: 'Email: jane.doe@acme.example is already being used by another user',
        });
        assert.equal(three?.index, 2);
        assert.equal((await user(Number(one?.id))).external_id, 'BULK-1');
        const tooMany = await zd.post<{ error: string }>('users/create_many', {
          json: { users: Array.from({ length: 101 }, (_, i) => ({ name: `U${i}` })) },
        });
        assert.equal(tooMany.statusCode, 400);
      } finally {
        sandbox.updateSettings({ bulkUserImport: false });
      }
    });
  });

  describe('update_many', () => {
    it('users: the bulk form (?ids= / ?external_ids= with one user) applies one change to each', async () => {
      const a = (
        await zd.post<{ user: User }>('users', {
          json: { user: { name: 'Upd A', email: 'upd.a@example.com' } },
        })
      ).body.user;
      const b = (
        await zd.post<{ user: User }>('users', {
          json: { user: { name: 'Upd B', email: 'upd.b@example.com', external_id: 'UPD-B' } },
        })
      ).body.user;
      const res = await zd.put<{ job_status: JobStatus }>(`users/update_many.json?ids=${a.id},999`, {
        json: { user: { notes: 'bulk note' } },
      });
      assert.equal(res.statusCode, 200, JSON.stringify(res.body));
      const done = await waitForJob(res.body.job_status.id);
      assert.equal(done.job_type, 'Bulk Update Users');
      assert.deepEqual(done.results?.[0], { id: a.id, action: 'update', status: 'Updated', success: true });
      assert.deepEqual(done.results?.[1], {
        index: 1,
        error: 'RecordNotFound',
        details: 'Not found',
        id: 999,
        action: 'update',
        status: 'Failed',
        success: false,
      });
      assert.equal((await user(a.id)).notes, 'bulk note');
      const byExternal = await zd.put<{ job_status: JobStatus }>('users/update_many?external_ids=upd-b', {
        json: { user: { tags: ['vip'] } },
      });
      await waitForJob(byExternal.body.job_status.id);
      assert.deepEqual((await user(b.id)).tags, ['vip']);
    });

    it('users: the batch form ({users: [{id, ...}]}) applies a different change to each', async () => {
      const a = (
        await zd.post<{ user: User }>('users', {
          json: { user: { name: 'Batch A', email: 'batch.a@example.com' } },
        })
      ).body.user;
      const b = (
        await zd.post<{ user: User }>('users', {
          json: { user: { name: 'Batch B', email: 'batch.b@example.com', external_id: 'BATCH-B' } },
        })
      ).body.user;
      const res = await zd.put<{ job_status: JobStatus }>('users/update_many', {
        json: {
          users: [
            { id: a.id, name: 'Batch A renamed' },
            { external_id: 'BATCH-B', notes: 'by external id' },
          ],
        },
      });
      assert.equal(res.statusCode, 200, JSON.stringify(res.body));
      const done = await waitForJob(res.body.job_status.id);
      assert.deepEqual(
        done.results?.map((r) => [r.id, r.status]),
        [
          [a.id, 'Updated'],
          [b.id, 'Updated'],
        ],
      );
      assert.equal((await user(a.id)).name, 'Batch A renamed');
      assert.equal((await user(b.id)).notes, 'by external id');
      const missingRoot = await zd.put<unknown>('users/update_many?ids=1', { json: { users: [] } });
      assert.equal(missingRoot.statusCode, 400, 'the bulk form needs a "user" object');
    });

    it('organizations: both forms, as jobs', async () => {
      const orgs = await zd.get<{ organizations: { id: number; name: string; notes: string | null }[] }>(
        'organizations',
      );
      const [first, second] = orgs.body.organizations;
      const bulk = await zd.put<{ job_status: JobStatus }>(
        `organizations/update_many?ids=${first?.id},${second?.id}`,
        {
          json: { organization: { notes: 'same for both' } },
        },
      );
      const bulkDone = await waitForJob(bulk.body.job_status.id);
      assert.deepEqual(
        bulkDone.results?.map((r) => r.success),
        [true, true],
      );
      const batch = await zd.put<{ job_status: JobStatus }>('organizations/update_many', {
        json: { organizations: [{ id: first?.id, notes: 'first' }] },
      });
      await waitForJob(batch.body.job_status.id);
      const shown = await zd.get<{ organization: { notes: string } }>(`organizations/${second?.id}`);
      assert.equal(shown.body.organization.notes, 'same for both');
      const firstShown = await zd.get<{ organization: { notes: string } }>(`organizations/${first?.id}`);
      assert.equal(firstShown.body.organization.notes, 'first');
    });
  });

  describe('counts and related', () => {
    it('users/count and organizations/count answer {count: {value, refreshed_at}}, not an id lookup', async () => {
      const users = await zd.get<Count>('users/count.json');
      assert.equal(users.statusCode, 200, JSON.stringify(users.body));
      assert.equal(users.body.count.value, sandbox.store.users.size);
      assert.match(users.body.count.refreshed_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      const agents = await zd.get<Count>('users/count', { searchParams: { role: 'agent' } });
      assert.equal(agents.body.count.value, 3);
      const staff = await zd.get<Count>('users/count?role[]=agent&role[]=admin');
      assert.equal(staff.body.count.value, 5);
      const orgs = await zd.get<Count>('organizations/count');
      assert.equal(orgs.statusCode, 200);
      assert.equal(orgs.body.count.value, sandbox.store.organizations.size);
    });

    it('related: organization members and a user with no tickets; 404 for unknown ids', async () => {
      const orgs = await zd.get<{ organizations: { id: number; name: string }[] }>('organizations');
      const acme = orgs.body.organizations.find((o) => o.name === 'Acme Corporation');
      const related = await zd.get<{ organization_related: { users_count: number; tickets_count: number } }>(
        `organizations/${acme?.id}/related`,
      );
      assert.equal(related.statusCode, 200);
      // Jane Doe and Pat Shared are members of Acme Corporation in the seed.
      assert.deepEqual(related.body.organization_related, { tickets_count: 0, users_count: 2 });
      const me = await zd.get<{ user: User }>('users/me');
      const userRelated = await zd.get<{ user_related: Record<string, number> }>(
        `users/${me.body.user.id}/related`,
      );
      assert.deepEqual(userRelated.body.user_related, {
        assigned_tickets: 0,
        ccd_tickets: 0,
        organization_subscriptions: 0,
        requested_tickets: 0,
      });
      assert.equal((await zd.get('users/1/related')).statusCode, 404);
      assert.equal((await zd.get('organizations/1/related')).statusCode, 404);
    });
  });

  describe('OAS coverage', () => {
    it('validated these operations against the OAS', () => {
      for (const op of [
        'CreateManyUsers',
        'UpdateManyUsers',
        'UpdateManyOrganizations',
        'CountUsers',
        'CountOrganizations',
        'ShowUserRelated',
        'OrganizationRelated',
      ])
        assert.ok(checkedOperations.has(op), `${op} was never checked`);
    });
  });
});
