// Id-keyed paging (`Id > :cursor ORDER BY Id LIMIT n`) reads only its page in the sandbox's SOQL engine
// (soql/evaluate.ts idOrderedPage); it must answer exactly what filtering and sorting every row answers.
import assert from 'node:assert/strict';
import { executeSoql, storeSoqlSource } from '../../sandbox/salesforce/soql';
import type { SalesforceSandbox } from '../../sandbox/salesforce/index';
import { clientCredentialsConnection, startTestSandbox } from './salesforce-rest-helpers';

describe('Salesforce sandbox: Id-keyed paging', function () {
  let sb: SalesforceSandbox;

  before(async () => {
    sb = await startTestSandbox({});
    const res = await fetch(`${sb.url}/__sandbox/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accounts: 300, contactsPerAccount: 0, leads: 0, seed: 11 }),
    });
    assert.equal(res.status, 200);
  });
  after(async () => {
    await sb.close();
  });

  const ids = (soql: string, paged: boolean) => {
    const source = storeSoqlSource(sb.store, false);
    // Without the Id-ordered reader, the engine filters and sorts every row: the reference answer.
    const reference = { ...source, recordsInIdOrder: undefined };
    return executeSoql(soql, paged ? source : reference).records.map((r) => r.Id as string);
  };

  it('answers Id-keyed pages exactly as a full sort would, filters and deletions included', async () => {
    const all = ids('SELECT Id FROM Account ORDER BY Id', false);
    assert.equal(all.length, 300);
    // Deleted rows (in the recycle bin) are skipped by both paths.
    const conn = await clientCredentialsConnection(sb);
    await conn.sobject('Account').destroy(all.slice(10, 20));
    assert.equal(ids('SELECT Id FROM Account ORDER BY Id', false).length, 290);
    const cursors = [undefined, all[0], all[57], all[150], all[298], all[299]];
    for (const cursor of cursors) {
      for (const where of ['', `Name LIKE '%1%'`]) {
        const conditions = [cursor ? `Id > '${cursor}'` : '', where].filter(Boolean).join(' AND ');
        const soql = `SELECT Id FROM Account${conditions ? ` WHERE ${conditions}` : ''} ORDER BY Id LIMIT 25`;
        assert.deepEqual(ids(soql, true), ids(soql, false), soql);
        const offset = `${soql} OFFSET 5`;
        assert.deepEqual(ids(offset, true), ids(offset, false), offset);
      }
    }
    // Paging through with the cursor visits every row once, in order.
    const seen: string[] = [];
    for (let cursor: string | undefined; ;) {
      const page = ids(
        `SELECT Id FROM Account${cursor ? ` WHERE Id > '${cursor}'` : ''} ORDER BY Id LIMIT 40`,
        true,
      );
      if (page.length === 0) break;
      seen.push(...page);
      cursor = page[page.length - 1];
    }
    assert.deepEqual(seen, ids('SELECT Id FROM Account ORDER BY Id', false));
  });
});
