/**
 * Failure messages name fields and IDs, never values: Zendesk's descriptions of a refused record (which
 * quote the email or the phone) go into the details only; text nobody of ours wrote (an API's
 * description of an outage, an exception's message) is redacted of emails and phones; the values stay
 * in the details, which are payloads (encrypted by the codec). Log lines never print payload bytes.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import got from 'got';
import { classify } from '../../activities/failures';
import { toSalesforceApiError } from '../../activities/salesforce/errors';
import { refusedFields, toZendeskApiError } from '../../activities/zendesk/errors';
import { failureDetailLines } from '../../client/cli/failure-details';
import { planMatch } from '../../core';
import { redactContactValues } from '../../core/redact';
import { formatLogEntry } from '../../worker/telemetry';
import { matchSummary, renderDetails } from '../../workflows/record-details';

const EMAIL = 'jane.roe@pii.example';
const PHONE = '+1 (415) 555-0123';

describe('no PII in failure messages and log lines', () => {
  let server: Server;
  let base: string;
  /** The next answer of the loopback "Zendesk": status, body and headers. */
  let answer: { status: number; body: unknown; headers?: Record<string, string> };

  before(async () => {
    server = createServer((_req, res) => {
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  async function zendeskError(status: number, body: unknown, headers?: Record<string, string>) {
    answer = { status, body, headers };
    const err = await got(`${base}/api/v2/users.json`, { retry: { limit: 0 }, responseType: 'json' }).then(
      () => assert.fail('expected an error'),
      (e: unknown) => e,
    );
    return toZendeskApiError(err, 'POST users');
  }

  it('redacts emails and international phone numbers, and leaves IDs, times and codes alone', () => {
    assert.equal(
      redactContactValues(`Email: ${EMAIL} is taken; call ${PHONE} or +14155550123.`),
      'Email: <email> is taken; call <phone> or <phone>.',
    );
    const plain = 'user 361000000002 at 2026-12-02T13:14:27.041Z, +05:00, answered 422 RecordInvalid';
    assert.equal(redactContactValues(plain), plain);
  });

  it("a refused record's message names the fields and Zendesk's codes; its description is in the details", async () => {
    const err = await zendeskError(422, {
      error: 'RecordInvalid',
      description: 'Record validation errors',
      details: {
        email: [
          { description: `Email: ${EMAIL} is already being used by another user`, error: 'DuplicateValue' },
        ],
        phone: { description: `Phone ${PHONE} is not properly formatted`, error: 'InvalidFormat' },
      },
    });
    assert.equal(err.code, 'ZENDESK_REJECTED');
    assert.equal(
      err.message,
      'POST users answered 422 RecordInvalid: email: DuplicateValue; phone: InvalidFormat',
    );
    const c = classify(err);
    assert.equal(c.message, err.message);
    const details = c.details?.[0] as { description: string };
    assert.equal(details.description, 'Record validation errors');
    assert.ok(JSON.stringify(details).includes(EMAIL) && JSON.stringify(details).includes(PHONE));
    // `sfzd status` shows Zendesk's own words from the details.
    assert.deepEqual(failureDetailLines('ZendeskRejected', details), [
      `email: DuplicateValue: Email: ${EMAIL} is already being used by another user`,
      `phone: InvalidFormat: Phone ${PHONE} is not properly formatted`,
    ]);

    // A 400 whose description quotes a value (e.g. a search query) and has no per-field details.
    const search = await zendeskError(422, {
      error: 'invalid',
      description: `Invalid search: email:${EMAIL}`,
    });
    assert.equal(search.message, 'POST users answered 422 invalid');
    assert.deepEqual(failureDetailLines('ZendeskRejected', classify(search).details?.[0]), [
      `Zendesk: Invalid search: email:${EMAIL}`,
    ]);
    assert.equal(refusedFields([{ code: 'InvalidParameter', detail: EMAIL }]), 'InvalidParameter');
  });

  it('an answer about the service keeps its description, redacted', async () => {
    const limited = await zendeskError(
      429,
      { error: 'APIRateLimitExceeded', description: 'Rate limited: retry after 10 seconds' },
      { 'retry-after': '10' },
    );
    assert.equal(
      limited.message,
      'POST users answered 429 APIRateLimitExceeded: Rate limited: retry after 10 seconds',
    );
    const odd = await zendeskError(503, { error: 'Unavailable', description: `down while saving ${EMAIL}` });
    assert.equal(odd.message, 'POST users answered 503 Unavailable: down while saving <email>');
  });

  it('Salesforce messages are redacted; the details keep them as Salesforce said them', () => {
    const sf = Object.assign(new Error(`invalid email address: ${EMAIL}`), {
      errorCode: 'INVALID_EMAIL_ADDRESS',
    });
    const err = toSalesforceApiError(sf, 'write back Zendesk_User_Id__c on Contact 003000000000001');
    assert.equal(
      err.message,
      'write back Zendesk_User_Id__c on Contact 003000000000001 failed: INVALID_EMAIL_ADDRESS: invalid email address: <email>',
    );
    const details = classify(err).details?.[0] as { salesforceMessage: string };
    assert.equal(details.salesforceMessage, `invalid email address: ${EMAIL}`);
  });

  it('an unclassified exception: message and cause redacted, the exception as it was in the details', () => {
    const thrown = new SyntaxError(`Unexpected token 'j', "${EMAIL}" is not valid JSON`);
    const c = classify(thrown);
    assert.equal(c.type, 'InternalError');
    assert.equal(c.message, `SyntaxError: Unexpected token 'j', "<email>" is not valid JSON`);
    assert.ok(!c.cause?.message.includes(EMAIL) && !c.cause?.stack?.includes(EMAIL), c.cause?.stack);
    assert.equal(c.cause?.name, 'SyntaxError');
    assert.deepEqual(c.details, [{ error: 'SyntaxError', message: thrown.message }]);
    const foreign = classify(ApplicationFailure.create({ type: 'Other', message: `about ${PHONE}` }));
    assert.equal(foreign.message, 'Other: about <phone>');
  });

  it('an email that is no email address: the message names the field, the details hold the value', () => {
    const plan = planMatch('user', { salesforce: 'Email', zendesk: 'email' }, { Email: 'Jane Roe' });
    assert.equal(plan.ok, false);
    assert.ok(!plan.ok && !plan.message.includes('Jane Roe'), JSON.stringify(plan));
    assert.equal(!plan.ok && plan.value, 'jane roe');
    assert.deepEqual(failureDetailLines('NoMatchKey', { field: 'Email', value: 'jane roe' }), [
      "Email: 'jane roe'",
    ]);
  });

  it('summaries and current details name the record by IDs, never by its values', () => {
    assert.equal(matchSummary({ kind: 'organization_by_name', value: 'Jane Roe' }), 'match by name');
    const details = renderDetails({
      object: 'Contact',
      salesforceId: '003000000000001',
      label: 'Jane Roe',
      writtenBack: false,
      outcomes: [],
      passes: 0,
    });
    assert.ok(!details.includes('Jane'), details);
  });

  it('log lines print payload bytes as a length, at any depth (TRACE prints whole activations)', () => {
    const data = Buffer.from(JSON.stringify({ Email: EMAIL }));
    const line = formatLogEntry({
      level: 'TRACE',
      message: 'Got workflow activation',
      timestampNanos: 0n,
      meta: {
        jobs: [{ resolveActivity: { result: { completed: { result: { metadata: {}, data } } } } }],
        input: [{ data: new Uint8Array(data) }],
      },
    });
    assert.ok(!line.includes(EMAIL) && !line.includes(`"0":${data[0]}`), line);
    assert.match(line, new RegExp(`"data":"<${data.byteLength} bytes>"`));
  });
});
