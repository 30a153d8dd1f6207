/**
 * The sync's typed errors are built from an options object and keep what was thrown underneath as
 * `cause`, while their stable `code` (what the retry decision keys on) stays as it was.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import got from 'got';
import { ConfigError } from '../../core/config/errors';
import { WhereClauseError, compileWhereClause } from '../../core/soql/where-clause';
import { SoqlError } from '../../core/soql/errors';
import { toSalesforceApiError } from '../../activities/salesforce/errors';
import { readSyncConfigFile } from '../../activities/sync/context';
import { toZendeskApiError, ZendeskApiError } from '../../activities/zendesk/errors';

/** A port nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('typed errors carry their cause', () => {
  it('ZendeskApiError: built from options, Zendesk details kept, got’s error as cause', async () => {
    const built = new ZendeskApiError({
      code: 'ZENDESK_REJECTED',
      message: 'POST users answered 422 RecordInvalid: email: DuplicateValue',
      endpoint: 'POST users',
      status: 422,
      details: { email: [{ error: 'DuplicateValue' }] },
    });
    assert.equal(built.code, 'ZENDESK_REJECTED');
    assert.equal(built.hasDetail('email', 'DuplicateValue'), true);
    assert.equal(built.cause, undefined);

    const port = await closedPort();
    const thrown = await got(`http://127.0.0.1:${port}/api/v2/users.json`, { retry: { limit: 0 } }).then(
      () => assert.fail('nothing listens there'),
      (err: unknown) => err,
    );
    const error = toZendeskApiError(thrown, 'GET users');
    assert.equal(error.code, 'ZENDESK_UNAVAILABLE');
    assert.equal(error.endpoint, 'GET users');
    assert.equal(error.cause, thrown);
  });

  it('SalesforceApiError: the Salesforce errorCode decides the code, jsforce’s error is the cause', () => {
    const thrown = Object.assign(new Error('Query timed out'), { errorCode: 'QUERY_TIMEOUT' });
    const error = toSalesforceApiError(thrown, 'query Account page');
    assert.equal(error.code, 'SALESFORCE_UNAVAILABLE');
    assert.equal(error.salesforceErrorCode, 'QUERY_TIMEOUT');
    assert.equal(error.cause, thrown);
    assert.equal(toSalesforceApiError('boom', 'login').cause, 'boom');
  });

  it('ConfigError: the issue for people, the file system’s error as cause', () => {
    const error = (() => {
      try {
        readSyncConfigFile('/nonexistent/sync.config.yaml');
      } catch (err) {
        return err;
      }
      return assert.fail('the file does not exist');
    })();
    assert.ok(error instanceof ConfigError);
    assert.equal(error.code, 'INVALID_CONFIG');
    assert.equal(error.issues[0]?.path, '(file)');
    assert.equal((error.cause as NodeJS.ErrnoException).code, 'ENOENT');
  });

  it('WhereClauseError: the SOQL parser’s error as cause', () => {
    assert.throws(
      () => compileWhereClause('Account', 'Name = ', [{ name: 'Name', type: 'string' }]),
      (err: unknown) => err instanceof WhereClauseError && err.cause instanceof SoqlError,
    );
  });
});
