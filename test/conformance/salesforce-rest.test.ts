// Conformance: the Salesforce sandbox driven by client libraries this project does not use, through their
// own calls and their own response parsing. nforce8 (REST: password login, CRUD, query paging, describe,
// composite, SOSL, limits) and simple-oauth2 (a generic OAuth 2.0 client: client credentials sent in an
// HTTP Basic header, RFC 6749 2.3.1, or in the body). Any difference from the real API that breaks a
// library's parsing fails here.
import assert from 'node:assert/strict';
import nforce, { type Connection, type OAuth } from 'nforce8';
import { ClientCredentials } from 'simple-oauth2';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../sandbox/salesforce/index';

// A secret with characters that must be form-url-encoded in a Basic header.
const CLIENT = { id: 'conformance-client', secret: 'se:cr+et/%' };
const USER = { username: 'integration@conformance.test', password: 'p@ss word' };
// nforce8 speaks API v45.0 by default, which the sandbox serves like any version from 37.0.
const API = 'v45.0';

/**
 * An update or delete answers 204 with no body and no Content-Type, as a real org does. nforce8 2.0.11 reads
 * the missing header as a string and throws after the call succeeded, against real orgs too
 * (https://github.com/Stwissel/node-red-contrib-salesforce/issues/38). Accept exactly that, nothing else.
 */
async function noContent(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (!(err instanceof TypeError && /toLowerCase/.test(err.message))) throw err;
  }
}

describe('conformance: Salesforce REST with nforce8 and simple-oauth2', function () {
  this.timeout(30_000);
  let sb: SalesforceSandbox;
  let org: Connection;

  before(async () => {
    sb = await startSalesforceSandbox({
      port: 0,
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      ...USER,
      longPollTimeoutSeconds: 1,
    });
    org = nforce.createConnection({
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      redirectUri: 'http://localhost/callback',
      loginUri: `${sb.url}/services/oauth2/token`,
      mode: 'single',
    });
    await org.authenticate(USER);
  });
  after(async () => {
    await sb.close();
  });

  const credentials = (authorizationMethod: 'header' | 'body', secret = CLIENT.secret) =>
    new ClientCredentials({
      client: { id: CLIENT.id, secret },
      auth: { tokenHost: sb.url, tokenPath: '/services/oauth2/token' },
      options: { authorizationMethod },
    });

  describe('OAuth 2.0', () => {
    it('nforce8 logs in with the username-password flow (client credentials in the body)', () => {
      assert.match(org.oauth.access_token, /^00D\w+!/);
      assert.equal(org.oauth.instance_url, sb.url);
      assert.equal(org.oauth.id, `${sb.url}/id/${sb.org.orgId}/${sb.org.userId}`);
    });

    it('nforce8 surfaces a refused password as an HTTP 400', async () => {
      const other = nforce.createConnection({
        clientId: CLIENT.id,
        clientSecret: CLIENT.secret,
        redirectUri: 'http://localhost/callback',
        loginUri: `${sb.url}/services/oauth2/token`,
        mode: 'single',
      });
      await assert.rejects(other.authenticate({ username: USER.username, password: 'wrong' }), {
        statusCode: 400,
      });
    });

    for (const method of ['header', 'body'] as const) {
      it(`simple-oauth2 gets a client-credentials token with the credentials in the ${method}`, async () => {
        const token = await credentials(method).getToken({});
        assert.equal(token.token.token_type, 'Bearer');
        assert.equal(token.token.instance_url, sb.url);
        // The token works for a library that did not obtain it.
        const oauth = { ...org.oauth, access_token: token.token.access_token } as OAuth;
        const limits = await org.getLimits({ oauth });
        assert.ok(limits.DailyApiRequests!.Max > 0);
      });
    }

    it('simple-oauth2 receives invalid_client for a wrong secret in the Basic header', async () => {
      await assert.rejects(credentials('header', 'wrong').getToken({}), (err: unknown) => {
        const payload = (err as { data?: { payload?: { error?: string } } }).data?.payload;
        return payload?.error === 'invalid_client';
      });
    });
  });

  describe('REST', () => {
    it('creates, reads, updates and deletes a record', async () => {
      const account = nforce.createSObject('Account', { Name: 'Conformance Co', Phone: '555-0100' });
      const created = await org.insert({ sobject: account });
      assert.equal(created.success, true);
      assert.equal(account.getId(), created.id);

      const read = await org.getRecord({ type: 'Account', id: created.id, fields: ['Name', 'Phone'] });
      assert.equal(read.get('Name'), 'Conformance Co');

      account.set('Name', 'Conformance Renamed');
      await noContent(org.update({ sobject: account }));
      assert.equal(
        (await org.getRecord({ type: 'Account', id: created.id })).get('Name'),
        'Conformance Renamed',
      );

      await noContent(org.delete({ sobject: account }));
      await assert.rejects(org.getRecord({ type: 'Account', id: created.id }), { statusCode: 404 });
    });

    it('queries with paging through nextRecordsUrl', async () => {
      sb.store.reset();
      sb.seed({ accounts: 450, contactsPerAccount: 0, leads: 0, seed: 7 });
      const before = sb.log.entries().length;
      const result = await org.query({
        query: 'SELECT Id, Name FROM Account',
        fetchAll: true,
        headers: { 'Sforce-Query-Options': 'batchSize=200' },
      });
      assert.equal(result.totalSize, 450);
      assert.equal(result.records.length, 450);
      assert.equal(new Set(result.records.map((r) => r.get('Id'))).size, 450);
      const pages = sb.log
        .entries()
        .slice(before)
        .filter((e) => /\/query/.test(e.path));
      assert.equal(pages.length, 3);
    });

    it('describes objects', async () => {
      const describe = await org.getDescribe({ type: 'Account' });
      assert.equal(describe.name, 'Account');
      assert.ok(describe.fields.some((f) => f.name === 'Name' && f.type === 'string'));
      const global = await org.getSObjects();
      assert.ok(global.sobjects.some((s) => s.name === 'Contact'));
    });

    it('runs a composite request with references', async () => {
      const response = (await org.postUrl({
        url: `/services/data/${API}/composite`,
        body: {
          allOrNone: true,
          compositeRequest: [
            {
              method: 'POST',
              url: `/services/data/${API}/sobjects/Account`,
              referenceId: 'acct',
              body: { Name: 'Composite Conformance' },
            },
            {
              method: 'POST',
              url: `/services/data/${API}/sobjects/Contact`,
              referenceId: 'contact',
              body: { LastName: 'Referenced', AccountId: '@{acct.id}' },
            },
          ],
        },
      })) as { compositeResponse: { httpStatusCode: number; body: { id: string } }[] };
      assert.deepEqual(
        response.compositeResponse.map((r) => r.httpStatusCode),
        [201, 201],
      );
      const contact = await org.getRecord({ type: 'Contact', id: response.compositeResponse[1]!.body.id });
      assert.equal(contact.get('AccountId'), response.compositeResponse[0]!.body.id);
    });

    it('searches with SOSL', async () => {
      const found = (await org.search({
        search: 'FIND {"Composite Conformance"} IN NAME FIELDS RETURNING Account(Id, Name)',
        raw: true,
      })) as { searchRecords: { attributes: { type: string }; Name: string }[] };
      assert.deepEqual(
        found.searchRecords.map((r) => [r.attributes.type, r.Name]),
        [['Account', 'Composite Conformance']],
      );
    });

    it('reads the org limits, streaming allocations included', async () => {
      const limits = await org.getLimits();
      assert.ok(limits.DailyApiRequests!.Remaining < limits.DailyApiRequests!.Max);
      assert.equal(limits.DailyDeliveredPlatformEvents!.Max, 25_000);
    });
  });
});
