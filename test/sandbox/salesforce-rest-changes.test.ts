// What the Salesforce sandbox publishes for CDC on each write, plus seed determinism and snapshots.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamingExtension } from 'jsforce/api/streaming';
import type { SalesforceSandbox } from '../../sandbox/salesforce/index';
import { generateSalesforceSeed } from '../../sandbox/seed/salesforce-seed';
import {
  API_VERSION,
  clientCredentialsConnection,
  raw,
  RecordingSink,
  startTestSandbox,
} from './salesforce-rest-helpers';

describe('Salesforce sandbox: published changes, seed and snapshot', function () {
  describe('RecordChange sequence', () => {
    let sb: SalesforceSandbox;
    const sink = new RecordingSink();

    before(async () => {
      sb = await startTestSandbox({ changeSink: sink });
    });
    after(async () => {
      await sb.close();
    });
    beforeEach(() => sink.clear());

    it('publishes CREATE, UPDATE (changed fields only) and DELETE with the REST changeOrigin', async () => {
      const conn = await clientCredentialsConnection(sb, { callOptions: { client: 'zendesk-sync' } });
      const origin = `com/salesforce/api/rest/${API_VERSION};client=zendesk-sync`;

      const { id } = await conn
        .sobject('Account')
        .create({ Name: 'Café Olé', Phone: '+33 1 23 45 67 89', Country__c: 'France' });
      await new Promise((r) => setTimeout(r, 3));
      await conn
        .sobject('Account')
        .update({ Id: id!, Phone: '+33 1 23 45 67 89', Country__c: null, Rating: 'Warm' });
      await new Promise((r) => setTimeout(r, 3));
      await conn.sobject('Account').update({ Id: id!, Rating: 'Warm' });
      await conn.sobject('Account').destroy(id!);

      const [create, update, noop, del] = sink.changes;
      assert.equal(sink.changes.length, 4);

      assert.equal(create?.changeType, 'CREATE');
      assert.equal(create.entityName, 'Account');
      assert.deepEqual(create.recordIds, [id]);
      assert.equal(create.changeOrigin, origin);
      assert.equal(create.fields.Name, 'Café Olé');
      assert.equal(create.fields.OwnerId, sb.org.userId);
      assert.ok(!('Rating' in create.fields), 'empty fields are left out of CREATE');
      assert.ok(!('Region_Formula__c' in create.fields), 'formula fields are not captured');
      assert.equal(create.sequenceNumber, 1);

      assert.equal(update?.changeType, 'UPDATE');
      assert.deepEqual(update.changedFields, ['Country__c', 'Rating', 'LastModifiedDate']);
      assert.deepEqual(Object.keys(update.fields).sort(), ['Country__c', 'LastModifiedDate', 'Rating']);
      assert.equal(update.fields.Country__c, null);
      assert.equal(update.fields.Rating, 'Warm');
      assert.notEqual(update.transactionKey, create.transactionKey);

      // A PATCH that changes nothing still bumps LastModifiedDate.
      assert.deepEqual(noop?.changedFields, ['LastModifiedDate']);
      assert.ok(String(noop.fields.LastModifiedDate) > String(update.fields.LastModifiedDate));

      assert.equal(del?.changeType, 'DELETE');
      assert.deepEqual(del.fields, {});
      assert.deepEqual(del.recordIds, [id]);
      assert.ok(del.commitTimestamp >= create.commitTimestamp);
    });

    it('nests the compound Name of contacts and uses the plain origin without call options', async () => {
      const conn = await clientCredentialsConnection(sb);
      const acc = await conn.sobject('Account').create({ Name: 'Parent' });
      const { id } = await conn
        .sobject('Contact')
        .create({ FirstName: 'Zoë', LastName: 'Müller', AccountId: acc.id! });
      await conn.sobject('Contact').update({ Id: id!, LastName: 'Dubois' });
      const [, create, update] = sink.changes;
      assert.equal(create?.changeOrigin, `com/salesforce/api/rest/${API_VERSION}`);
      assert.deepEqual(create?.fields.Name, { FirstName: 'Zoë', LastName: 'Müller' });
      assert.equal(create?.fields.AccountId, acc.id);
      assert.deepEqual(update?.changedFields, ['Name.LastName', 'LastModifiedDate']);
      assert.deepEqual(update?.fields.Name, { LastName: 'Dubois' });

      // Deleting the account cascades to the contact in the same transaction.
      sink.clear();
      await conn.sobject('Account').destroy(acc.id!);
      assert.deepEqual(
        sink.changes.map((c) => [c.entityName, c.changeType, c.sequenceNumber]),
        [
          ['Account', 'DELETE', 1],
          ['Contact', 'DELETE', 2],
        ],
      );
      assert.equal(sink.changes[0]?.transactionKey, sink.changes[1]?.transactionKey);
    });

    it('publishes nothing for a failed write', async () => {
      const conn = await clientCredentialsConnection(sb);
      await assert.rejects(conn.sobject('Account').create({ Name: 'x', Tier__c: 'Nope' }));
      assert.equal(sink.changes.length, 0);
    });
  });

  describe('CDC wiring', () => {
    it('feeds committed writes to the built-in CDC feed by default', async () => {
      const sb = await startTestSandbox();
      try {
        const conn = await clientCredentialsConnection(sb);
        await conn.sobject('Lead').create({ LastName: 'Kim', Company: 'Globex' });
        const retained = sb.cdc.retained();
        assert.equal(retained.length, 1);
        assert.equal(JSON.stringify(retained[0]).includes('"changeType":"CREATE"'), true);
      } finally {
        await sb.close();
      }
    });
    it('delivers REST writes to a jsforce CometD subscriber end to end', async () => {
      const sb = await startTestSandbox();
      const clients: { disconnect(): void }[] = [];
      try {
        const conn = await clientCredentialsConnection(sb, { callOptions: { client: 'e2e' } });
        const received: {
          payload: Record<string, unknown> & { ChangeEventHeader: Record<string, unknown> };
        }[] = [];
        const client = conn.streaming.createClient([
          new StreamingExtension.Replay('/data/ContactChangeEvent', -1),
        ]) as unknown as {
          subscribe(channel: string, cb: (data: (typeof received)[number]) => void): PromiseLike<void>;
          disconnect(): void;
        };
        clients.push(client);
        await client.subscribe('/data/ContactChangeEvent', (data) => received.push(data));
        const { id } = await conn.sobject('Contact').create({ FirstName: 'Noa', LastName: 'כהן' });
        const deadline = Date.now() + 4000;
        while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        const event = received[0]?.payload;
        assert.ok(event, 'no change event arrived');
        assert.deepEqual(event.ChangeEventHeader.recordIds, [id]);
        assert.equal(event.ChangeEventHeader.changeType, 'CREATE');
        assert.equal(
          event.ChangeEventHeader.changeOrigin,
          `com/salesforce/api/rest/${API_VERSION};client=e2e`,
        );
        assert.deepEqual(event.Name, { FirstName: 'Noa', LastName: 'כהן' });
      } finally {
        for (const c of clients) c.disconnect();
        await sb.close();
      }
    });
  });

  describe('seed generator', () => {
    it('is deterministic and realistically messy', () => {
      const a = generateSalesforceSeed({ accounts: 60, contactsPerAccount: 3, leads: 30, seed: 42 });
      const b = generateSalesforceSeed({ accounts: 60, contactsPerAccount: 3, leads: 30, seed: 42 });
      assert.deepEqual(a, b);
      assert.notDeepEqual(
        a,
        generateSalesforceSeed({ accounts: 60, contactsPerAccount: 3, leads: 30, seed: 43 }),
      );

      const names = a.accounts.map((x) => String(x.fields.Name));
      assert.ok(new Set(names).size < names.length, 'duplicate account names');
      const contacts = a.accounts.flatMap((x) => x.contacts);
      assert.equal(contacts.length, 180);
      assert.ok(
        contacts.some((c) => c.fields.Email === null),
        'missing emails',
      );
      const phones = [...contacts, ...a.accounts]
        .map((c) => c.fields.Phone)
        .filter((p): p is string => typeof p === 'string');
      assert.ok(
        phones.some((p) => /^\+[1-9]\d{7,14}$/.test(p)),
        'E.164 phones',
      );
      assert.ok(
        phones.some((p) => !/^\+[1-9]\d{7,14}$/.test(p)),
        'non-E.164 phones',
      );
      const text = JSON.stringify(a);
      assert.match(text, /[\u00C0-\u017F]/, 'accents');
      assert.match(text, /[\u4E00-\u9FFF\u3040-\u30FF]/, 'CJK');
      assert.match(text, /[\u0590-\u05FF\u0600-\u06FF]/, 'RTL');
      assert.ok(
        a.accounts.some((x) => x.fields.Type === 'Customer - Direct'),
        'real standard picklist values',
      );
    });

    it('loads through the control API with ids that repeat after a reset', async () => {
      const sb = await startTestSandbox();
      try {
        const load = async () => {
          await fetch(`${sb.url}/__sandbox/reset`, { method: 'POST' });
          await fetch(`${sb.url}/__sandbox/seed`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ accounts: 20, contactsPerAccount: 2, leads: 5, seed: 3 }),
          });
          return (await (await fetch(`${sb.url}/__sandbox/records/Contact`)).json()) as {
            records: Record<string, unknown>[];
          };
        };
        const first = await load();
        const second = await load();
        assert.equal(first.records.length, 40);
        assert.deepEqual(
          first.records.map((r) => [r.Id, r.AccountId, r.Email]),
          second.records.map((r) => [r.Id, r.AccountId, r.Email]),
        );
        const bad = await fetch(`${sb.url}/__sandbox/seed`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ accounts: -1 }),
        });
        assert.equal(bad.status, 400);
      } finally {
        await sb.close();
      }
    });
  });

  describe('snapshot', () => {
    it('saves records to the snapshot file and loads them on the next start', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sf-snapshot-'));
      const file = join(dir, 'salesforce.json');
      try {
        const first = await startTestSandbox({ snapshotFile: file });
        const conn = await clientCredentialsConnection(first);
        const { id } = await conn.sobject('Account').create({ Name: 'Persisted', External_Key__c: 'P-1' });
        await first.close();
        assert.ok(readFileSync(file, 'utf8').includes('Persisted'));

        const second = await startTestSandbox({ snapshotFile: file });
        try {
          const conn2 = await clientCredentialsConnection(second);
          const acc = (await conn2.sobject('Account').retrieve(id!)) as unknown as { Name: string };
          assert.equal(acc.Name, 'Persisted');
          // Unique fields stay unique across restarts, and new ids do not collide with loaded ones.
          const dup = await raw(second, 'POST', `/services/data/v${API_VERSION}/sobjects/Account`, {
            token: conn2.accessToken!,
            body: JSON.stringify({ Name: 'Dup', External_Key__c: 'p-1' }),
          });
          assert.equal((dup.body as { errorCode: string }[])[0]?.errorCode, 'DUPLICATE_VALUE');
          const next = await conn2.sobject('Account').create({ Name: 'Second' });
          assert.notEqual(next.id, id);
        } finally {
          await second.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
