// SOQL beyond plain selects, end to end through jsforce against the sandbox's store: parent-to-child
// subqueries, COUNT() and aggregate functions with GROUP BY / HAVING, toLabel(), semi- and anti-joins,
// and the errors Salesforce gives for queries it refuses.
import assert from 'node:assert/strict';
import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../sandbox/salesforce/index';
import { findField } from '../../sandbox/salesforce/schema';
import { clientCredentialsConnection, startTestSandbox, thrown } from './salesforce-rest-helpers';

type Row = Record<string, unknown> & { attributes: { type: string; url: string } };

describe('Salesforce sandbox: SOQL subqueries, aggregates, toLabel and semi-joins', function () {
  let sb: SalesforceSandbox;
  let conn: Connection;
  const ids: Record<string, string> = {};

  before(async () => {
    sb = await startTestSandbox();
    conn = await clientCredentialsConnection(sb);
    const accounts = [
      { Name: 'Acme', Industry: 'Technology', NumberOfEmployees: 100 },
      { Name: 'Globex', Industry: 'Technology', NumberOfEmployees: 300 },
      { Name: 'Initech', Industry: 'Banking', NumberOfEmployees: 50 },
      { Name: 'Umbrella', NumberOfEmployees: 7 },
    ];
    for (const a of accounts) {
      const res = await conn.sobject('Account').create(a);
      ids[a.Name] = (res as { id: string }).id;
    }
    const contacts = [
      { LastName: 'Zed', AccountId: ids.Acme },
      { LastName: 'Adams', AccountId: ids.Acme },
      { LastName: 'Brown', AccountId: ids.Globex },
      { LastName: 'Loner' },
    ];
    for (const c of contacts) await conn.sobject('Contact').create(c);
  });
  after(async () => {
    await sb.close();
  });

  const query = async (soql: string) => conn.query<Row>(soql);
  const queryError = async (soql: string) => thrown(() => conn.query(soql));

  describe('parent-to-child subqueries', () => {
    it('nests each parent’s children as a query result, null when it has none', async () => {
      const res = await query(
        'SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account ORDER BY Name',
      );
      assert.equal(res.totalSize, 4);
      const byName = new Map(res.records.map((r) => [r.Name, r]));
      const acme = byName.get('Acme')!.Contacts as { totalSize: number; done: boolean; records: Row[] };
      assert.equal(acme.totalSize, 2);
      assert.equal(acme.done, true);
      assert.deepEqual(
        acme.records.map((c) => c.LastName),
        ['Adams', 'Zed'],
      );
      assert.equal(acme.records[0]!.attributes.type, 'Contact');
      assert.match(acme.records[0]!.attributes.url, /\/sobjects\/Contact\/003/);
      assert.equal(byName.get('Initech')!.Contacts, null);
    });

    it('applies the subquery’s WHERE and LIMIT per parent, case-insensitively named', async () => {
      const res = await query(
        `SELECT Id, (SELECT Id, LastName FROM contacts WHERE LastName != 'Adams' LIMIT 1) FROM Account WHERE Id = '${ids.Acme}'`,
      );
      const contacts = res.records[0]!.Contacts as { records: Row[] };
      assert.deepEqual(
        contacts.records.map((c) => c.LastName),
        ['Zed'],
      );
    });

    it('refuses an unknown child relationship with INVALID_TYPE', async () => {
      const err = await queryError('SELECT Id, (SELECT Id FROM Contactz) FROM Account');
      assert.equal(err.errorCode, 'INVALID_TYPE');
      assert.match(err.message, /Didn't understand relationship 'Contactz' in FROM part of query call/);
    });
  });

  describe('COUNT and aggregates', () => {
    it('COUNT() returns only totalSize; COUNT(Id) returns an AggregateResult with expr0', async () => {
      const count = await query('SELECT COUNT() FROM Account');
      assert.equal(count.totalSize, 4);
      assert.deepEqual(count.records, []);
      const countId = await query("SELECT COUNT(Id) FROM Account WHERE Industry = 'Technology'");
      assert.equal(countId.totalSize, 1);
      assert.deepEqual(countId.records, [{ attributes: { type: 'AggregateResult' }, expr0: 2 }]);
    });

    it('groups with every aggregate function, aliases and unaliased exprN, HAVING and ORDER BY', async () => {
      const res = await query(
        'SELECT Industry, COUNT(Id) n, MAX(NumberOfEmployees), MIN(NumberOfEmployees), SUM(NumberOfEmployees), AVG(NumberOfEmployees) avgSize, COUNT_DISTINCT(Name) ' +
          'FROM Account GROUP BY Industry ORDER BY COUNT(Id) DESC, Industry NULLS LAST',
      );
      assert.deepEqual(res.records, [
        {
          attributes: { type: 'AggregateResult' },
          Industry: 'Technology',
          n: 2,
          expr0: 300,
          expr1: 100,
          expr2: 400,
          avgSize: 200,
          expr3: 2,
        },
        {
          attributes: { type: 'AggregateResult' },
          Industry: 'Banking',
          n: 1,
          expr0: 50,
          expr1: 50,
          expr2: 50,
          avgSize: 50,
          expr3: 1,
        },
        {
          attributes: { type: 'AggregateResult' },
          Industry: null,
          n: 1,
          expr0: 7,
          expr1: 7,
          expr2: 7,
          avgSize: 7,
          expr3: 1,
        },
      ]);
      const having = await query(
        'SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry HAVING COUNT(Id) > 1',
      );
      assert.deepEqual(
        having.records.map((r) => [r.Industry, r.expr0]),
        [['Technology', 2]],
      );
      const byParent = await query(
        'SELECT Account.Name, COUNT(Id) FROM Contact WHERE AccountId != null GROUP BY Account.Name ORDER BY Account.Name',
      );
      assert.deepEqual(
        byParent.records.map((r) => [r.Name, r.expr0]),
        [
          ['Acme', 2],
          ['Globex', 1],
        ],
      );
    });

    it('answers one row over no matching records: COUNT 0, the others null', async () => {
      const res = await query("SELECT COUNT(Id), MAX(NumberOfEmployees) FROM Account WHERE Name = 'nobody'");
      assert.deepEqual(res.records, [{ attributes: { type: 'AggregateResult' }, expr0: 0, expr1: null }]);
    });

    it('refuses ungrouped fields, ungroupable fields and aggregates that do not fit the type', async () => {
      let err = await queryError('SELECT Name, COUNT(Id) FROM Account');
      assert.equal(err.errorCode, 'MALFORMED_QUERY');
      assert.match(err.message, /Field must be grouped or aggregated: Name$/);
      err = await queryError('SELECT Description FROM Account GROUP BY Description');
      assert.equal(err.errorCode, 'MALFORMED_QUERY');
      assert.match(err.message, /field 'Description' can not be grouped in a query call$/);
      err = await queryError('SELECT SUM(Name) FROM Account');
      assert.match(err.message, /field Name does not support aggregate operator SUM$/);
      err = await queryError('SELECT Name n FROM Account');
      assert.equal(err.errorCode, 'MALFORMED_QUERY');
      assert.match(err.message, /unexpected token: 'n'$/);
    });
  });

  describe('toLabel()', () => {
    // A picklist value whose label differs from its API name, whatever the schema holds.
    const picked = (() => {
      for (const name of ['Tier__c', 'Type', 'Industry', 'Rating']) {
        const option = findField('Account', name)?.picklist?.values.find((v) => v.value !== v.label);
        if (option) return { field: name, ...option };
      }
      return undefined;
    })();

    it('returns picklist labels, under an alias when one is given, and filters on labels', async function () {
      assert.ok(picked, 'the Account schema has a picklist value whose label differs from its API name');
      const { field, value, label } = picked;
      await conn.sobject('Account').update({ Id: ids.Umbrella!, [field]: value });
      const res = await query(
        `SELECT Name, ${field}, toLabel(${field}) shown FROM Account WHERE toLabel(${field}) = '${label.replace(/'/g, "\\'")}'`,
      );
      assert.equal(res.totalSize, 1);
      assert.equal(res.records[0]![field], value);
      assert.equal(res.records[0]!.shown, label);
      const plain = await query(`SELECT toLabel(${field}) FROM Account WHERE Id = '${ids.Umbrella}'`);
      assert.equal(plain.records[0]![field], label);
      const err = await queryError(`SELECT ${field}, toLabel(${field}) FROM Account`);
      assert.equal(err.errorCode, 'INVALID_FIELD');
      assert.match(err.message, /duplicate field selected/);
    });
  });

  describe('semi-joins and anti-joins', () => {
    it('keeps the records whose id the subquery selects (IN) or does not (NOT IN)', async () => {
      const semi = await query(
        "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE LastName = 'Zed') ORDER BY Name",
      );
      assert.deepEqual(
        semi.records.map((r) => r.Name),
        ['Acme'],
      );
      const anti = await query(
        'SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact) ORDER BY Name',
      );
      assert.deepEqual(
        anti.records.map((r) => r.Name),
        ['Initech', 'Umbrella'],
      );
      const both = await query(
        `SELECT LastName FROM Contact WHERE AccountId IN (SELECT Id FROM Account WHERE Industry = 'Technology') AND LastName != 'Zed' ORDER BY LastName`,
      );
      assert.deepEqual(
        both.records.map((r) => r.LastName),
        ['Adams', 'Brown'],
      );
    });

    it('refuses a subquery that selects a field other than an id', async () => {
      const err = await queryError('SELECT Id FROM Account WHERE Id IN (SELECT LastName FROM Contact)');
      assert.equal(err.errorCode, 'MALFORMED_QUERY');
      assert.match(err.message, /semi join sub selects can only query id fields, cannot use: 'LastName'$/);
    });
  });
});
