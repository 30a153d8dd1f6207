// SOQL paging and sObject Collections against the Salesforce sandbox, through jsforce unmodified.
import assert from 'node:assert/strict';
import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../sandbox/salesforce/index';
import {
  API_VERSION,
  clientCredentialsConnection,
  raw,
  RecordingSink,
  startTestSandbox,
  thrown,
} from './salesforce-rest-helpers';

describe('Salesforce sandbox: query paging and composite collections', function () {
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

  const seed = async (body: Record<string, number>) => {
    const res = await fetch(`${sb.url}/__sandbox/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200);
    return (await res.json()) as { accounts: number; contacts: number; leads: number };
  };

  it('pages a query in batches of 2000 by default and follows nextRecordsUrl with autoFetch', async () => {
    const summary = await seed({ accounts: 1500, contactsPerAccount: 3, leads: 0, seed: 7 });
    assert.deepEqual(summary, { accounts: 1500, contacts: 4500, leads: 0 });

    const first = (await raw(
      sb,
      'GET',
      `/services/data/v${API_VERSION}/query?q=${encodeURIComponent('SELECT Id FROM Contact')}`,
      {
        token: conn.accessToken!,
      },
    )) as { body: { totalSize: number; done: boolean; nextRecordsUrl?: string; records: unknown[] } };
    assert.equal(first.body.totalSize, 4500);
    assert.equal(first.body.done, false);
    assert.equal(first.body.records.length, 2000);
    assert.match(
      first.body.nextRecordsUrl ?? '',
      new RegExp(`^/services/data/v${API_VERSION}/query/01g[a-zA-Z0-9]{15}-2000$`),
    );

    const all = await conn.query('SELECT Id, Name, AccountId FROM Contact', {
      autoFetch: true,
      maxFetch: 10_000,
    });
    assert.equal(all.totalSize, 4500);
    assert.equal(all.records.length, 4500);
    assert.equal(new Set(all.records.map((r) => r.Id)).size, 4500);
  });

  it('honours Sforce-Query-Options batchSize', async () => {
    await seed({ accounts: 450, contactsPerAccount: 0, leads: 0 });
    let pages = 0;
    const query = conn.query('SELECT Id FROM Account ORDER BY Name', {
      autoFetch: true,
      headers: { 'Sforce-Query-Options': 'batchSize=200' },
    });
    query.on('fetch', () => {
      pages += 1;
    });
    const res = await query;
    assert.equal(res.records.length, 450);
    assert.equal(pages, 3);

    const bad = await thrown(() =>
      conn.queryMore(`/services/data/v${API_VERSION}/query/01g000000000000AAA-200`),
    );
    assert.equal(bad.errorCode, 'INVALID_QUERY_LOCATOR');
  });

  it('updates 200 records in one composite call, one transaction, and rejects 201', async () => {
    await seed({ accounts: 201, contactsPerAccount: 0, leads: 0 });
    sink.clear();
    const ids = (await conn.query<{ Id: string }>('SELECT Id FROM Account', { autoFetch: true })).records.map(
      (r) => r.Id,
    );
    const results = await conn
      .sobject('Account')
      .update(ids.slice(0, 200).map((Id, i) => ({ Id, Zendesk_Organization_Id__c: `zd-${i}` })));
    assert.equal(results.length, 200);
    assert.ok(results.every((r) => r.success));
    assert.equal(sink.changes.length, 200);
    assert.equal(new Set(sink.changes.map((c) => c.transactionKey)).size, 1);
    assert.deepEqual(
      sink.changes.map((c) => c.sequenceNumber),
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    assert.deepEqual(sink.changes[0]?.changedFields, ['Zendesk_Organization_Id__c', 'LastModifiedDate']);

    const err = await thrown(() =>
      conn.sobject('Account').update(ids.map((Id) => ({ Id, Zendesk_Organization_Id__c: 'over-limit' }))),
    );
    assert.equal(err.errorCode, 'EXCEEDED_ID_LIMIT');
    assert.equal(
      (await conn.query("SELECT Id FROM Account WHERE Zendesk_Organization_Id__c = 'over-limit'")).totalSize,
      0,
    );
  });

  it('returns per-record SaveResults, and rolls everything back with allOrNone', async () => {
    const [a, b] = await conn.sobject('Account').create([{ Name: 'A' }, { Name: 'B' }]);
    assert.ok(a?.success && b?.success);
    sink.clear();

    const partial = await conn.sobject('Account').update([
      { Id: a.id, Tier__c: 'Tier_1' },
      { Id: b.id, Tier__c: 'Diamond' },
    ]);
    assert.equal(partial[0]?.success, true);
    assert.equal(partial[1]?.success, false);
    const failure = partial[1] as unknown as {
      id: string;
      errors: { statusCode: string; fields: string[] }[];
    };
    assert.equal(failure.id, b.id);
    assert.equal(failure.errors[0]?.statusCode, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    assert.deepEqual(failure.errors[0]?.fields, ['Tier__c']);
    assert.equal(sink.changes.length, 1);

    sink.clear();
    const rolled = await conn.sobject('Account').update(
      [
        { Id: a.id, Tier__c: 'Tier_2' },
        { Id: b.id, Tier__c: 'Diamond' },
      ],
      { allOrNone: true },
    );
    assert.deepEqual(
      rolled.map((r) => (r as unknown as { errors: { statusCode: string }[] }).errors[0]?.statusCode),
      ['ALL_OR_NONE_OPERATION_ROLLED_BACK', 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'],
    );
    assert.equal(sink.changes.length, 0);
    const stored = (await conn.sobject('Account').retrieve(a.id)) as unknown as { Tier__c: string };
    assert.equal(stored.Tier__c, 'Tier_1');
  });

  it('retrieves many records by id through the collection endpoint', async () => {
    const created = await conn.sobject('Lead').create([
      { LastName: 'Ngozi', Company: 'Acme', Status: 'Working - Contacted' },
      { LastName: '田中', Company: '株式会社サクラ' },
    ]);
    const ids = created.map((r) => r.id!);
    const records = (await conn
      .sobject('Lead')
      .retrieve([...ids, '00Q000000000000AAA'])) as unknown as (Record<string, unknown> | null)[];
    assert.equal(records.length, 3);
    assert.equal(records[0]?.Status, 'Working - Contacted');
    // The real default of the restricted Lead Status picklist.
    assert.equal(records[1]?.Status, 'Open - Not Contacted');
    assert.equal(records[1]?.Name, '田中');
    assert.equal(records[2], null);

    const deleted = await conn.sobject('Lead').destroy(ids);
    assert.ok(deleted.every((r) => r.success));
    assert.equal((await conn.query('SELECT Id FROM Lead')).totalSize, 0);
  });

  it('lists updated and deleted ids for a time window (replication API)', async () => {
    const start = new Date(Date.now() - 60_000);
    const [kept, gone] = await conn.sobject('Contact').create([{ LastName: 'Kept' }, { LastName: 'Gone' }]);
    await conn.sobject('Contact').destroy(gone!.id!);
    const end = new Date(Date.now() + 60_000);
    const updated = await conn.sobject('Contact').updated(start, end);
    assert.deepEqual(updated.ids, [kept!.id]);
    const deleted = await conn.sobject('Contact').deleted(start, end);
    assert.deepEqual(
      deleted.deletedRecords.map((r) => r.id),
      [gone!.id],
    );
  });

  it('upserts by external id, singly and as a collection, and reports ambiguous matches', async () => {
    const first = await conn
      .sobject('Account')
      .upsert({ Name: 'Ext One', External_Key__c: 'EXT-1' }, 'External_Key__c');
    assert.equal(first.success, true);
    assert.equal((first as unknown as { created: boolean }).created, true);
    const again = await conn
      .sobject('Account')
      .upsert({ Name: 'Ext One (renamed)', External_Key__c: 'ext-1' }, 'External_Key__c');
    assert.equal((again as unknown as { created: boolean }).created, false);
    assert.equal(again.id, first.id);

    const many = await conn.sobject('Account').upsert(
      [
        { Name: 'Ext Two', External_Key__c: 'EXT-2' },
        { Name: 'Ext One again', External_Key__c: 'EXT-1' },
      ],
      'External_Key__c',
    );
    assert.deepEqual(
      many.map((r) => [r.success, (r as unknown as { created: boolean }).created]),
      [
        [true, true],
        [true, false],
      ],
    );
    const byKey = await raw(
      sb,
      'GET',
      `/services/data/v${API_VERSION}/sobjects/Account/External_Key__c/EXT-1?fields=Name`,
      {
        token: conn.accessToken!,
      },
    );
    assert.equal((byKey.body as { Name: string }).Name, 'Ext One again');

    // Email is an id-lookup field; two contacts sharing it make the upsert ambiguous (300).
    await conn.sobject('Contact').create([
      { LastName: 'A', Email: 'shared@example.com' },
      { LastName: 'B', Email: 'shared@example.com' },
    ]);
    const err = await thrown(() =>
      conn.sobject('Contact').upsert({ LastName: 'C', Email: 'shared@example.com' }, 'Email'),
    );
    assert.equal(err.errorCode, 'MULTIPLE_CHOICES');
    const notExternal = await raw(sb, 'PATCH', `/services/data/v${API_VERSION}/sobjects/Account/Name/Acme`, {
      token: conn.accessToken!,
      body: '{}',
    });
    assert.equal(notExternal.status, 404);
  });

  it('checks numeric precision and rounds to scale', async () => {
    const tooBig = await thrown(() => conn.sobject('Account').create({ Name: 'n', Health_Score__c: 1234.5 }));
    assert.equal(tooBig.errorCode, 'NUMBER_OUTSIDE_VALID_RANGE');
    const { id } = await conn.sobject('Account').create({ Name: 'n', Health_Score__c: 98.765 });
    const acc = (await conn.sobject('Account').retrieve(id!)) as unknown as { Health_Score__c: number };
    assert.equal(acc.Health_Score__c, 98.77);
  });

  it('serves the identity URL from the token response', async () => {
    const identity = await conn.identity();
    assert.equal(identity.user_id, sb.org.userId);
    assert.equal(identity.organization_id, sb.org.orgId);
    assert.equal(identity.username, 'admin@sandbox.test');
  });
});
