/**
 * The Zendesk sandbox's incremental exports of users and organizations: time-based pages, the user
 * cursor export, the sample export, the one-minute cutoff and the per-minute limit. A controllable
 * clock stands in for waiting minutes. Every 2xx response is checked against Zendesk's OAS.
 */
import assert from 'node:assert/strict';
import type { Got } from 'got';
import { startZendeskSandbox, type ZendeskSandbox } from '../../sandbox/zendesk/index';
import { checkedOperations, zendeskTestClient } from '../helpers/zendesk-openapi';

interface Named {
  id: number;
  name: string;
  updated_at: string;
}
interface TimePage {
  count: number;
  end_of_stream: boolean;
  end_time: number;
  next_page: string;
  users?: Named[];
  organizations?: Named[];
}
interface CursorPage {
  users: Named[];
  after_cursor: string;
  after_url: string;
  before_cursor: null;
  before_url: null;
  end_of_stream: boolean;
}

const T0 = Date.parse('2025-06-01T08:00:00Z');
const seconds = (ms: number) => Math.floor(ms / 1000);

describe('Zendesk sandbox: incremental exports', function () {
  this.timeout(20_000);
  let clock = T0;
  let sandbox: ZendeskSandbox;
  let zd: Got;

  const createUser = async (name: string) => {
    const res = await zd.post<{ user: Named }>('users', {
      json: { user: { name, email: `${name.replace(/\s/g, '.').toLowerCase()}@example.com` } },
    });
    assert.equal(res.statusCode, 201);
    return res.body.user;
  };

  beforeEach(async () => {
    clock = T0;
    sandbox = await startZendeskSandbox({ port: 0, now: () => clock });
    zd = zendeskTestClient(sandbox.url);
  });
  afterEach(async () => {
    await sandbox.close();
  });

  it('time-based users: changes since start_time, oldest first, minus the last minute', async () => {
    clock += 10_000;
    const a = await createUser('Inc A');
    clock += 60_000;
    const b = await createUser('Inc B');
    clock += 30_000; // a changed 90 s ago, b 30 s ago: b is not exported yet
    const early = await zd.get<TimePage>('incremental/users.json', {
      searchParams: { start_time: seconds(T0) - 3600 },
    });
    assert.equal(early.statusCode, 200, JSON.stringify(early.body));
    assert.deepEqual(
      early.body.users?.map((u) => u.name),
      ['Sandbox Owner', 'Inc A'],
    );
    assert.equal(early.body.count, 2);
    assert.equal(early.body.end_of_stream, true);
    assert.equal(early.body.end_time, seconds(Date.parse(a.updated_at)));
    assert.match(early.body.next_page, new RegExp(`start_time=${early.body.end_time}`));
    clock += 60_000;
    const next = await zd.get<TimePage>(new URL(early.body.next_page).toString(), { prefixUrl: '' });
    // The next page starts at the last item's second: that item comes again (time-based duplicates).
    assert.deepEqual(
      next.body.users?.map((u) => u.id),
      [a.id, b.id],
    );
  });

  it('time-based pages of per_page items with end_of_stream false until the last', async () => {
    for (let i = 0; i < 5; i += 1) {
      clock += 1_000;
      await createUser(`Page ${i}`);
    }
    clock += 120_000;
    const first = await zd.get<TimePage>('incremental/users', {
      searchParams: { start_time: seconds(T0) + 1, per_page: 2 },
    });
    assert.equal(first.body.count, 2);
    assert.equal(first.body.end_of_stream, false);
    const second = await zd.get<TimePage>(new URL(first.body.next_page).toString(), { prefixUrl: '' });
    assert.equal(second.body.end_of_stream, false);
    assert.equal(second.body.users?.[0]?.name, 'Page 1', 'starts again at the end_time second');
  });

  it('refuses a start_time within the last minute with 422 "Too recent start_time"', async () => {
    clock += 600_000;
    for (const startTime of [seconds(clock) - 30, seconds(clock) + 60]) {
      const res = await zd.get<{ error: string; description: string }>('incremental/users.json', {
        searchParams: { start_time: startTime },
      });
      assert.equal(res.statusCode, 422);
      assert.equal(res.body.error, 'InvalidValue');
      assert.match(res.body.description, /^Too recent start_time\./);
    }
    const missing = await zd.get<{ error: string }>('incremental/organizations.json');
    assert.equal(missing.statusCode, 422);
  });

  it('organizations: time-based only (no cursor export)', async () => {
    const org = await zd.post<{ organization: Named }>('organizations', {
      json: { organization: { name: 'Inc Org' } },
    });
    clock += 120_000;
    const res = await zd.get<TimePage>('incremental/organizations.json', {
      searchParams: { start_time: seconds(T0) },
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(
      res.body.organizations?.map((o) => o.id),
      [org.body.organization.id],
    );
    const cursor = await zd.get<{ error: string }>('incremental/organizations/cursor.json', {
      searchParams: { start_time: seconds(T0) },
    });
    assert.equal(cursor.statusCode, 404);
    assert.equal(cursor.body.error, 'InvalidEndpoint');
  });

  it('cursor-based users: start_time first, then the cursor; after_cursor keeps working at the end', async () => {
    const made: Named[] = [];
    for (let i = 0; i < 3; i += 1) {
      clock += 1_000;
      made.push(await createUser(`Cur ${i}`));
    }
    clock += 120_000;
    const first = await zd.get<CursorPage>('incremental/users/cursor.json', {
      searchParams: { start_time: seconds(T0) + 1, per_page: 2 },
    });
    assert.equal(first.statusCode, 200, JSON.stringify(first.body));
    assert.deepEqual(
      first.body.users.map((u) => u.name),
      ['Cur 0', 'Cur 1'],
    );
    assert.equal(first.body.end_of_stream, false);
    assert.equal(first.body.before_cursor, null);
    assert.equal(first.body.before_url, null);
    assert.match(first.body.after_url, /\/api\/v2\/incremental\/users\/cursor\.json\?cursor=/);
    const second = await zd.get<CursorPage>(new URL(first.body.after_url).toString(), { prefixUrl: '' });
    assert.deepEqual(
      second.body.users.map((u) => u.name),
      ['Cur 2'],
    );
    assert.equal(second.body.end_of_stream, true);
    // Nothing new: an empty page, same cursor. A later change shows up from the saved cursor.
    const idle = await zd.get<CursorPage>('incremental/users/cursor', {
      searchParams: { cursor: second.body.after_cursor },
    });
    assert.deepEqual(idle.body.users, []);
    assert.equal(idle.body.end_of_stream, true);
    const renamed = await zd.put<{ user: Named }>(`users/${made[0]?.id}`, {
      json: { user: { name: 'Cur 0 renamed' } },
    });
    assert.equal(renamed.statusCode, 200);
    clock += 61_000;
    const later = await zd.get<CursorPage>('incremental/users/cursor', {
      searchParams: { cursor: idle.body.after_cursor },
    });
    assert.deepEqual(
      later.body.users.map((u) => u.name),
      ['Cur 0 renamed'],
    );
    const bad = await zd.get('incremental/users/cursor', { searchParams: { cursor: 'not-a-cursor' } });
    assert.equal(bad.statusCode, 422);
  });

  it('allows 10 incremental export requests a minute, then 429 APIRateLimitExceeded with Retry-After', async () => {
    clock += 120_000;
    for (let i = 0; i < 10; i += 1) {
      const ok = await zd.get('incremental/users.json', { searchParams: { start_time: seconds(T0) } });
      assert.equal(ok.statusCode, 200);
    }
    const limited = await zd.get<{ error: string; description: string }>('incremental/organizations.json', {
      searchParams: { start_time: seconds(T0) },
    });
    assert.equal(limited.statusCode, 429);
    assert.deepEqual(limited.body, {
      error: 'APIRateLimitExceeded',
      description: 'Number of allowed incremental export API requests per minute exceeded',
    });
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    // Other endpoints are not affected.
    assert.equal((await zd.get('users/me')).statusCode, 200);
    clock += 61_000;
    assert.equal(
      (await zd.get('incremental/users.json', { searchParams: { start_time: seconds(T0) } })).statusCode,
      200,
    );
  });

  it('sample: at most 50 items, 10 requests per 20 minutes', async () => {
    for (let i = 0; i < 55; i += 1) {
      clock += 1_000;
      await createUser(`Sample ${i}`);
    }
    clock += 120_000;
    const sample = await zd.get<TimePage>('incremental/users/sample.json', {
      searchParams: { start_time: seconds(T0) },
    });
    assert.equal(sample.statusCode, 200);
    assert.equal(sample.body.count, 50);
    assert.equal(sample.body.end_of_stream, false);
    for (let i = 0; i < 9; i += 1)
      await zd.get('incremental/organizations/sample.json', { searchParams: { start_time: seconds(T0) } });
    clock += 5 * 60_000;
    const limited = await zd.get('incremental/users/sample.json', {
      searchParams: { start_time: seconds(T0) },
    });
    assert.equal(limited.statusCode, 429, 'still inside the 20-minute window');
  });

  after(() => {
    for (const op of [
      'IncrementalUserExportTime',
      'IncrementalUserExportCursor',
      'IncrementalOrganizationExport',
      '(not in OAS) GET /api/v2/incremental/users/sample',
    ])
      assert.ok(checkedOperations.has(op), `${op} was never checked`);
  });
});
