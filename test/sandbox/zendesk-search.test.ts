/**
 * The Zendesk sandbox's Search API (search.json, search/count, search/export and users/search?query=):
 * the query syntax used for matching, the response shapes, the 1,000-result limit and the index lag.
 * Every request and 2xx response is checked against Zendesk's OAS (see zendesk-openapi.ts).
 */
import assert from 'node:assert/strict';
import type { Got } from 'got';
import { startZendeskSandbox, type ZendeskSandbox } from '../../sandbox/zendesk/index';
import { checkedOperations, zendeskTestClient } from '../helpers/zendesk-openapi';

interface Result {
  id: number;
  name: string;
  result_type: 'user' | 'organization';
  url: string;
  email?: string | null;
}
interface SearchPage {
  results: Result[];
  facets: null;
  next_page: string | null;
  previous_page: string | null;
  count: number;
}
interface ExportPage {
  results: Result[];
  facets: null;
  meta: { has_more: boolean; after_cursor: string | null; before_cursor: string | null };
  links: { next: string | null; prev: string | null };
}
interface ErrorBody {
  error: string | { title: string; message: string };
  description?: string;
}

describe('Zendesk sandbox: Search API', function () {
  this.timeout(30_000);
  let clock = Date.parse('2025-03-01T12:00:00Z');
  let sandbox: ZendeskSandbox;
  let zd: Got;

  before(async () => {
    // A controllable clock makes the index lag deterministic.
    sandbox = await startZendeskSandbox({ port: 0, seed: true, jobDelayMs: 0, now: () => clock });
    zd = zendeskTestClient(sandbox.url);
  });
  after(async () => {
    await sandbox.close();
  });

  const search = async (query: string, extra: Record<string, string | number> = {}) => {
    const res = await zd.get<SearchPage>('search.json', { searchParams: { query, ...extra } });
    assert.equal(res.statusCode, 200, JSON.stringify(res.body));
    return res.body;
  };
  const names = (page: SearchPage | ExportPage) => page.results.map((r) => r.name);
  const createOrg = async (organization: Record<string, unknown>) => {
    const res = await zd.post<{ organization: { id: number } }>('organizations', { json: { organization } });
    assert.equal(res.statusCode, 201, JSON.stringify(res.body));
    return res.body.organization;
  };

  describe('search.json', () => {
    it('answers results with result_type, count, facets and null page links', async () => {
      const page = await search('type:organization name:Globex');
      assert.deepEqual(names(page), ['Globex', 'Globex Inc']);
      assert.equal(page.count, 2);
      assert.equal(page.facets, null);
      assert.equal(page.next_page, null);
      assert.equal(page.previous_page, null);
      assert.ok(page.results.every((r) => r.result_type === 'organization'));
      assert.match(page.results[0]?.url ?? '', /\/api\/v2\/organizations\/\d+\.json$/);
    });

    it('matches whole words and word prefixes, never the middle or end of a word, case-insensitively', async () => {
      // "top" matches "Tip-Top Mops" and "Toppings" but not "Desktop" (Zendesk search reference).
      assert.deepEqual(names(await search('type:organization name:acme')), [
        'Acme Corporation',
        'Acme Corp',
        'ACME Corp.',
      ]);
      assert.deepEqual(names(await search('type:organization NAME:CORP')), [
        'Acme Corporation',
        'Acme Corp',
        'ACME Corp.',
      ]);
      assert.deepEqual(names(await search('type:organization name:orp')), []);
      assert.deepEqual(names(await search('type:organization name:olding')), []);
    });

    it('a quoted value is an exact phrase: no prefix matching, punctuation ignored', async () => {
      assert.deepEqual(names(await search('type:organization name:"Acme Corp"')), [
        'Acme Corp',
        'ACME Corp.',
      ]);
      assert.deepEqual(names(await search('type:organization name:"acme corporation"')), [
        'Acme Corporation',
      ]);
      assert.deepEqual(names(await search('type:organization name:"Corp Acme"')), []);
    });

    it('finds users by email (primary or secondary), external_id, role, phone and organization', async () => {
      const byEmail = await search('type:user email:"JANE.DOE@acme.example"');
      assert.deepEqual(names(byEmail), ['Jane Doe']);
      assert.equal(byEmail.results[0]?.result_type, 'user');
      assert.deepEqual(names(await search('type:user email:pat.secondary@shared.example')), ['Pat Shared']);
      assert.deepEqual(names(await search('type:user external_id:003000000000002aaa')), ['John Smith']);
      assert.deepEqual(names(await search('type:user role:agent')), [
        'Alice Agent',
        'Bob Agent',
        'Carol Agent',
      ]);
      const phoned = await zd.post<{ user: { id: number } }>('users', {
        json: { user: { name: 'Phone Only', phone: '+15551230001' } },
      });
      assert.equal(phoned.statusCode, 201);
      assert.deepEqual(names(await search('type:user phone:+15551230001')), ['Phone Only']);
      const globex = (await search('type:organization name:"Globex"')).results.find(
        (r) => r.name === 'Globex',
      );
      assert.deepEqual(names(await search('type:user organization:globex')), ['John Smith']);
      assert.deepEqual(names(await search(`type:user organization:${globex?.id}`)), ['John Smith']);
    });

    it('searches custom fields by key: text, dropdown tag, checkbox, numbers and dates', async () => {
      await createOrg({
        name: 'Field Search Ltd',
        organization_fields: {
          account_number: 'ACC-4242',
          tier: 'tier_silver',
          is_partner: true,
          employees: 250,
          renewal_date: '2026-01-31',
        },
      });
      const one = ['Field Search Ltd'];
      assert.deepEqual(names(await search('type:organization account_number:"ACC-4242"')), one);
      assert.deepEqual(names(await search('type:organization account_number:acc-4242')), one);
      assert.deepEqual(names(await search('type:organization is_partner:true')), one);
      assert.deepEqual(names(await search('type:organization employees>200')), one);
      assert.deepEqual(names(await search('type:organization employees<200')), []);
      assert.deepEqual(names(await search('type:organization renewal_date:2026-01-31')), one);
      assert.ok(names(await search('type:organization tier:tier_silver')).includes('Field Search Ltd'));
      // A dropdown is searched by its option tag, whole.
      assert.ok(!names(await search('type:organization tier:tier_sil')).includes('Field Search Ltd'));
      const created = await zd.post<{ user: { id: number } }>('users', {
        json: {
          user: {
            name: 'Custom Key',
            email: 'custom.key@example.com',
            user_fields: { salesforce_id: '0035g00000XyZ' },
          },
        },
      });
      assert.equal(created.statusCode, 201);
      assert.deepEqual(names(await search('type:user salesforce_id:"0035G00000XYZ"')), ['Custom Key']);
    });

    it('finds organizations by a whole domain name (domain:), a quoted * being literal', async () => {
      await createOrg({ name: 'Domain Search Co', domain_names: ['domainsearch.example', 'DS.example'] });
      assert.deepEqual(names(await search('type:organization domain:"domainsearch.example"')), [
        'Domain Search Co',
      ]);
      assert.deepEqual(names(await search('type:organization domain:ds.example')), ['Domain Search Co']);
      assert.deepEqual(names(await search('type:organization domain:"domainsearch"')), []);
      assert.deepEqual(names(await search('type:organization domain:"domainsearch*"')), []);
      assert.deepEqual(names(await search('type:organization domain:domainsearch*')), ['Domain Search Co']);
    });

    it('supports * wildcards, -negation and none (no data)', async () => {
      assert.deepEqual(names(await search('type:user email:jane*')), ['Jane Doe']);
      assert.deepEqual(names(await search('type:organization name:glo*')), ['Globex', 'Globex Inc']);
      assert.deepEqual(names(await search('type:organization name:acme -tags:legacy')), [
        'Acme Corporation',
        'Acme Corp',
      ]);
      const noExternal = names(await search('type:organization name:acme external_id:none'));
      assert.deepEqual(noExternal, ['Acme Corp', 'ACME Corp.']);
    });

    it('without type: returns users and organizations together; full text reads names and emails', async () => {
      const page = await search('initech');
      assert.deepEqual(
        page.results.map((r) => [r.result_type, r.name]),
        [
          ['user', 'John Smith'],
          ['organization', 'Initech'],
        ],
      );
      assert.deepEqual(names(await search('type:ticket initech')), []);
    });

    it('sorts with sort_by / sort_order (and order_by:/sort: in the query)', async () => {
      await createOrg({ name: 'Sort Zebra' });
      clock += 2_000;
      await createOrg({ name: 'Sort Yak' });
      assert.deepEqual(names(await search('type:organization name:sort')), ['Sort Zebra', 'Sort Yak']);
      assert.deepEqual(
        names(await search('type:organization name:sort', { sort_by: 'created_at', sort_order: 'desc' })),
        ['Sort Yak', 'Sort Zebra'],
      );
      assert.deepEqual(names(await search('type:organization name:sort order_by:created sort:asc')), [
        'Sort Zebra',
        'Sort Yak',
      ]);
    });

    it('refuses cursor pagination (offset only) with 400 Invalid attribute', async () => {
      const res = await zd.get<ErrorBody>('search.json', {
        searchParams: { query: 'type:user', 'page[size]': 10 },
      });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.body, {
        error: {
          title: 'Invalid attribute',
          message:
            'You passed an invalid value for the page attribute. Invalid parameter: page must be an integer from api/v2/search',
        },
      });
      const missing = await zd.get<ErrorBody>('search.json');
      assert.equal(missing.statusCode, 422);
      assert.equal((missing.body as { error: string }).error, 'invalid');
    });
  });

  describe('search/count.json', () => {
    it('counts what search.json would return', async () => {
      const res = await zd.get<{ count: number }>('search/count.json', {
        searchParams: { query: 'type:user role:agent' },
      });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.body, { count: 3 });
    });
  });

  describe('index lag', () => {
    it('shows new and changed records only after searchIndexDelayMs; search sees the old version meanwhile', async () => {
      sandbox.updateSettings({ searchIndexDelayMs: 120_000 });
      try {
        const org = await createOrg({ name: 'Lagging Original', external_id: 'LAG-ORG-1' });
        assert.deepEqual(names(await search('type:organization name:lagging')), []);
        assert.deepEqual(
          (await zd.get<{ count: number }>('search/count', { searchParams: { query: 'name:lagging' } })).body,
          {
            count: 0,
          },
        );
        // Direct lookups are read-after-write consistent.
        const direct = await zd.get<{ organizations: { id: number }[] }>('organizations/search', {
          searchParams: { external_id: 'LAG-ORG-1' },
        });
        assert.deepEqual(
          direct.body.organizations.map((o) => o.id),
          [org.id],
        );
        clock += 120_000;
        assert.deepEqual(names(await search('type:organization name:lagging')), ['Lagging Original']);

        const renamed = await zd.put<{ organization: { name: string } }>(`organizations/${org.id}`, {
          json: { organization: { name: 'Lagging Renamed' } },
        });
        assert.equal(renamed.statusCode, 200);
        clock += 60_000;
        // Still indexed under the old name; the result is today's record.
        const stale = await search('type:organization name:original');
        assert.deepEqual(names(stale), ['Lagging Renamed']);
        assert.deepEqual(names(await search('type:organization name:renamed')), []);
        clock += 60_000;
        assert.deepEqual(names(await search('type:organization name:original')), []);
        assert.deepEqual(names(await search('type:organization name:renamed')), ['Lagging Renamed']);

        // users/search?query= reads the same index: a new identity shows after the lag.
        const user = await zd.post<{ user: { id: number } }>('users', {
          json: { user: { name: 'Lag User', email: 'lag.user@example.com' } },
        });
        const early = await zd.get<{ users: unknown[] }>('users/search', {
          searchParams: { query: 'email:lag.user@example.com' },
        });
        assert.equal(early.body.users.length, 0);
        clock += 120_000;
        const late = await zd.get<{ users: { id: number }[] }>('users/search', {
          searchParams: { query: 'email:lag.user@example.com' },
        });
        assert.deepEqual(
          late.body.users.map((u) => u.id),
          [user.body.user.id],
        );
      } finally {
        sandbox.updateSettings({ searchIndexDelayMs: 0 });
      }
    });
  });

  describe('search/export.json', () => {
    it('pages by cursor in created_at order, only with filter[type]', async () => {
      const base = 'name:export';
      for (const name of ['Export One', 'Export Two', 'Export Three']) {
        await createOrg({ name });
        clock += 1_000;
      }
      const first = await zd.get<ExportPage>('search/export.json', {
        searchParams: { query: base, 'filter[type]': 'organization', 'page[size]': 2 },
      });
      assert.equal(first.statusCode, 200, JSON.stringify(first.body));
      assert.deepEqual(names(first.body), ['Export One', 'Export Two']);
      assert.equal(first.body.meta.has_more, true);
      assert.equal(first.body.links.prev, null);
      assert.equal(first.body.meta.before_cursor, null);
      assert.ok(first.body.meta.after_cursor && first.body.links.next);
      const next = new URL(first.body.links.next);
      const second = await zd.get<ExportPage>(`search/export.json${next.search}`);
      assert.equal(second.statusCode, 200);
      assert.deepEqual(names(second.body), ['Export Three']);
      assert.equal(second.body.meta.has_more, false);
      assert.equal(second.body.links.next, null);
      assert.equal(second.body.meta.after_cursor, null);
      assert.equal('count' in second.body, false, 'an export has no count');

      const noType = await zd.get<ErrorBody>('search/export.json', { searchParams: { query: base } });
      assert.equal(noType.statusCode, 422);
      const typeInQuery = await zd.get<ErrorBody>('search/export.json', {
        searchParams: { query: `type:organization ${base}`, 'filter[type]': 'organization' },
      });
      assert.equal(typeInQuery.statusCode, 422);
      assert.equal((typeInQuery.body as { error: string }).error, 'invalid');
    });

    it('expires a cursor after an hour', async () => {
      const first = await zd.get<ExportPage>('search/export.json', {
        searchParams: { query: 'name:export', 'filter[type]': 'organization', 'page[size]': 1 },
      });
      clock += 61 * 60_000;
      const late = await zd.get<ErrorBody>(
        `search/export.json${new URL(first.body.links.next ?? '').search}`,
      );
      assert.equal(late.statusCode, 422);
    });
  });

  describe('limits', () => {
    let big: ZendeskSandbox;
    let bigZd: Got;
    before(async () => {
      big = await startZendeskSandbox({ port: 0, rateLimitPerMinute: 100_000 });
      big.seed({ organizations: 1_050 });
      bigZd = zendeskTestClient(big.url);
    });
    after(async () => {
      await big.close();
    });

    it('returns at most 1,000 results: count tells the truth, page 11 of 100 is 422', async () => {
      const tenth = await bigZd.get<SearchPage>('search.json', {
        searchParams: { query: 'type:organization', page: 10, per_page: 100 },
      });
      assert.equal(tenth.statusCode, 200);
      assert.equal(tenth.body.results.length, 100);
      assert.ok(tenth.body.count >= 1_050);
      // Zendesk still links page 11, which then fails.
      assert.match(tenth.body.next_page ?? '', /page=11/);
      const eleventh = await bigZd.get<ErrorBody>(tenth.body.next_page ?? '', { prefixUrl: '' });
      assert.equal(eleventh.statusCode, 422);
      assert.deepEqual(eleventh.body, {
        error: 'invalid',
        description: 'Invalid search: Requested response size was greater than Search Response Limits',
      });
      const capped = await bigZd.get<SearchPage>('search.json', {
        searchParams: { query: 'type:organization', per_page: 500 },
      });
      assert.equal(capped.body.results.length, 100, 'at most 100 per page');
    });

    it('search/export reaches past 1,000 results and is limited to 100 requests a minute', async () => {
      const all = await bigZd.get<ExportPage>('search/export.json', {
        searchParams: { query: '-name:zzzz', 'filter[type]': 'organization', 'page[size]': 1000 },
      });
      assert.equal(all.statusCode, 200);
      assert.equal(all.body.results.length, 1000);
      assert.equal(all.body.meta.has_more, true);
      const rest = await bigZd.get<ExportPage>(new URL(all.body.links.next ?? '').toString(), {
        prefixUrl: '',
      });
      assert.ok(rest.body.results.length >= 50);
      let last = 0;
      for (let i = 0; i < 100; i += 1) {
        const res = await bigZd.get('search/export.json', {
          searchParams: { query: 'name:zzzz', 'filter[type]': 'user' },
        });
        last = res.statusCode;
        if (last === 429) {
          assert.ok(Number(res.headers['retry-after']) >= 1);
          break;
        }
      }
      assert.equal(last, 429, 'the 101st export request in a minute is refused');
    });
  });

  describe('OAS coverage', () => {
    it('validated the search operations against the OAS', () => {
      for (const op of ['ListSearchResults', 'CountSearchResults', 'ExportSearchResults', 'SearchUsers'])
        assert.ok(checkedOperations.has(op), `${op} was never checked`);
    });
  });
});
