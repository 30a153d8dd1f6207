import assert from 'node:assert/strict';
import {
  checkConfigAgainstSchemas,
  ConfigError,
  parseSyncConfig,
  TYPE_COMPATIBILITY,
  type ConfigIssue,
  type SalesforceTypeRow,
  type ZendeskTypeColumn,
} from '../../core';
import { SCHEMAS } from './core-fixtures';

/** The issues parseSyncConfig throws for `data` (fails the test when it does not throw ConfigError). */
function issuesOf(data: unknown): ConfigIssue[] {
  try {
    parseSyncConfig(data);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    assert.equal(err.code, 'INVALID_CONFIG');
    return err.issues;
  }
  assert.fail('expected parseSyncConfig to throw');
}

const nameMapping = { salesforce: 'Name', zendesk: 'name' };

describe('core/config parseSyncConfig', () => {
  it('accepts the documented example and keeps every value', () => {
    const config = parseSyncConfig({
      accounts: {
        enabled: true,
        mode: 'update-only',
        filters: {
          all: [{ field: 'Type', operator: 'is', value: 'Customer - Direct,Technology Partner' }],
          any: [],
        },
        match: { salesforce: 'Name', zendesk: 'name' },
        fields: [
          nameMapping,
          { salesforce: 'Industry', zendesk: 'organization_fields.industry' },
          { salesforce: 'Segment__c', zendesk: 'tags' },
        ],
        syncedIdField: 'Zendesk_Organization_Id__c',
        externalId: true,
      },
      users: {
        enabled: true,
        source: 'Contact',
        mode: 'upsert',
        filters: { all: [], any: [] },
        match: { salesforce: 'Email', zendesk: 'email' },
        fields: [
          nameMapping,
          { salesforce: 'Email', zendesk: 'email' },
          { salesforce: 'Phone', zendesk: 'phone' },
        ],
        syncedIdField: 'Zendesk_User_Id__c',
        externalId: true,
        welcomeEmail: false,
        organizationMembership: true,
      },
    });
    assert.equal(config.accounts.mode, 'update-only');
    assert.deepEqual(config.accounts.filters.all, [
      { field: 'Type', operator: 'is', value: 'Customer - Direct,Technology Partner' },
    ]);
    assert.equal(config.accounts.fields.length, 3);
    assert.equal(config.accounts.syncedIdField, 'Zendesk_Organization_Id__c');
    assert.equal(config.users.syncedIdField, 'Zendesk_User_Id__c');
    assert.equal(config.users.externalId, true);
  });

  it('fills defaults: missing sections are disabled, present ones enabled with native defaults', () => {
    const config = parseSyncConfig({ users: { source: 'Lead' } });
    assert.equal(config.accounts.enabled, false);
    assert.deepEqual(config.accounts.match, { salesforce: 'Name', zendesk: 'name' });
    assert.deepEqual(config.accounts.fields, [nameMapping]);
    assert.equal(config.users.enabled, true);
    assert.equal(config.users.mode, 'upsert');
    assert.deepEqual(config.users.match, { salesforce: 'Email', zendesk: 'email' });
    assert.deepEqual(config.users.filters, { all: [], any: [] });
    assert.equal(config.users.welcomeEmail, false);
    assert.equal(config.users.externalId, false);
    assert.equal(config.users.organizationMembership, false, 'Leads have no account');
    assert.equal(
      parseSyncConfig({ users: {} }).users.organizationMembership,
      true,
      'Contacts default to membership',
    );
  });

  it('turns YAML scalars in filter values into text', () => {
    const config = parseSyncConfig({
      users: {
        filters: {
          all: [{ field: 'Active__c', operator: 'is', value: true }],
          any: [{ field: 'N', operator: 'is', value: 5 }],
        },
      },
    });
    assert.equal(config.users.filters.all[0]?.value, 'true');
    assert.equal(config.users.filters.any[0]?.value, '5');
  });

  it('rejects unknown keys at every level, naming the allowed keys', () => {
    const issues = issuesOf({
      acounts: {},
      accounts: {
        mdoe: 'upsert',
        filters: { al: [], all: [{ field: 'Type', operator: 'is', value: 'A', op: 1 }] },
        match: { salesforce: 'Name', zendesk: 'name', extra: 1 },
        fields: [{ ...nameMapping, value: {} }],
      },
      users: { welcome: true },
    });
    assert.deepEqual(issues, [
      {
        path: 'accounts.fields[0].value',
        message: "unknown key 'value' (allowed: salesforce, zendesk, values, pick)",
      },
      { path: 'accounts.filters.al', message: "unknown key 'al' (allowed: all, any)" },
      { path: 'accounts.filters.all[0].op', message: "unknown key 'op' (allowed: field, operator, value)" },
      { path: 'accounts.match.extra', message: "unknown key 'extra' (allowed: salesforce, zendesk)" },
      {
        path: 'accounts.mdoe',
        message:
          "unknown key 'mdoe' (allowed: enabled, mode, filters, match, fields, syncedIdField, externalId, onDelete, deletedTag, mergedTag)",
      },
      { path: 'acounts', message: "unknown key 'acounts' (allowed: accounts, users)" },
      {
        path: 'users.welcome',
        message:
          "unknown key 'welcome' (allowed: enabled, source, mode, filters, match, fields, syncedIdField, externalId, welcomeEmail, organizationMembership, phone, multipleOrganizations, secondaryRelationships, onDelete, deletedTag, mergedTag)",
      },
    ]);
  });

  it('reports wrong types, bad enum values and empty strings with their paths', () => {
    const issues = issuesOf({
      accounts: {
        mode: 'create',
        externalId: 'yes',
        fields: [nameMapping, { salesforce: '', zendesk: 'notes' }],
      },
      users: {
        source: 'Person',
        welcomeEmail: 1,
        filters: { all: [{ field: 'Email', operator: 'equals', value: 'x' }] },
      },
    });
    assert.deepEqual(issues, [
      { path: 'accounts.externalId', message: 'expected boolean, got string' },
      { path: 'accounts.fields[1].salesforce', message: 'must not be empty' },
      { path: 'accounts.mode', message: 'must be one of: upsert, update-only (got "create")' },
      {
        path: 'users.filters.all[0].operator',
        message:
          'must be one of: is, is_not, contains, not_contains, starts_with, greater_than, less_than, is_empty, is_not_empty (got "equals")',
      },
      { path: 'users.source', message: 'must be one of: Contact, Lead (got "Person")' },
      { path: 'users.welcomeEmail', message: 'expected boolean, got number' },
    ]);
  });

  it('reports a missing required key and a non-object config', () => {
    assert.deepEqual(issuesOf({ users: { fields: [{ salesforce: 'Email' }] } }), [
      { path: 'users.fields[0].zendesk', message: 'is required (string)' },
    ]);
    assert.deepEqual(issuesOf(null), [{ path: '', message: 'expected object, got null' }]);
  });

  describe('filter rules', () => {
    const filterIssues = (all: unknown[], any: unknown[] = []) =>
      issuesOf({ accounts: { filters: { all, any } } });

    it('allows at most 3 ALL and 3 ANY conditions', () => {
      const c = { field: 'Type', operator: 'is', value: 'Prospect' };
      assert.deepEqual(filterIssues([c, c, c, c], [c, c, c, c, c]), [
        {
          path: 'accounts.filters.all',
          message: 'at most 3 conditions are allowed (Salesforce PushTopic limit), got 4',
        },
        {
          path: 'accounts.filters.any',
          message: 'at most 3 conditions are allowed (Salesforce PushTopic limit), got 5',
        },
      ]);
      assert.doesNotThrow(() =>
        parseSyncConfig({ accounts: { filters: { all: [c, c, c], any: [c, c, c] } } }),
      );
    });

    it('rejects spaces around the commas of a value list and explains the rule', () => {
      assert.deepEqual(filterIssues([{ field: 'Type', operator: 'is', value: 'Prospect, Other' }]), [
        {
          path: 'accounts.filters.all[0].value',
          message:
            "several values must be separated by a comma with no spaces: write 'Prospect,Other', not 'Prospect, Other'",
        },
      ]);
      assert.equal(
        filterIssues([], [{ field: 'Type', operator: 'is', value: 'A ,B' }])[0]?.path,
        'accounts.filters.any[0].value',
      );
    });

    it('rejects empty items in a value list', () => {
      assert.deepEqual(filterIssues([{ field: 'Type', operator: 'is', value: 'A,,B' }]), [
        { path: 'accounts.filters.all[0].value', message: "empty value in the comma-separated list 'A,,B'" },
      ]);
    });

    it('requires a value except for is_empty / is_not_empty, which take none', () => {
      assert.deepEqual(
        filterIssues([
          { field: 'Type', operator: 'is' },
          { field: 'Type', operator: 'contains', value: '' },
          { field: 'Type', operator: 'is_empty', value: 'x' },
        ]),
        [
          { path: 'accounts.filters.all[0].value', message: "a value is required for operator 'is'" },
          { path: 'accounts.filters.all[1].value', message: "a value is required for operator 'contains'" },
          { path: 'accounts.filters.all[2].value', message: "operator 'is_empty' takes no value" },
        ],
      );
      assert.doesNotThrow(() =>
        parseSyncConfig({ accounts: { filters: { all: [{ field: 'Type', operator: 'is_not_empty' }] } } }),
      );
    });

    it('allows a single value only for greater_than / less_than', () => {
      assert.deepEqual(filterIssues([{ field: 'N', operator: 'less_than', value: '1,2' }]), [
        {
          path: 'accounts.filters.all[0].value',
          message: "operator 'less_than' takes a single value, got '1,2'",
        },
      ]);
    });

    it('rejects the Account Record Type field in account filters', () => {
      assert.deepEqual(filterIssues([{ field: 'RecordTypeId', operator: 'is', value: '012000000000001' }]), [
        {
          path: 'accounts.filters.all[0].field',
          message: 'the Account Record Type field (RecordTypeId) is not supported in filters',
        },
      ]);
    });
  });

  describe('mapping and matching rules', () => {
    it('lets another field fill name when accounts are matched on another field (duplicate names)', () => {
      const match = { salesforce: 'Website', zendesk: 'organization_fields.website' };
      assert.doesNotThrow(() =>
        parseSyncConfig({ accounts: { match, fields: [{ salesforce: 'Site', zendesk: 'name' }] } }),
      );
      assert.deepEqual(
        issuesOf({ accounts: { match, fields: [{ salesforce: 'Site', zendesk: 'notes' }] } }),
        [
          {
            path: 'accounts.fields',
            message:
              'a mapping to name is required, e.g. Name -> name (Zendesk cannot create an organization without a name)',
          },
        ],
      );
      assert.equal(
        issuesOf({
          accounts: {
            match: { salesforce: 'Name', zendesk: 'name' },
            fields: [{ salesforce: 'Site', zendesk: 'name' }],
          },
        }).length,
        1,
      );
    });

    it('requires Name -> name for organizations', () => {
      const expected = [
        {
          path: 'accounts.fields',
          message:
            'the mapping Name -> name is required (Zendesk cannot create an organization without a name)',
        },
      ];
      assert.deepEqual(
        issuesOf({ accounts: { fields: [{ salesforce: 'Industry', zendesk: 'notes' }] } }),
        expected,
      );
      assert.deepEqual(
        issuesOf({ accounts: { fields: [{ salesforce: 'Legal_Name__c', zendesk: 'name' }] } }),
        expected,
      );
    });

    it('rejects two Salesforce fields mapped to one Zendesk field', () => {
      assert.deepEqual(
        issuesOf({
          accounts: {
            fields: [nameMapping, { salesforce: 'A', zendesk: 'tags' }, { salesforce: 'B', zendesk: 'tags' }],
          },
        }),
        [
          {
            path: 'accounts.fields[2].zendesk',
            message:
              "'tags' is already mapped from 'A' (accounts.fields[1]); map only one Salesforce field to each Zendesk field",
          },
        ],
      );
    });

    it('accepts external_id as a mapping target only while externalId is false, naming the field', () => {
      const mapped = { salesforce: 'Legacy_Id__c', zendesk: 'external_id' };
      const config = parseSyncConfig({
        accounts: { fields: [nameMapping, mapped] },
        users: { fields: [mapped], externalId: false },
      });
      assert.deepEqual(config.accounts.fields[1], mapped);
      assert.deepEqual(config.users.fields[0], mapped);
      assert.deepEqual(issuesOf({ accounts: { fields: [nameMapping, mapped], externalId: true } }), [
        {
          path: 'accounts.fields[1].zendesk',
          message:
            'external_id is filled with the Salesforce Account Id because accounts.externalId is true, so it cannot also be mapped from Legacy_Id__c: remove this mapping or set accounts.externalId: false',
        },
      ]);
      assert.deepEqual(issuesOf({ users: { fields: [mapped], externalId: true } }), [
        {
          path: 'users.fields[0].zendesk',
          message:
            'external_id is filled with the Salesforce record Id because users.externalId is true, so it cannot also be mapped from Legacy_Id__c: remove this mapping or set users.externalId: false',
        },
      ]);
    });

    it('accepts only real Zendesk targets per object', () => {
      assert.deepEqual(
        issuesOf({
          accounts: { fields: [nameMapping, { salesforce: 'Phone', zendesk: 'phone' }] },
          users: {
            fields: [
              { salesforce: 'Website', zendesk: 'domain_names' },
              { salesforce: 'X', zendesk: 'user_fields.123' },
            ],
          },
        }),
        [
          {
            path: 'accounts.fields[1].zendesk',
            message:
              "'phone' is not a mappable Zendesk organization field (use one of name, details, notes, domain_names, tags, external_id or organization_fields.<key>)",
          },
          {
            path: 'users.fields[0].zendesk',
            message:
              "'domain_names' is not a mappable Zendesk user field (use one of name, email, phone, details, notes, tags, alias, time_zone, external_id or user_fields.<key>)",
          },
          {
            path: 'users.fields[1].zendesk',
            message: "'123' is not a valid Zendesk field key (letters, digits and _ only, not only digits)",
          },
        ],
      );
      assert.doesNotThrow(() =>
        parseSyncConfig({
          accounts: {
            fields: ['name', 'details', 'notes', 'domain_names', 'tags', 'organization_fields.x_1'].map(
              (z, i) => ({ salesforce: i === 0 ? 'Name' : `F${i}`, zendesk: z }),
            ),
          },
          users: {
            fields: [
              'name',
              'email',
              'phone',
              'details',
              'notes',
              'tags',
              'alias',
              'time_zone',
              'user_fields.k',
            ].map((z, i) => ({ salesforce: `F${i}`, zendesk: z })),
          },
        }),
      );
    });

    it('supports exactly one match criterion, phone included', () => {
      assert.deepEqual(
        issuesOf({
          accounts: { match: [{ salesforce: 'Name', zendesk: 'name' }] },
          users: { match: { salesforce: 'Phone', zendesk: 'phone' } },
        }),
        [
          {
            path: 'accounts.match',
            message: 'only one matching criterion is supported (give one object, not a list)',
          },
        ],
      );
    });

    it('accepts only the Zendesk lookups the sync can run as match targets', () => {
      assert.deepEqual(
        issuesOf({
          accounts: { match: { salesforce: 'Website', zendesk: 'notes' } },
          users: { match: { salesforce: 'Title', zendesk: 'name' } },
        }),
        [
          {
            path: 'accounts.match.zendesk',
            message:
              "organizations can be matched on name, external_id, domain_names, organization_fields.<key>, not 'notes'",
          },
          {
            path: 'users.match.zendesk',
            message: "users can be matched on email, external_id, phone, user_fields.<key>, not 'name'",
          },
        ],
      );
      assert.deepEqual(
        issuesOf({ accounts: { match: { salesforce: 'Website', zendesk: 'organization_fields.9' } } }),
        [
          {
            path: 'accounts.match.zendesk',
            message: "'9' is not a valid Zendesk field key (letters, digits and _ only, not only digits)",
          },
        ],
      );
      assert.deepEqual(
        issuesOf({ users: { match: { salesforce: 'Key__c', zendesk: 'organization_fields.k' } } }),
        [
          {
            path: 'users.match.zendesk',
            message:
              "users can be matched on email, external_id, phone, user_fields.<key>, not 'organization_fields.k'",
          },
        ],
      );
      for (const zendesk of ['email', 'external_id', 'phone', 'user_fields.support_key']) {
        assert.doesNotThrow(() =>
          parseSyncConfig({ users: { match: { salesforce: 'Support_Key__c', zendesk } } }),
        );
      }
      for (const zendesk of ['name', 'external_id', 'domain_names', 'organization_fields.website']) {
        assert.doesNotThrow(() =>
          parseSyncConfig({ accounts: { match: { salesforce: 'Website', zendesk } } }),
        );
      }
    });

    it('rejects a syncedIdField that is also mapped or matched', () => {
      assert.deepEqual(
        issuesOf({
          users: {
            syncedIdField: 'Zendesk_User_Id__c',
            match: { salesforce: 'zendesk_user_id__c', zendesk: 'external_id' },
            fields: [nameMapping, { salesforce: 'Zendesk_User_Id__c', zendesk: 'notes' }],
          },
        }),
        [
          {
            path: 'users.syncedIdField',
            message:
              'Zendesk_User_Id__c receives the Zendesk ID, so it cannot also be synced (used in users.match, users.fields[1])',
          },
        ],
      );
    });

    it('accepts multiple organizations for Contacts and refuses it where it cannot hold', () => {
      const config = parseSyncConfig({
        users: { multipleOrganizations: true, secondaryRelationships: true },
      });
      assert.deepEqual(
        [config.users.multipleOrganizations, config.users.secondaryRelationships],
        [true, true],
      );
      const defaults = parseSyncConfig({ users: {} });
      assert.deepEqual(
        [defaults.users.multipleOrganizations, defaults.users.secondaryRelationships],
        [false, false],
      );
      assert.deepEqual(issuesOf({ users: { source: 'Lead', multipleOrganizations: true } }), [
        {
          path: 'users.multipleOrganizations',
          message: 'Leads have no account, so multiple organizations needs source: Contact',
        },
      ]);
      assert.deepEqual(issuesOf({ users: { multipleOrganizations: true, organizationMembership: false } }), [
        {
          path: 'users.multipleOrganizations',
          message:
            'multiple organizations adds organization memberships: it needs organizationMembership: true',
        },
      ]);
      assert.deepEqual(issuesOf({ users: { secondaryRelationships: true } }), [
        {
          path: 'users.secondaryRelationships',
          message:
            'secondary account relationships add memberships to users in several organizations: they need multipleOrganizations: true',
        },
      ]);
    });

    it('rejects organization membership for Leads', () => {
      assert.deepEqual(issuesOf({ users: { source: 'Lead', organizationMembership: true } }), [
        {
          path: 'users.organizationMembership',
          message: 'Leads have no account, so organization membership needs source: Contact',
        },
      ]);
    });
  });

  it('collects every issue and lists them one per line in the message', () => {
    let error: unknown;
    try {
      parseSyncConfig({
        accounts: { mode: 'x', fields: [] },
        users: { match: { salesforce: 'Phone', zendesk: 'notes' } },
      });
    } catch (err) {
      error = err;
    }
    assert.ok(error instanceof ConfigError);
    assert.equal(
      error.message,
      [
        'Invalid sync configuration (3 issues):',
        '- accounts.fields: the mapping Name -> name is required (Zendesk cannot create an organization without a name)',
        '- accounts.mode: must be one of: upsert, update-only (got "x")',
        "- users.match.zendesk: users can be matched on email, external_id, phone, user_fields.<key>, not 'notes'",
      ].join('\n'),
    );
  });
});

describe('core/config checkConfigAgainstSchemas', () => {
  const accounts = (extra: Record<string, unknown>) =>
    checkConfigAgainstSchemas(parseSyncConfig({ accounts: { fields: [nameMapping], ...extra } }), SCHEMAS);
  const users = (extra: Record<string, unknown>) =>
    checkConfigAgainstSchemas(parseSyncConfig({ users: extra }), SCHEMAS);
  const mapTo = (
    salesforce: string,
    zendesk: string,
    values?: Record<string, string | null>,
    extra: Record<string, unknown> = {},
  ) => accounts({ fields: [nameMapping, { salesforce, zendesk, ...(values ? { values } : {}), ...extra }] });
  const filter = (field: string, operator: string, value?: string) =>
    accounts({ filters: { all: [{ field, operator, ...(value === undefined ? {} : { value }) }] } });

  it('accepts a valid configuration for both syncs', () => {
    const config = parseSyncConfig({
      accounts: {
        filters: {
          all: [{ field: 'Type', operator: 'is', value: 'Customer - Direct,Technology Partner' }],
          any: [{ field: 'NumberOfEmployees', operator: 'greater_than', value: '10' }],
        },
        fields: [
          nameMapping,
          { salesforce: 'Industry', zendesk: 'organization_fields.industry' },
          { salesforce: 'Segment__c', zendesk: 'tags' },
          { salesforce: 'Website', zendesk: 'domain_names' },
        ],
        syncedIdField: 'Zendesk_Organization_Id__c',
        externalId: true,
      },
      users: {
        fields: [
          nameMapping,
          { salesforce: 'Email', zendesk: 'email' },
          { salesforce: 'Phone', zendesk: 'phone' },
        ],
        syncedIdField: 'Zendesk_User_Id__c',
      },
    });
    assert.deepEqual(checkConfigAgainstSchemas(config, SCHEMAS), []);
  });

  it("refuses multiple organizations when Zendesk's setting is off, and trusts Zendesk when it is unknown", () => {
    const config = parseSyncConfig({ users: { multipleOrganizations: true } });
    const withSetting = (multipleOrganizations?: boolean) => ({
      ...SCHEMAS,
      zendesk: {
        ...SCHEMAS.zendesk,
        settings: {
          validatesPhoneNumbers: false,
          ...(multipleOrganizations === undefined ? {} : { multipleOrganizations }),
        },
      },
    });
    assert.deepEqual(checkConfigAgainstSchemas(config, withSetting(false)), [
      {
        path: 'users.multipleOrganizations',
        message:
          'needs Zendesk\'s "Allow users to belong to multiple organizations" (Admin Center, end-user settings), which is off in this Zendesk account',
      },
    ]);
    assert.deepEqual(checkConfigAgainstSchemas(config, withSetting(true)), []);
    assert.deepEqual(checkConfigAgainstSchemas(config, withSetting(undefined)), []);
    const off = parseSyncConfig({ users: {} });
    assert.deepEqual(checkConfigAgainstSchemas(off, withSetting(false)), [], 'the switch off: no issue');
  });

  it('skips disabled sections', () => {
    const config = parseSyncConfig({
      accounts: { enabled: false, fields: [nameMapping, { salesforce: 'Nope__c', zendesk: 'notes' }] },
    });
    assert.deepEqual(checkConfigAgainstSchemas(config, SCHEMAS), []);
  });

  it('reports fields that do not exist, on the object the section reads', () => {
    assert.deepEqual(filter('Nope__c', 'is', 'x'), [
      { path: 'accounts.filters.all[0].field', message: "field 'Nope__c' does not exist on Account" },
    ]);
    assert.deepEqual(users({ source: 'Lead', fields: [{ salesforce: 'AccountId', zendesk: 'notes' }] }), [
      { path: 'users.fields[0].salesforce', message: "field 'AccountId' does not exist on Lead" },
    ]);
    assert.deepEqual(filter('type', 'is', 'Prospect'), [], 'API names are case-insensitive');
  });

  describe('filters', () => {
    it('rejects formula, lookup, long text area, rich text area, currency and record type fields', () => {
      const cases: Array<[string, string]> = [
        ['Score__c', 'Score__c is a formula field, which cannot be used in filters'],
        ['ParentId', 'ParentId is a lookup field, which cannot be used in filters'],
        ['Description', 'Description is a long text area field, which cannot be used in filters'],
        ['Rich__c', 'Rich__c is a rich text area field, which cannot be used in filters'],
        ['AnnualRevenue', 'AnnualRevenue is a currency field, which cannot be used in filters'],
      ];
      for (const [field, message] of cases) {
        assert.deepEqual(
          filter(field, 'is_not_empty'),
          [{ path: 'accounts.filters.all[0].field', message }],
          field,
        );
      }
      const contactRecordType = users({ filters: { any: [{ field: 'AccountId', operator: 'is_empty' }] } });
      assert.deepEqual(contactRecordType, [
        {
          path: 'users.filters.any[0].field',
          message: 'AccountId is a lookup field, which cannot be used in filters',
        },
      ]);
      assert.deepEqual(filter('Short__c', 'contains', 'x'), [], 'a short text area can be filtered');
    });

    it('requires picklist API names, hinting when a label was used', () => {
      assert.deepEqual(filter('Tier__c', 'is', 'Tier 1 (Strategic),Tier_2,Gold'), [
        {
          path: 'accounts.filters.all[0].value',
          message: "'Tier 1 (Strategic)' is a picklist label; filters use the API name 'Tier_1'",
        },
        {
          path: 'accounts.filters.all[0].value',
          message:
            "'Gold' is not a value of picklist Tier__c (API names, case-sensitive: Tier_1, Tier_2, Tier_3)",
        },
      ]);
      // A standard picklist's API names are its values: the invented names of old are not among them.
      assert.deepEqual(filter('Type', 'is', 'Customer - Direct,Customer_Direct'), [
        {
          path: 'accounts.filters.all[0].value',
          message:
            "'Customer_Direct' is not a value of picklist Type (API names, case-sensitive: Prospect, Customer - Direct, Customer - Channel, Technology Partner)",
        },
      ]);
      assert.deepEqual(
        filter('Type', 'is', 'prospect')[0]?.path,
        'accounts.filters.all[0].value',
        'case-sensitive',
      );
      assert.deepEqual(filter('Segment__c', 'is_not', 'SMB,Enterprise'), []);
      assert.deepEqual(filter('Type', 'starts_with', 'Cust'), [], 'substring operators take partial values');
    });

    it('accepts checkbox values true/false only with is / is_not', () => {
      assert.deepEqual(filter('Active__c', 'is', 'true'), []);
      assert.deepEqual(filter('Active__c', 'is_not', 'false'), []);
      assert.deepEqual(filter('Active__c', 'is', 'yes'), [
        { path: 'accounts.filters.all[0].value', message: "a checkbox value is true or false, not 'yes'" },
      ]);
      assert.deepEqual(
        filter('Active__c', 'is', 'True')[0]?.message,
        "a checkbox value is true or false, not 'True'",
      );
      assert.deepEqual(filter('Active__c', 'contains', 'true'), [
        {
          path: 'accounts.filters.all[0].operator',
          message: "checkbox Active__c supports only is and is_not, not 'contains'",
        },
      ]);
      assert.deepEqual(filter('Active__c', 'is_empty'), [
        {
          path: 'accounts.filters.all[0].operator',
          message: 'a checkbox is never empty; use is / is_not with true or false',
        },
      ]);
    });

    it('allows greater_than / less_than only on numbers, dates and date/times, with parseable values', () => {
      assert.deepEqual(filter('NumberOfEmployees', 'greater_than', '100'), []);
      assert.deepEqual(filter('Rating__c', 'less_than', '4.5'), []);
      assert.deepEqual(filter('Pct__c', 'less_than', '50'), []);
      assert.deepEqual(filter('Since__c', 'greater_than', '2024-01-31'), []);
      assert.deepEqual(filter('LastSeen__c', 'less_than', '2024-01-31T12:00:00Z'), []);
      assert.deepEqual(filter('LastSeen__c', 'less_than', '2024-01-31'), []);
      assert.deepEqual(filter('Name', 'greater_than', 'M'), [
        {
          path: 'accounts.filters.all[0].operator',
          message: "'greater_than' applies to number, date and date/time fields; Name is a string field",
        },
      ]);
      assert.deepEqual(filter('NumberOfEmployees', 'less_than', 'many'), [
        {
          path: 'accounts.filters.all[0].value',
          message: "'many' is not a number (NumberOfEmployees is a int field)",
        },
      ]);
      assert.deepEqual(filter('Since__c', 'is', '31/01/2024'), [
        { path: 'accounts.filters.all[0].value', message: "'31/01/2024' is not a date; write YYYY-MM-DD" },
      ]);
      assert.deepEqual(filter('LastSeen__c', 'is', 'yesterday'), [
        {
          path: 'accounts.filters.all[0].value',
          message:
            "'yesterday' is not a date/time; write YYYY-MM-DD or an ISO 8601 time with zone (2024-01-31T12:00:00Z)",
        },
      ]);
    });

    it('allows contains / not_contains / starts_with on text fields only', () => {
      for (const field of ['Name', 'Email__c', 'Phone', 'Website', 'Id', 'Industry'])
        assert.deepEqual(filter(field, 'not_contains', 'x'), [], field);
      assert.deepEqual(filter('NumberOfEmployees', 'contains', '1'), [
        {
          path: 'accounts.filters.all[0].operator',
          message: "'contains' applies to text fields; NumberOfEmployees is a int field",
        },
      ]);
      assert.equal(filter('Since__c', 'starts_with', '2024')[0]?.path, 'accounts.filters.all[0].operator');
    });
  });

  describe('type compatibility table (seed), both ways', () => {
    // Transcribed from the seed's table; "Numeric" is the Zendesk integer field.
    const expected: Record<SalesforceTypeRow, ZendeskTypeColumn[]> = {
      ID: ['text'],
      String: ['text'],
      Phone: ['text'],
      Email: ['text'],
      Picklist: ['text', 'dropdown'],
      Currency: ['text', 'decimal'],
      Boolean: ['text', 'checkbox'],
      Checkbox: ['checkbox'],
      'Date/Time': ['text', 'date'],
      Number: ['text', 'numeric'],
      Double: ['text', 'decimal'],
      Date: ['text', 'date'],
      'Multi picklist': ['text'],
    };
    // One Account field per row (describe() reports Checkbox as boolean, so it is covered by Boolean).
    const sample: Record<Exclude<SalesforceTypeRow, 'Checkbox'>, string> = {
      ID: 'Id',
      String: 'Text__c',
      Phone: 'Phone',
      Email: 'Email__c',
      Picklist: 'Industry',
      Currency: 'AnnualRevenue',
      Boolean: 'Active__c',
      'Date/Time': 'LastSeen__c',
      Number: 'NumberOfEmployees',
      Double: 'Rating__c',
      Date: 'Since__c',
      'Multi picklist': 'Segment__c',
    };
    const columnField: Record<ZendeskTypeColumn, string> = {
      text: 'tier_text',
      dropdown: 'industry',
      decimal: 'revenue',
      checkbox: 'active',
      date: 'since',
      numeric: 'employees',
    };

    it('exports the seed table unchanged', () => {
      assert.deepEqual(TYPE_COMPATIBILITY, expected);
    });

    for (const [row, field] of Object.entries(sample) as Array<[SalesforceTypeRow, string]>) {
      for (const [column, key] of Object.entries(columnField) as Array<[ZendeskTypeColumn, string]>) {
        const allowed = expected[row].includes(column);
        it(`${row} -> ${column}: ${allowed ? 'accepted' : 'rejected'}`, () => {
          const issues = mapTo(field, `organization_fields.${key}`);
          if (allowed) assert.deepEqual(issues, []);
          else {
            assert.equal(issues.length, 1, JSON.stringify(issues));
            assert.match(issues[0]?.path ?? '', /^accounts\.fields\[1\]\./);
          }
        });
      }
    }

    it('Checkbox targets are a subset of Boolean targets', () => {
      assert.ok(expected.Checkbox.every((c) => expected.Boolean.includes(c)));
    });

    it('names the allowed targets when rejecting', () => {
      assert.deepEqual(mapTo('AnnualRevenue', 'organization_fields.employees'), [
        {
          path: 'accounts.fields[1].zendesk',
          message:
            "Salesforce currency field AnnualRevenue cannot be mapped to Zendesk integer field 'employees' (allowed: text, decimal)",
        },
      ]);
    });

    it('treats textarea and regexp Zendesk fields as text, and a Number(18,0) double as Number and Double', () => {
      assert.deepEqual(mapTo('NumberOfEmployees', 'organization_fields.notes_area'), []);
      assert.deepEqual(mapTo('Industry', 'organization_fields.code'), []);
      assert.deepEqual(mapTo('Count__c', 'organization_fields.employees'), []);
      assert.deepEqual(mapTo('Count__c', 'organization_fields.revenue'), []);
      assert.equal(mapTo('Pct__c', 'organization_fields.employees').length, 1);
      assert.deepEqual(mapTo('Pct__c', 'organization_fields.revenue'), []);
    });

    it('rejects Zendesk lookup fields, and multiselect for anything but a mapped multi-picklist', () => {
      assert.deepEqual(mapTo('Text__c', 'organization_fields.related'), [
        {
          path: 'accounts.fields[1].zendesk',
          message: "Zendesk lookup field 'related' cannot be a mapping target",
        },
      ]);
      assert.equal(mapTo('Industry', 'organization_fields.segments')[0]?.path, 'accounts.fields[1].zendesk');
    });
  });

  describe('mapping sources and targets', () => {
    it('rejects long text, rich text, encrypted, lookup and record type sources', () => {
      const cases: Array<[string, string]> = [
        ['Description', 'Description is a long text area field, which cannot be mapped'],
        ['Rich__c', 'Rich__c is a rich text area field, which cannot be mapped'],
        ['Secret__c', 'Secret__c is an encrypted text field, which cannot be mapped'],
        ['ParentId', 'ParentId is a lookup field, which cannot be mapped'],
        ['RecordTypeId', 'RecordTypeId is the record type ID, which cannot be mapped'],
        ['Location__c', "Location__c has type 'location', which cannot be mapped"],
      ];
      for (const [field, message] of cases)
        assert.deepEqual(mapTo(field, 'notes'), [{ path: 'accounts.fields[1].salesforce', message }], field);
    });

    it('allows formula fields and short text areas as sources', () => {
      assert.deepEqual(mapTo('Score__c', 'organization_fields.revenue'), []);
      assert.deepEqual(mapTo('Short__c', 'details'), []);
    });

    it('reports missing and inactive Zendesk custom fields', () => {
      assert.deepEqual(mapTo('Text__c', 'organization_fields.nope'), [
        { path: 'accounts.fields[1].zendesk', message: "Zendesk organization field 'nope' does not exist" },
      ]);
      assert.deepEqual(mapTo('Text__c', 'organization_fields.retired'), [
        { path: 'accounts.fields[1].zendesk', message: "Zendesk organization field 'retired' is inactive" },
      ]);
    });

    it('requires email / phone sources for the email / phone targets', () => {
      assert.deepEqual(users({ fields: [nameMapping, { salesforce: 'Birthdate', zendesk: 'email' }] }), [
        {
          path: 'users.fields[1].zendesk',
          message: 'email takes an email or text field; Birthdate is a date field',
        },
      ]);
      assert.deepEqual(users({ fields: [nameMapping, { salesforce: 'Birthdate', zendesk: 'phone' }] }), [
        {
          path: 'users.fields[1].zendesk',
          message: 'phone takes a phone or text field; Birthdate is a date field',
        },
      ]);
      assert.deepEqual(users({ fields: [nameMapping, { salesforce: 'MobilePhone', zendesk: 'phone' }] }), []);
    });

    it('checks multi-picklist values: maps against picklist values and Zendesk options', () => {
      assert.deepEqual(
        mapTo('Segment__c', 'organization_fields.segments', { Enterprise: 'seg_enterprise', SMB: 'seg_smb' }),
        [],
      );
      assert.deepEqual(
        mapTo('Segment__c', 'organization_fields.industry', { Enterprise: 'technology' }, { pick: 'last' }),
        [],
      );
      assert.deepEqual(mapTo('Segment__c', 'tags', { Enterprise: 'ent' }), []);
      assert.deepEqual(
        mapTo('Segment__c', 'organization_fields.segments', { Big: 'seg_enterprise', SMB: 'seg_large' }),
        [
          {
            path: 'accounts.fields[1].values.Big',
            message: "'Big' is not a value of multi-picklist Segment__c",
          },
          {
            path: 'accounts.fields[1].values.SMB',
            message: "'seg_large' is not an option value of Zendesk multiselect field 'segments'",
          },
        ],
      );
      assert.deepEqual(mapTo('Segment__c', 'organization_fields.segments'), [
        {
          path: 'accounts.fields[1].values',
          message:
            'a multi-picklist mapped to a Zendesk multiselect field needs a values: map (Salesforce value -> option value)',
        },
      ]);
      assert.deepEqual(mapTo('Industry', 'tags', { Technology: 'tech' }), [
        {
          path: 'accounts.fields[1].values',
          message: 'values: applies only to multi-picklist fields; Industry is a picklist field',
        },
      ]);
    });
  });

  describe('matching', () => {
    it('rejects phone-type match fields and unmappable kinds', () => {
      assert.deepEqual(users({ match: { salesforce: 'MobilePhone', zendesk: 'external_id' } }), [
        {
          path: 'users.match.salesforce',
          message: 'MobilePhone is a phone field; a phone field can only be matched on phone',
        },
      ]);
      assert.deepEqual(users({ match: { salesforce: 'MobilePhone', zendesk: 'phone' } }), []);
      assert.deepEqual(users({ match: { salesforce: 'Birthdate', zendesk: 'phone' } }), [
        {
          path: 'users.match.salesforce',
          message: 'matching on phone needs a phone or text field; Birthdate is a date field',
        },
      ]);
      assert.deepEqual(users({ match: { salesforce: 'AccountId', zendesk: 'external_id' } }), [
        { path: 'users.match.salesforce', message: 'AccountId is a lookup field, which cannot be matched' },
      ]);
      assert.deepEqual(users({ match: { salesforce: 'Nope', zendesk: 'email' } }), [
        { path: 'users.match.salesforce', message: "field 'Nope' does not exist on Contact" },
      ]);
    });

    it('checks organization match targets against the Zendesk organization fields', () => {
      assert.deepEqual(accounts({ match: { salesforce: 'Website', zendesk: 'domain_names' } }), []);
      assert.deepEqual(
        accounts({ match: { salesforce: 'Industry', zendesk: 'organization_fields.code' } }),
        [],
      );
      assert.deepEqual(accounts({ match: { salesforce: 'Website', zendesk: 'organization_fields.nope' } }), [
        { path: 'accounts.match.zendesk', message: "Zendesk organization field 'nope' does not exist" },
      ]);
      assert.deepEqual(
        accounts({ match: { salesforce: 'Text__c', zendesk: 'organization_fields.related' } }),
        [
          {
            path: 'accounts.match.zendesk',
            message: "Salesforce string field Text__c cannot be matched to Zendesk lookup field 'related'",
          },
        ],
      );
    });

    it('checks the email and custom-field match targets', () => {
      assert.deepEqual(users({ match: { salesforce: 'Birthdate', zendesk: 'email' } }), [
        {
          path: 'users.match.salesforce',
          message: 'matching on email needs an email or text field; Birthdate is a date field',
        },
      ]);
      assert.deepEqual(
        users({ match: { salesforce: 'Support_Key__c', zendesk: 'user_fields.support_key' } }),
        [],
      );
      assert.deepEqual(users({ match: { salesforce: 'Support_Key__c', zendesk: 'user_fields.missing' } }), [
        { path: 'users.match.zendesk', message: "Zendesk user field 'missing' does not exist" },
      ]);
      assert.deepEqual(users({ match: { salesforce: 'Support_Key__c', zendesk: 'user_fields.birthday' } }), [
        {
          path: 'users.match.zendesk',
          message:
            "Salesforce string field Support_Key__c cannot be matched to Zendesk date field 'birthday'",
        },
      ]);
    });
  });

  describe('syncedIdField', () => {
    it('must be an existing, writable text field', () => {
      assert.deepEqual(accounts({ syncedIdField: 'Zendesk_Organization_Id__c' }), []);
      assert.deepEqual(accounts({ syncedIdField: 'Missing__c' }), [
        { path: 'accounts.syncedIdField', message: "field 'Missing__c' does not exist on Account" },
      ]);
      assert.deepEqual(accounts({ syncedIdField: 'NumberOfEmployees' }), [
        {
          path: 'accounts.syncedIdField',
          message: 'NumberOfEmployees must be a text field to receive the Zendesk ID (it is a int field)',
        },
      ]);
      assert.deepEqual(accounts({ syncedIdField: 'Auto__c' }), [
        {
          path: 'accounts.syncedIdField',
          message: 'Auto__c must be a text field to receive the Zendesk ID (it is an auto number field)',
        },
      ]);
      assert.deepEqual(accounts({ syncedIdField: 'Locked_Id__c' }), [
        { path: 'accounts.syncedIdField', message: 'Locked_Id__c is not writable (updateable is false)' },
      ]);
      assert.deepEqual(accounts({ syncedIdField: 'Description' }), [
        {
          path: 'accounts.syncedIdField',
          message: 'Description must be a text field to receive the Zendesk ID (it is a textarea field)',
        },
      ]);
    });
  });
});
