// The sandbox org's schema as a real org reports and enforces it: standard fields of Account, Contact, Lead,
// User, Organization, RecordType and AccountContactRelation, real picklist values, compound addresses,
// person accounts as an org option, and the direct account-contact relationship. Driven by jsforce over REST.
import assert from 'node:assert/strict';
import type { Connection, DescribeSObjectResult, Field } from 'jsforce';
import type { SalesforceSandbox } from '../../sandbox/salesforce/index';
import {
  API_VERSION,
  clientCredentialsConnection,
  raw,
  RecordingSink,
  startTestSandbox,
  thrown,
} from './salesforce-rest-helpers';

const control = async (sb: SalesforceSandbox, path: string, body: unknown) => {
  const res = await fetch(`${sb.url}/__sandbox${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

/** jsforce types picklist entries loosely; these are the describe PicklistEntry members. */
type PicklistEntry = { active: boolean; defaultValue: boolean; label: string; validFor: null; value: string };
const picklist = (f: Field) => (f.picklistValues ?? []) as PicklistEntry[];

function fieldOf(d: DescribeSObjectResult, name: string): Field {
  const f = d.fields.find((x) => x.name === name);
  assert.ok(f, `${d.name}.${name} exists`);
  return f;
}

describe('Salesforce sandbox: the real standard schema', function () {
  this.timeout(30_000);
  let sb: SalesforceSandbox;
  let conn: Connection;
  const sink = new RecordingSink();

  before(async () => {
    sb = await startTestSandbox({ changeSink: sink });
    conn = await clientCredentialsConnection(sb);
  });
  after(async () => {
    await sb.close();
  });
  beforeEach(async () => {
    await fetch(`${sb.url}/__sandbox/reset`, { method: 'POST' });
    sink.clear();
  });

  describe('describe', () => {
    it('reports every standard field of a v62 org per object, with its real attributes', async () => {
      const standard = async (name: string) =>
        (await conn.sobject(name).describe()).fields.filter((f) => !f.custom).length;
      // Measured against two real v62 orgs' describes (sandbox/salesforce/README.md, "Objects and fields"):
      // Account 58 + RecordTypeId (this org defines Account record types); Contact 61 and Lead 55 + the
      // standard fields field-level security hides from a new org's admin (HasOptedOutOfEmail,
      // HasOptedOutOfFax, DoNotCall; Lead also LastTransferDate).
      assert.equal(await standard('Account'), 59);
      assert.equal(await standard('Contact'), 64);
      assert.equal(await standard('Lead'), 59);
      // RecordType: 13 in a real v62 org; IsPersonType exists only with person accounts.
      assert.equal(await standard('RecordType'), 13);
      assert.equal(await standard('AccountContactRelation'), 14);

      const account = await conn.sobject('Account').describe();
      const number = fieldOf(account, 'AccountNumber');
      assert.deepEqual(
        [
          number.type,
          number.length,
          number.createable,
          number.updateable,
          number.filterable,
          number.nillable,
        ],
        ['string', 40, true, true, true, true],
      );
      const description = fieldOf(account, 'Description');
      assert.deepEqual(
        [
          description.type,
          description.length,
          description.filterable,
          description.groupable,
          description.sortable,
        ],
        ['textarea', 32000, false, false, false],
      );
      const revenue = fieldOf(account, 'AnnualRevenue');
      assert.deepEqual([revenue.type, revenue.precision, revenue.scale], ['currency', 18, 0]);
      assert.equal(fieldOf(account, 'NumberOfEmployees').digits, 8);
      const billing = fieldOf(account, 'BillingAddress');
      assert.deepEqual(
        [billing.type, billing.createable, billing.updateable, billing.soapType],
        ['address', false, false, 'urn:address'],
      );
      for (const part of [
        'BillingStreet',
        'BillingCity',
        'BillingState',
        'BillingPostalCode',
        'BillingCountry',
      ]) {
        assert.equal(fieldOf(account, part).compoundFieldName, 'BillingAddress', part);
      }
      assert.equal(fieldOf(account, 'BillingLatitude').scale, 15);
      assert.equal(fieldOf(account, 'BillingGeocodeAccuracy').restrictedPicklist, true);
      assert.equal(fieldOf(account, 'MasterRecordId').createable, false);
      assert.equal(fieldOf(account, 'PhotoUrl').updateable, false);
      assert.equal(
        account.fields.some((f) => f.name === 'PersonEmail'),
        false,
        'no person fields by default',
      );

      const industries = picklist(fieldOf(account, 'Industry')).map((p) => p.value);
      assert.equal(industries.length, 32);
      for (const v of ['Environmental', 'Food & Beverage', 'Machinery', 'Recreation', 'Shipping'])
        assert.ok(industries.includes(v), v);
      assert.deepEqual(
        picklist(fieldOf(account, 'Type')).map((p) => p.value),
        [
          'Prospect',
          'Customer - Direct',
          'Customer - Channel',
          'Channel Partner / Reseller',
          'Installation Partner',
          'Technology Partner',
          'Other',
        ],
      );
      assert.deepEqual(
        picklist(fieldOf(account, 'AccountSource')).map((p) => p.value),
        ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'],
      );
      assert.deepEqual(
        picklist(fieldOf(account, 'Ownership')).map((p) => p.value),
        ['Public', 'Private', 'Subsidiary', 'Other'],
      );
      const clean = fieldOf(account, 'CleanStatus');
      assert.equal(clean.restrictedPicklist, true);
      assert.deepEqual(
        picklist(clean).find((p) => p.value === 'Matched'),
        { active: true, defaultValue: false, label: 'In Sync', validFor: null, value: 'Matched' },
      );

      const children = account.childRelationships.map(
        (r) => `${r.childSObject}.${r.field}=${r.relationshipName}`,
      );
      for (const rel of [
        'Contact.AccountId=Contacts',
        'Account.ParentId=ChildAccounts',
        'AccountContactRelation.AccountId=AccountContactRelations',
        'Lead.ConvertedAccountId=null',
      ])
        assert.ok(children.includes(rel), rel);
      assert.equal(
        account.childRelationships.find((r) => r.relationshipName === 'Contacts')?.cascadeDelete,
        true,
      );

      const lead = await conn.sobject('Lead').describe();
      const status = fieldOf(lead, 'Status');
      assert.equal(status.restrictedPicklist, true);
      assert.equal(status.defaultValue, 'Open - Not Contacted');
      assert.equal(fieldOf(lead, 'IsPriorityRecord').type, 'boolean');
      assert.equal(status.nillable, false);
      assert.equal(status.defaultedOnCreate, true);
      assert.deepEqual(
        picklist(status).map((p) => [p.value, p.defaultValue]),
        [
          ['Open - Not Contacted', true],
          ['Working - Contacted', false],
          ['Closed - Converted', false],
          ['Closed - Not Converted', false],
        ],
      );
      const converted = fieldOf(lead, 'IsConverted');
      assert.deepEqual([converted.createable, converted.updateable], [true, false]);
      assert.equal(fieldOf(lead, 'ConvertedDate').type, 'date');
      assert.deepEqual(fieldOf(lead, 'ConvertedContactId').referenceTo, ['Contact']);
      assert.equal(fieldOf(lead, 'Address').type, 'address');
      assert.equal(fieldOf(lead, 'City').compoundFieldName, 'Address');

      const contact = await conn.sobject('Contact').describe();
      assert.deepEqual(
        picklist(fieldOf(contact, 'Salutation')).map((p) => p.value),
        ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.'],
      );
      const important = fieldOf(contact, 'IsPriorityRecord');
      assert.deepEqual(
        [important.type, important.label, important.filterable, important.sortable, important.updateable],
        ['boolean', 'Important', false, false, false],
      );
      assert.deepEqual(
        picklist(fieldOf(contact, 'ContactSource')).map((p) => p.value),
        ['Auto Create'],
      );
      assert.equal(
        account.fields.some((f) => f.name === 'OperatingHoursId'),
        false,
        'Field Service only',
      );
      assert.equal(fieldOf(contact, 'Salutation').compoundFieldName, 'Name');
      assert.equal(fieldOf(contact, 'MailingAddress').type, 'address');
      assert.equal(fieldOf(contact, 'OtherCity').compoundFieldName, 'OtherAddress');
      assert.deepEqual(fieldOf(contact, 'ReportsToId').referenceTo, ['Contact']);
      assert.equal(fieldOf(contact, 'HasOptedOutOfEmail').type, 'boolean');
      const acr = await conn.sobject('AccountContactRelation').describe();
      const isDirect = fieldOf(acr, 'IsDirect');
      assert.deepEqual([isDirect.createable, isDirect.updateable], [false, false]);
      assert.deepEqual(
        [fieldOf(acr, 'AccountId').createable, fieldOf(acr, 'AccountId').updateable],
        [true, false],
      );
      assert.equal(fieldOf(acr, 'Roles').type, 'multipicklist');
      assert.equal(
        contact.childRelationships.find((r) => r.childSObject === 'AccountContactRelation')?.relationshipName,
        'AccountContactRelations',
      );

      const user = await conn.sobject('User').describe();
      // The sandbox serves users as reference data: no writes (see sandbox/salesforce/README.md).
      assert.equal(user.createable, false);
      assert.equal(fieldOf(user, 'Username').unique, true);
      // Measured against two real v62 orgs' describes (sandbox/salesforce/README.md, "Objects and fields").
      assert.equal(await standard('User'), 178);
      assert.equal(await standard('Organization'), 54);
      const userPref = fieldOf(user, 'UserPreferencesHasSentWarningEmail240');
      assert.deepEqual(
        [userPref.type, userPref.label, userPref.defaultValue, userPref.groupable, userPref.sortable],
        ['boolean', 'HasSentWarningEmail240', null, false, false],
      );
      assert.equal(fieldOf(user, 'UserPermissionsSupportUser').label, 'Service Cloud User');
      assert.equal(
        user.fields.some((f) => f.name === 'UserPermissionsMobileUser'),
        false,
        'not a v62 User field',
      );
      const timeZones = picklist(fieldOf(user, 'TimeZoneSidKey'));
      assert.equal(timeZones.length, 424);
      assert.ok(timeZones.some((p) => p.value === 'Europe/Paris'));
      assert.equal(picklist(fieldOf(user, 'LocaleSidKey')).length, 246);
      assert.equal(picklist(fieldOf(user, 'LanguageLocaleKey')).length, 18);
      assert.deepEqual(
        [fieldOf(user, 'DigestFrequency').defaultValue, fieldOf(user, 'NumberOfFailedLogins').type],
        ['N', 'int'],
      );
      const org = await conn.sobject('Organization').describe();
      const leadAccess = fieldOf(org, 'DefaultLeadAccess');
      assert.equal(leadAccess.nillable, true);
      assert.deepEqual(
        picklist(leadAccess).map((p) => [p.value, p.label]),
        [
          ['None', 'Private'],
          ['Read', 'Read Only'],
          ['Edit', 'Read/Write'],
          ['ReadEditTransfer', 'Read/Write/Transfer'],
        ],
      );
      assert.equal(fieldOf(org, 'ComplianceBccEmail').type, 'email');
      assert.equal(fieldOf(org, 'UiSkin').defaultValue, 'Theme3');
      fieldOf(org, 'PreferencesTransactionSecurityPolicy');
    });
  });

  describe('write validation from the metadata', () => {
    it('refuses what a real org refuses, with its error codes and messages', async () => {
      const post = async (type: string, body: unknown) => {
        const res = await raw(sb, 'POST', `/services/data/v${API_VERSION}/sobjects/${type}`, {
          token: conn.accessToken!,
          body: JSON.stringify(body),
        });
        return {
          status: res.status,
          error: (res.body as { errorCode: string; message: string; fields?: string[] }[])[0],
        };
      };
      // Restricted Lead Status: the invented API names of old are refused, the real default is taken.
      const invented = await post('Lead', { LastName: 'x', Company: 'c', Status: 'Open_Not_Contacted' });
      assert.equal(invented.status, 400);
      assert.equal(invented.error?.errorCode, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
      assert.equal(
        invented.error?.message,
        'Status: bad value for restricted picklist field: Open_Not_Contacted',
      );
      assert.deepEqual(invented.error?.fields, ['Status']);
      const real = await conn
        .sobject('Lead')
        .create({ LastName: 'x', Company: 'c', Status: 'Open - Not Contacted' });
      assert.equal(real.success, true);
      const clean = await post('Account', { Name: 'x', CleanStatus: 'In Sync' });
      assert.equal(clean.error?.errorCode, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
      const geo = await post('Account', { Name: 'x', BillingGeocodeAccuracy: 'Roof' });
      assert.equal(geo.error?.errorCode, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');

      const tooLong = await post('Account', { Name: 'x', AccountNumber: '1'.repeat(41) });
      assert.equal(tooLong.error?.errorCode, 'STRING_TOO_LONG');
      assert.match(tooLong.error.message, /^Account Number: data value too large: 1+ \(max length=40\)$/);
      const cityTooLong = await post('Contact', { LastName: 'x', MailingCity: 'c'.repeat(41) });
      assert.equal(cityTooLong.error?.errorCode, 'STRING_TOO_LONG');

      const readOnly = await post('Lead', { LastName: 'x', Company: 'c', ConvertedDate: '2024-01-01' });
      assert.equal(readOnly.error?.errorCode, 'INVALID_FIELD_FOR_INSERT_UPDATE');
      assert.deepEqual(readOnly.error?.fields, ['ConvertedDate']);
      const compound = await post('Account', { Name: 'x', BillingAddress: { city: 'Paris' } });
      assert.equal(compound.error?.errorCode, 'INVALID_FIELD_FOR_INSERT_UPDATE');
      const notUpdateable = await thrown(() =>
        conn.sobject('Lead').update({ Id: real.id, IsConverted: true }),
      );
      assert.equal(notUpdateable.errorCode, 'INVALID_FIELD_FOR_INSERT_UPDATE');

      const user = await post('User', { LastName: 'x' });
      assert.deepEqual([user.status, user.error?.errorCode], [400, 'INVALID_TYPE_FOR_OPERATION']);
      const org = await post('Organization', { Name: 'x' });
      assert.equal(org.error?.message, 'entity type cannot be inserted: Organization');
      const owner = await post('Account', { Name: 'x', OwnerId: '005000000000000AAA' });
      assert.equal(owner.error?.errorCode, 'INVALID_CROSS_REFERENCE_KEY');
      assert.equal((await conn.query('SELECT Id FROM Account')).totalSize, 0);
    });
  });

  describe('records the org has of its own', () => {
    it('answers queries on User, Organization and RecordType, and resolves owners', async () => {
      const users = await conn.query<{ Id: string; Username: string; IsActive: boolean }>(
        'SELECT Id, Username, IsActive FROM User',
      );
      assert.equal(users.totalSize, 1);
      assert.equal(users.records[0]?.Username, 'admin@sandbox.test');
      assert.equal(users.records[0]?.IsActive, true);
      const org = await conn.query<{ Id: string; OrganizationType: string }>(
        'SELECT Id, OrganizationType FROM Organization',
      );
      assert.equal(org.totalSize, 1);
      assert.equal(org.records[0]?.Id, sb.org.orgId);
      assert.equal(org.records[0]?.OrganizationType, 'Enterprise Edition');
      const types = await conn.query<{ DeveloperName: string; SobjectType: string; IsActive: boolean }>(
        'SELECT DeveloperName, SobjectType, IsActive FROM RecordType ORDER BY DeveloperName',
      );
      assert.deepEqual(
        types.records.map((r) => [r.DeveloperName, r.SobjectType, r.IsActive]),
        [
          ['Customer', 'Account', true],
          ['Partner', 'Account', true],
        ],
      );
      // Without person accounts a real org has no RecordType.IsPersonType (see the person-account test).
      const noPersonType = await thrown(() => conn.query('SELECT IsPersonType FROM RecordType'));
      assert.equal(noPersonType.errorCode, 'INVALID_FIELD');
      const id = (await conn.sobject('Account').create({ Name: 'Owned' })).id!;
      const owned = await conn.query<{ Owner: { Username: string }; RecordType: { DeveloperName: string } }>(
        `SELECT Owner.Username, RecordType.DeveloperName FROM Account WHERE Id = '${id}'`,
      );
      assert.equal(owned.records[0]?.Owner.Username, 'admin@sandbox.test');
      assert.equal(owned.records[0]?.RecordType.DeveloperName, 'Customer');
    });

    it('serves compound addresses on read and nests them in change events', async () => {
      const id = (
        await conn
          .sobject('Account')
          .create({ Name: 'Addressed', BillingCity: 'Paris', BillingCountry: 'France' })
      ).id!;
      const record = (await conn.sobject('Account').retrieve(id)) as unknown as Record<string, unknown>;
      assert.deepEqual(record.BillingAddress, {
        city: 'Paris',
        country: 'France',
        geocodeAccuracy: null,
        latitude: null,
        longitude: null,
        postalCode: null,
        state: null,
        street: null,
      });
      assert.equal(record.ShippingAddress, null);
      await conn.sobject('Account').update({ Id: id, BillingCity: 'Lyon' });
      const [create, update] = sink.changes;
      assert.deepEqual(create?.fields.BillingAddress, { City: 'Paris', Country: 'France' });
      assert.deepEqual(update?.changedFields, ['BillingAddress.City', 'LastModifiedDate']);
      assert.deepEqual(update?.fields.BillingAddress, { City: 'Lyon' });
    });
  });

  describe('account-contact relationships', () => {
    it('keeps the direct relationship on the primary account and lets indirect ones be added', async () => {
      const [a1, a2] = (await conn.sobject('Account').create([{ Name: 'First' }, { Name: 'Second' }])).map(
        (r) => r.id!,
      );
      const contactId = (await conn.sobject('Contact').create({ LastName: 'Moves', AccountId: a1 })).id!;
      const relations = async () =>
        (
          await conn.query<{ AccountId: string; IsDirect: boolean; IsActive: boolean }>(
            `SELECT AccountId, IsDirect, IsActive FROM AccountContactRelation WHERE ContactId = '${contactId}' ORDER BY IsDirect DESC`,
          )
        ).records.map((r) => [r.AccountId, r.IsDirect, r.IsActive]);
      assert.deepEqual(await relations(), [[a1, true, true]]);

      const indirect = await conn
        .sobject('AccountContactRelation')
        .create({ AccountId: a2, ContactId: contactId, Roles: 'Decision Maker;Influencer' });
      assert.equal(indirect.success, true);
      assert.deepEqual(await relations(), [
        [a1, true, true],
        [a2, false, true],
      ]);
      const direct = (
        await conn.query<{ Id: string }>(
          `SELECT Id FROM AccountContactRelation WHERE ContactId = '${contactId}' AND IsDirect = true`,
        )
      ).records[0]!.Id;
      const refused = await thrown(() => conn.sobject('AccountContactRelation').destroy(direct));
      assert.equal(refused.errorCode, 'DELETE_FAILED');

      // Moving the contact: the indirect relationship to the new account becomes the direct one.
      await conn.sobject('Contact').update({ Id: contactId, AccountId: a2 });
      assert.deepEqual(await relations(), [[a2, true, true]]);
      // No change event for relationships: the org selects only Account, Contact and Lead for CDC.
      assert.ok(sink.changes.every((c) => ['Account', 'Contact'].includes(c.entityName)));

      await conn.sobject('Contact').destroy(contactId);
      assert.deepEqual(await relations(), []);
    });
  });

  describe('person accounts', () => {
    it('are off by default and switched on as an org setting, with the person fields and record type', async () => {
      const refused = await thrown(() =>
        conn.sobject('Account').create({ Name: 'x', PersonEmail: 'p@example.com' }),
      );
      assert.equal(refused.errorCode, 'INVALID_FIELD');

      const on = await control(sb, '/settings', { personAccounts: true });
      assert.deepEqual([on.status, on.body.personAccounts], [200, true]);
      const account = await conn.sobject('Account').describe();
      for (const name of [
        'IsPersonAccount',
        'PersonEmail',
        'PersonContactId',
        'FirstName',
        'LastName',
        'PersonMailingAddress',
      ])
        fieldOf(account, name);
      assert.equal(fieldOf(account, 'PersonMailingCity').compoundFieldName, 'PersonMailingAddress');
      const personType = account.recordTypeInfos.find(
        (rt) => (rt as unknown as { developerName: string }).developerName === 'PersonAccount',
      );
      assert.ok(personType);
      const types = await conn.query<{ Id: string }>(
        "SELECT Id FROM RecordType WHERE IsPersonType = true AND SobjectType = 'Account'",
      );
      assert.equal(types.records[0]?.Id, personType.recordTypeId);
      const allTypes = await conn.query<{ DeveloperName: string; IsPersonType: boolean }>(
        'SELECT DeveloperName, IsPersonType FROM RecordType ORDER BY DeveloperName',
      );
      assert.deepEqual(
        allTypes.records.map((r) => [r.DeveloperName, r.IsPersonType]),
        [
          ['Customer', false],
          ['Partner', false],
          ['PersonAccount', true],
        ],
      );

      const created = await conn.sobject('Account').create({
        RecordTypeId: personType.recordTypeId,
        FirstName: 'Ada',
        LastName: 'Lovelace',
        PersonEmail: 'ada@example.com',
        PersonMailingCity: 'London',
      });
      const id = created.id!;
      const person = (await conn.sobject('Account').retrieve(id)) as unknown as Record<string, unknown>;
      assert.equal(person.IsPersonAccount, true);
      assert.equal(person.Name, 'Ada Lovelace');
      const contact = (await conn
        .sobject('Contact')
        .retrieve(String(person.PersonContactId))) as unknown as Record<string, unknown>;
      assert.deepEqual(
        [contact.AccountId, contact.Email, contact.MailingCity, contact.IsPersonAccount, contact.Name],
        [id, 'ada@example.com', 'London', true, 'Ada Lovelace'],
      );
      // Two change events for one person account: the account's and its contact's.
      assert.deepEqual(
        sink.changes.map((c) => [c.entityName, c.changeType]),
        [
          ['Account', 'CREATE'],
          ['Contact', 'CREATE'],
        ],
      );
      assert.deepEqual(sink.changes[0]!.fields.Name, { FirstName: 'Ada', LastName: 'Lovelace' });
      await conn.sobject('Account').update({ Id: id, PersonEmail: 'ada@lovelace.example' });
      assert.equal(
        (
          (await conn.sobject('Contact').retrieve(String(person.PersonContactId))) as unknown as {
            Email: string;
          }
        ).Email,
        'ada@lovelace.example',
      );

      const named = await thrown(() =>
        conn.sobject('Account').create({ RecordTypeId: personType.recordTypeId, LastName: 'x', Name: 'x' }),
      );
      assert.equal(named.errorCode, 'INVALID_FIELD_FOR_INSERT_UPDATE');
      assert.equal(named.message, 'Account: bad field names on insert/update call: Name');
      const business = await thrown(() =>
        conn.sobject('Account').create({ Name: 'Biz', PersonEmail: 'b@example.com' }),
      );
      assert.equal(business.message, 'Account: bad field names on insert/update call: PersonEmail');

      // A sandbox reset goes back to the org it started as (person accounts off).
      await fetch(`${sb.url}/__sandbox/reset`, { method: 'POST' });
      assert.deepEqual(await (await fetch(`${sb.url}/__sandbox/settings`)).json(), {
        personAccounts: false,
      });
    });

    it('can be on from start-up', async () => {
      const pa = await startTestSandbox({ personAccounts: true });
      try {
        const c = await clientCredentialsConnection(pa);
        const d = await c.sobject('Account').describe();
        assert.equal(fieldOf(d, 'IsPersonAccount').type, 'boolean');
        assert.equal(fieldOf(await c.sobject('Contact').describe(), 'IsPersonAccount').type, 'boolean');
      } finally {
        await pa.close();
      }
    });
  });
});
