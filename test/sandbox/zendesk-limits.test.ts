/**
 * The Zendesk sandbox's edges: authentication, the per-minute rate limit with Retry-After (and the
 * early-retry counter), malformed requests, control routes, snapshots, and the OAS checker itself.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import got from 'got';
import { startZendeskSandbox, type ZendeskSandbox } from '../../sandbox/zendesk/index';
import {
  assertDocumentedErrorMatchesOas,
  assertRequestMatchesOas,
  assertResponseMatchesOas,
  checkedOperations,
  OasValidationError,
  zendeskTestClient,
} from '../helpers/zendesk-openapi';

interface ErrorBody {
  error: string;
  description?: string;
}
interface RequestSummary {
  total: number;
  byStatus: Record<string, number>;
  duringRetryAfter: number;
}

const control = (sandbox: ZendeskSandbox) =>
  got.extend({
    prefixUrl: `${sandbox.url}/__sandbox/`,
    responseType: 'json',
    throwHttpErrors: false,
    retry: { limit: 0 },
  });

describe('Zendesk sandbox: auth, rate limits and robustness', function () {
  this.timeout(20_000);

  describe('authentication', () => {
    let sandbox: ZendeskSandbox;
    before(async () => {
      sandbox = await startZendeskSandbox({ port: 0, seed: true, oauthTokens: ['oauth-abc'] });
      await got.post(`${sandbox.url}/api/v2/users`, {
        headers: {
          authorization: `Basic ${Buffer.from('admin@sandbox.test/token:sandbox').toString('base64')}`,
        },
        json: { user: { name: 'End User', email: 'end.user@example.com' } },
      });
    });
    after(async () => {
      await sandbox.close();
    });

    const cases: [string, Record<string, string>][] = [
      ['no Authorization header', {}],
      [
        'a wrong API token',
        { authorization: `Basic ${Buffer.from('admin@sandbox.test/token:wrong').toString('base64')}` },
      ],
      [
        'a password instead of a token',
        { authorization: `Basic ${Buffer.from('admin@sandbox.test:sandbox').toString('base64')}` },
      ],
      [
        'an unknown email',
        { authorization: `Basic ${Buffer.from('ghost@sandbox.test/token:sandbox').toString('base64')}` },
      ],
      [
        'an end-user email',
        { authorization: `Basic ${Buffer.from('end.user@example.com/token:sandbox').toString('base64')}` },
      ],
      ['an unknown bearer token', { authorization: 'Bearer nope' }],
      ['garbage', { authorization: 'Basic %%%' }],
    ];
    for (const [label, headers] of cases) {
      it(`answers 401 "Couldn't authenticate you" for ${label}, with rate-limit headers`, async () => {
        const res = await got.get<ErrorBody>(`${sandbox.url}/api/v2/users/me`, {
          headers,
          responseType: 'json',
          throwHttpErrors: false,
          retry: { limit: 0 },
        });
        assert.equal(res.statusCode, 401);
        assert.deepEqual(res.body, { error: "Couldn't authenticate you" });
        assert.equal(res.headers['x-rate-limit'], '700');
        assert.ok(res.headers['x-rate-limit-remaining']);
      });
    }

    it('accepts email/token Basic auth and OAuth bearer tokens', async () => {
      const basic = await zendeskTestClient(sandbox.url).get<{ user: { email: string } }>('users/me');
      assert.equal(basic.statusCode, 200);
      const bearer = await zendeskTestClient(sandbox.url, { bearer: 'oauth-abc' }).get<{
        user: { email: string };
      }>('users/me.json');
      assert.equal(bearer.statusCode, 200);
      assert.equal(bearer.body.user.email, 'admin@sandbox.test');
      assert.equal(bearer.headers['x-rate-limit'], '700');
    });
  });

  describe('rate limit', () => {
    let sandbox: ZendeskSandbox;
    let clock = Date.UTC(2026, 0, 1);
    before(async () => {
      sandbox = await startZendeskSandbox({ port: 0, rateLimitPerMinute: 3, now: () => clock });
    });
    after(async () => {
      await sandbox.close();
    });
    beforeEach(async () => {
      await control(sandbox).post('reset');
      await control(sandbox).put('rate-limit', { json: { perMinute: 3 } });
      await control(sandbox).delete('requests');
    });

    it('counts down X-Rate-Limit-Remaining, then 429 with Retry-After until the window has room', async () => {
      const zd = zendeskTestClient(sandbox.url);
      const remaining: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const res = await zd.get('users/me');
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['x-rate-limit'], '3');
        remaining.push(String(res.headers['x-rate-limit-remaining']));
        clock += 1000;
      }
      assert.deepEqual(remaining, ['2', '1', '0']);
      const limited = await zd.get<ErrorBody>('users/me');
      assert.equal(limited.statusCode, 429);
      assert.equal(limited.body.error, 'TooManyRequests');
      assert.ok(limited.body.description);
      // The first request was at t0, we are at t0+3s: a slot frees at t0+60s.
      assert.equal(limited.headers['retry-after'], '57');
      assert.equal(limited.headers['x-rate-limit-remaining'], '0');

      clock += 10_000; // too early: still inside the Retry-After
      const early = await zd.get('users/me');
      assert.equal(early.statusCode, 429);
      assert.equal(early.headers['retry-after'], '47');

      clock += 47_000; // exactly when the Retry-After ends
      const honoured = await zd.get('users/me');
      assert.equal(honoured.statusCode, 200);

      const summary = (await control(sandbox).get<RequestSummary>('requests')).body;
      assert.equal(summary.duringRetryAfter, 1, 'only the early retry is counted');
      assert.equal(summary.byStatus['429'], 2);
    });

    it('tracks early retries per credential', async () => {
      await control(sandbox).post('429-burst', { json: { count: 1, retryAfterSeconds: 5 } });
      const admin = zendeskTestClient(sandbox.url);
      assert.equal((await admin.get('users/me')).statusCode, 429);
      // A different credential was never told to wait, so it is not an early retry.
      const other = await got.get(`${sandbox.url}/api/v2/users/me`, {
        throwHttpErrors: false,
        retry: { limit: 0 },
      });
      assert.equal(other.statusCode, 401);
      assert.equal((await control(sandbox).get<RequestSummary>('requests')).body.duringRetryAfter, 0);
      clock += 1_000; // the client has long seen the 429, and Retry-After (5 s) is still running
      assert.equal((await admin.get('users/me')).statusCode, 200);
      assert.equal((await control(sandbox).get<RequestSummary>('requests')).body.duringRetryAfter, 1);
    });

    it('does not count a request that was already in flight when the 429 went out', async () => {
      await control(sandbox).post('429-burst', { json: { count: 1, retryAfterSeconds: 5 } });
      const admin = zendeskTestClient(sandbox.url);
      const before = (await control(sandbox).get<RequestSummary>('requests')).body.duringRetryAfter;
      assert.equal((await admin.get('users/me')).statusCode, 429);
      // Same instant on the sandbox clock: within IN_FLIGHT_GRACE_MS, so the sender could not have seen the 429.
      assert.equal((await admin.get('users/me')).statusCode, 200);
      assert.equal((await control(sandbox).get<RequestSummary>('requests')).body.duringRetryAfter, before);
    });

    it('429-burst answers the next N requests with 429 whatever the budget; presets and runtime limits apply', async () => {
      const preset = await control(sandbox).put<{ perMinute: number }>('rate-limit', {
        json: { preset: 'highVolume' },
      });
      assert.equal(preset.body.perMinute, 2500);
      const burst = await control(sandbox).post('429-burst', { json: { count: 2, retryAfterSeconds: 7 } });
      assert.equal(burst.statusCode, 204);
      const zd = zendeskTestClient(sandbox.url);
      const statuses: [number, string | undefined][] = [];
      for (let i = 0; i < 3; i += 1) {
        const res = await zd.get('users/me');
        statuses.push([res.statusCode, res.headers['retry-after']]);
        clock += 8000;
      }
      assert.deepEqual(statuses, [
        [429, '7'],
        [429, '7'],
        [200, undefined],
      ]);
      const bad = await control(sandbox).put<{ error: string }>('rate-limit', { json: { perMinute: 0 } });
      assert.equal(bad.statusCode, 400);
      const badBurst = await control(sandbox).post('429-burst', { json: { count: -1 } });
      assert.equal(badBurst.statusCode, 400);
    });
  });

  describe('job limit', () => {
    it('refuses a 31st queued bulk job with 429 TooManyJobs and a Retry-After', async () => {
      const sandbox = await startZendeskSandbox({ port: 0, jobDelayMs: 60_000 });
      try {
        const zd = zendeskTestClient(sandbox.url);
        for (let i = 0; i < 30; i += 1) {
          const res = await zd.post<{ job_status: { status: string } }>('organizations/create_many', {
            json: { organizations: [{ name: `Queued ${i}` }] },
          });
          assert.equal(res.body.job_status.status, 'queued');
        }
        const refused = await zd.post<ErrorBody>('organizations/create_many', {
          json: { organizations: [{ name: 'One too many' }] },
        });
        assert.equal(refused.statusCode, 429);
        assert.equal(refused.body.error, 'TooManyJobs');
        assert.equal(refused.headers['retry-after'], '1');
      } finally {
        await sandbox.close();
      }
    });
  });

  describe('malformed requests', () => {
    let sandbox: ZendeskSandbox;
    const auth = {
      authorization: `Basic ${Buffer.from('admin@sandbox.test/token:sandbox').toString('base64')}`,
    };
    before(async () => {
      sandbox = await startZendeskSandbox({ port: 0 });
    });
    after(async () => {
      await sandbox.close();
    });

    const raw = (method: 'POST' | 'PUT' | 'GET', path: string, body?: string) =>
      got(`${sandbox.url}/api/v2/${path}`, {
        method,
        headers: { ...auth, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body }),
        throwHttpErrors: false,
        retry: { limit: 0 },
      });

    const cases: [string, 'POST' | 'PUT' | 'GET', string, string | undefined, number][] = [
      ['broken JSON', 'POST', 'organizations', '{"organization": {"name": ', 400],
      ['a JSON array body', 'POST', 'organizations', '[1,2]', 400],
      ['a body without the root object', 'POST', 'users', '{"name":"x"}', 400],
      ['a root that is a string', 'PUT', 'organizations/1', '{"organization":"x"}', 400],
      [
        'an object where a name belongs',
        'POST',
        'organizations',
        '{"organization":{"name":{"$gt":""}}}',
        422,
      ],
      ['tags that are not strings', 'POST', 'organizations', '{"organization":{"name":"T","tags":[1]}}', 422],
      // Zendesk: 400 {"error":{"title":"Invalid attribute","message":"... id must be an integer"}}
      // (https://github.com/zendesk/zendesk_api_client_rb/issues/349).
      ['a non-numeric id', 'GET', 'users/abc', undefined, 400],
      ['a bracketed query', 'GET', 'organizations/show_many?ids[a]=1', undefined, 400],
      ['an unknown endpoint', 'GET', 'tickets/1/nothing', undefined, 404],
      [
        'a bad identity type',
        'POST',
        'users/361000000001/identities',
        '{"identity":{"type":"fax","value":"1"}}',
        400,
      ],
    ];
    for (const [label, method, path, body, status] of cases) {
      it(`answers ${status} to ${label} and keeps serving`, async () => {
        const res = await raw(method, path, body);
        assert.equal(res.statusCode, status, res.body);
        const parsed = JSON.parse(res.body) as { error: string | { title: string; message: string } };
        // Zendesk's two error shapes: {error: "Code", description} and {error: {title, message}}.
        if (typeof parsed.error === 'object')
          assert.deepEqual(Object.keys(parsed.error).sort(), ['message', 'title']);
        else assert.equal(typeof parsed.error, 'string');
        const alive = await zendeskTestClient(sandbox.url).get('users/me');
        assert.equal(alive.statusCode, 200);
      });
    }
  });

  describe('control routes and snapshots', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'zendesk-sandbox-'));
    });
    after(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('reset, seed, settings and raw record dumps', async () => {
      const sandbox = await startZendeskSandbox({ port: 0 });
      try {
        const seeded = await control(sandbox).post<{ organizations: number; users: number }>('seed', {
          json: { organizations: 3, endUsers: 5 },
        });
        assert.equal(seeded.body.organizations, 10);
        assert.equal(seeded.body.users, 1 + 4 + 4 + 5);
        const orgs = await control(sandbox).get<{ organizations: { name: string }[] }>(
          'records/organizations',
        );
        assert.equal(orgs.body.organizations.length, 10);
        const identities = await control(sandbox).get<{ identities: unknown[] }>('records/identities');
        assert.equal(identities.body.identities.length, 1 + 4 + 5 + 5);
        assert.equal((await control(sandbox).get('records/memberships')).statusCode, 200);
        assert.equal((await control(sandbox).get('records/nothing')).statusCode, 404);
        const settings = await control(sandbox).put<{
          validatePhoneNumbers: boolean;
          searchIndexDelayMs: number;
        }>('settings', {
          json: { validatePhoneNumbers: true, searchIndexDelayMs: 5 },
        });
        assert.deepEqual([settings.body.validatePhoneNumbers, settings.body.searchIndexDelayMs], [true, 5]);
        assert.equal(
          (await control(sandbox).put('settings', { json: { validatePhoneNumbers: 'yes' } })).statusCode,
          400,
        );
        assert.equal((await control(sandbox).put('settings', { json: { colour: 'blue' } })).statusCode, 400);
        assert.equal((await control(sandbox).post('reset')).statusCode, 204);
        const users = await control(sandbox).get<{ users: { role: string }[] }>('records/users');
        assert.deepEqual(
          users.body.users.map((u) => u.role),
          ['admin'],
          'only the account owner survives a reset',
        );
        assert.equal(sandbox.settings().validatePhoneNumbers, false);
      } finally {
        await sandbox.close();
      }
    });

    it('the same seed options always produce the same records', async () => {
      const a = await startZendeskSandbox({ port: 0, seed: { endUsers: 4, randomSeed: 11 } });
      const b = await startZendeskSandbox({ port: 0, seed: { endUsers: 4, randomSeed: 11 } });
      try {
        const names = async (s: ZendeskSandbox) =>
          (await control(s).get<{ users: { name: string }[] }>('records/users')).body.users.map(
            (u) => u.name,
          );
        assert.deepEqual(await names(a), await names(b));
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('saves state to the snapshot file on close and loads it at start', async () => {
      const file = join(dir, 'zendesk.json');
      const first = await startZendeskSandbox({ port: 0, snapshotFile: file });
      const created = await zendeskTestClient(first.url).post<{ organization: { id: number } }>(
        'organizations',
        { json: { organization: { name: 'Persisted Org' } } },
      );
      await first.close();
      const second = await startZendeskSandbox({ port: 0, snapshotFile: file });
      try {
        const zd = zendeskTestClient(second.url);
        const shown = await zd.get<{ organization: { name: string } }>(
          `organizations/${created.body.organization.id}`,
        );
        assert.equal(shown.body.organization.name, 'Persisted Org');
        const next = await zd.post<{ organization: { id: number } }>('organizations', {
          json: { organization: { name: 'After Restart' } },
        });
        assert.ok(
          next.body.organization.id > created.body.organization.id,
          'ids keep counting after a restart',
        );
      } finally {
        await second.close();
      }
    });
  });

  describe('the OAS checker', () => {
    it('rejects responses and request bodies that break the OAS', () => {
      assert.throws(
        () => assertResponseMatchesOas('GET', '/api/v2/organizations/1', 200, { organization: { name: 5 } }),
        OasValidationError,
      );
      assert.throws(
        () => assertResponseMatchesOas('GET', '/api/v2/users/1', 200, { user: { id: 'x', name: 'n' } }),
        OasValidationError,
      );
      assert.throws(
        () => assertRequestMatchesOas('POST', '/api/v2/organizations', { org: {} }),
        OasValidationError,
      );
      assert.equal(
        assertRequestMatchesOas('POST', '/api/v2/organizations', { organization: { name: 'ok' } }),
        true,
      );
      assert.equal(
        assertResponseMatchesOas('GET', '/api/v2/users/search', 200, { users: [] }),
        'SearchUsers',
      );
    });

    it('checks an error body where the OAS documents that status (autocomplete 400), and only there', async () => {
      assert.throws(
        () =>
          assertDocumentedErrorMatchesOas('GET', '/api/v2/organizations/autocomplete', 400, {
            errors: [{ code: 5 }],
          }),
        OasValidationError,
      );
      assert.equal(
        assertDocumentedErrorMatchesOas('GET', '/api/v2/users/1', 404, { anything: true }),
        undefined,
      );
      const sandbox = await startZendeskSandbox({ port: 0 });
      try {
        const res = await zendeskTestClient(sandbox.url).get<{ errors: { code: string; title: string }[] }>(
          'organizations/autocomplete',
          { searchParams: { name: 'a' } },
        );
        assert.equal(res.statusCode, 400);
        assert.equal(res.body.errors[0]?.code, 'QueryError');
        assert.ok(checkedOperations.has('AutocompleteOrganizations 400'));
      } finally {
        await sandbox.close();
      }
    });
  });
});
