import assert from 'node:assert/strict';
import {
  fieldsToFetch,
  holdsMatchValue,
  isMappedChange,
  isSearchLookup,
  parseSyncConfig,
  planMatch,
  sameFieldValue,
} from '../../core';

describe('core/match planMatch', () => {
  it('matches organizations by name (trimmed, case kept)', () => {
    assert.deepEqual(
      planMatch('organization', { salesforce: 'Name', zendesk: 'name' }, { Name: '  Acme Corp ' }),
      {
        ok: true,
        lookup: { kind: 'organization_by_name', value: 'Acme Corp' },
      },
    );
  });

  it('matches organizations and users by external_id', () => {
    assert.deepEqual(
      planMatch('organization', { salesforce: 'Id', zendesk: 'external_id' }, { Id: '001A' }),
      {
        ok: true,
        lookup: { kind: 'organization_by_external_id', value: '001A' },
      },
    );
    assert.deepEqual(
      planMatch('user', { salesforce: 'Legacy_Id__c', zendesk: 'external_id' }, { Legacy_Id__c: 42 }),
      {
        ok: true,
        lookup: { kind: 'user_by_external_id', value: '42' },
      },
    );
  });

  it('matches users by email, lowercased and trimmed', () => {
    assert.deepEqual(
      planMatch('user', { salesforce: 'Email', zendesk: 'email' }, { Email: ' Ann@Example.COM ' }),
      {
        ok: true,
        lookup: { kind: 'user_by_email', value: 'ann@example.com' },
      },
    );
  });

  it('matches users by a custom user field', () => {
    assert.deepEqual(
      planMatch('user', { salesforce: 'Key__c', zendesk: 'user_fields.support_key' }, { key__c: ' K-1 ' }),
      {
        ok: true,
        lookup: { kind: 'user_by_custom_field', key: 'support_key', value: 'K-1' },
      },
    );
  });

  it('returns NO_MATCH_KEY for an empty value so the caller can create or skip', () => {
    for (const Email of [null, undefined, '', '   ']) {
      assert.deepEqual(planMatch('user', { salesforce: 'Email', zendesk: 'email' }, { Email }), {
        ok: false,
        reason: 'NO_MATCH_KEY',
        field: 'Email',
        message: 'no match key: Email is empty, so the record cannot be matched on email',
      });
    }
  });

  it('returns INVALID_MATCH_KEY for a value that cannot be an email, or an unsupported target', () => {
    assert.deepEqual(
      planMatch('user', { salesforce: 'Email', zendesk: 'email' }, { Email: 'not an email' }),
      {
        ok: false,
        reason: 'INVALID_MATCH_KEY',
        field: 'Email',
        message: 'Email is not an email address, so the record cannot be matched on email',
        value: 'not an email',
      },
    );
    const notes = planMatch('user', { salesforce: 'Title', zendesk: 'notes' }, { Title: 'CEO' });
    assert.equal(notes.ok, false);
    assert.equal(!notes.ok && notes.reason, 'INVALID_MATCH_KEY');
    const phone = planMatch('user', { salesforce: 'Phone', zendesk: 'phone' }, { Phone: '()' });
    assert.equal(
      !phone.ok && phone.message,
      'Phone is not a phone number, so the record cannot be matched on phone',
    );
    const site = planMatch(
      'organization',
      { salesforce: 'Website', zendesk: 'domain_names' },
      { Website: 'n/a' },
    );
    assert.equal(
      !site.ok && site.message,
      'Website is not a domain name, so the record cannot be matched on domain_names',
    );
  });

  it('plans the search-backed targets: domain_names, organization_fields, phone, user_fields', () => {
    assert.deepEqual(
      planMatch(
        'organization',
        { salesforce: 'Website', zendesk: 'domain_names' },
        { Website: 'https://www.Acme.com/about' },
      ),
      { ok: true, lookup: { kind: 'organization_by_domain', value: 'acme.com' } },
    );
    assert.deepEqual(
      planMatch(
        'organization',
        { salesforce: 'Code__c', zendesk: 'organization_fields.acct_code' },
        { Code__c: ' A-1* ' },
      ),
      { ok: true, lookup: { kind: 'organization_by_custom_field', key: 'acct_code', value: 'A-1*' } },
    );
    assert.deepEqual(
      planMatch('user', { salesforce: 'Phone', zendesk: 'phone' }, { Phone: '+1 (415) 555-2671' }),
      {
        ok: true,
        lookup: { kind: 'user_by_phone', value: '+14155552671' },
      },
    );
    // With users.phone.normalise: e164 the match looks for the number the sync writes.
    assert.deepEqual(
      planMatch(
        'user',
        { salesforce: 'Phone', zendesk: 'phone' },
        { Phone: '(415) 555-2671' },
        {
          phone: { normalise: 'e164', defaultRegion: 'US' },
        },
      ),
      { ok: true, lookup: { kind: 'user_by_phone', value: '+14155552671' } },
    );
  });
});

describe('core/match holdsMatchValue (exact check of search candidates)', () => {
  it('keeps only organizations that hold the whole value', () => {
    const lookup = { kind: 'organization_by_custom_field', key: 'acct_code', value: 'A-1' } as const;
    assert.equal(holdsMatchValue(lookup, { organization_fields: { acct_code: 'a-1' } }), true);
    assert.equal(holdsMatchValue(lookup, { organization_fields: { acct_code: 'A-10' } }), false);
    assert.equal(holdsMatchValue(lookup, { organization_fields: { acct_code: 'A-1 extra' } }), false);
    assert.equal(holdsMatchValue(lookup, { organization_fields: {} }), false);
    const star = { kind: 'organization_by_custom_field', key: 'acct_code', value: 'A*' } as const;
    assert.equal(holdsMatchValue(star, { organization_fields: { acct_code: 'A-1' } }), false);
    assert.equal(holdsMatchValue(star, { organization_fields: { acct_code: 'A*' } }), true);
    const domain = { kind: 'organization_by_domain', value: 'acme.com' } as const;
    assert.equal(holdsMatchValue(domain, { domain_names: ['other.org', 'ACME.com'] }), true);
    assert.equal(holdsMatchValue(domain, { domain_names: ['acme.com.au'] }), false);
    assert.equal(
      holdsMatchValue({ kind: 'organization_by_name', value: 'Acme' }, { name: 'Acme Corp' }),
      false,
    );
  });

  it('compares custom field values by the field type', () => {
    assert.equal(sameFieldValue(42, '42'), true);
    assert.equal(sameFieldValue(42, '4'), false);
    assert.equal(sameFieldValue(true, 'true'), true);
    assert.equal(sameFieldValue('2024-05-01T00:00:00+00:00', '2024-05-01'), true);
    assert.equal(sameFieldValue(['gold', 'silver'], 'silver'), true);
    assert.equal(sameFieldValue(null, ''), false);
  });

  it('accepts a user for an email or phone only when it holds it, primary or as an identity', () => {
    const email = { kind: 'user_by_email', value: 'ann@example.com' } as const;
    assert.equal(holdsMatchValue(email, { email: 'Ann@Example.com' }), true);
    assert.equal(holdsMatchValue(email, { email: 'ann@example.com.evil' }), false);
    assert.equal(holdsMatchValue(email, { email: 'annie@example.com' }), false);
    assert.equal(
      holdsMatchValue(email, { email: 'other@example.com' }, [{ type: 'email', value: 'ANN@example.com' }]),
      true,
    );
    assert.equal(
      holdsMatchValue(email, { email: 'x@y.z' }, [{ type: 'phone_number', value: 'ann@example.com' }]),
      false,
    );
    const phone = { kind: 'user_by_phone', value: '+14155552671' } as const;
    assert.equal(holdsMatchValue(phone, { phone: '+1 415 555 2671' }), true);
    assert.equal(
      holdsMatchValue(phone, { phone: '+14155552672' }, [{ type: 'phone_number', value: '+14155552671' }]),
      true,
    );
    assert.equal(holdsMatchValue(phone, { phone: '4155552671' }), false);
  });

  it('names which lookups lag (Search API) and which are exact endpoints', () => {
    assert.equal(isSearchLookup({ kind: 'organization_by_name', value: 'A' }), false);
    assert.equal(isSearchLookup({ kind: 'user_by_external_id', value: 'A' }), false);
    assert.equal(isSearchLookup({ kind: 'organization_by_custom_field', key: 'k', value: 'A' }), true);
    assert.equal(isSearchLookup({ kind: 'user_by_email', value: 'a@b.c' }), true);
  });
});

describe('core/match fieldsToFetch and isMappedChange', () => {
  const config = parseSyncConfig({
    accounts: {
      filters: {
        all: [{ field: 'Type', operator: 'is', value: 'Customer - Direct' }],
        any: [{ field: 'Rating', operator: 'is_not_empty' }],
      },
      match: { salesforce: 'Account_Key__c', zendesk: 'external_id' },
      fields: [
        { salesforce: 'Name', zendesk: 'name' },
        { salesforce: 'Industry', zendesk: 'notes' },
        { salesforce: 'name', zendesk: 'details' },
      ],
      syncedIdField: 'Zendesk_Organization_Id__c',
    },
    users: {
      fields: [
        { salesforce: 'Name', zendesk: 'name' },
        { salesforce: 'Email', zendesk: 'email' },
        { salesforce: 'Title', zendesk: 'notes' },
      ],
      syncedIdField: 'Zendesk_User_Id__c',
    },
  });

  it('lists Id, match, mapped, filter and synced-ID fields once each', () => {
    assert.deepEqual(fieldsToFetch(config, 'Account'), [
      'Id',
      'Account_Key__c',
      'Name',
      'Industry',
      'Type',
      'Rating',
      'Zendesk_Organization_Id__c',
    ]);
  });

  it('adds AccountId for Contacts when organization membership is on, never for Leads', () => {
    assert.deepEqual(fieldsToFetch(config, 'Contact'), [
      'Id',
      'Email',
      'Name',
      'Title',
      'AccountId',
      'Zendesk_User_Id__c',
    ]);
    const noMembership = parseSyncConfig({ users: { organizationMembership: false } });
    assert.ok(!fieldsToFetch(noMembership, 'Contact').includes('AccountId'));
    const leads = parseSyncConfig({ users: { source: 'Lead' } });
    assert.deepEqual(fieldsToFetch(leads, 'Lead'), ['Id', 'Email', 'Name']);
  });

  it('triggers on mapped, filter and match fields only', () => {
    assert.equal(isMappedChange(config, 'Account', ['Industry']), true, 'mapped');
    assert.equal(isMappedChange(config, 'Account', ['Rating']), true, 'filter');
    assert.equal(isMappedChange(config, 'Account', ['account_key__c']), true, 'match, case-insensitive');
    assert.equal(isMappedChange(config, 'Account', ['Website', 'LastModifiedDate']), false, 'unmapped');
    assert.equal(
      isMappedChange(config, 'Account', ['Zendesk_Organization_Id__c']),
      false,
      'our own write-back',
    );
    assert.equal(isMappedChange(config, 'Account', []), false);
  });

  it("triggers on a Contact's AccountId when organization membership is on (the account is its organization)", () => {
    assert.equal(isMappedChange(config, 'Contact', ['AccountId', 'LastModifiedDate']), true);
    assert.equal(isMappedChange(config, 'Contact', ['accountid']), true, 'case-insensitive');
    const noMembership = parseSyncConfig({ users: { organizationMembership: false } });
    assert.equal(isMappedChange(noMembership, 'Contact', ['AccountId']), false, 'membership off');
    assert.equal(isMappedChange(config, 'Account', ['AccountId']), false, 'not an Account field');
  });

  it("treats a person account's name part (CDC Name.FirstName / Name.LastName) as a change of the mapped Name", () => {
    const accounts = parseSyncConfig({ accounts: {} });
    assert.equal(isMappedChange(accounts, 'Account', ['Name.LastName']), true);
    assert.equal(isMappedChange(accounts, 'Account', ['Name.FirstName', 'LastModifiedDate']), true);
    assert.equal(isMappedChange(accounts, 'Account', ['PersonEmail']), false, 'unmapped person field');
  });

  it('treats a change to a compound address component as a change of its field', () => {
    const withAddress = parseSyncConfig({
      accounts: {
        fields: [
          { salesforce: 'Name', zendesk: 'name' },
          { salesforce: 'BillingCity', zendesk: 'notes' },
        ],
      },
      users: {
        source: 'Lead',
        fields: [
          { salesforce: 'Name', zendesk: 'name' },
          { salesforce: 'City', zendesk: 'notes' },
        ],
      },
    });
    assert.equal(isMappedChange(withAddress, 'Account', ['BillingAddress.City', 'LastModifiedDate']), true);
    assert.equal(isMappedChange(withAddress, 'Account', ['ShippingAddress.City']), false, 'another address');
    assert.equal(
      isMappedChange(withAddress, 'Account', ['BillingAddress.Street']),
      false,
      'another component',
    );
    assert.equal(isMappedChange(withAddress, 'Lead', ['Address.City']), true, 'Lead address');
  });

  it('treats changes to the parts of a Contact/Lead Name as a change of Name', () => {
    assert.equal(isMappedChange(config, 'Contact', ['LastName']), true);
    assert.equal(isMappedChange(config, 'Contact', ['Name.FirstName']), true);
    assert.equal(isMappedChange(config, 'Lead', ['Salutation']), true);
    // Issue 15: AccountId now triggers when organization membership is on; without it, it stays unmapped.
    const noMembership = parseSyncConfig({ users: { organizationMembership: false } });
    assert.equal(
      isMappedChange(noMembership, 'Contact', ['AccountId']),
      false,
      'AccountId is not a mapped field',
    );
    assert.equal(isMappedChange(config, 'Account', ['FirstName']), false, 'Accounts have no name parts');
  });
});
