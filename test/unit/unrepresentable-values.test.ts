/**
 * No silent loss of values (issue 13 items 1, 2 and 4), the pure parts: every mapped value either has a
 * place in Zendesk or becomes a problem naming the fields and what Zendesk accepts; multi-picklists map
 * to a multiselect, tags or one checkbox each, and to a dropdown only with a pick: rule; phones are
 * normalised to E.164 or refused; the configuration check lists picklist values with no place.
 * Picklist values are Salesforce's real ones (Account.Industry, Account.Type).
 */
import assert from 'node:assert/strict';
import {
  buildZendeskChanges,
  checkConfigAgainstSchemas,
  ConfigError,
  describeProblem,
  parseSyncConfig,
  toE164,
  uncoveredPicklistValues,
  type FieldDescribe,
  type FieldMapping,
  type MappingOptions,
  type SchemaSnapshot,
  type ZendeskFieldDef,
} from '../../core';
import { valueNotRepresentable } from '../../activities/sync/unrepresentable';
import { failureDetailLines } from '../../client/cli/failure-details';

const picklist = (values: string[]) => values.map((value) => ({ value, label: value, active: true }));

const ACCOUNT: FieldDescribe[] = [
  { name: 'Id', type: 'id' },
  { name: 'Name', type: 'string', length: 255 },
  { name: 'Industry', type: 'picklist', picklistValues: picklist(['Agriculture', 'Retail', 'Technology']) },
  {
    name: 'Type',
    type: 'picklist',
    picklistValues: picklist(['Prospect', 'Customer - Direct', 'Customer - Channel']),
  },
  {
    name: 'Segment__c',
    type: 'multipicklist',
    picklistValues: picklist(['SMB', 'Mid_Market', 'Enterprise']),
  },
];
const CONTACT: FieldDescribe[] = [
  { name: 'Id', type: 'id' },
  { name: 'Name', type: 'string', length: 121 },
  { name: 'Email', type: 'email' },
  { name: 'Phone', type: 'phone' },
];
const ORG_FIELDS: ZendeskFieldDef[] = [
  {
    key: 'industry',
    type: 'dropdown',
    custom_field_options: [
      { name: 'Retail', value: 'retail' },
      { name: 'Technology', value: 'technology' },
    ],
  },
  {
    key: 'account_type',
    type: 'dropdown',
    custom_field_options: [
      { name: 'Customer - Direct', value: 'customer_direct' },
      { name: 'Prospect', value: 'prospect' },
    ],
  },
  {
    key: 'segments',
    type: 'multiselect',
    custom_field_options: [
      { name: 'SMB', value: 'seg_smb' },
      { name: 'Enterprise', value: 'seg_enterprise' },
    ],
  },
  {
    key: 'segment',
    type: 'dropdown',
    custom_field_options: [
      { name: 'SMB', value: 'seg_smb' },
      { name: 'Enterprise', value: 'seg_enterprise' },
    ],
  },
  { key: 'is_smb', type: 'checkbox' },
  { key: 'is_enterprise', type: 'checkbox' },
  { key: 'notes_text', type: 'text' },
];
const SCHEMAS: SchemaSnapshot = {
  salesforce: { Account: ACCOUNT, Contact: CONTACT, Lead: CONTACT },
  zendesk: { organizationFields: ORG_FIELDS, userFields: [] },
};

const name = { salesforce: 'Name', zendesk: 'name' };
const mapOrg = (m: FieldMapping, record: Record<string, unknown>) =>
  buildZendeskChanges('organization', { fields: [m], externalId: false }, record, ORG_FIELDS);
const custom = (changes: ReturnType<typeof mapOrg>) =>
  changes.fields.organization_fields as Record<string, unknown> | undefined;
const reasons = (changes: ReturnType<typeof mapOrg>) =>
  changes.problems.map((p) => [p.zendesk, p.reason, p.value]);
const accountIssues = (field: Record<string, unknown>) =>
  checkConfigAgainstSchemas(parseSyncConfig({ accounts: { fields: [name, field] } }), SCHEMAS);

describe('no silent loss: picklists and dropdowns', () => {
  it('maps a picklist value to its option, and one without an option to a problem with the options', () => {
    const m = { salesforce: 'Industry', zendesk: 'organization_fields.industry' };
    assert.deepEqual(custom(mapOrg(m, { Industry: 'Retail' })), { industry: 'retail' });
    const missing = mapOrg(m, { Industry: 'Agriculture' });
    assert.equal(custom(missing), undefined, 'nothing is sent for the field');
    assert.deepEqual(reasons(missing), [['organization_fields.industry', 'no-option', 'Agriculture']]);
    assert.equal(
      describeProblem(missing.problems[0]!),
      "Industry → organization_fields.industry: the value matches no option; Zendesk accepts an option of Zendesk dropdown 'industry': retail (Retail), technology (Technology)",
    );
    // A label with spaces matches the option named after it.
    const type = mapOrg(
      { salesforce: 'Type', zendesk: 'organization_fields.account_type' },
      { Type: 'Customer - Direct' },
    );
    assert.deepEqual(custom(type), { account_type: 'customer_direct' });
  });

  it('a multi-picklist to a dropdown takes one value by its pick: rule: first, last or a priority list', () => {
    const values = { SMB: 'seg_smb', Enterprise: 'seg_enterprise', Mid_Market: null };
    const m = (pick: FieldMapping['pick']) => ({
      salesforce: 'Segment__c',
      zendesk: 'organization_fields.segment',
      values,
      ...(pick ? { pick } : {}),
    });
    const record = { Segment__c: 'SMB;Enterprise' };
    assert.deepEqual(custom(mapOrg(m('first'), record)), { segment: 'seg_smb' });
    assert.deepEqual(custom(mapOrg(m('last'), record)), { segment: 'seg_enterprise' });
    assert.deepEqual(custom(mapOrg(m(['Enterprise', 'SMB']), record)), { segment: 'seg_enterprise' });
    // One selected value needs no rule; a value mapped to null is left out on purpose.
    assert.deepEqual(custom(mapOrg(m(undefined), { Segment__c: 'SMB;Mid_Market' })), { segment: 'seg_smb' });
    // Several values and no rule (or none of them in the list): a problem, never a silent choice.
    assert.deepEqual(reasons(mapOrg(m(undefined), record)), [
      ['organization_fields.segment', 'no-pick', ['SMB', 'Enterprise']],
    ]);
    assert.deepEqual(reasons(mapOrg(m(['Mid_Market']), record)), [
      ['organization_fields.segment', 'no-pick', ['SMB', 'Enterprise']],
    ]);
  });

  it('a multi-picklist to a multiselect, tags or text: every selected value lands, or the pass fails', () => {
    const values = { SMB: 'seg_smb', Enterprise: 'seg_enterprise' };
    const multi = { salesforce: 'Segment__c', zendesk: 'organization_fields.segments', values };
    assert.deepEqual(custom(mapOrg(multi, { Segment__c: 'Enterprise;SMB' })), {
      segments: ['seg_enterprise', 'seg_smb'],
    });
    assert.deepEqual(reasons(mapOrg(multi, { Segment__c: 'SMB;Mid_Market' })), [
      ['organization_fields.segments', 'unmapped-value', ['Mid_Market']],
    ]);
    // Changing to an unmapped value does not empty the field: it fails instead.
    const toUnmapped = mapOrg(multi, { Segment__c: 'Mid_Market' });
    assert.equal(custom(toUnmapped), undefined);
    assert.equal(toUnmapped.problems.length, 1);
    // An option removed in Zendesk since the configuration was checked.
    const removed = buildZendeskChanges(
      'organization',
      { fields: [multi], externalId: false },
      { Segment__c: 'Enterprise' },
      ORG_FIELDS.map((f) =>
        f.key === 'segments' ? { ...f, custom_field_options: [{ name: 'SMB', value: 'seg_smb' }] } : f,
      ),
    );
    assert.deepEqual(
      removed.problems.map((p) => [p.reason, p.value]),
      [['no-option', 'Enterprise']],
    );
    const text = mapOrg(
      { salesforce: 'Segment__c', zendesk: 'organization_fields.notes_text', values },
      { Segment__c: 'SMB;Strategic' },
    );
    assert.deepEqual(reasons(text), [['organization_fields.notes_text', 'unmapped-value', ['Strategic']]]);
    // Without a values: map every value is a tag of its own.
    const tags = mapOrg({ salesforce: 'Segment__c', zendesk: 'tags' }, { Segment__c: 'SMB;Mid_Market' });
    assert.deepEqual(tags.tagsToAdd, ['smb', 'mid_market']);
  });

  it('a multi-picklist to checkboxes: one Zendesk checkbox per value, set and cleared', () => {
    const m = {
      salesforce: 'Segment__c',
      zendesk: 'checkboxes',
      values: {
        SMB: 'organization_fields.is_smb',
        Enterprise: 'organization_fields.is_enterprise',
        Mid_Market: null,
      },
    };
    assert.deepEqual(custom(mapOrg(m, { Segment__c: 'Enterprise;Mid_Market' })), {
      is_smb: false,
      is_enterprise: true,
    });
    assert.deepEqual(custom(mapOrg(m, { Segment__c: null })), { is_smb: false, is_enterprise: false });
    assert.deepEqual(reasons(mapOrg(m, { Segment__c: 'Strategic' })), [
      ['checkboxes', 'unmapped-value', ['Strategic']],
    ]);
  });
});

describe('no silent loss: names and phones', () => {
  const user = (m: FieldMapping[], record: Record<string, unknown>, options: MappingOptions = {}) =>
    buildZendeskChanges('user', { fields: m, externalId: false }, record, [], options);
  const phone = { salesforce: 'Phone', zendesk: 'phone' };

  it("refuses a user name longer than Zendesk's 255 characters", () => {
    assert.deepEqual(user([name], { Name: 'n'.repeat(255) }).problems, []);
    const long = user([name], { Name: 'n'.repeat(256) });
    assert.deepEqual(
      long.problems.map((p) => [p.reason, p.accepts]),
      [['too-long', 'at most 255 characters (the value has 256)']],
    );
    assert.equal(long.fields.name, undefined);
  });

  it('normalises phones to E.164 with the default region, and refuses what it cannot read', () => {
    const rule: MappingOptions = { phone: { normalise: 'e164', defaultRegion: 'US' } };
    assert.deepEqual(user([phone], { Phone: '(415) 555-2671' }, rule).phonesToAdd, ['+14155552671']);
    assert.deepEqual(user([phone], { Phone: '+44 20 7946 0958' }, rule).phonesToAdd, ['+442079460958']);
    const bad = user([phone], { Phone: '555-1234' }, rule);
    assert.deepEqual(bad.phonesToAdd, []);
    assert.deepEqual(
      bad.problems.map((p) => [p.reason, p.value]),
      [['phone-unparseable', '555-1234']],
    );
    assert.match(
      bad.problems[0]!.accepts,
      /users\.phone\.normalise: e164 \(numbers without a country code are read as US\)/,
    );
    assert.equal(toE164('415 555 0100'), undefined, 'without a region a number needs its +country code');
    // Without the rule the number goes as it is.
    assert.deepEqual(user([phone], { Phone: '415 555 0100' }).phonesToAdd, ['415 555 0100']);
  });

  it('refuses a non-E.164 phone before writing when Zendesk validates phones', () => {
    const validated = user([phone], { Phone: '415 555 0100' }, { zendeskValidatesPhones: true });
    assert.deepEqual(
      validated.problems.map((p) => [p.reason, p.value]),
      [['phone-not-e164', '415 555 0100']],
    );
    const normalised = user(
      [phone],
      { Phone: '415 555 0100' },
      { zendeskValidatesPhones: true, phone: { normalise: 'e164', defaultRegion: 'US' } },
    );
    assert.deepEqual([normalised.problems, normalised.phonesToAdd], [[], ['+14155550100']]);
  });
});

describe('no silent loss: the failure and its details', () => {
  it('names fields and what Zendesk accepts in the message; the values only in the details', () => {
    const changes = buildZendeskChanges(
      'user',
      { fields: [name, { salesforce: 'Phone', zendesk: 'phone' }], externalId: false },
      { Name: 'Ann Lee'.padEnd(300, 'e'), Phone: '555-1234' },
      [],
      { phone: { normalise: 'e164', defaultRegion: 'US' } },
    );
    const failure = valueNotRepresentable('Contact', changes.problems);
    assert.equal(failure.type, 'ValueNotRepresentable');
    assert.equal(failure.nonRetryable, true);
    assert.match(
      failure.message,
      /^Zendesk cannot hold 2 mapped values, so nothing was written: Name → name: /,
    );
    assert.ok(!failure.message.includes('555-1234') && !failure.message.includes('Ann Lee'), failure.message);
    const details = failure.details?.[0] as { values: Array<{ value: unknown }> };
    assert.deepEqual(
      details.values.map((v) => v.value),
      ['Ann Lee'.padEnd(300, 'e'), '555-1234'],
    );
    // The CLI shows the values from the details.
    assert.deepEqual(failureDetailLines('ValueNotRepresentable', { values: [details.values[1]] }), [
      "Phone → phone: value '555-1234' (phone-unparseable)",
    ]);
  });

  it("shows Zendesk's own per-field reason for a refused write, in both of its error envelopes", () => {
    const classified = {
      endpoint: 'PUT users/{id}',
      status: 422,
      zendeskError: 'RecordInvalid',
      details: {
        phone: { description: 'Phone 415 555 0100 is not properly formatted', error: 'InvalidFormat' },
      },
    };
    assert.deepEqual(failureDetailLines('ZendeskRejected', classified), [
      'phone: InvalidFormat: Phone 415 555 0100 is not properly formatted',
    ]);
    assert.deepEqual(
      failureDetailLines('ZendeskRejected', {
        ...classified,
        details: { name: [{ description: 'Name: cannot be blank', error: 'BlankValue' }] },
      }),
      ['name: BlankValue: Name: cannot be blank'],
    );
    assert.deepEqual(
      failureDetailLines('ZendeskRejected', {
        ...classified,
        details: [{ code: 'TooManyRequests', detail: 'slow down' }],
      }),
      ['TooManyRequests: slow down'],
    );
    assert.deepEqual(failureDetailLines('MultipleMatches', { candidateIds: [1, 2] }), []);
  });
});

describe('no silent loss: the configuration check', () => {
  it('a multi-picklist to a dropdown needs a pick: rule, named at its path', () => {
    const values = { SMB: 'seg_smb', Enterprise: 'seg_enterprise', Mid_Market: null };
    const issues = accountIssues({
      salesforce: 'Segment__c',
      zendesk: 'organization_fields.segment',
      values,
    });
    assert.deepEqual(
      issues.map((i) => i.path),
      ['accounts.fields[1].pick'],
    );
    assert.match(
      issues[0]!.message,
      /Zendesk dropdown 'segment' holds one option but multi-picklist Segment__c/,
    );
    assert.deepEqual(
      accountIssues({
        salesforce: 'Segment__c',
        zendesk: 'organization_fields.segment',
        values,
        pick: 'first',
      }),
      [],
    );
    assert.deepEqual(
      accountIssues({
        salesforce: 'Segment__c',
        zendesk: 'organization_fields.segment',
        values,
        pick: ['Enterprise', 'Big'],
      }),
      [{ path: 'accounts.fields[1].pick[1]', message: "'Big' is not a value of multi-picklist Segment__c" }],
    );
    assert.deepEqual(
      accountIssues({ salesforce: 'Industry', zendesk: 'organization_fields.industry', pick: 'last' }),
      [
        {
          path: 'accounts.fields[1].pick',
          message: 'pick: applies only to a multi-picklist mapped to a Zendesk dropdown',
        },
      ],
    );
  });

  it('checkboxes: a values: map of existing checkbox fields, each mapped once', () => {
    const ok = {
      salesforce: 'Segment__c',
      zendesk: 'checkboxes',
      values: {
        SMB: 'organization_fields.is_smb',
        Enterprise: 'organization_fields.is_enterprise',
        Mid_Market: null,
      },
    };
    assert.deepEqual(accountIssues(ok), []);
    assert.deepEqual(accountIssues({ ...ok, values: { SMB: 'organization_fields.segment' } }), [
      {
        path: 'accounts.fields[1].values.SMB',
        message:
          "Zendesk dropdown field 'segment' is not a checkbox (checkboxes sets true when the value is selected, false when not)",
      },
    ]);
    assert.throws(
      () => accountIssues({ ...ok, values: { Enterprise: 'tags' } }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.issues[0]?.path === 'accounts.fields[1].values.Enterprise' &&
        err.issues[0].message ===
          '"tags" is not a Zendesk custom field: write organization_fields.<key> (or null to leave the value out)',
    );
    assert.throws(
      () =>
        parseSyncConfig({
          accounts: {
            fields: [name, ok, { salesforce: 'Industry', zendesk: 'organization_fields.is_smb' }],
          },
        }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.issues.some(
          (i) =>
            i.path === 'accounts.fields[2].zendesk' && /already mapped from 'Segment__c'/.test(i.message),
        ),
    );
    assert.deepEqual(
      accountIssues({
        salesforce: 'Industry',
        zendesk: 'checkboxes',
        values: { Retail: 'organization_fields.is_smb' },
      }).map((i) => i.path),
      ['accounts.fields[1].zendesk'],
    );
  });

  it('users.phone: normalise none|e164 and an ISO region', () => {
    const users = (phone: unknown) => parseSyncConfig({ users: { phone } }).users.phone;
    assert.deepEqual(parseSyncConfig({ users: {} }).users.phone, { normalise: 'none' });
    assert.deepEqual(users({ normalise: 'e164', defaultRegion: 'US' }), {
      normalise: 'e164',
      defaultRegion: 'US',
    });
    assert.throws(
      () => users({ normalise: 'e164', defaultRegion: 'usa' }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.issues.some(
          (i) => i.path === 'users.phone.defaultRegion' && /ISO 3166-1 alpha-2/.test(i.message),
        ),
    );
    assert.throws(
      () => users({ normalize: 'e164' }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.issues.some((i) => i.message.includes('allowed: normalise, defaultRegion')),
    );
  });

  it('lists every picklist value that has no Zendesk option or mapping', () => {
    const config = parseSyncConfig({
      accounts: {
        fields: [
          name,
          { salesforce: 'Industry', zendesk: 'organization_fields.industry' },
          { salesforce: 'Segment__c', zendesk: 'organization_fields.segments', values: { SMB: 'seg_smb' } },
          { salesforce: 'Type', zendesk: 'tags' },
        ],
      },
    });
    assert.deepEqual(checkConfigAgainstSchemas(config, SCHEMAS), []);
    assert.deepEqual(uncoveredPicklistValues(config, SCHEMAS), [
      {
        path: 'accounts.fields[1]',
        message:
          "Industry values with no option in Zendesk dropdown 'industry': Agriculture; a record holding one fails its sync (ValueNotRepresentable)",
      },
      {
        path: 'accounts.fields[2].values',
        message:
          'Segment__c values the values: map does not cover (map them, or to null to leave them out): Mid_Market, Enterprise; a record holding one fails its sync (ValueNotRepresentable)',
      },
    ]);
  });
});
