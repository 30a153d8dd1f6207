// The Salesforce sandbox's auth, CRUD, describe, limits and error shapes, driven by jsforce 3.10.16
// unmodified over loopback HTTP.
import assert from 'node:assert/strict';
import jsforce from 'jsforce';
import { checksumSuffix, normalizeId } from '../../sandbox/salesforce/ids';
import type { SalesforceSandbox } from '../../sandbox/salesforce/index';
import {
  API_VERSION,
  clientCredentialsConnection,
  newConnection,
  raw,
  startTestSandbox,
  thrown,
} from './salesforce-rest-helpers';

describe('Salesforce sandbox: REST basics', function () {
  let sb: SalesforceSandbox;

  before(async () => {
    sb = await startTestSandbox();
  });
  after(async () => {
    await sb.close();
  });
  beforeEach(async () => {
    await fetch(`${sb.url}/__sandbox/reset`, { method: 'POST' });
  });

  describe('ids', () => {
    it('computes the real 15 -> 18 checksum suffix', () => {
      assert.equal(checksumSuffix('001A0000006Vm9r'), 'IAC');
      assert.equal(normalizeId('001A0000006Vm9r'), '001A0000006Vm9rIAC');
      assert.equal(normalizeId('001A0000006Vm9rIAC'), '001A0000006Vm9rIAC');
      assert.equal(normalizeId('001A0000006Vm9rAAA'), undefined);
      assert.equal(normalizeId('not-an-id'), undefined);
    });
  });

  describe('authentication', () => {
    it('issues a token for client_credentials with the id URL jsforce parses', async () => {
      const conn = await clientCredentialsConnection(sb);
      assert.equal(conn.instanceUrl, sb.url);
      assert.equal(conn.userInfo?.organizationId, sb.org.orgId);
      assert.equal(conn.userInfo?.id, sb.org.userId);
      assert.ok(conn.accessToken?.startsWith(sb.org.orgId.slice(0, 15) + '!'));
    });

    it('logs in with the OAuth username-password flow', async () => {
      const conn = newConnection(sb);
      const info = await conn.login('admin@sandbox.test', 'sandbox');
      assert.equal(info.organizationId, sb.org.orgId);
      const res = await conn.query('SELECT Id FROM Account');
      assert.equal(res.totalSize, 0);
    });

    it('rejects a bad client id, secret or password with Salesforce OAuth errors', async () => {
      const badClient = new jsforce.Connection({
        oauth2: { clientId: 'nope', clientSecret: 'sandbox', loginUrl: sb.url },
        version: API_VERSION,
      });
      let err = await thrown(() => badClient.authorize({ grant_type: 'client_credentials' }));
      assert.equal(err.name, 'invalid_client_id');
      assert.equal(err.message, 'client identifier invalid');

      err = await thrown(() => newConnection(sb).login('admin@sandbox.test', 'wrong'));
      assert.equal(err.name, 'invalid_grant');
      assert.equal(err.message, 'authentication failure');

      const badSecret = new jsforce.Connection({
        oauth2: { clientId: 'sandbox', clientSecret: 'wrong', loginUrl: sb.url },
        version: API_VERSION,
      });
      err = await thrown(() => badSecret.authorize({ grant_type: 'client_credentials' }));
      assert.equal(err.name, 'invalid_client');
    });

    it('takes client credentials from an HTTP Basic header (RFC 6749 2.3.1) as well as from the body', async () => {
      const token = async (target: SalesforceSandbox, id: string, secret: string) => {
        const basic = Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString(
          'base64',
        );
        return raw(target, 'POST', '/services/oauth2/token', {
          body: 'grant_type=client_credentials',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
        });
      };
      const ok = await token(sb, 'sandbox', 'sandbox');
      assert.equal(ok.status, 200);
      const { access_token: accessToken } = ok.body as { access_token: string };
      const query = await raw(sb, 'GET', `/services/data/v${API_VERSION}/query?q=SELECT+Id+FROM+Account`, {
        token: accessToken,
      });
      assert.equal(query.status, 200);

      const badId = await token(sb, 'nope', 'sandbox');
      assert.equal(badId.status, 400);
      assert.deepEqual(badId.body, {
        error: 'invalid_client_id',
        error_description: 'client identifier invalid',
      });
      const badSecret = await token(sb, 'sandbox', 'wrong');
      assert.deepEqual(badSecret.body, {
        error: 'invalid_client',
        error_description: 'invalid client credentials',
      });

      // Each part is form-url-encoded before Base64, so a secret with ':' '+' or '%' survives the trip.
      const odd = await startTestSandbox({ clientId: 'id with space', clientSecret: 'se:cr+et%' });
      try {
        assert.equal((await token(odd, 'id with space', 'se:cr+et%')).status, 200);
        assert.equal((await token(odd, 'id with space', 'se:cr et%')).status, 400);
      } finally {
        await odd.close();
      }
    });

    it('answers a bad bearer token with 401 INVALID_SESSION_ID', async () => {
      const res = await raw(sb, 'GET', `/services/data/v${API_VERSION}/sobjects`, { token: 'bogus' });
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, [
        { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
      ]);
    });

    it('expires tokens on demand; jsforce without a refresh path surfaces INVALID_SESSION_ID', async () => {
      const conn = await clientCredentialsConnection(sb);
      await conn.query('SELECT Id FROM Account');
      const expire = await fetch(`${sb.url}/__sandbox/tokens/expire`, { method: 'POST' });
      const { expired } = (await expire.json()) as { expired: number };
      assert.ok(expired >= 1);
      assert.equal(sb.tokens.validateToken(conn.accessToken!), false);
      // A bare access token has no refresh delegate, so the 401 reaches the caller.
      const bare = new jsforce.Connection({
        instanceUrl: sb.url,
        accessToken: conn.accessToken!,
        version: API_VERSION,
      });
      const err = await thrown(() => bare.query('SELECT Id FROM Account'));
      assert.equal(err.errorCode, 'INVALID_SESSION_ID');
    });

    it('lets jsforce refresh an expired session through refreshFn', async () => {
      let refreshes = 0;
      const oauth2 = new jsforce.OAuth2({ clientId: 'sandbox', clientSecret: 'sandbox', loginUrl: sb.url });
      const conn = await clientCredentialsConnection(sb, {
        refreshFn: (_c: unknown, callback: (err: Error | null, token?: string, res?: unknown) => void) => {
          refreshes += 1;
          oauth2
            .requestToken({ grant_type: 'client_credentials' })
            .then((r) => callback(null, r.access_token, r))
            .catch((e: Error) => callback(e));
        },
      });
      const before = conn.accessToken;
      await fetch(`${sb.url}/__sandbox/tokens/expire`, { method: 'POST' });
      const res = await conn.query('SELECT Id FROM Account');
      assert.equal(res.totalSize, 0);
      assert.equal(refreshes, 1);
      assert.notEqual(conn.accessToken, before);
    });

    it('re-logs in after expiry when the session came from login()', async () => {
      const conn = newConnection(sb);
      await conn.login('admin@sandbox.test', 'sandbox');
      const before = conn.accessToken;
      await fetch(`${sb.url}/__sandbox/tokens/expire`, { method: 'POST' });
      await conn.sobject('Account').create({ Name: 'After relogin' });
      assert.notEqual(conn.accessToken, before);
    });
  });

  describe('CRUD', () => {
    it('creates, retrieves, updates and deletes records with Salesforce audit fields', async () => {
      const conn = await clientCredentialsConnection(sb);
      const created = await conn.sobject('Account').create({
        Name: 'Müller GmbH',
        Type: 'Customer - Direct',
        Segment__c: 'SMB;Enterprise',
        Country__c: 'Germany',
        NumberOfEmployees: 42,
        Active__c: true,
      });
      assert.equal(created.success, true);
      const id = created.id;
      assert.match(id, /^001[a-zA-Z0-9]{15}$/);
      assert.equal(normalizeId(id.slice(0, 15)), id);

      const acc = (await conn.sobject('Account').retrieve(id)) as unknown as Record<string, unknown>;
      assert.equal(acc.Name, 'Müller GmbH');
      assert.equal(acc.Region_Formula__c, 'EMEA');
      assert.equal(acc.IsDeleted, false);
      assert.equal(acc.OwnerId, sb.org.userId);
      assert.equal(acc.RecordTypeId, '0128d000000CuStAAK');
      assert.match(String(acc.CreatedDate), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
      assert.equal(acc.CreatedDate, acc.LastModifiedDate);

      // A 15-character id works on input too; ?fields= narrows the record.
      const narrow = await raw(
        sb,
        'GET',
        `/services/data/v${API_VERSION}/sobjects/Account/${id.slice(0, 15)}?fields=name,Tier__c`,
        {
          token: conn.accessToken!,
        },
      );
      assert.equal(narrow.status, 200);
      assert.deepEqual(narrow.body, {
        attributes: { type: 'Account', url: `/services/data/v${API_VERSION}/sobjects/Account/${id}` },
        Name: 'Müller GmbH',
        Tier__c: null,
      });

      await new Promise((r) => setTimeout(r, 5));
      const upd = await conn
        .sobject('Account')
        .update({ Id: id, Country__c: 'Japan', Phone: '+14155550100' });
      assert.deepEqual(upd, { id, success: true, errors: [] });
      const after = (await conn.sobject('Account').retrieve(id)) as unknown as Record<string, unknown>;
      assert.equal(after.Region_Formula__c, 'APAC');
      assert.ok(String(after.LastModifiedDate) > String(after.CreatedDate));

      const contact = await conn
        .sobject('Contact')
        .create({ FirstName: 'José', LastName: 'García', AccountId: id });
      const c = (await conn.sobject('Contact').retrieve(contact.id!)) as unknown as Record<string, unknown>;
      assert.equal(c.Name, 'José García');

      await conn.sobject('Account').destroy(id);
      const err = await thrown(() => conn.sobject('Account').retrieve(id));
      assert.equal(err.errorCode, 'ENTITY_IS_DELETED');
      // Deleting the account deleted its contact too.
      assert.equal((await conn.query('SELECT Id FROM Contact')).totalSize, 0);
      assert.equal((await conn.query('SELECT Id FROM Contact', { scanAll: true })).totalSize, 1);
    });

    it('enforces Salesforce validation with its error codes', async () => {
      const conn = await clientCredentialsConnection(sb);
      const cases: [string, Record<string, unknown>, string, string[] | undefined][] = [
        ['Account', { Name: 'x', Bogus__c: 1 }, 'INVALID_FIELD', undefined],
        [
          'Account',
          { Name: 'x', Region_Formula__c: 'EMEA' },
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          ['Region_Formula__c'],
        ],
        ['Contact', { LastName: 'x', Name: 'Full' }, 'INVALID_FIELD_FOR_INSERT_UPDATE', ['Name']],
        ['Account', { Phone: '1' }, 'REQUIRED_FIELD_MISSING', ['Name']],
        ['Lead', { LastName: 'x' }, 'REQUIRED_FIELD_MISSING', ['Company']],
        ['Lead', { LastName: 'x', Company: 'c', Status: null }, 'REQUIRED_FIELD_MISSING', ['Status']],
        ['Contact', { LastName: '' }, 'REQUIRED_FIELD_MISSING', ['LastName']],
        [
          'Account',
          { Name: 'x', Tier__c: 'Platinum' },
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          ['Tier__c'],
        ],
        [
          'Account',
          { Name: 'x', Segment__c: 'SMB;Galactic' },
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          ['Segment__c'],
        ],
        ['Account', { Name: 'x', NumberOfEmployees: 'many' }, 'JSON_PARSER_ERROR', undefined],
        ['Account', { Name: 'x', Renewal_Date__c: '2024-02-30' }, 'JSON_PARSER_ERROR', undefined],
        ['Account', { Name: 'x', Active__c: 'yes' }, 'JSON_PARSER_ERROR', undefined],
        [
          'Contact',
          { LastName: 'x', AccountId: '001000000000000AAA' },
          'INVALID_CROSS_REFERENCE_KEY',
          ['AccountId'],
        ],
        ['Contact', { LastName: 'x', AccountId: 'garbage' }, 'MALFORMED_ID', ['AccountId']],
        ['Contact', { LastName: 'x', Email: 'not-an-email' }, 'INVALID_EMAIL_ADDRESS', ['Email']],
        ['Account', { Name: 'y'.repeat(256) }, 'STRING_TOO_LONG', ['Name']],
      ];
      for (const [type, body, code, fields] of cases) {
        const res = await raw(sb, 'POST', `/services/data/v${API_VERSION}/sobjects/${type}`, {
          token: conn.accessToken!,
          body: JSON.stringify(body),
        });
        assert.equal(res.status, 400, `${code} status`);
        const [error] = res.body as { errorCode: string; message: string; fields?: string[] }[];
        assert.equal(error?.errorCode, code, JSON.stringify(res.body));
        if (fields) assert.deepEqual(error?.fields, fields);
      }
      // An unrestricted picklist takes any value, even one not in its list (real orgs are full of them).
      const ok = await conn.sobject('Account').create({ Name: 'Value typed', Type: 'Key Account' });
      assert.equal(ok.success, true);
      // jsforce surfaces the code on the thrown error.
      const err = await thrown(() => conn.sobject('Lead').create({ LastName: 'Solo' }));
      assert.equal(err.errorCode, 'REQUIRED_FIELD_MISSING');
      assert.equal(err.message, 'Required fields are missing: [Company]');
      assert.equal((await conn.query('SELECT Id FROM Account')).totalSize, 1);
    });

    it('answers malformed requests with real error shapes and stays up', async () => {
      const conn = await clientCredentialsConnection(sb);
      const token = conn.accessToken!;
      const base = `/services/data/v${API_VERSION}`;

      const badJson = await raw(sb, 'POST', `${base}/sobjects/Account`, { token, body: '{"Name": ' });
      assert.equal(badJson.status, 400);
      assert.equal((badJson.body as { errorCode: string }[])[0]?.errorCode, 'JSON_PARSER_ERROR');

      const unknownObject = await raw(sb, 'GET', `${base}/sobjects/Widget__c/describe`, { token });
      assert.equal(unknownObject.status, 404);
      assert.deepEqual(unknownObject.body, [
        { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
      ]);

      const notAnId = await raw(sb, 'GET', `${base}/sobjects/Account/xyz`, { token });
      assert.equal(notAnId.status, 404);
      assert.equal((notAnId.body as { errorCode: string }[])[0]?.errorCode, 'NOT_FOUND');

      const wrongType = await raw(sb, 'PATCH', `${base}/sobjects/Account/003A0000006Vm9rIAC`, {
        token,
        body: '{}',
      });
      assert.equal(wrongType.status, 400);
      assert.equal((wrongType.body as { errorCode: string }[])[0]?.errorCode, 'MALFORMED_ID');

      const missing = await raw(sb, 'GET', `${base}/sobjects/Account/001A0000006Vm9rIAC`, { token });
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.body, [
        { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
      ]);

      const badSoql = await thrown(() => conn.query('SELECT Id FRM Account'));
      assert.equal(badSoql.errorCode, 'MALFORMED_QUERY');
      const badField = await thrown(() => conn.query('SELECT Nope__c FROM Account'));
      assert.equal(badField.errorCode, 'INVALID_FIELD');
      const badType = await thrown(() => conn.query('SELECT Id FROM Widget__c'));
      assert.equal(badType.errorCode, 'INVALID_TYPE');

      const badVersion = await raw(sb, 'GET', '/services/data/v20.0/sobjects', { token });
      assert.equal(badVersion.status, 404);

      const method = await raw(sb, 'PUT', `${base}/sobjects/Account/001A0000006Vm9rIAC`, {
        token,
        body: '{}',
      });
      assert.equal(method.status, 405);

      // Still serving.
      assert.equal((await conn.query('SELECT Id FROM Account')).totalSize, 0);
    });
  });

  describe('metadata and limits', () => {
    it('describes fields with real metadata', async () => {
      const conn = await clientCredentialsConnection(sb);
      const d = await conn.sobject('Account').describe();
      assert.equal(d.keyPrefix, '001');
      const field = (name: string) => {
        const f = d.fields.find((x) => x.name === name);
        assert.ok(f, name);
        return f;
      };
      const type = field('Type');
      assert.equal(type.type, 'picklist');
      assert.deepEqual(
        type.picklistValues?.find((p: { value: string }) => p.value === 'Customer - Direct'),
        {
          active: true,
          defaultValue: false,
          label: 'Customer - Direct',
          validFor: null,
          value: 'Customer - Direct',
        },
      );
      assert.equal(field('Tier__c').restrictedPicklist, true);
      assert.equal(field('Segment__c').type, 'multipicklist');
      assert.equal(field('Active__c').type, 'boolean');
      assert.equal(field('AnnualRevenue').type, 'currency');
      assert.equal(field('NumberOfEmployees').type, 'int');
      assert.equal(field('Health_Score__c').type, 'double');
      assert.equal(field('Renewal_Date__c').type, 'date');
      assert.equal(field('Contract_Start__c').soapType, 'xsd:dateTime');
      const formula = field('Region_Formula__c');
      assert.equal(formula.calculated, true);
      assert.ok(formula.calculatedFormula);
      assert.equal(formula.updateable, false);
      const notes = field('Notes__c');
      assert.equal(notes.type, 'textarea');
      assert.equal(notes.extraTypeInfo, 'plaintextarea');
      assert.ok(notes.length > 255);
      assert.equal(field('Rich_Notes__c').extraTypeInfo, 'richtextarea');
      assert.equal(field('Rich_Notes__c').htmlFormatted, true);
      assert.equal(field('Tax_Id__c').type, 'encryptedstring');
      assert.equal(field('Tax_Id__c').encrypted, true);
      const ext = field('External_Key__c');
      assert.equal(ext.externalId, true);
      assert.equal(ext.unique, true);
      const parent = field('ParentId');
      assert.deepEqual(parent.referenceTo, ['Account']);
      assert.equal(parent.relationshipName, 'Parent');
      assert.equal(parent.cascadeDelete, false);
      assert.equal(field('Name').nillable, false);
      assert.ok(d.recordTypeInfos.some((rt) => rt.master));

      const contact = await conn.sobject('Contact').describe();
      const name = contact.fields.find((f) => f.name === 'Name');
      assert.equal(name?.createable, false);
      assert.equal(name?.nameField, true);

      const global = await conn.describeGlobal();
      assert.deepEqual(
        global.sobjects.map((s) => s.name),
        ['Account', 'AccountContactRelation', 'Contact', 'Lead', 'Organization', 'RecordType', 'User'],
      );
    });

    it('reports limits and api usage on every response', async () => {
      const conn = await clientCredentialsConnection(sb);
      const limits = await conn.limits();
      assert.equal(limits.DailyApiRequests?.Max, 100_000);
      assert.ok((limits.DailyStreamingApiEvents?.Max ?? 0) > 0);
      const usedBefore = conn.limitInfo?.apiUsage?.used ?? 0;
      await conn.query('SELECT Id FROM Account');
      assert.equal(conn.limitInfo?.apiUsage?.used, usedBefore + 1);
      assert.equal(conn.limitInfo?.apiUsage?.limit, 100_000);
      const versions = (await raw(sb, 'GET', '/services/data')).body as { version: string; label: string }[];
      assert.equal(versions.find((v) => v.version === '60.0')?.label, "Spring '24");
    });

    it('returns 403 REQUEST_LIMIT_EXCEEDED while a request limit is forced', async () => {
      const conn = await clientCredentialsConnection(sb);
      const set = await fetch(`${sb.url}/__sandbox/request-limit`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ durationMs: 60_000 }),
      });
      assert.equal(set.status, 200);
      const err = await thrown(() => conn.sobject('Account').create({ Name: 'blocked' }));
      assert.equal(err.errorCode, 'REQUEST_LIMIT_EXCEEDED');
      assert.equal(err.message, 'TotalRequests Limit exceeded.');
      const res = await raw(sb, 'GET', `/services/data/v${API_VERSION}/limits`, { token: conn.accessToken! });
      assert.equal(res.status, 403);
      assert.match(res.headers.get('sforce-limit-info') ?? '', /^api-usage=\d+\/100000$/);
      // Refused calls are logged under their endpoint, so benchmarks can count them per resource.
      const log = (await (await fetch(`${sb.url}/__sandbox/requests?entries=1`)).json()) as {
        entries: { route: string; status: number }[];
      };
      assert.ok(
        log.entries.some(
          (e) => e.route === 'POST /services/data/:version/sobjects/:type' && e.status === 403,
        ),
      );
      await fetch(`${sb.url}/__sandbox/request-limit`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ durationMs: 0 }),
      });
      assert.equal((await conn.sobject('Account').create({ Name: 'allowed' })).success, true);
    });
  });
});
