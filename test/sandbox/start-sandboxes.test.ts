import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import got from 'got';
import { Connection } from 'jsforce';
import { readSandboxSettings, startSandboxes } from '../../sandbox/start-sandboxes';

describe('npm run sandbox (both sandboxes as one unit)', function () {
  this.timeout(30_000);

  it('rejects a bad setting, naming it', () => {
    assert.throws(() => readSandboxSettings({ SANDBOX_ZENDESK_PORT: 'seventy' }), /SANDBOX_ZENDESK_PORT/);
  });

  it('starts seeded, and keeps its state in the data folder across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sfzd-sandbox-'));
    const settings = readSandboxSettings({
      SANDBOX_SALESFORCE_PORT: '0',
      SANDBOX_ZENDESK_PORT: '0',
      SANDBOX_SEED_ACCOUNTS: '5',
      SANDBOX_SEED_CONTACTS_PER_ACCOUNT: '2',
      SANDBOX_SEED_LEADS: '3',
      SANDBOX_DATA_DIR: dataDir,
    });
    const first = await startSandboxes(settings);
    const login = async (url: string) => {
      const conn = new Connection({
        oauth2: { clientId: 'sandbox', clientSecret: 'sandbox', loginUrl: url },
        loginUrl: url,
        version: '62.0',
      });
      await conn.authorize({ grant_type: 'client_credentials' });
      return conn;
    };
    let conn = await login(first.salesforce.url);
    assert.equal((await conn.query('SELECT Id FROM Account')).totalSize, 5);
    assert.equal((await conn.query('SELECT Id FROM Contact')).totalSize, 10);
    const created = await conn.sobject('Account').create({ Name: 'Kept Across Restarts' });
    const zdUsers = await got(`${first.zendesk.url}/api/v2/users`, {
      username: 'admin@sandbox.test/token',
      password: 'sandbox',
    }).json<{ users: Array<{ role: string }> }>();
    assert.ok(
      zdUsers.users.some((u) => u.role === 'agent'),
      'the Zendesk seed has agents',
    );
    await first.close();

    const second = await startSandboxes(settings);
    try {
      conn = await login(second.salesforce.url);
      const again = await conn.query<{ Id: string; Name: string }>(
        `SELECT Id, Name FROM Account WHERE Id = '${created.id}'`,
      );
      assert.equal(again.records[0]?.Name, 'Kept Across Restarts');
      assert.equal(
        (await conn.query('SELECT Id FROM Account')).totalSize,
        6,
        'not re-seeded on top of the snapshot',
      );
    } finally {
      await second.close();
    }
  });
});
