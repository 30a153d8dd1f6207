// Conformance: Change Data Capture through the CometD project's own JavaScript client (`cometd`, with the
// `cometd-nodejs-client` transport for Node), not faye or jsforce: handshake with the OAuth token, subscribe
// with Salesforce's replay extension written against the library's extension API, receive a change event,
// and replay from a stored replayId after reconnecting.
import assert from 'node:assert/strict';
import { CometD, type Message } from 'cometd';
import { adapt } from 'cometd-nodejs-client';
import nforce, { type Connection } from 'nforce8';
import { startSalesforceSandbox, type SalesforceSandbox } from '../../sandbox/salesforce/index';
import { until } from '../sandbox/salesforce-rest-helpers';

adapt();

const CHANNEL = '/data/AccountChangeEvent';

interface ChangeEvent {
  schema: string;
  event: { replayId: number };
  payload: {
    ChangeEventHeader: { entityName: string; changeType: string; recordIds: string[] };
    Name?: string;
  };
}

/** A CometD client configured as Salesforce's CometD samples configure it. */
function cometdClient(sb: SalesforceSandbox, token: string, replayFrom?: number): CometD {
  const cometd = new CometD();
  // Salesforce's Streaming API serves long-polling only, so its CometD samples drop the other transports.
  cometd.unregisterTransport('websocket');
  cometd.unregisterTransport('callback-polling');
  cometd.configure({
    url: `${sb.url}/cometd/62.0`,
    requestHeaders: { Authorization: `Bearer ${token}` },
    appendMessageTypeToURL: false,
  });
  if (replayFrom !== undefined) {
    // Salesforce's replay position travels in the subscribe message's ext.
    cometd.registerExtension('replay', {
      outgoing(message: Message) {
        if (message.channel === '/meta/subscribe') {
          message.ext = { ...(message.ext ?? {}), replay: { [CHANNEL]: replayFrom } };
        }
        return message;
      },
    });
  }
  return cometd;
}

const handshake = (cometd: CometD) =>
  new Promise<Message>((resolve) => {
    cometd.handshake((reply) => resolve(reply));
  });

function subscribe(cometd: CometD, received: ChangeEvent[]): Promise<Message> {
  return new Promise((resolve, reject) => {
    cometd.subscribe(
      CHANNEL,
      (message) => received.push(message.data as ChangeEvent),
      (reply) => (reply.successful ? resolve(reply) : reject(new Error(reply.error))),
    );
  });
}

/** Disconnects; a session the server already ended (advice reconnect: none) is disconnected already. */
const disconnect = (cometd: CometD) =>
  new Promise<void>((resolve) => {
    if (cometd.isDisconnected()) resolve();
    else cometd.disconnect(() => resolve());
  });

describe('conformance: Salesforce CDC with the cometd client', function () {
  this.timeout(30_000);
  let sb: SalesforceSandbox;
  let org: Connection;
  const open: CometD[] = [];

  before(async () => {
    sb = await startSalesforceSandbox({ port: 0, longPollTimeoutSeconds: 2 });
    org = nforce.createConnection({
      clientId: 'sandbox',
      clientSecret: 'sandbox',
      redirectUri: 'http://localhost/callback',
      loginUri: `${sb.url}/services/oauth2/token`,
      mode: 'single',
    });
    await org.authenticate({ username: 'admin@sandbox.test', password: 'sandbox' });
  });
  afterEach(async () => {
    for (const c of open.splice(0)) await disconnect(c);
  });
  after(async () => {
    await sb.close();
  });

  const createAccount = async (Name: string) =>
    (await org.insert({ sobject: nforce.createSObject('Account', { Name }) })).id;

  it('handshakes, subscribes and receives a change event, then replays from a stored replayId', async () => {
    const first = cometdClient(sb, org.oauth.access_token, -1);
    open.push(first);
    const reply = await handshake(first);
    assert.equal(reply.successful, true);
    assert.equal((reply.ext as { replay?: boolean } | undefined)?.replay, true);
    const received: ChangeEvent[] = [];
    await subscribe(first, received);

    const id = await createAccount('Streamed Co');
    await until('the CREATE event', () => received.length === 1);
    const event = received[0]!;
    assert.equal(event.payload.ChangeEventHeader.entityName, 'Account');
    assert.equal(event.payload.ChangeEventHeader.changeType, 'CREATE');
    assert.deepEqual(event.payload.ChangeEventHeader.recordIds, [id]);
    assert.equal(event.payload.Name, 'Streamed Co');
    assert.equal(typeof event.event.replayId, 'number');
    assert.equal(typeof event.schema, 'string');

    // Offline while two more changes happen; a new session replays from the stored position.
    await disconnect(open.pop()!);
    await createAccount('Missed One');
    await createAccount('Missed Two');
    const second = cometdClient(sb, org.oauth.access_token, event.event.replayId);
    open.push(second);
    assert.equal((await handshake(second)).successful, true);
    const replayed: ChangeEvent[] = [];
    await subscribe(second, replayed);
    await until('the replayed events', () => replayed.length === 2);
    assert.deepEqual(
      replayed.map((e) => e.payload.Name),
      ['Missed One', 'Missed Two'],
    );
    assert.ok(replayed[0]!.event.replayId > event.event.replayId);
  });

  it('reports the daily delivery allocation running out on /meta/connect', async () => {
    await fetch(`${sb.url}/__sandbox/cometd/delivery-allocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dailyMax: 1, resetUsage: true }),
    });
    try {
      const client = cometdClient(sb, org.oauth.access_token, -1);
      open.push(client);
      const connectFailures: Message[] = [];
      client.addListener('/meta/connect', (message) => {
        if (!message.successful) connectFailures.push(message);
      });
      assert.equal((await handshake(client)).successful, true);
      const received: ChangeEvent[] = [];
      await subscribe(client, received);
      await createAccount('Within Allocation');
      await createAccount('Past Allocation');
      await until('the limit error', () => connectFailures.length > 0);
      assert.equal(connectFailures[0]!.error, '403::Organization total events daily limit exceeded');
      assert.deepEqual(
        received.map((e) => e.payload.Name),
        ['Within Allocation'],
      );
    } finally {
      await fetch(`${sb.url}/__sandbox/cometd/delivery-allocation`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ dailyMax: 25_000, resetUsage: true }),
      });
    }
  });

  it('refuses a handshake with a bad token the way Salesforce does', async () => {
    const client = cometdClient(sb, 'not-a-token');
    const reply = await handshake(client);
    assert.equal(reply.successful, false);
    assert.equal(reply.error, '403::Handshake denied');
    assert.equal(reply.advice?.reconnect, 'none');
    client.disconnect();
  });
});
