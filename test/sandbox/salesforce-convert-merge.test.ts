// Lead conversion and merges through the sandbox control API, observed the way the sync observes an org:
// records over REST (jsforce) and Change Data Capture over CometD (jsforce's streaming client on
// /data/ChangeEvents).
import assert from 'node:assert/strict';
import type { Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/api/streaming';
import type { SalesforceSandbox } from '../../sandbox/salesforce/index';
import { clientCredentialsConnection, startTestSandbox, thrown } from './salesforce-rest-helpers';

interface Header {
  entityName: string;
  recordIds: string[];
  changeType: string;
  changedFields: string[];
  changeOrigin: string;
  transactionKey: string;
  sequenceNumber: number;
}
type Payload = Record<string, unknown> & { ChangeEventHeader: Header };

const ALL = '/data/ChangeEvents';
const UI_ORIGIN = /^com\/salesforce\/api\/soap\/\d+\.0;client=SfdcInternalAPI\/$/;

async function control(sb: SalesforceSandbox, path: string, body: unknown) {
  const res = await fetch(`${sb.url}/__sandbox${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown> & Record<number, unknown>,
  };
}

describe('Salesforce sandbox: lead conversion and merges', function () {
  this.timeout(30_000);
  let sb: SalesforceSandbox;
  let conn: Connection;
  let client: {
    subscribe(c: string, cb: (d: { payload: Payload }) => void): PromiseLike<void>;
    disconnect(): void;
  };
  const events: Payload[] = [];

  /** Waits until `n` change events arrived since the last call, and returns them. */
  async function nextEvents(n: number): Promise<Payload[]> {
    const deadline = Date.now() + 5000;
    while (events.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // Nothing more should arrive for this operation.
    await new Promise((r) => setTimeout(r, 150));
    return events.splice(0, events.length);
  }

  before(async () => {
    sb = await startTestSandbox();
    conn = await clientCredentialsConnection(sb);
    client = conn.streaming.createClient([
      new StreamingExtension.Replay(ALL, -1),
    ]) as unknown as typeof client;
    await client.subscribe(ALL, (data) => events.push(data.payload));
  });
  after(async () => {
    client.disconnect();
    await sb.close();
  });
  beforeEach(async () => {
    await fetch(`${sb.url}/__sandbox/reset`, { method: 'POST' });
    events.length = 0;
  });

  describe('lead conversion', () => {
    it('creates the account and contact, marks the lead converted and read-only, and publishes the three events', async () => {
      const leadId = (
        await conn.sobject('Lead').create({
          Salutation: 'Dr.',
          FirstName: 'Grace',
          LastName: 'Hopper',
          Company: 'Navy Labs',
          Email: 'grace@example.com',
          Phone: '+14155550100',
          City: 'Arlington',
          Country: 'US',
          Industry: 'Government',
          LeadSource: 'Web',
          Status: 'Working - Contacted',
        })
      ).id!;
      await nextEvents(1);

      const res = await control(sb, '/leads/convert', { leadId, convertedStatus: 'Closed - Converted' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const { accountId, contactId } = res.body as { accountId: string; contactId: string };
      assert.match(accountId, /^001/);
      assert.match(contactId, /^003/);
      assert.deepEqual([res.body.leadId, res.body.opportunityId, res.body.success], [leadId, null, true]);

      const lead = (await conn.sobject('Lead').retrieve(leadId)) as unknown as Record<string, unknown>;
      assert.equal(lead.IsConverted, true);
      assert.equal(lead.Status, 'Closed - Converted');
      assert.match(String(lead.ConvertedDate), /^\d{4}-\d{2}-\d{2}$/);
      assert.equal(lead.ConvertedAccountId, accountId);
      assert.equal(lead.ConvertedContactId, contactId);
      const account = (await conn.sobject('Account').retrieve(accountId)) as unknown as Record<
        string,
        unknown
      >;
      assert.deepEqual(
        [account.Name, account.BillingCity, account.BillingCountry, account.Industry, account.Phone],
        ['Navy Labs', 'Arlington', 'US', 'Government', '+14155550100'],
      );
      const contact = (await conn.sobject('Contact').retrieve(contactId)) as unknown as Record<
        string,
        unknown
      >;
      assert.deepEqual(
        [
          contact.Name,
          contact.Salutation,
          contact.Email,
          contact.MailingCity,
          contact.LeadSource,
          contact.AccountId,
        ],
        ['Grace Hopper', 'Dr.', 'grace@example.com', 'Arlington', 'Web', accountId],
      );

      // One transaction: account CREATE, contact CREATE, lead UPDATE without LastModifiedDate.
      const [acc, con, upd, ...rest] = await nextEvents(3);
      assert.deepEqual(rest, []);
      assert.deepEqual(
        [acc, con, upd].map((e) => [e!.ChangeEventHeader.entityName, e!.ChangeEventHeader.changeType]),
        [
          ['Account', 'CREATE'],
          ['Contact', 'CREATE'],
          ['Lead', 'UPDATE'],
        ],
      );
      const headers = [acc!, con!, upd!].map((e) => e.ChangeEventHeader);
      assert.equal(new Set(headers.map((h) => h.transactionKey)).size, 1);
      assert.deepEqual(
        headers.map((h) => h.sequenceNumber),
        [1, 2, 3],
      );
      for (const h of headers) assert.match(h.changeOrigin, UI_ORIGIN);
      assert.deepEqual(acc!.ChangeEventHeader.recordIds, [accountId]);
      assert.deepEqual(con!.ChangeEventHeader.recordIds, [contactId]);
      assert.deepEqual(upd!.ChangeEventHeader.recordIds, [leadId]);
      assert.deepEqual([...upd!.ChangeEventHeader.changedFields].sort(), [
        'ConvertedAccountId',
        'ConvertedContactId',
        'ConvertedDate',
        'IsConverted',
        'Status',
      ]);
      assert.equal('LastModifiedDate' in upd!, false);
      assert.deepEqual(
        [upd!.IsConverted, upd!.Status, upd!.ConvertedAccountId, upd!.ConvertedContactId],
        [true, 'Closed - Converted', accountId, contactId],
      );

      // Read-only from now on, through every write path.
      const update = await thrown(() => conn.sobject('Lead').update({ Id: leadId, Title: 'CTO' }));
      assert.equal(update.errorCode, 'CANNOT_UPDATE_CONVERTED_LEAD');
      assert.equal(update.message, 'cannot reference converted lead');
      const [batch] = await conn.sobject('Lead').update([{ Id: leadId, Title: 'CTO' }]);
      assert.equal(batch?.success, false);
      const again = await control(sb, '/leads/convert', { leadId, convertedStatus: 'Closed - Converted' });
      assert.equal(again.status, 400);
      assert.equal((again.body[0] as { errorCode: string }).errorCode, 'CANNOT_UPDATE_CONVERTED_LEAD');
      assert.deepEqual(await nextEvents(0), []);
    });

    it('merges into a given account and contact, filling only their empty fields', async () => {
      const accountId = (await conn.sobject('Account').create({ Name: 'Existing Co', Phone: '111' })).id!;
      const contactId = (
        await conn
          .sobject('Contact')
          .create({ LastName: 'Known', AccountId: accountId, Email: 'known@example.com' })
      ).id!;
      const leadId = (
        await conn.sobject('Lead').create({
          LastName: 'Known',
          Company: 'Other Name',
          Phone: '222',
          Website: 'https://example.com',
          Email: 'lead@example.com',
          Title: 'Buyer',
        })
      ).id!;
      await nextEvents(3);
      const res = await control(sb, '/leads/convert', {
        leadId,
        convertedStatus: 'Closed - Converted',
        accountId,
        contactId,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual([res.body.accountId, res.body.contactId], [accountId, contactId]);
      const account = (await conn.sobject('Account').retrieve(accountId)) as unknown as Record<
        string,
        unknown
      >;
      assert.deepEqual(
        [account.Name, account.Phone, account.Website],
        ['Existing Co', '111', 'https://example.com'],
      );
      const contact = (await conn.sobject('Contact').retrieve(contactId)) as unknown as Record<
        string,
        unknown
      >;
      assert.deepEqual([contact.Email, contact.Title], ['known@example.com', 'Buyer']);
      const changes = await nextEvents(2);
      assert.deepEqual(
        changes.map((e) => [e.ChangeEventHeader.entityName, e.ChangeEventHeader.changeType]),
        [
          ['Account', 'UPDATE'],
          ['Contact', 'UPDATE'],
          ['Lead', 'UPDATE'],
        ],
      );
      assert.deepEqual(changes[0]!.ChangeEventHeader.changedFields, ['Website', 'LastModifiedDate']);
    });

    it('refuses a status that is not a converted status, and leaves everything as it was', async () => {
      const leadId = (await conn.sobject('Lead').create({ LastName: 'Early', Company: 'Acme' })).id!;
      await nextEvents(1);
      const res = await control(sb, '/leads/convert', { leadId, convertedStatus: 'Working - Contacted' });
      assert.equal(res.status, 400);
      assert.equal((res.body[0] as { errorCode: string }).errorCode, 'INVALID_STATUS');
      const orphan = await control(sb, '/leads/convert', {
        leadId,
        convertedStatus: 'Closed - Converted',
        contactId: '003000000000000AAA',
      });
      assert.equal(orphan.status, 400);
      assert.equal((await conn.query('SELECT Id FROM Account')).totalSize, 0);
      assert.equal((await conn.sobject('Lead').retrieve(leadId)).IsConverted, false);
      assert.deepEqual(await nextEvents(0), []);
    });
  });

  describe('merges', () => {
    it('merges accounts: losers deleted with MasterRecordId, their contacts re-parented, the master updated', async () => {
      const [master, loser1, loser2] = (
        await conn
          .sobject('Account')
          .create([{ Name: 'Acme' }, { Name: 'ACME Inc.', Phone: '555' }, { Name: 'Acme (Old)' }])
      ).map((r) => r.id!);
      const [c1, c2] = (
        await conn.sobject('Contact').create([
          { LastName: 'One', AccountId: loser1 },
          { LastName: 'Two', AccountId: loser2 },
        ])
      ).map((r) => r.id!);
      await nextEvents(5);

      const res = await control(sb, '/merge', {
        type: 'Account',
        masterId: master,
        loserIds: [loser1, loser2],
        fields: { Phone: '555' },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.mergedRecordIds, [loser1, loser2]);
      assert.deepEqual(res.body.updatedRelatedIds, [c1, c2]);

      const merged = await conn.query<{ Id: string; IsDeleted: boolean; MasterRecordId: string }>(
        `SELECT Id, IsDeleted, MasterRecordId FROM Account WHERE Id IN ('${loser1}', '${loser2}')`,
        { scanAll: true },
      );
      assert.deepEqual(
        merged.records.map((r) => [r.Id, r.IsDeleted, r.MasterRecordId]),
        [
          [loser1, true, master],
          [loser2, true, master],
        ],
      );
      assert.equal((await conn.query('SELECT Id FROM Account')).totalSize, 1);
      const contacts = await conn.query<{ Id: string; AccountId: string }>(
        'SELECT Id, AccountId FROM Contact ORDER BY LastName',
      );
      assert.deepEqual(
        contacts.records.map((r) => r.AccountId),
        [master, master],
      );
      const direct = await conn.query<{ AccountId: string }>(
        'SELECT AccountId FROM AccountContactRelation WHERE IsDirect = true',
      );
      assert.deepEqual(
        direct.records.map((r) => r.AccountId),
        [master, master],
      );
      assert.equal(
        ((await conn.sobject('Account').retrieve(master!)) as unknown as { Phone: string }).Phone,
        '555',
      );

      // DELETE for each loser, UPDATE for each re-parented contact, then UPDATE of the master.
      const changes = await nextEvents(5);
      assert.deepEqual(
        changes.map((e) => [
          e.ChangeEventHeader.entityName,
          e.ChangeEventHeader.changeType,
          e.ChangeEventHeader.recordIds,
        ]),
        [
          ['Account', 'DELETE', [loser1]],
          ['Account', 'DELETE', [loser2]],
          ['Contact', 'UPDATE', [c1]],
          ['Contact', 'UPDATE', [c2]],
          ['Account', 'UPDATE', [master]],
        ],
      );
      assert.equal(new Set(changes.map((e) => e.ChangeEventHeader.transactionKey)).size, 1);
      assert.deepEqual(
        changes.map((e) => e.ChangeEventHeader.sequenceNumber),
        [1, 2, 3, 4, 5],
      );
      for (const e of changes) assert.match(e.ChangeEventHeader.changeOrigin, UI_ORIGIN);
      assert.deepEqual(changes[2]!.ChangeEventHeader.changedFields, ['AccountId', 'LastModifiedDate']);
      assert.equal(changes[2]!.AccountId, master);
      assert.deepEqual(changes[4]!.ChangeEventHeader.changedFields, ['Phone', 'LastModifiedDate']);
    });

    it('merges contacts and leads, and refuses what a merge cannot do', async () => {
      const [a1, a2] = (await conn.sobject('Account').create([{ Name: 'A1' }, { Name: 'A2' }])).map(
        (r) => r.id!,
      );
      const [keep, drop] = (
        await conn.sobject('Contact').create([
          { LastName: 'Keep', AccountId: a1 },
          { LastName: 'Drop', AccountId: a2, Email: 'drop@example.com' },
        ])
      ).map((r) => r.id!);
      const contactMerge = await control(sb, '/merge', {
        type: 'Contact',
        masterId: keep,
        loserIds: [drop],
        fields: { Email: 'drop@example.com' },
      });
      assert.equal(contactMerge.status, 200, JSON.stringify(contactMerge.body));
      const relations = await conn.query<{ AccountId: string; IsDirect: boolean }>(
        `SELECT AccountId, IsDirect FROM AccountContactRelation WHERE ContactId = '${keep}' ORDER BY IsDirect DESC`,
      );
      // The loser's primary account joins the master as an indirect relationship.
      assert.deepEqual(
        relations.records.map((r) => [r.AccountId, r.IsDirect]),
        [
          [a1, true],
          [a2, false],
        ],
      );
      assert.equal(
        ((await conn.sobject('Contact').retrieve(keep!)) as unknown as { Email: string }).Email,
        'drop@example.com',
      );

      const [l1, l2, l3, l4] = (
        await conn.sobject('Lead').create([
          { LastName: 'L1', Company: 'c' },
          { LastName: 'L2', Company: 'c' },
          { LastName: 'L3', Company: 'c' },
          { LastName: 'L4', Company: 'c' },
        ])
      ).map((r) => r.id!);
      const tooMany = await control(sb, '/merge', { type: 'Lead', masterId: l1, loserIds: [l2, l3, l4] });
      assert.equal(tooMany.status, 400);
      const self = await control(sb, '/merge', { type: 'Lead', masterId: l1, loserIds: [l1] });
      assert.equal(self.status, 400);
      events.length = 0;
      const leadMerge = await control(sb, '/merge', { type: 'Lead', masterId: l1, loserIds: [l2, l3] });
      assert.equal(leadMerge.status, 200);
      const live = await conn.query<{ Id: string }>('SELECT Id FROM Lead');
      assert.deepEqual(
        live.records.map((r) => r.Id),
        [l1, l4],
      );
      const changes = await nextEvents(3);
      assert.deepEqual(
        changes.map((e) => [e.ChangeEventHeader.changeType, e.ChangeEventHeader.recordIds[0]]),
        [
          ['DELETE', l2],
          ['DELETE', l3],
          ['UPDATE', l1],
        ],
      );
      assert.deepEqual(changes[2]!.ChangeEventHeader.changedFields, ['LastModifiedDate']);

      const converted = await control(sb, '/leads/convert', {
        leadId: l4,
        convertedStatus: 'Closed - Converted',
      });
      assert.equal(converted.status, 200);
      const withConverted = await control(sb, '/merge', { type: 'Lead', masterId: l1, loserIds: [l4] });
      assert.equal(withConverted.status, 400);
      assert.equal(
        (withConverted.body[0] as { errorCode: string }).errorCode,
        'CANNOT_UPDATE_CONVERTED_LEAD',
      );
    });
  });

  describe('undelete', () => {
    it('restores a deleted account with the contacts its delete cascaded to, and publishes UNDELETE events', async () => {
      const account = (await conn.sobject('Account').create({ Name: 'Phoenix', Industry: 'Energy' })).id!;
      const contact = (await conn.sobject('Contact').create({ LastName: 'Ash', AccountId: account })).id!;
      const other = (await conn.sobject('Contact').create({ LastName: 'Elsewhere' })).id!;
      await conn.sobject('Account').destroy(account);
      await conn.sobject('Contact').destroy(other);
      await nextEvents(5);

      const res = await control(sb, '/undelete', { ids: [account] });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, [{ id: account, success: true, errors: [] }]);
      const live = await conn.query<{ Id: string }>('SELECT Id FROM Contact');
      assert.deepEqual(
        live.records.map((r) => r.Id),
        [contact],
        'the cascaded contact is back; the one deleted on its own is not',
      );
      const changes = await nextEvents(2);
      assert.deepEqual(
        changes.map((e) => [e.ChangeEventHeader.entityName, e.ChangeEventHeader.changeType]),
        [
          ['Account', 'UNDELETE'],
          ['Contact', 'UNDELETE'],
        ],
      );
      // UNDELETE carries every non-empty field, as CREATE does.
      assert.equal(changes[0]!.Name, 'Phoenix');
      assert.equal(changes[0]!.Industry, 'Energy');
      assert.deepEqual(changes[0]!.ChangeEventHeader.changedFields, []);

      const again = await control(sb, '/undelete', { ids: [account, '001000000000000AAA'] });
      assert.equal(again.status, 200);
      assert.deepEqual(
        (again.body as unknown as Array<{ success: boolean; errors: Array<{ statusCode: string }> }>).map(
          (r) => [r.success, r.errors[0]?.statusCode],
        ),
        [
          [false, 'UNDELETE_FAILED'],
          [false, 'NOT_FOUND'],
        ],
      );
    });

    it('restores a merged loser without undoing the re-parenting', async () => {
      const [master, loser] = (
        await conn.sobject('Account').create([{ Name: 'Keep Co' }, { Name: 'Keep Co (dup)' }])
      ).map((r) => r.id!);
      const contact = (await conn.sobject('Contact').create({ LastName: 'Moved', AccountId: loser })).id!;
      assert.equal(
        (await control(sb, '/merge', { type: 'Account', masterId: master, loserIds: [loser] })).status,
        200,
      );
      await nextEvents(6);

      assert.equal((await control(sb, '/undelete', { ids: [loser] })).status, 200);
      const accounts = await conn.query<{ Id: string }>('SELECT Id FROM Account ORDER BY Name');
      assert.deepEqual(
        accounts.records.map((r) => r.Id),
        [master, loser],
      );
      const moved = (await conn.sobject('Contact').retrieve(contact)) as unknown as { AccountId: string };
      assert.equal(moved.AccountId, master);
      const changes = await nextEvents(1);
      assert.deepEqual(
        changes.map((e) => [e.ChangeEventHeader.changeType, e.ChangeEventHeader.recordIds]),
        [['UNDELETE', [loser]]],
      );
    });
  });
});
