import assert from 'node:assert/strict';
import { matchClaimWorkflowId, needsClaim } from '../../activities/sync/match-claim';
import { searchPhrase } from '../../activities/zendesk/client';
import { parseSearchQuery } from '../../sandbox/zendesk/search-query';

describe('Zendesk search values and match-value claims', () => {
  it('puts a value into a query as one quoted phrase that cannot add terms', () => {
    for (const value of ['acme*', 'Acme "Corp" -tag:x', 'a\\" type:user', 'x" OR name:*']) {
      const query = `type:organization website:${searchPhrase(value)}`;
      const parsed = parseSearchQuery(query);
      assert.deepEqual(parsed.types, ['organization'], query);
      assert.equal(parsed.terms.length, 1, query);
      assert.equal(parsed.terms[0]?.field, 'website');
      assert.equal(parsed.terms[0]?.quoted, true, 'quoted: no wildcard, no negation');
      assert.equal(parsed.terms[0]?.negated, false);
    }
    assert.equal(searchPhrase('acme*'), '"acme*"');
    assert.equal(searchPhrase('  Acme  "Corp"  '), '"Acme Corp"');
  });

  it('claims only search-backed values, under an ID that holds a hash, never the value', () => {
    assert.equal(needsClaim({ kind: 'organization_by_name', value: 'Acme' }), false);
    assert.equal(needsClaim({ kind: 'user_by_external_id', value: '003A' }), false);
    assert.equal(
      needsClaim({ kind: 'user_by_email', value: 'a@b.example' }),
      false,
      'Zendesk refuses a taken email',
    );
    assert.equal(
      needsClaim({ kind: 'organization_by_custom_field', key: 'website', value: 'acme.com' }),
      true,
    );
    assert.equal(needsClaim({ kind: 'user_by_phone', value: '+14155552671' }), true);
    assert.equal(needsClaim(undefined), false);

    const id = matchClaimWorkflowId({ kind: 'user_by_phone', value: '+14155552671' });
    assert.match(id, /^zendesk\/user\/match\/[0-9a-f]{64}$/);
    assert.ok(!id.includes('4155552671'));
    const lookup = { kind: 'organization_by_custom_field', key: 'website', value: 'Acme.com' } as const;
    assert.equal(
      matchClaimWorkflowId(lookup),
      matchClaimWorkflowId({ ...lookup, value: ' acme.COM ' }),
      'values the exact check treats as equal share one claim',
    );
    assert.notEqual(matchClaimWorkflowId(lookup), matchClaimWorkflowId({ ...lookup, key: 'domain' }));
    assert.match(matchClaimWorkflowId(lookup), /^zendesk\/organization\/match\//);
  });
});
