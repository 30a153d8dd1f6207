// The composite resources end to end over HTTP: `composite` with @{reference} substitution and allOrNone,
// `composite/batch` with haltOnError, and `composite/tree` with nested children, their limits and errors.
import assert from 'node:assert/strict';
import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../sandbox/salesforce/index';
import {
  API_VERSION,
  clientCredentialsConnection,
  raw,
  RecordingSink,
  startTestSandbox,
} from './salesforce-rest-helpers';

const V = `/services/data/v${API_VERSION}`;

interface CompositeResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

describe('Salesforce sandbox: composite, composite/batch and composite/tree', function () {
  let sb: SalesforceSandbox;
  let conn: Connection;
  const sink = new RecordingSink();

  before(async () => {
    sb = await startTestSandbox({ changeSink: sink });
  });
  after(async () => {
    await sb.close();
  });
  beforeEach(async () => {
    await fetch(`${sb.url}/__sandbox/reset`, { method: 'POST' });
    conn = await clientCredentialsConnection(sb);
    sink.clear();
  });

  const post = (path: string, body: unknown) =>
    raw(sb, 'POST', `${V}${path}`, { token: conn.accessToken!, body: JSON.stringify(body) });
  const composite = async (body: unknown) => {
    const res = await post('/composite', body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body as { compositeResponse: CompositeResult[] }).compositeResponse;
  };
  const used = () => sb.usage.count;

  describe('composite', () => {
    it('runs dependent subrequests with @{references} in bodies and URLs, as one API call', async () => {
      const before = used();
      const results = await composite({
        compositeRequest: [
          {
            method: 'POST',
            url: `${V}/sobjects/Account`,
            referenceId: 'refAccount',
            body: { Name: 'Composite Co' },
          },
          {
            method: 'POST',
            url: `${V}/sobjects/Contact`,
            referenceId: 'refContact',
            body: { LastName: 'Ref', AccountId: '@{refAccount.id}' },
          },
          {
            method: 'GET',
            url: `${V}/query?q=${encodeURIComponent("SELECT Id, AccountId FROM Contact WHERE AccountId = '@{refAccount.id}'")}`,
            referenceId: 'refQuery',
          },
          {
            method: 'GET',
            url: `${V}/sobjects/Account/@{refQuery.records[0].AccountId}?fields=Name`,
            referenceId: 'refRead',
          },
        ],
      });
      assert.equal(used(), before + 1);
      assert.deepEqual(
        results.map((r) => [r.referenceId, r.httpStatusCode]),
        [
          ['refAccount', 201],
          ['refContact', 201],
          ['refQuery', 200],
          ['refRead', 200],
        ],
      );
      const accountId = (results[0]!.body as { id: string }).id;
      assert.deepEqual(results[0]!.body, { id: accountId, success: true, errors: [] });
      assert.equal(results[0]!.httpHeaders.Location, `${V}/sobjects/Account/${accountId}`);
      assert.equal((results[2]!.body as { totalSize: number }).totalSize, 1);
      assert.equal((results[3]!.body as { Name: string }).Name, 'Composite Co');
      const contact = await conn.sobject('Contact').retrieve((results[1]!.body as { id: string }).id);
      assert.equal(contact.AccountId, accountId);
      // Without allOrNone each subrequest commits on its own.
      assert.equal(new Set(sink.changes.map((c) => c.transactionKey)).size, 2);
    });

    it('with allOrNone, rolls everything back when one subrequest fails and reports the others halted', async () => {
      const results = await composite({
        allOrNone: true,
        compositeRequest: [
          { method: 'POST', url: `${V}/sobjects/Account`, referenceId: 'a', body: { Name: 'Rolled Back' } },
          {
            method: 'POST',
            url: `${V}/sobjects/Contact`,
            referenceId: 'c',
            body: { FirstName: 'No Last Name' },
          },
          { method: 'POST', url: `${V}/sobjects/Account`, referenceId: 'later', body: { Name: 'Never' } },
        ],
      });
      assert.deepEqual(
        results.map((r) => r.httpStatusCode),
        [400, 400, 400],
      );
      const halted = {
        errorCode: 'PROCESSING_HALTED',
        message: 'The transaction was rolled back since another operation in the same transaction failed.',
      };
      assert.deepEqual(results[0]!.body, [halted]);
      assert.equal((results[1]!.body as { errorCode: string }[])[0]!.errorCode, 'REQUIRED_FIELD_MISSING');
      assert.deepEqual(results[2]!.body, [halted]);
      assert.equal((await conn.query('SELECT Id FROM Account')).totalSize, 0);
      assert.deepEqual(sink.changes, []);
    });

    it('with allOrNone, commits every subrequest as one transaction', async () => {
      await composite({
        allOrNone: true,
        compositeRequest: [
          { method: 'POST', url: `${V}/sobjects/Account`, referenceId: 'a', body: { Name: 'One Tx' } },
          {
            method: 'POST',
            url: `${V}/sobjects/Contact`,
            referenceId: 'c',
            body: { LastName: 'X', AccountId: '@{a.id}' },
          },
        ],
      });
      assert.equal(sink.changes.length, 2);
      assert.equal(new Set(sink.changes.map((c) => c.transactionKey)).size, 1);
      assert.deepEqual(
        sink.changes.map((c) => c.sequenceNumber),
        [1, 2],
      );
    });

    it('halts only the subrequests that depend on a failed one', async () => {
      const results = await composite({
        compositeRequest: [
          { method: 'POST', url: `${V}/sobjects/Account`, referenceId: 'refAccount', body: { Phone: '1' } },
          {
            method: 'POST',
            url: `${V}/sobjects/Contact`,
            referenceId: 'refContact',
            body: { LastName: 'Y', AccountId: '@{refAccount.id}' },
          },
          {
            method: 'POST',
            url: `${V}/sobjects/Account`,
            referenceId: 'other',
            body: { Name: 'Independent' },
          },
        ],
      });
      assert.equal(results[0]!.httpStatusCode, 400);
      assert.deepEqual(results[1], {
        body: [
          {
            errorCode: 'PROCESSING_HALTED',
            message:
              "Invalid reference specified. No value for refAccount.id found in refAccount. Provided referenceId ('refAccount.id') must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').",
          },
        ],
        httpHeaders: {},
        httpStatusCode: 400,
        referenceId: 'refContact',
      });
      assert.equal(results[2]!.httpStatusCode, 201);
    });

    it('enforces the subrequest limits and the referenceId syntax for the whole request', async () => {
      const create = (i: number) => ({
        method: 'POST',
        url: `${V}/sobjects/Account`,
        referenceId: `a${i}`,
        body: { Name: `A${i}` },
      });
      let res = await post('/composite', {
        compositeRequest: Array.from({ length: 26 }, (_, i) => create(i)),
      });
      assert.equal(res.status, 400);
      assert.equal((res.body as { errorCode: string }[])[0]!.errorCode, 'LIMIT_EXCEEDED');
      const query = (i: number) => ({
        method: 'GET',
        url: `${V}/query?q=SELECT+Id+FROM+Account`,
        referenceId: `q${i}`,
      });
      res = await post('/composite', { compositeRequest: Array.from({ length: 6 }, (_, i) => query(i)) });
      assert.equal(res.status, 400);
      res = await post('/composite', { compositeRequest: Array.from({ length: 25 }, (_, i) => create(i)) });
      assert.equal(res.status, 200);
      res = await post('/composite', {
        compositeRequest: [{ ...create(0), referenceId: 'refNewAccount[1]' }],
      });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, [
        {
          message:
            "Provided referenceId ('refNewAccount[1]') must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').",
          errorCode: 'JSON_PARSER_ERROR',
        },
      ]);
      res = await post('/composite', {
        compositeRequest: [{ ...create(0), httpHeaders: { Authorization: 'x' } }],
      });
      assert.equal(res.status, 400);
    });
  });

  describe('composite/batch', () => {
    it('runs independent subrequests, each counted against the API limit', async () => {
      const { id } = (await conn.sobject('Account').create({ Name: 'Batch' })) as { id: string };
      const before = used();
      const res = await post('/composite/batch', {
        batchRequests: [
          { method: 'PATCH', url: `v${API_VERSION}/sobjects/account/${id}`, richInput: { Name: 'Batched' } },
          { method: 'GET', url: `v${API_VERSION}/sobjects/account/${id}?fields=Name` },
          { method: 'GET', url: `v${API_VERSION}/limits` },
        ],
      });
      assert.equal(res.status, 200);
      const body = res.body as { hasErrors: boolean; results: { statusCode: number; result: unknown }[] };
      assert.equal(body.hasErrors, false);
      assert.deepEqual(body.results[0], { statusCode: 204, result: null });
      assert.equal(body.results[1]!.statusCode, 200);
      assert.equal((body.results[1]!.result as { Name: string }).Name, 'Batched');
      assert.equal(used(), before + 3);
    });

    it('with haltOnError, answers 412 BATCH_PROCESSING_HALTED after the first failure', async () => {
      const res = await post('/composite/batch', {
        haltOnError: true,
        batchRequests: [
          { method: 'POST', url: `v${API_VERSION}/sobjects/Account`, richInput: { Name: 'First' } },
          { method: 'POST', url: `v${API_VERSION}/sobjects/Account`, richInput: {} },
          { method: 'POST', url: `v${API_VERSION}/sobjects/Account`, richInput: { Name: 'Third' } },
        ],
      });
      const body = res.body as { hasErrors: boolean; results: { statusCode: number; result: unknown }[] };
      assert.equal(body.hasErrors, true);
      assert.deepEqual(
        body.results.map((r) => r.statusCode),
        [201, 400, 412],
      );
      assert.equal(
        (body.results[2]!.result as { errorCode: string }[])[0]!.errorCode,
        'BATCH_PROCESSING_HALTED',
      );
      // Earlier subrequests stay committed.
      assert.equal((await conn.query('SELECT Id FROM Account')).totalSize, 1);
    });

    it('refuses a batch over 25 subrequests, or with a subrequest it cannot route, before running any', async () => {
      const get = { method: 'GET', url: `v${API_VERSION}/limits` };
      let res = await post('/composite/batch', { batchRequests: Array.from({ length: 26 }, () => get) });
      assert.equal(res.status, 400);
      res = await post('/composite/batch', {
        batchRequests: [
          { method: 'POST', url: `v${API_VERSION}/sobjects/Account`, richInput: { Name: 'x' } },
          { method: 'GET', url: 'v99.0/limits' },
        ],
      });
      assert.equal(res.status, 400);
      assert.equal((await conn.query('SELECT Id FROM Account')).totalSize, 0);
    });
  });

  describe('composite/tree', () => {
    it('creates nested records level by level in one transaction and answers 201 with referenceIds', async () => {
      const res = await post('/composite/tree/Account', {
        records: [
          {
            attributes: { type: 'Account', referenceId: 'ref1' },
            Name: 'Tree Co',
            Contacts: {
              records: [
                {
                  attributes: { type: 'Contact', referenceId: 'ref2' },
                  LastName: 'Smith',
                  Email: 'smith@example.com',
                },
                { attributes: { type: 'Contact', referenceId: 'ref3' }, LastName: 'Evans' },
              ],
            },
          },
          { attributes: { type: 'Account', referenceId: 'ref4' }, Name: 'Tree Co 2' },
        ],
      });
      assert.equal(res.status, 201);
      const body = res.body as { hasErrors: boolean; results: { referenceId: string; id: string }[] };
      assert.equal(body.hasErrors, false);
      assert.deepEqual(
        body.results.map((r) => r.referenceId),
        ['ref1', 'ref4', 'ref2', 'ref3'],
      );
      const contacts = await conn.query<{ AccountId: string }>('SELECT AccountId FROM Contact');
      assert.deepEqual(
        contacts.records.map((c) => c.AccountId),
        [body.results[0]!.id, body.results[0]!.id],
      );
      assert.equal(new Set(sink.changes.map((c) => c.transactionKey)).size, 1);
    });

    it('fails as a whole, naming only the failed record, and enforces its limits', async () => {
      let res = await post('/composite/tree/Account', {
        records: [
          {
            attributes: { type: 'Account', referenceId: 'ok' },
            Name: 'Fine',
            Contacts: {
              records: [{ attributes: { type: 'Contact', referenceId: 'bad' }, LastName: 'X', Email: '123' }],
            },
          },
        ],
      });
      assert.equal(res.status, 400);
      const body = res.body as {
        hasErrors: boolean;
        results: { referenceId: string; errors: { statusCode: string }[] }[];
      };
      assert.equal(body.hasErrors, true);
      assert.equal(body.results.length, 1);
      assert.equal(body.results[0]!.referenceId, 'bad');
      assert.equal(body.results[0]!.errors[0]!.statusCode, 'INVALID_EMAIL_ADDRESS');
      assert.equal((await conn.query('SELECT Id FROM Account')).totalSize, 0);
      assert.deepEqual(sink.changes, []);

      const many = Array.from({ length: 201 }, (_, i) => ({
        attributes: { type: 'Account', referenceId: `r${i}` },
        Name: `N${i}`,
      }));
      res = await post('/composite/tree/Account', { records: many });
      assert.equal(res.status, 400);
      res = await post('/composite/tree/Account', { records: many.slice(0, 200) });
      assert.equal(res.status, 201);

      res = await post('/composite/tree/Account', {
        records: [
          { attributes: { type: 'Account', referenceId: 'dup' }, Name: 'A' },
          { attributes: { type: 'Account', referenceId: 'dup' }, Name: 'B' },
        ],
      });
      assert.equal(res.status, 400);
      assert.equal((res.body as { results: unknown[] }).results.length, 2);
    });
  });
});
