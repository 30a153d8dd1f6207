/**
 * Conformance (Zendesk half): node-zendesk's Search API calls (search.query, queryAll, showResultsCount,
 * exportResults) and their parsing against the Zendesk sandbox, including the 1,000-result limit and the
 * search index lag. Every request and 2xx response is checked against Zendesk's OAS.
 */
import assert from 'node:assert/strict';
import { checkedOperations } from '../helpers/zendesk-openapi';
import { failure, useConformanceZendesk } from './zendesk-client';

interface Result {
  id: number;
  name: string;
  result_type: string;
}

describe('Conformance: node-zendesk against the Zendesk sandbox (search)', function () {
  this.timeout(30_000);
  let clock = Date.parse('2025-09-03T09:00:00Z');
  const zd = useConformanceZendesk(() => ({ seed: true, now: () => clock, rateLimitPerMinute: 100_000 }));

  const query = async (q: string) => (await zd().client.search.query(q)).result as unknown as Result[];

  it('search.query parses results of both types; quoted phrases and custom field keys match', async () => {
    const both = await query('acme');
    assert.deepEqual(new Set(both.map((r) => r.result_type)), new Set(['user', 'organization']));
    assert.deepEqual(
      (await query('type:organization name:"Acme Corp"')).map((r) => r.name),
      ['Acme Corp', 'ACME Corp.'],
    );
    await zd().client.organizations.create({
      organization: {
        name: 'NZ Search Org',
        organization_fields: { account_number: 'NZ-ACC-9', tier: 'tier_gold' },
      },
    });
    assert.deepEqual(
      (await query('type:organization account_number:"NZ-ACC-9" tier:tier_gold')).map((r) => r.name),
      ['NZ Search Org'],
    );
    const count = (await zd().client.search.showResultsCount('type:organization name:acme'))
      .result as unknown as {
      count: number;
    };
    assert.deepEqual(count, { count: 3 });
  });

  it('new and changed records reach search only after the index lag', async () => {
    zd().sandbox.updateSettings({ searchIndexDelayMs: 90_000 });
    try {
      await zd().client.organizations.create({ organization: { name: 'NZ Lagging Org' } });
      assert.deepEqual(await query('type:organization name:lagging'), []);
      clock += 90_000;
      assert.deepEqual(
        (await query('type:organization name:lagging')).map((r) => r.name),
        ['NZ Lagging Org'],
      );
    } finally {
      zd().sandbox.updateSettings({ searchIndexDelayMs: 0 });
    }
  });

  describe('past 1,000 results', () => {
    before(() => {
      zd().sandbox.seed({ organizations: 1_050 });
    });

    it('queryAll follows next_page into page 11, which Zendesk refuses with 422', async () => {
      // node-zendesk keeps following next_page; Zendesk links page 11 but answers it with 422
      // (https://github.com/cloudbees-oss/zendesk-java-client/issues/295), so the whole call fails.
      const err = await failure(zd().client.search.queryAll('type:organization'));
      assert.equal(err.statusCode, 422);
      assert.deepEqual(err.result, {
        error: 'invalid',
        description: 'Invalid search: Requested response size was greater than Search Response Limits',
      });
    });

    it('exportResults pages through everything with the export cursor', async () => {
      const all = (await zd().client.search.exportResults(
        'nzqxv',
        'organization',
        1000,
      )) as unknown as Result[];
      assert.deepEqual(all, [], 'a word nothing contains');
      const orgs = (await zd().client.search.exportResults(
        '-name:zzzz',
        'organization',
        1000,
      )) as unknown as Result[];
      assert.equal(orgs.length, zd().sandbox.store.organizations.size);
      assert.equal(new Set(orgs.map((o) => o.id)).size, orgs.length, 'no organization twice');
      assert.ok(orgs.every((o) => o.result_type === 'organization'));
    });
  });

  // Last, after the nested suite above (mocha runs a suite's own tests before its children).
  describe('OAS coverage', () => {
    it('checked every search operation node-zendesk made against the OAS', () => {
      for (const op of ['ListSearchResults', 'CountSearchResults', 'ExportSearchResults'])
        assert.ok(checkedOperations.has(op), `${op} was never checked`);
    });
  });
});
