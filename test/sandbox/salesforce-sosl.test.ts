// SOSL through jsforce's search(): search groups, phrases, operators, wildcards, escaping of reserved
// characters, RETURNING field lists with their own clauses, and Salesforce's errors.
import assert from 'node:assert/strict';
import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../sandbox/salesforce/index';
import { clientCredentialsConnection, startTestSandbox, thrown } from './salesforce-rest-helpers';

type Found = { attributes: { type: string; url: string } } & Record<string, unknown>;

describe('Salesforce sandbox: SOSL search', function () {
  let sb: SalesforceSandbox;
  let conn: Connection;

  before(async () => {
    sb = await startTestSandbox();
    conn = await clientCredentialsConnection(sb);
    for (const Name of ['Acme Corp', 'Acme Labs', 'Globex']) await conn.sobject('Account').create({ Name });
    await conn.sobject('Contact').create({
      FirstName: 'Joe',
      LastName: 'Smith',
      Email: 'joe@acme.com',
      Phone: '(415) 555-1212',
    });
    await conn.sobject('Contact').create({ LastName: "O'Brien" });
    await conn.sobject('Lead').create({ FirstName: 'Joe', LastName: 'Smythe', Company: 'Smythe Ltd' });
  });
  after(async () => {
    await sb.close();
  });

  const search = async (sosl: string) =>
    ((await conn.search(sosl)) as unknown as { searchRecords: Found[] }).searchRecords;
  const names = (records: Found[], field = 'Name') => records.map((r) => r[field]);

  it('answers {searchRecords} with the RETURNING fields, in RETURNING order, honouring its clauses', async () => {
    const found = await search('FIND {Acme} IN ALL FIELDS RETURNING Account(Id, Name ORDER BY Name DESC)');
    assert.deepEqual(names(found), ['Acme Labs', 'Acme Corp']);
    assert.equal(found[0]!.attributes.type, 'Account');
    assert.match(found[0]!.attributes.url, /^\/services\/data\/v60\.0\/sobjects\/Account\/001/);
    const limited = await search("FIND {Acme} RETURNING Account(Name WHERE Name LIKE '%Labs' LIMIT 1)");
    assert.deepEqual(names(limited), ['Acme Labs']);
  });

  it('without RETURNING, searches every searchable object and returns ids', async () => {
    const found = await search('FIND {acme}');
    assert.deepEqual(found.map((r) => r.attributes.type).sort(), ['Account', 'Account', 'Contact']);
    assert.deepEqual(Object.keys(found[0]!).sort(), ['Id', 'attributes']);
  });

  it('limits the fields searched with IN NAME / EMAIL / PHONE FIELDS; phone digits ignore formatting', async () => {
    assert.deepEqual(
      names(await search('FIND {acme} IN EMAIL FIELDS RETURNING Account(Name), Contact(Name)')),
      ['Joe Smith'],
    );
    assert.deepEqual(names(await search('FIND {acme} IN NAME FIELDS RETURNING Contact(Name)')), []);
    assert.deepEqual(names(await search('FIND {4155551212} IN PHONE FIELDS RETURNING Contact(Name)')), [
      'Joe Smith',
    ]);
  });

  it('supports phrases, AND / OR / AND NOT, parentheses and the * and ? wildcards', async () => {
    const returning = 'RETURNING Contact(Name), Lead(Name)';
    assert.deepEqual(names(await search(`FIND {"Joe Smith" OR "Joe Smythe"} IN NAME FIELDS ${returning}`)), [
      'Joe Smith',
      'Joe Smythe',
    ]);
    assert.deepEqual(names(await search(`FIND {Joe AND NOT Smythe} ${returning}`)), ['Joe Smith']);
    assert.deepEqual(names(await search(`FIND {Joe (Smith OR Nobody)} ${returning}`)), ['Joe Smith']);
    assert.deepEqual(names(await search(`FIND {Sm?th*} ${returning}`)), ['Joe Smith', 'Joe Smythe']);
    assert.deepEqual(names(await search(`FIND {"Smith Joe"} ${returning}`)), []);
  });

  it('treats escaped reserved characters as literal text', async () => {
    assert.deepEqual(names(await search("FIND {O\\'Brien} RETURNING Contact(LastName)"), 'LastName'), [
      "O'Brien",
    ]);
    assert.deepEqual(names(await search('FIND {Acme\\-Labs} RETURNING Account(Name)')), ['Acme Labs']);
    // An unescaped } ends the search term, so what follows is not SOSL.
    const err = await thrown(() => search('FIND {ab}cd} RETURNING Account(Name)'));
    assert.equal(err.errorCode, 'MALFORMED_SEARCH');
    assert.equal(err.message, "unexpected token: 'cd}'");
  });

  it("answers malformed searches with Salesforce's errors", async () => {
    let err = await thrown(() => search('FIND Acme'));
    assert.equal(err.errorCode, 'MALFORMED_SEARCH');
    assert.equal(err.message, 'No search term found. The search term must be enclosed in braces.');
    err = await thrown(() => search('FIND {a}'));
    assert.equal(err.message, 'search term must be longer than one character');
    err = await thrown(() => search('FIND {Acme} RETURNING Widget__c(Name)'));
    assert.equal(err.errorCode, 'INVALID_TYPE');
    err = await thrown(() => search('FIND {Acme} RETURNING Account(Nope)'));
    assert.equal(err.errorCode, 'INVALID_FIELD');
  });

  it('applies the overall LIMIT across objects', async () => {
    const found = await search('FIND {acme} RETURNING Account(Name), Contact(Name) LIMIT 2');
    assert.equal(found.length, 2);
  });
});
