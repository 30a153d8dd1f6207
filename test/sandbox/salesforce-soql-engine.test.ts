import assert from 'node:assert/strict';
import { parseSoql, SoqlError } from '../../core/soql';
import { executeSoql, type SoqlFieldInfo, type SoqlSource } from '../../sandbox/salesforce/soql';

const NOW = new Date('2024-03-15T12:00:00Z'); // a Friday

const FIELDS: Record<string, SoqlFieldInfo[]> = {
  Account: [
    { name: 'Id', type: 'id' },
    { name: 'Name', type: 'string' },
    {
      name: 'Type',
      type: 'picklist',
      picklistValues: [
        { value: 'Prospect', label: 'Prospect' },
        { value: 'Customer', label: 'Customer - Direct' },
      ],
    },
    { name: 'Industry', type: 'picklist' },
    { name: 'Website', type: 'url' },
    { name: 'Phone', type: 'phone' },
    { name: 'NumberOfEmployees', type: 'int' },
    { name: 'AnnualRevenue', type: 'currency' },
    { name: 'IsDeleted', type: 'boolean' },
    { name: 'LastActivityDate', type: 'date' },
    { name: 'SystemModstamp', type: 'datetime' },
    { name: 'Regions__c', type: 'multipicklist' },
    { name: 'ParentId', type: 'reference', referenceTo: ['Account'], relationshipName: 'Parent' },
  ],
  Contact: [
    { name: 'Id', type: 'id' },
    { name: 'LastName', type: 'string' },
    { name: 'Email', type: 'email' },
    { name: 'AccountId', type: 'reference', referenceTo: ['Account'] },
  ],
};

const A1 = '001000000000001AAA';
const A2 = '001000000000002AAA';
const A3 = '001000000000003AAA';
const A4 = '001000000000004AAA';

const RECORDS: Record<string, Array<Record<string, unknown>>> = {
  Account: [
    {
      Id: A1,
      Name: 'Acme',
      Type: 'Customer',
      Industry: 'Energy',
      Phone: '555-0100',
      NumberOfEmployees: 100,
      AnnualRevenue: 1000.5,
      IsDeleted: false,
      LastActivityDate: '2024-03-14',
      SystemModstamp: '2024-01-02T10:00:00.000+0000',
      Regions__c: 'EMEA;APAC',
      ParentId: null,
    },
    {
      Id: A2,
      Name: "O'Brien \\ 50% _off",
      Type: 'Prospect',
      Industry: null,
      NumberOfEmployees: 5,
      AnnualRevenue: null,
      IsDeleted: false,
      LastActivityDate: '2024-03-15',
      SystemModstamp: '2023-12-31T23:30:00.000+0000',
      Regions__c: 'AMER',
      ParentId: A1,
    },
    {
      Id: A3,
      Name: 'acme labs',
      Type: null,
      Industry: 'Energy',
      NumberOfEmployees: null,
      IsDeleted: true,
      LastActivityDate: null,
      SystemModstamp: '2024-01-02T10:00:00.000+0000',
      Regions__c: null,
      ParentId: A1,
    },
    {
      Id: A4,
      Name: 'Zeta\n"Quoted"',
      Type: 'customer',
      Industry: 'Retail',
      NumberOfEmployees: 5000,
      AnnualRevenue: 2.25,
      IsDeleted: false,
      LastActivityDate: '2024-02-01',
      SystemModstamp: '2024-03-15T08:00:00.000+0000',
      Regions__c: 'APAC;AMER;EMEA',
      ParentId: null,
    },
  ],
  Contact: [
    { Id: '003000000000001AAA', LastName: 'Smith', Email: 'Smith@Example.com', AccountId: A1 },
    { Id: '003000000000002AAA', LastName: 'Doe', Email: null, AccountId: null },
  ],
};

const source: SoqlSource = {
  fields: (name) => FIELDS[name],
  records: (name) => RECORDS[name] ?? [],
  objectNames: () => Object.keys(FIELDS),
  related: (_object, _field, id) => RECORDS.Account?.find((r) => r.Id === id),
};

function run(soql: string) {
  return executeSoql(soql, source, { now: NOW, apiVersion: '59.0' });
}

function ids(soql: string): string[] {
  return run(soql).records.map((r) => r.Id as string);
}

function accountIds(where: string): string[] {
  return ids(`SELECT Id FROM Account WHERE ${where}`);
}

function failure(soql: string): SoqlError {
  try {
    run(soql);
  } catch (error) {
    assert.ok(error instanceof SoqlError, `expected SoqlError, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${soql} to fail`);
}

describe('SOQL parser', () => {
  it('parses select items, FROM alias, WHERE tree, ORDER BY, LIMIT and OFFSET', () => {
    const soql =
      "SELECT Id, a.Name, Account.Owner.Name FROM Account a WHERE (Name = 'x' OR Type != null) AND (NOT Id IN ('001000000000001')) ORDER BY Name DESC NULLS FIRST, Id LIMIT 10 OFFSET 5";
    const q = parseSoql(soql);
    assert.deepEqual(
      q.select.map((s) => (s.kind === 'field' ? s.field.path.join('.') : s.kind)),
      ['Id', 'a.Name', 'Account.Owner.Name'],
    );
    assert.deepEqual(q.from, { name: 'Account', alias: 'a', position: soql.indexOf('Account a') });
    assert.equal(q.where?.kind, 'and');
    assert.equal(q.where?.kind === 'and' && q.where.operands[0]?.kind, 'or');
    assert.deepEqual(
      q.orderBy.map((o) => [o.field.path.join('.'), o.direction, o.nulls]),
      [
        ['Name', 'DESC', 'FIRST'],
        ['Id', 'ASC', 'FIRST'],
      ],
    );
    assert.equal(q.limit, 10);
    assert.equal(q.offset, 5);
  });

  it('decodes every literal kind', () => {
    const q = parseSoql(
      "SELECT Id FROM Account WHERE A IN ('it\\'s \\\"q\\\" \\\\ \\n\\r\\t\\b\\f \\u00e9', 42, -1.5, true, FALSE, null, 2024-01-31, 2024-01-31T10:00:00Z, 2024-01-31T10:00:00.000+0000, 2024-01-31T10:00:00+01:00, TODAY, LAST_N_DAYS:7)",
    );
    assert.ok(q.where?.kind === 'set');
    const values = q.where.values.map((v) => {
      switch (v.kind) {
        case 'string':
        case 'number':
        case 'boolean':
        case 'date':
          return v.value;
        case 'datetime':
          return v.epochMs;
        case 'null':
          return null;
        case 'dateLiteral':
          return `${v.name}${v.n === undefined ? '' : `:${v.n}`}`;
      }
    });
    assert.deepEqual(values, [
      'it\'s "q" \\ \n\r\t\b\f é',
      42,
      -1.5,
      true,
      false,
      null,
      '2024-01-31',
      Date.UTC(2024, 0, 31, 10),
      Date.UTC(2024, 0, 31, 10),
      Date.UTC(2024, 0, 31, 9),
      'TODAY',
      'LAST_N_DAYS:7',
    ]);
  });

  it('treats keywords case-insensitively and <> as !=', () => {
    const q = parseSoql("select id from Account where name <> 'x' order by name asc nulls last limit 1");
    assert.ok(q.where?.kind === 'comparison');
    assert.equal(q.where.operator, '!=');
    assert.equal(q.orderBy[0]?.nulls, 'LAST');
  });
});

describe('SOQL execution', () => {
  describe('projection', () => {
    it('returns records with attributes first and canonical field names in SELECT order', () => {
      const result = run(`SELECT name, ID, numberofemployees FROM account WHERE Id = '${A1}'`);
      assert.equal(result.objectName, 'Account');
      assert.deepEqual(result.fields, ['Name', 'Id', 'NumberOfEmployees']);
      assert.equal(result.totalSize, 1);
      assert.deepEqual(result.records[0], {
        attributes: { type: 'Account', url: `/services/data/v59.0/sobjects/Account/${A1}` },
        Name: 'Acme',
        Id: A1,
        NumberOfEmployees: 100,
      });
      assert.deepEqual(Object.keys(result.records[0]), ['attributes', 'Name', 'Id', 'NumberOfEmployees']);
    });

    it('returns null for selected fields the record does not carry, and always allows Id', () => {
      const result = run(`SELECT Id, Website FROM Account WHERE Id = '${A2}'`);
      assert.equal(result.records[0]?.Website, null);
    });

    it('COUNT() returns only totalSize', () => {
      const result = run("SELECT COUNT() FROM Account WHERE Industry = 'energy'");
      assert.deepEqual(result, { objectName: 'Account', fields: [], records: [], totalSize: 2 });
    });

    it('FIELDS(ALL) selects every field and needs LIMIT <= 200', () => {
      const result = run('SELECT FIELDS(ALL) FROM Contact LIMIT 200');
      assert.deepEqual(result.fields, ['Id', 'LastName', 'Email', 'AccountId']);
      assert.equal(
        failure('SELECT FIELDS(ALL) FROM Contact').detail,
        'The SOQL FIELDS function must have a LIMIT of at most 200',
      );
      assert.deepEqual(run('SELECT FIELDS(CUSTOM) FROM Account LIMIT 1').fields, ['Regions__c']);
    });

    it('follows relationship fields one level up into nested records, null when the lookup is empty', () => {
      const result = run(
        'SELECT LastName, Account.Name, account.industry FROM Contact ORDER BY LastName DESC',
      );
      assert.deepEqual(result.fields, ['LastName', 'Account.Name', 'Account.Industry']);
      assert.deepEqual(result.records, [
        {
          attributes: { type: 'Contact', url: '/services/data/v59.0/sobjects/Contact/003000000000001AAA' },
          LastName: 'Smith',
          Account: {
            attributes: { type: 'Account', url: `/services/data/v59.0/sobjects/Account/${A1}` },
            Name: 'Acme',
            Industry: 'Energy',
          },
        },
        {
          attributes: { type: 'Contact', url: '/services/data/v59.0/sobjects/Contact/003000000000002AAA' },
          LastName: 'Doe',
          Account: null,
        },
      ]);
    });

    it('without the related() hook, reads a parent record carried inline', () => {
      const inline: SoqlSource = {
        fields: (name) => FIELDS[name],
        records: () => [{ Id: '003000000000009AAA', AccountId: A1, Account: { Id: A1, Name: 'Inline' } }],
      };
      const result = executeSoql("SELECT Account.Name FROM Contact WHERE Account.Name = 'inline'", inline);
      assert.deepEqual(result.records[0]?.Account, {
        attributes: { type: 'Account', url: `/services/data/v60.0/sobjects/Account/${A1}` },
        Name: 'Inline',
      });
    });

    it('filters and sorts on relationship fields, and accepts the object name or alias as a qualifier', () => {
      assert.deepEqual(ids("SELECT Id FROM Account WHERE Parent.Name = 'ACME' ORDER BY Id DESC"), [A3, A2]);
      assert.deepEqual(ids("SELECT Id FROM Account a WHERE a.Name = 'acme'"), [A1]);
      assert.deepEqual(ids("SELECT Account.Id FROM Account WHERE Account.Name = 'acme'"), [A1]);
    });
  });

  describe('comparison operators', () => {
    it('= and != on text are case-insensitive; != includes nulls', () => {
      assert.deepEqual(accountIds("Name = 'ACME'"), [A1]);
      assert.deepEqual(accountIds("Type = 'CUSTOMER'"), [A1, A4]);
      assert.deepEqual(accountIds("Type != 'customer'"), [A2, A3]);
      assert.deepEqual(accountIds("Type <> 'customer'"), [A2, A3]);
      assert.deepEqual(accountIds("Phone = '555-0100'"), [A1]);
      assert.deepEqual(ids("SELECT Id FROM Contact WHERE Email = 'smith@EXAMPLE.com'"), [
        '003000000000001AAA',
      ]);
    });

    it('= null and != null', () => {
      assert.deepEqual(accountIds('Industry = null'), [A2]);
      assert.deepEqual(accountIds('Industry != null'), [A1, A3, A4]);
      assert.deepEqual(accountIds('AnnualRevenue = null'), [A2, A3]);
      assert.deepEqual(accountIds("Industry = ''"), [A2], 'an empty string means no value');
    });

    it('numbers: = < > <= >= with nulls never matching an ordering', () => {
      assert.deepEqual(accountIds('NumberOfEmployees = 5'), [A2]);
      assert.deepEqual(accountIds('NumberOfEmployees < 100'), [A2]);
      assert.deepEqual(accountIds('NumberOfEmployees <= 100'), [A1, A2]);
      assert.deepEqual(accountIds('NumberOfEmployees > 100'), [A4]);
      assert.deepEqual(accountIds('NumberOfEmployees >= 100'), [A1, A4]);
      assert.deepEqual(accountIds('AnnualRevenue > 2.5'), [A1]);
      assert.deepEqual(accountIds('AnnualRevenue >= -1'), [A1, A4]);
    });

    it('text ordering comparisons are case-insensitive', () => {
      assert.deepEqual(accountIds("Name > 'ACME'"), [A2, A3, A4]);
      assert.deepEqual(accountIds("Name < 'b'"), [A1, A3]);
    });

    it('booleans', () => {
      assert.deepEqual(accountIds('IsDeleted = true'), [A3]);
      assert.deepEqual(accountIds('IsDeleted = FALSE'), [A1, A2, A4]);
      assert.deepEqual(accountIds('IsDeleted != true'), [A1, A2, A4]);
    });

    it("LIKE: case-insensitive % and _ wildcards, escaped \\% \\_ \\' \\\\ match literally", () => {
      assert.deepEqual(accountIds("Name LIKE 'acme%'"), [A1, A3]);
      assert.deepEqual(accountIds("Name LIKE '%LABS'"), [A3]);
      assert.deepEqual(accountIds("Name LIKE 'ac_e'"), [A1]);
      assert.deepEqual(accountIds("Name LIKE 'a_e'"), []);
      assert.deepEqual(accountIds("Name LIKE 'o\\'brien \\\\ 50\\% \\_off'"), [A2]);
      assert.deepEqual(accountIds("Name LIKE '%\\%%'"), [A2]);
      assert.deepEqual(accountIds("Name LIKE '%5_\\%%'"), [A2]);
      assert.deepEqual(accountIds("Name LIKE '50\\%'"), [], 'the escaped % is not a wildcard');
      assert.deepEqual(accountIds("Name LIKE 'zeta\\n%'"), [A4], 'a value spanning lines');
      assert.deepEqual(accountIds('Industry LIKE null'), []);
    });

    it('= on a value containing quotes, backslashes and a newline', () => {
      assert.deepEqual(accountIds("Name = 'O\\'Brien \\\\ 50% _off'"), [A2]);
      assert.deepEqual(accountIds('Name = \'zeta\\n\\"quoted\\"\''), [A4]);
      assert.deepEqual(accountIds('Name = \'Zeta\\u000a"Quoted"\''), [A4]);
    });

    it('IN and NOT IN, including null in the list', () => {
      assert.deepEqual(accountIds("Type IN ('prospect', 'CUSTOMER')"), [A1, A2, A4]);
      assert.deepEqual(accountIds("Type NOT IN ('prospect', 'CUSTOMER')"), [A3]);
      assert.deepEqual(accountIds("Type IN ('prospect', null)"), [A2, A3]);
      assert.deepEqual(accountIds('NumberOfEmployees IN (5, 5000)'), [A2, A4]);
    });

    it('multipicklist INCLUDES / EXCLUDES with ;-combinations, and = as an exact set', () => {
      assert.deepEqual(accountIds("Regions__c INCLUDES ('emea')"), [A1, A4]);
      assert.deepEqual(accountIds("Regions__c INCLUDES ('AMER;EMEA')"), [A4]);
      assert.deepEqual(accountIds("Regions__c INCLUDES ('AMER;EMEA', 'APAC;EMEA')"), [A1, A4]);
      assert.deepEqual(accountIds("Regions__c EXCLUDES ('AMER')"), [A1, A3]);
      assert.deepEqual(accountIds("Regions__c = 'apac;emea'"), [A1]);
      assert.deepEqual(accountIds('Regions__c = null'), [A3]);
    });
  });

  describe('ids', () => {
    it('matches 15- and 18-character ids, 18-character ones case-insensitively', () => {
      assert.deepEqual(accountIds(`Id = '${A1.slice(0, 15)}'`), [A1]);
      assert.deepEqual(accountIds(`Id = '${A1.toLowerCase()}'`), [A1]);
      assert.deepEqual(accountIds(`ParentId = '${A1}'`), [A2, A3]);
    });

    it('decodes the checksum of an 18-character id to compare with a 15-character one', () => {
      // 001Ab00000AbCdE -> case bits encoded in the suffix 'IAA'... computed here rather than trusted:
      const stored = { Id: '001Ab00000AbCdEAAA', Name: 'X' };
      const local: SoqlSource = { ...source, records: () => [stored] };
      const checksum = (id: string) =>
        [0, 1, 2]
          .map((chunk) => {
            let bits = 0;
            for (let j = 0; j < 5; j++) if (/[A-Z]/.test(id[chunk * 5 + j]!)) bits |= 1 << j;
            return 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'[bits];
          })
          .join('');
      stored.Id = `001Ab00000AbCdE${checksum('001Ab00000AbCdE')}`;
      const query = (id: string) => executeSoql(`SELECT Id FROM Account WHERE Id = '${id}'`, local).totalSize;
      assert.equal(query('001Ab00000AbCdE'), 1);
      assert.equal(query(stored.Id.toUpperCase()), 1);
      assert.equal(query('001ab00000abcde'), 0);
    });
  });

  describe('dates and datetimes', () => {
    it('compares datetime literals as instants, whatever their offset', () => {
      assert.deepEqual(accountIds('SystemModstamp > 2024-01-01T00:00:00Z'), [A1, A3, A4]);
      assert.deepEqual(accountIds('SystemModstamp = 2024-01-02T10:00:00.000+0000'), [A1, A3]);
      assert.deepEqual(accountIds('SystemModstamp = 2024-01-02T11:00:00+01:00'), [A1, A3]);
      assert.deepEqual(accountIds('SystemModstamp <= 2024-01-01T00:30:00+01:00'), [A2]);
      assert.deepEqual(accountIds('SystemModstamp >= 2024-03-15T08:00:00Z'), [A4]);
    });

    it('compares date literals with date fields', () => {
      assert.deepEqual(accountIds('LastActivityDate = 2024-03-14'), [A1]);
      assert.deepEqual(accountIds('LastActivityDate >= 2024-03-01'), [A1, A2]);
      assert.deepEqual(accountIds('LastActivityDate < 2024-03-01'), [A4]);
    });

    it('TODAY, YESTERDAY and LAST_N_DAYS:n are day ranges (UTC)', () => {
      assert.deepEqual(accountIds('LastActivityDate = TODAY'), [A2]);
      assert.deepEqual(accountIds('LastActivityDate = YESTERDAY'), [A1]);
      assert.deepEqual(accountIds('LastActivityDate < TODAY'), [A1, A4]);
      assert.deepEqual(accountIds('LastActivityDate > YESTERDAY'), [A2]);
      assert.deepEqual(accountIds('LastActivityDate = LAST_N_DAYS:1'), [A1, A2]);
      assert.deepEqual(accountIds('LastActivityDate = LAST_N_DAYS:60'), [A1, A2, A4]);
      assert.deepEqual(accountIds('SystemModstamp = TODAY'), [A4]);
      assert.deepEqual(accountIds('SystemModstamp >= THIS_MONTH'), [A4]);
      assert.deepEqual(accountIds('SystemModstamp = LAST_N_DAYS:74'), [A1, A3, A4]);
      assert.deepEqual(accountIds('SystemModstamp = LAST_N_DAYS:72'), [A4]);
    });
  });

  describe('boolean logic', () => {
    it('AND, OR, NOT and parentheses', () => {
      assert.deepEqual(accountIds("Industry = 'Energy' AND IsDeleted = false"), [A1]);
      assert.deepEqual(accountIds("Type = 'Prospect' OR Industry = 'Retail' OR Id = null"), [A2, A4]);
      assert.deepEqual(accountIds("(Industry = 'Energy' AND IsDeleted = false) OR Type = 'Prospect'"), [
        A1,
        A2,
      ]);
      assert.deepEqual(accountIds("Industry = 'Energy' AND (IsDeleted = true OR Type = 'Prospect')"), [A3]);
      assert.deepEqual(accountIds("NOT Industry = 'Energy'"), [A2, A4]);
      assert.deepEqual(accountIds("NOT (Industry = 'Energy' OR Industry = null)"), [A4]);
      assert.deepEqual(accountIds("IsDeleted = false AND (NOT Type = 'customer')"), [A2]);
    });

    it('NOT binds to the condition that follows it, tighter than AND', () => {
      assert.deepEqual(accountIds("NOT Industry = 'Energy' AND Type = 'customer'"), [A4]);
      assert.deepEqual(accountIds("NOT (Industry = 'Energy' AND Type = 'customer')"), [A2, A3, A4]);
    });

    it('rejects AND mixed with OR without parentheses, and NOT after a conjunction, as Salesforce does', () => {
      const mixed = failure("SELECT Id FROM Account WHERE Name = 'a' AND Type = 'b' OR Type = 'c'");
      assert.equal(mixed.errorCode, 'MALFORMED_QUERY');
      assert.equal(mixed.detail, "unexpected token: 'OR'");
      assert.equal(
        failure("SELECT Id FROM Account WHERE Name = 'a' AND NOT Type = 'b'").detail,
        "unexpected token: 'NOT'",
      );
    });
  });

  describe('ORDER BY, LIMIT, OFFSET', () => {
    it('sorts ascending with nulls first by default, descending with nulls last', () => {
      assert.deepEqual(ids('SELECT Id FROM Account ORDER BY NumberOfEmployees'), [A3, A2, A1, A4]);
      assert.deepEqual(ids('SELECT Id FROM Account ORDER BY NumberOfEmployees DESC'), [A4, A1, A2, A3]);
      assert.deepEqual(ids('SELECT Id FROM Account ORDER BY NumberOfEmployees ASC NULLS LAST'), [
        A2,
        A1,
        A4,
        A3,
      ]);
      assert.deepEqual(ids('SELECT Id FROM Account ORDER BY NumberOfEmployees DESC NULLS FIRST'), [
        A3,
        A4,
        A1,
        A2,
      ]);
    });

    it('sorts text case-insensitively, on several keys', () => {
      assert.deepEqual(ids('SELECT Id FROM Account ORDER BY Name'), [A1, A3, A2, A4]);
      assert.deepEqual(ids('SELECT Id FROM Account ORDER BY Industry DESC, Name DESC'), [A4, A3, A1, A2]);
      assert.deepEqual(ids('SELECT Id FROM Account ORDER BY IsDeleted DESC, LastActivityDate'), [
        A3,
        A4,
        A1,
        A2,
      ]);
    });

    it('applies OFFSET then LIMIT; totalSize counts the returned rows', () => {
      const result = run('SELECT Id FROM Account ORDER BY Id LIMIT 2 OFFSET 1');
      assert.deepEqual(
        result.records.map((r) => r.Id),
        [A2, A3],
      );
      assert.equal(result.totalSize, 2);
      assert.deepEqual(ids('SELECT Id FROM Account ORDER BY Id OFFSET 3'), [A4]);
      assert.deepEqual(ids('SELECT Id FROM Account LIMIT 0'), []);
      assert.equal(run('SELECT COUNT() FROM Account LIMIT 3').totalSize, 3);
    });

    it('rejects OFFSET over 2000', () => {
      const error = failure('SELECT Id FROM Account OFFSET 2001');
      assert.equal(error.errorCode, 'NUMBER_OUTSIDE_VALID_RANGE');
      assert.equal(error.message, 'Maximum SOQL offset allowed is 2000');
      assert.equal(run('SELECT Id FROM Account OFFSET 2000').totalSize, 0);
    });
  });

  describe('queries a sync sends', () => {
    it('fetches accounts by a list of ids', () => {
      const result = run(`SELECT Id, Name, Type FROM Account WHERE Id IN ('${A1}','${A4.slice(0, 15)}')`);
      assert.deepEqual(
        result.records.map((r) => [r.Id, r.Name, r.Type]),
        [
          [A1, 'Acme', 'Customer'],
          [A4, 'Zeta\n"Quoted"', 'customer'],
        ],
      );
    });

    it('pages through changes by SystemModstamp then Id', () => {
      const result = run(
        'SELECT Id, SystemModstamp FROM Account WHERE SystemModstamp > 2024-01-01T00:00:00Z ORDER BY SystemModstamp, Id LIMIT 200',
      );
      assert.deepEqual(
        result.records.map((r) => r.Id),
        [A1, A3, A4],
      );
      const next = run(
        "SELECT Id FROM Account WHERE (SystemModstamp > 2024-01-02T10:00:00Z) OR (SystemModstamp = 2024-01-02T10:00:00Z AND Id > '001000000000001AAA') ORDER BY SystemModstamp, Id LIMIT 200",
      );
      assert.deepEqual(
        next.records.map((r) => r.Id),
        [A3, A4],
      );
    });

    it('combines AND/OR filters with IN and dates', () => {
      assert.deepEqual(
        accountIds(
          "IsDeleted = false AND (Type IN ('Customer') OR Regions__c INCLUDES ('AMER')) AND LastActivityDate > 2024-01-01",
        ),
        [A1, A2, A4],
      );
    });
  });

  describe('errors', () => {
    it('MALFORMED_QUERY for bad syntax, echoing the query with a caret like Salesforce', () => {
      const error = failure('SELECT Id FROMM Account');
      assert.equal(error.errorCode, 'MALFORMED_QUERY');
      assert.equal(error.detail, "unexpected token: 'FROMM'");
      assert.equal(
        error.message,
        "\nSELECT Id FROMM Account\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FROMM'",
      );
      assert.equal(failure('SELECT Id FROM Account WHERE').detail, "unexpected token: '<EOF>'");
      assert.equal(failure("SELECT Id FROM Account WHERE Name = 'x").errorCode, 'MALFORMED_QUERY');
      assert.equal(failure('SELECT Id FROM Account LIMIT 1.5').detail, "unexpected token: '1.5'");
      assert.equal(failure('SELECT Id FROM Account WHERE Name = Acme').detail, "unexpected token: 'Acme'");
      assert.equal(
        failure('SELECT Id FROM Account WHERE Name # 1').detail,
        "line 1:34 no viable alternative at character '#'",
      );
      assert.equal(failure('   ').message, 'SOQL statements cannot be empty or null');
      assert.equal(failure('SELECT Id, COUNT() FROM Account').errorCode, 'MALFORMED_QUERY');
      assert.match(
        failure("SELECT Id FROM Account WHERE Name = 'a\\qb'").detail,
        /Illegal character sequence '\\q'/,
      );
      assert.equal(
        failure('SELECT Id FROM Account WHERE SystemModstamp > 2024-02-30T00:00:00Z').errorCode,
        'MALFORMED_QUERY',
      );
    });

    it('INVALID_TYPE for an unknown object', () => {
      const error = failure('SELECT Id FROM Foo');
      assert.equal(error.errorCode, 'INVALID_TYPE');
      assert.equal(
        error.detail,
        "sObject type 'Foo' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
      );
      assert.equal(error.column, 16);
    });

    it('INVALID_FIELD for an unknown field in SELECT, WHERE and ORDER BY, and for an unknown relationship', () => {
      const message =
        "No such column 'Foo' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";
      for (const soql of [
        'SELECT Id, Foo FROM Account',
        "SELECT Id FROM Account WHERE Foo = 'x'",
        'SELECT Id FROM Account ORDER BY Foo',
      ]) {
        const error = failure(soql);
        assert.equal(error.errorCode, 'INVALID_FIELD', soql);
        assert.equal(error.detail, message, soql);
      }
      assert.equal(failure('SELECT Account.Foo FROM Contact').detail, message);
      const relationship = failure('SELECT Owner.Name FROM Contact');
      assert.equal(relationship.errorCode, 'INVALID_FIELD');
      assert.match(relationship.detail, /^Didn't understand relationship 'Owner' in field path\./);
      assert.equal(failure('SELECT Id, Name, name FROM Account').detail, 'duplicate field selected: Name');
    });

    it('INVALID_FIELD when a literal does not fit the field type', () => {
      const cases: Array<[string, string]> = [
        [
          "SystemModstamp > '2024-01-01T00:00:00Z'",
          "field 'SystemModstamp' must be of type dateTime and should not be enclosed in quotes",
        ],
        [
          'SystemModstamp > 2024-01-01',
          "field 'SystemModstamp' must be of type dateTime and should not be enclosed in quotes",
        ],
        [
          "LastActivityDate = '2024-01-01'",
          "field 'LastActivityDate' must be of type date and should not be enclosed in quotes",
        ],
        ['IsDeleted = 1', "field 'IsDeleted' must be of type boolean and should not be enclosed in quotes"],
        [
          "IsDeleted = 'true'",
          "field 'IsDeleted' must be of type boolean and should not be enclosed in quotes",
        ],
        [
          "NumberOfEmployees > '5'",
          "field 'NumberOfEmployees' must be of type integer and should not be enclosed in quotes",
        ],
        [
          'AnnualRevenue IN (1, true)',
          "field 'AnnualRevenue' must be of type double and should not be enclosed in quotes",
        ],
        ['Name = 5', "field 'Name' must be of type string and should be enclosed in quotes"],
        ['Type IN (true)', "field 'Type' must be of type string and should be enclosed in quotes"],
      ];
      for (const [where, tail] of cases) {
        const error = failure(`SELECT Id FROM Account WHERE ${where}`);
        assert.equal(error.errorCode, 'INVALID_FIELD', where);
        assert.equal(error.detail, `value of filter criterion for ${tail}`, where);
        assert.equal(error.column, 30, where);
      }
    });

    it('INVALID_QUERY_FILTER_OPERATOR for bad ids and operators that do not fit the field', () => {
      const badId = failure("SELECT Id FROM Account WHERE Id IN ('001000000000001AAA', 'abc')");
      assert.equal(badId.errorCode, 'INVALID_QUERY_FILTER_OPERATOR');
      assert.equal(badId.detail, 'invalid ID field: abc');
      assert.equal(
        failure("SELECT Id FROM Account WHERE Type INCLUDES ('a')").errorCode,
        'INVALID_QUERY_FILTER_OPERATOR',
      );
      assert.equal(
        failure("SELECT Id FROM Account WHERE Id LIKE '001%'").detail,
        'invalid operator on id field',
      );
      assert.equal(
        failure('SELECT Id FROM Account WHERE IsDeleted > false').detail,
        'invalid operator on boolean field',
      );
      assert.equal(failure('SELECT Id FROM Account ORDER BY Regions__c').errorCode, 'INVALID_FIELD');
    });
  });
});

describe('SOQL aggregates and labels (engine)', () => {
  it('parses GROUP BY, HAVING, aggregate ORDER BY, aliases, subqueries and semi-joins', () => {
    const q = parseSoql(
      'SELECT Type t, COUNT(Id), (SELECT Id FROM Contacts) FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact) GROUP BY Type HAVING COUNT(Id) > 1 ORDER BY COUNT(Id) DESC',
    );
    assert.deepEqual(
      q.select.map((s) => s.kind),
      ['field', 'aggregate', 'subquery'],
    );
    assert.equal(q.select[0]?.kind === 'field' && q.select[0].alias?.name, 't');
    assert.equal(q.select[2]?.kind === 'subquery' && q.select[2].query.from.name, 'Contacts');
    assert.equal(q.where?.kind === 'semijoin' && q.where.operator, 'NOT IN');
    assert.deepEqual(
      q.groupBy.map((g) => g.path.join('.')),
      ['Type'],
    );
    assert.equal(q.having?.kind === 'comparison' && q.having.fn, 'COUNT');
    assert.equal(q.orderBy[0]?.fn, 'COUNT');
    assert.equal(
      parseSoql("SELECT Id FROM Account WHERE Name = 'x' WITH SECURITY_ENFORCED").withSecurity,
      'SECURITY_ENFORCED',
    );
    assert.deepEqual(ids('SELECT Id FROM Account WITH USER_MODE ORDER BY Id LIMIT 1'), [A1]);
  });

  it('groups text case-insensitively, with a null group, and orders MIN/MAX of a picklist by its values', () => {
    const groups = run('SELECT Type, COUNT(Id) FROM Account GROUP BY Type ORDER BY Type NULLS FIRST').records;
    assert.deepEqual(
      groups.map((g) => [g.Type, g.expr0]),
      [
        [null, 1],
        ['Customer', 2],
        ['Prospect', 1],
      ],
    );
    // Alphabetically 'Prospect' is the larger; in the picklist it comes first.
    assert.deepEqual(run('SELECT MAX(Type), MIN(Type) FROM Account').records[0], {
      attributes: { type: 'AggregateResult' },
      expr0: 'Customer',
      expr1: 'Prospect',
    });
  });

  it('toLabel maps picklist values to labels and leaves other fields as they are', () => {
    assert.deepEqual(run(`SELECT toLabel(Type), toLabel(Name) FROM Account WHERE Id = '${A1}'`).records[0], {
      attributes: { type: 'Account', url: `/services/data/v59.0/sobjects/Account/${A1}` },
      Type: 'Customer - Direct',
      Name: 'Acme',
    });
    // A4 holds 'customer', which is no value of the picklist, so it has no label but itself.
    assert.deepEqual(accountIds("toLabel(Type) LIKE 'customer -%'"), [A1]);
    assert.deepEqual(accountIds("toLabel(Type) = 'customer'"), [A4]);
    assert.equal(failure('SELECT Id FROM Account ORDER BY toLabel(Type)').errorCode, 'MALFORMED_QUERY');
  });
});

describe('SOQL Id lookups', () => {
  /** The same records, with an Id lookup that records what it was asked and never scans. */
  function indexedSource() {
    const asked: string[][] = [];
    const indexed: SoqlSource = {
      ...source,
      records: (name) => {
        throw new Error(`scanned every ${name} although the WHERE clause pins Id`);
      },
      recordsWithIds: (name, wanted) => {
        asked.push(wanted);
        return (RECORDS[name] ?? []).filter((r) =>
          wanted.some((w) => w.slice(0, 15) === String(r.Id).slice(0, 15)),
        );
      },
    };
    return { indexed, asked };
  }

  it('answers Id = and Id IN (alone, qualified or in an AND) from the lookup, with the full WHERE applied', () => {
    const { indexed, asked } = indexedSource();
    const q = (soql: string) => executeSoql(soql, indexed, { now: NOW }).records.map((r) => r.Id as string);
    assert.deepEqual(q(`SELECT Id FROM Account WHERE Id = '${A2}'`), [A2]);
    assert.deepEqual(q(`SELECT Id FROM Account a WHERE a.Id IN ('${A3}', '${A1}') ORDER BY Id`), [A1, A3]);
    assert.deepEqual(q(`SELECT Id FROM Account WHERE Name = 'Acme' AND Id IN ('${A1}', '${A2}')`), [A1]);
    assert.deepEqual(q(`SELECT Id FROM Account WHERE Id = '${A1}' AND Name = 'nobody'`), []);
    assert.deepEqual(asked, [[A2], [A3, A1], [A1, A2], [A1]]);
    // The results equal a full scan's.
    assert.deepEqual(
      q(`SELECT Id FROM Account WHERE Id = '${A2}'`),
      ids(`SELECT Id FROM Account WHERE Id = '${A2}'`),
    );
  });

  it('scans when Id is not pinned (OR, NOT IN, other fields) and still validates Id literals', () => {
    const { indexed } = indexedSource();
    for (const where of [`Id = '${A1}' OR Name = 'x'`, `Id NOT IN ('${A1}')`, `Name = 'Acme'`])
      assert.throws(
        () => executeSoql(`SELECT Id FROM Account WHERE ${where}`, indexed, { now: NOW }),
        /scanned every/,
      );
    assert.throws(
      () => executeSoql("SELECT Id FROM Account WHERE Id = 'abc'", indexed, { now: NOW }),
      (err: unknown) => err instanceof SoqlError && err.errorCode === 'INVALID_QUERY_FILTER_OPERATOR',
    );
  });
});
