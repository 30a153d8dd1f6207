import assert from 'node:assert/strict';
import {
  buildZendeskChanges,
  canonicalJson,
  fingerprintMappedValues,
  fingerprint,
  fnv1a64,
  normaliseTag,
  type FieldMapping,
} from '../../core';
import { ORGANIZATION_FIELDS, USER_FIELDS } from './core-fixtures';

const org = (fields: FieldMapping[], record: Record<string, unknown>, externalId = false) =>
  buildZendeskChanges('organization', { fields, externalId }, record, ORGANIZATION_FIELDS);
const toCustom = (
  salesforce: string,
  key: string,
  value: unknown,
  values?: Record<string, string | null>,
  extra: Partial<FieldMapping> = {},
) =>
  org([{ salesforce, zendesk: `organization_fields.${key}`, ...(values ? { values } : {}), ...extra }], {
    [salesforce]: value,
  });
const customValue = (
  salesforce: string,
  key: string,
  value: unknown,
  values?: Record<string, string | null>,
  extra: Partial<FieldMapping> = {},
) =>
  (
    toCustom(salesforce, key, value, values, extra).fields.organization_fields as
      Record<string, unknown> | undefined
  )?.[key];
/** The problems of a mapping, without the `accepts` text (checked on its own where it matters). */
const problemsOf = (changes: { problems: Array<{ accepts: string }> }) =>
  changes.problems.map(({ accepts: _accepts, ...rest }) => rest);

describe('core/mapping buildZendeskChanges', () => {
  it('builds standard fields, custom fields, tags and the external id for an organization', () => {
    const changes = org(
      [
        { salesforce: 'Name', zendesk: 'name' },
        { salesforce: 'Description__c', zendesk: 'details' },
        { salesforce: 'Industry', zendesk: 'organization_fields.industry' },
        { salesforce: 'Segment__c', zendesk: 'tags' },
      ],
      {
        Id: '001000000000001AAA',
        Name: 'Acme',
        Description__c: 'Big',
        Industry: 'Technology',
        Segment__c: 'Enterprise;Mid Market',
      },
      true,
    );
    assert.deepEqual(changes, {
      fields: { name: 'Acme', details: 'Big', organization_fields: { industry: 'technology' } },
      tagsToAdd: ['enterprise', 'mid_market'],
      emailsToAdd: [],
      phonesToAdd: [],
      externalId: '001000000000001AAA',
      problems: [],
    });
  });

  it('leaves external_id out unless externalId is set', () => {
    assert.equal(
      org([{ salesforce: 'Name', zendesk: 'name' }], { Id: '001', Name: 'A' }).externalId,
      undefined,
    );
  });

  it('maps external_id from a Salesforce field (externalId false): trimmed, an empty value clears it', () => {
    const mapping = [
      { salesforce: 'Name', zendesk: 'name' },
      { salesforce: 'Legacy_Id__c', zendesk: 'external_id' },
    ];
    const mapped = org(mapping, { Id: '001', Name: 'A', Legacy_Id__c: ' ERP-42 ' });
    assert.deepEqual(mapped.fields, { name: 'A', external_id: 'ERP-42' });
    assert.equal(mapped.externalId, undefined, 'not the Salesforce Id');
    assert.equal(org(mapping, { Id: '001', Name: 'A', Legacy_Id__c: '  ' }).fields.external_id, null);
    assert.equal(org(mapping, { Id: '001', Name: 'A', Legacy_Id__c: null }).fields.external_id, null);
  });

  it('appends emails (lowercased) and phones for users instead of overwriting', () => {
    const changes = buildZendeskChanges(
      'user',
      {
        fields: [
          { salesforce: 'Name', zendesk: 'name' },
          { salesforce: 'Email', zendesk: 'email' },
          { salesforce: 'Phone', zendesk: 'phone' },
          { salesforce: 'Plan__c', zendesk: 'user_fields.plan' },
          { salesforce: 'Title', zendesk: 'alias' },
        ],
        externalId: true,
      },
      {
        Id: '003',
        Name: 'Ann Lee',
        Email: ' Ann@Example.COM ',
        Phone: '+15551234567',
        Plan__c: 'Gold',
        Title: null,
      },
      USER_FIELDS,
    );
    assert.deepEqual(changes, {
      fields: { name: 'Ann Lee', alias: null, user_fields: { plan: 'gold' } },
      tagsToAdd: [],
      emailsToAdd: ['ann@example.com'],
      phonesToAdd: ['+15551234567'],
      externalId: '003',
      problems: [],
    });
  });

  it('an empty Salesforce value clears a text field with null, but adds no email/phone/tag', () => {
    const changes = buildZendeskChanges(
      'user',
      {
        fields: [
          { salesforce: 'Title', zendesk: 'notes' },
          { salesforce: 'Email', zendesk: 'email' },
          { salesforce: 'Phone', zendesk: 'phone' },
          { salesforce: 'Level__c', zendesk: 'tags' },
          { salesforce: 'Key__c', zendesk: 'user_fields.support_key' },
        ],
        externalId: false,
      },
      { Title: '', Email: null, Phone: '  ', Level__c: null, Key__c: null },
      USER_FIELDS,
    );
    assert.deepEqual(changes.fields, { notes: null, user_fields: { support_key: null } });
    assert.deepEqual([changes.emailsToAdd, changes.phonesToAdd, changes.tagsToAdd], [[], [], []]);
  });

  it('never clears the name (Zendesk rejects it): an empty name is a problem, not a silent skip', () => {
    const changes = org([{ salesforce: 'Name', zendesk: 'name' }], { Name: '' });
    assert.deepEqual(changes.fields, {});
    assert.deepEqual(problemsOf(changes), [
      { salesforce: 'Name', zendesk: 'name', reason: 'required', value: '' },
    ]);
  });

  it('converts values to text for text targets', () => {
    assert.equal(customValue('N', 'tier_text', 42), '42');
    assert.equal(customValue('B', 'tier_text', false), 'false');
    assert.equal(
      customValue('D', 'tier_text', '2024-01-31T10:00:00.000+0000'),
      '2024-01-31T10:00:00.000+0000',
    );
    assert.equal(customValue('M', 'notes_area', 'A;B'), 'A;B');
  });

  it('converts dates and datetimes to YYYY-MM-DD (datetimes by their UTC date)', () => {
    assert.equal(customValue('D', 'since', '2024-01-31'), '2024-01-31');
    assert.equal(customValue('D', 'since', '2024-01-31T23:30:00.000+0000'), '2024-01-31');
    assert.equal(customValue('D', 'since', '2024-02-01T01:30:00.000+0300'), '2024-01-31');
    assert.equal(customValue('D', 'since', null), null);
    assert.deepEqual(problemsOf(toCustom('D', 'since', 'soon')), [
      { salesforce: 'D', zendesk: 'organization_fields.since', reason: 'not-a-date', value: 'soon' },
    ]);
  });

  it('converts numbers for decimal and integer fields', () => {
    assert.equal(customValue('C', 'revenue', 1234.5), 1234.5);
    assert.equal(customValue('C', 'revenue', '99.90'), 99.9);
    assert.equal(customValue('C', 'revenue', null), null);
    assert.equal(customValue('I', 'employees', 250), 250);
    assert.equal(customValue('I', 'employees', '12'), 12);
    const fractional = toCustom('I', 'employees', 2.5);
    assert.equal(fractional.fields.organization_fields, undefined);
    assert.deepEqual(problemsOf(fractional), [
      { salesforce: 'I', zendesk: 'organization_fields.employees', reason: 'not-an-integer', value: 2.5 },
    ]);
    assert.deepEqual(problemsOf(toCustom('C', 'revenue', 'lots')), [
      { salesforce: 'C', zendesk: 'organization_fields.revenue', reason: 'not-a-number', value: 'lots' },
    ]);
  });

  it('converts booleans for checkbox fields', () => {
    assert.equal(customValue('B', 'active', true), true);
    assert.equal(customValue('B', 'active', false), false);
    assert.equal(customValue('B', 'active', 'true'), true);
    assert.deepEqual(problemsOf(toCustom('B', 'active', 'maybe')), [
      { salesforce: 'B', zendesk: 'organization_fields.active', reason: 'not-a-boolean', value: 'maybe' },
    ]);
  });

  it('maps picklist values to dropdown option values (by tag, by name, or by normalised tag)', () => {
    assert.equal(customValue('P', 'industry', 'technology'), 'technology');
    assert.equal(customValue('P', 'industry', 'Retail'), 'retail_shops');
    assert.equal(customValue('P', 'industry', 'Technology'), 'technology');
    assert.equal(customValue('P', 'industry', null), null);
    const unknown = toCustom('P', 'industry', 'Mining');
    assert.equal(unknown.fields.organization_fields, undefined);
    assert.deepEqual(problemsOf(unknown), [
      { salesforce: 'P', zendesk: 'organization_fields.industry', reason: 'no-option', value: 'Mining' },
    ]);
    assert.equal(
      unknown.problems[0]?.accepts,
      "an option of Zendesk dropdown 'industry': technology (Technology), retail_shops (Retail)",
    );
  });

  it('maps multi-picklist values through values: to multiselect, dropdown and tags', () => {
    const values = { Enterprise: 'seg_enterprise', SMB: 'seg_smb' };
    assert.deepEqual(customValue('S', 'segments', 'SMB;Enterprise', values), ['seg_smb', 'seg_enterprise']);
    // A value the map does not cover is not dropped: the record's pass fails, naming it.
    const unmapped = toCustom('S', 'segments', 'SMB;Unmapped;Enterprise', values);
    assert.equal(unmapped.fields.organization_fields, undefined);
    assert.deepEqual(problemsOf(unmapped), [
      {
        salesforce: 'S',
        zendesk: 'organization_fields.segments',
        reason: 'unmapped-value',
        value: ['Unmapped'],
      },
    ]);
    assert.deepEqual(customValue('S', 'segments', 'Unmapped', { ...values, Unmapped: null }), []);
    assert.equal(customValue('S', 'segments', null, values), null);
    assert.equal(
      customValue(
        'S',
        'industry',
        'Enterprise;SMB',
        { Enterprise: 'technology', SMB: 'retail_shops' },
        { pick: 'last' },
      ),
      'retail_shops',
      'last wins, because pick: last says so',
    );
    const tags = org(
      [
        {
          salesforce: 'S',
          zendesk: 'tags',
          values: { Enterprise: 'Key Account', SMB: 'small', Other: null },
        },
      ],
      { S: 'Enterprise;SMB;Other' },
    );
    assert.deepEqual(tags.tagsToAdd, ['key_account', 'small']);
  });

  it('turns a website into domain_names (overwritten, not appended)', () => {
    const changes = org([{ salesforce: 'Website', zendesk: 'domain_names' }], {
      Website: 'https://www.Acme.com/about acme.io',
    });
    assert.deepEqual(changes.fields.domain_names, ['www.acme.com', 'acme.io']);
    assert.deepEqual(
      org([{ salesforce: 'Website', zendesk: 'domain_names' }], { Website: null }).fields.domain_names,
      [],
    );
  });

  it('normalises, de-duplicates and keeps the order of tags', () => {
    assert.equal(normaliseTag('  Key   Account '), 'key_account');
    const changes = org([{ salesforce: 'T', zendesk: 'tags' }], { T: 'Gold;gold;Silver Plus' });
    assert.deepEqual(changes.tagsToAdd, ['gold', 'silver_plus']);
  });

  it('reports mappings whose Zendesk field no longer exists', () => {
    const changes = org([{ salesforce: 'X', zendesk: 'organization_fields.gone' }], { X: 'v' });
    assert.deepEqual(changes.fields, {});
    assert.deepEqual(problemsOf(changes), [
      { salesforce: 'X', zendesk: 'organization_fields.gone', reason: 'no-field', value: 'v' },
    ]);
  });

  it('reads Salesforce fields case-insensitively', () => {
    assert.deepEqual(org([{ salesforce: 'name', zendesk: 'name' }], { Name: 'Acme' }).fields, {
      name: 'Acme',
    });
  });
});

describe('core/fingerprint', () => {
  it('does not depend on object key order, at any depth', () => {
    const a = { name: 'Acme', organization_fields: { industry: 'tech', revenue: 10 }, tags: ['a', 'b'] };
    const b = { tags: ['a', 'b'], organization_fields: { revenue: 10, industry: 'tech' }, name: 'Acme' };
    assert.equal(fingerprint(a), fingerprint(b));
    assert.equal(
      canonicalJson(b),
      '{"name":"Acme","organization_fields":{"industry":"tech","revenue":10},"tags":["a","b"]}',
    );
  });

  it('changes when any value changes, including type, array order and null vs missing', () => {
    const base = { name: 'Acme', n: 1, tags: ['a', 'b'], x: null };
    const variants = [
      { ...base, name: 'Acme Inc' },
      { ...base, n: '1' },
      { ...base, tags: ['b', 'a'] },
      { name: 'Acme', n: 1, tags: ['a', 'b'] },
      { ...base, extra: false },
    ];
    const prints = new Set([base, ...variants].map((v) => fingerprint(v)));
    assert.equal(prints.size, variants.length + 1);
  });

  it('ignores undefined properties like JSON does', () => {
    assert.equal(fingerprint({ a: 1, b: undefined }), fingerprint({ a: 1 }));
  });

  it('is FNV-1a 64 over UTF-8 (known vectors) and stable as 16 hex digits', () => {
    assert.equal(fnv1a64(''), 'cbf29ce484222325');
    assert.equal(fnv1a64('a'), 'af63dc4c8601ec8c');
    assert.equal(fnv1a64('foobar'), '85944171f73967e8');
    assert.notEqual(fnv1a64('é'), fnv1a64('e'));
    assert.match(fingerprint({ any: 'thing' }), /^[0-9a-f]{16}$/);
  });

  it('fingerprintMappedValues ignores the order of multi-picklist selections, not values, the account or the mapping', () => {
    const mapping = { fields: [{ salesforce: 'Name', zendesk: 'name' }], externalId: true };
    const base = {
      mapping,
      values: [
        { field: 'Name', value: 'Acme' },
        { field: 'Segment__c', value: 'SMB;Enterprise', multipicklist: true },
      ],
    };
    const withValues = (name: unknown, segment: unknown) => ({
      ...base,
      values: [
        { field: 'Name', value: name },
        { field: 'Segment__c', value: segment, multipicklist: true },
      ],
    });
    assert.equal(
      fingerprintMappedValues(base),
      fingerprintMappedValues(withValues('Acme', 'Enterprise;SMB')),
    );
    assert.notEqual(
      fingerprintMappedValues(base),
      fingerprintMappedValues(withValues('Acme 2', 'SMB;Enterprise')),
    );
    assert.notEqual(fingerprintMappedValues(base), fingerprintMappedValues({ ...base, accountId: '001' }));
    assert.notEqual(
      fingerprintMappedValues(base),
      fingerprintMappedValues({ ...base, mapping: { ...mapping, externalId: false } }),
    );
    // A value with no place in Zendesk is still a mapped value: changing it changes the fingerprint.
    assert.notEqual(
      fingerprintMappedValues(withValues('Acme', 'Agriculture')),
      fingerprintMappedValues(withValues('Acme', 'Apparel')),
    );
    // Empty and missing are the same Salesforce value (null).
    assert.equal(
      fingerprintMappedValues(withValues(null, 'SMB')),
      fingerprintMappedValues(withValues(undefined, 'SMB')),
    );
  });
});
