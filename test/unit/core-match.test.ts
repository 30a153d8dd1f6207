import assert from 'node:assert/strict';
import { fieldsToFetch, isMappedChange, parseSyncConfig, planMatch } from '../../core';

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
    const phone = planMatch('user', { salesforce: 'Phone', zendesk: 'phone' }, { Phone: '+1555' });
    assert.equal(phone.ok, false);
    assert.equal(!phone.ok && phone.reason, 'INVALID_MATCH_KEY');
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
