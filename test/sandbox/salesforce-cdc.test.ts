/**
 * The CDC feed end to end: jsforce's unmodified streaming client (faye long-polling) against the sandbox's
 * CometD endpoint over loopback.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/api/streaming';
import { listen, type RunningServer } from '../../sandbox/common/listen';
import type { CdcEntity, ChangeType, RecordChange } from '../../sandbox/salesforce/change-events';
import {
  createCdcFeed,
  schemaIdFor,
  type CdcFeed,
  type CdcFeedOptions,
  type ChangeEventData,
} from '../../sandbox/salesforce/cdc/index';

const VERSION = '62.0';
const ACCOUNT = '/data/AccountChangeEvent';
const ALL = '/data/ChangeEvents';

interface Harness {
  url: string;
  tokens: Set<string>;
  token: string;
  feed: CdcFeed;
  server: RunningServer;
  close(): Promise<void>;
}

async function startHarness(options: Partial<CdcFeedOptions> = {}): Promise<Harness> {
  const token = `00D000000000001!${randomUUID()}`;
  const tokens = new Set([token]);
  const feed = createCdcFeed({
    validateToken: (t) => tokens.has(t),
    apiVersion: VERSION,
    longPollTimeoutSeconds: 1,
    ...options,
  });
  const app = express();
  app.use('/__sandbox/cometd', feed.controlRouter());
  app.get('/services/data', (_req, res) => void res.json([{ version: VERSION }]));
  app.use((_req, res) => void res.status(404).json([{ errorCode: 'NOT_FOUND', message: 'not found' }]));
  const server = await listen(app);
  feed.attach(server.server);
  return {
    url: server.url,
    tokens,
    token,
    feed,
    server,
    async close() {
      await feed.close();
      await server.close();
    },
  };
}

/** The parts of faye's client the tests use (faye ships no types). */
interface FayeSubscription {
  then(onOk: () => void, onError: (error: { code?: number; message?: string }) => void): Promise<void>;
}
interface FayeClient {
  subscribe(channel: string, listener: (data: ChangeEventData) => void): FayeSubscription;
  publish(channel: string, data: unknown): FayeSubscription;
  disconnect(): void;
}
type BayeuxReply = {
  channel: string;
  error?: string;
  successful?: boolean;
  advice?: Record<string, unknown>;
  ext?: Record<string, unknown>;
};

interface Subscriber {
  client: FayeClient;
  received: ChangeEventData[];
  authFailures: BayeuxReply[];
  /** Every /meta reply the client saw, in order. */
  metaReplies: BayeuxReply[];
  subscribed: Promise<void>;
}

const openClients: FayeClient[] = [];

function subscribe(h: Harness, channel: string, replayFrom: number, token = h.token): Subscriber {
  const conn = new Connection({ instanceUrl: h.url, accessToken: token, version: VERSION });
  const received: ChangeEventData[] = [];
  const authFailures: BayeuxReply[] = [];
  const metaReplies: BayeuxReply[] = [];
  const recorder = {
    incoming(message: BayeuxReply, callback: (m: BayeuxReply) => void) {
      if (message.channel.startsWith('/meta/')) metaReplies.push(message);
      callback(message);
    },
  };
  const client = conn.streaming.createClient([
    recorder,
    new StreamingExtension.Replay(channel, replayFrom),
    new StreamingExtension.AuthFailure((message: BayeuxReply) => authFailures.push(message)),
  ]) as unknown as FayeClient;
  openClients.push(client);
  const subscription = client.subscribe(channel, (data) => received.push(data));
  const subscribed = new Promise<void>((resolve, reject) => {
    void subscription.then(resolve, (error) => reject(new Error(error.message ?? 'subscribe failed')));
  });
  return { client, received, authFailures, metaReplies, subscribed };
}

async function until(what: string, condition: () => boolean, timeoutMs = 4000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let txCounter = 0;
function change(
  entityName: CdcEntity,
  changeType: ChangeType,
  partial: Partial<RecordChange> = {},
): RecordChange {
  txCounter += 1;
  return {
    entityName,
    changeType,
    recordIds: [
      `${entityName === 'Account' ? '001' : entityName === 'Contact' ? '003' : '00Q'}00000000000${txCounter}AAA`,
    ],
    changedFields: [],
    fields: {},
    changeOrigin: `com/salesforce/api/rest/${VERSION};client=sync-test`,
    commitTimestamp: Date.UTC(2026, 0, 1, 0, 0, txCounter),
    transactionKey: `tx-${txCounter}`,
    sequenceNumber: 1,
    ...partial,
  };
}

const replayIds = (s: Subscriber) => s.received.map((d) => d.event.replayId);
const types = (s: Subscriber) => s.received.map((d) => d.payload.ChangeEventHeader.changeType);

async function control(
  h: Harness,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${h.url}/__sandbox/cometd${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}

describe('Salesforce sandbox CDC feed (CometD via jsforce)', function () {
  this.timeout(15_000);
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    for (const client of openClients.splice(0)) client.disconnect();
    await h.close();
  });

  it('delivers CREATE, UPDATE and DELETE with Salesforce headers and CometD bodies', async () => {
    const sub = subscribe(h, ACCOUNT, -1);
    await sub.subscribed;
    const id = '001000000000042AAA';
    h.feed.sink.publish(
      change('Account', 'CREATE', {
        recordIds: [id],
        fields: { Name: 'Acme', Website: '', Industry: null, CreatedById: '005000000000007AAA' },
      }),
    );
    h.feed.sink.publish(change('Contact', 'CREATE', { fields: { LastName: 'Not on this channel' } }));
    h.feed.sink.publish(
      change('Account', 'UPDATE', {
        recordIds: [id],
        changedFields: ['Name', 'Phone', 'LastModifiedDate'],
        fields: { Name: 'Acme Ltd', Phone: null, LastModifiedDate: '2026-01-01T00:00:09.000Z' },
        transactionKey: 'tx-shared',
        sequenceNumber: 1,
      }),
    );
    h.feed.sink.publish(
      change('Account', 'DELETE', {
        recordIds: [id],
        fields: { Name: 'ignored' },
        transactionKey: 'tx-shared',
        sequenceNumber: 2,
      }),
    );
    await until('three account events', () => sub.received.length >= 3);
    await sleep(50);

    assert.deepEqual(types(sub), ['CREATE', 'UPDATE', 'DELETE']);
    const [created, updated, deleted] = sub.received as [ChangeEventData, ChangeEventData, ChangeEventData];
    assert.equal(created.schema, schemaIdFor('Account'));
    assert.match(created.schema, /^[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(created.payload, {
      ChangeEventHeader: {
        entityName: 'Account',
        recordIds: [id],
        changeType: 'CREATE',
        changedFields: [],
        nulledFields: [],
        diffFields: [],
        changeOrigin: `com/salesforce/api/rest/${VERSION};client=sync-test`,
        transactionKey: created.payload.ChangeEventHeader.transactionKey,
        sequenceNumber: 1,
        commitTimestamp: created.payload.ChangeEventHeader.commitTimestamp,
        commitNumber: created.payload.ChangeEventHeader.commitNumber,
        commitUser: '005000000000007AAA',
      },
      Name: 'Acme',
      CreatedById: '005000000000007AAA',
    });
    assert.deepEqual(
      { ...updated.payload, ChangeEventHeader: undefined },
      {
        ChangeEventHeader: undefined,
        Name: 'Acme Ltd',
        Phone: null,
        LastModifiedDate: '2026-01-01T00:00:09.000Z',
      },
    );
    assert.deepEqual(updated.payload.ChangeEventHeader.changedFields, ['Name', 'Phone', 'LastModifiedDate']);
    assert.deepEqual(updated.payload.ChangeEventHeader.nulledFields, ['Phone']);
    assert.deepEqual(Object.keys(deleted.payload), ['ChangeEventHeader']);
    assert.deepEqual(deleted.payload.ChangeEventHeader.recordIds, [id]);
    // One transaction, one commitNumber; a later transaction has a larger one.
    assert.equal(
      deleted.payload.ChangeEventHeader.commitNumber,
      updated.payload.ChangeEventHeader.commitNumber,
    );
    assert.ok(
      updated.payload.ChangeEventHeader.commitNumber > created.payload.ChangeEventHeader.commitNumber,
    );
    // The skipped Contact event took replayId 2: ids are one counter across channels.
    assert.deepEqual(replayIds(sub), [1, 3, 4]);
  });

  it('delivers every entity on /data/ChangeEvents', async () => {
    const sub = subscribe(h, ALL, -1);
    await sub.subscribed;
    for (const entity of ['Account', 'Contact', 'Lead'] as const)
      h.feed.sink.publish(change(entity, 'CREATE', { fields: { Name: entity } }));
    await until('three events', () => sub.received.length >= 3);
    assert.deepEqual(
      sub.received.map((d) => d.payload.ChangeEventHeader.entityName),
      ['Account', 'Contact', 'Lead'],
    );
    assert.deepEqual(
      sub.received.map((d) => d.schema),
      [schemaIdFor('Account'), schemaIdFor('Contact'), schemaIdFor('Lead')],
    );
  });

  it('replays all retained events for -2 and only later ones for a replayId, before live events', async () => {
    for (let i = 0; i < 4; i++)
      h.feed.sink.publish(change('Account', 'CREATE', { fields: { Name: `A${i}` } }));
    h.feed.sink.publish(change('Lead', 'CREATE', { fields: { LastName: 'L' } }));

    const all = subscribe(h, ACCOUNT, -2);
    const after = subscribe(h, ACCOUNT, 2);
    const everything = subscribe(h, ALL, 3);
    const tip = subscribe(h, ACCOUNT, -1);
    await Promise.all([all.subscribed, after.subscribed, everything.subscribed, tip.subscribed]);
    h.feed.sink.publish(change('Account', 'UPDATE', { changedFields: ['Name'], fields: { Name: 'live' } }));

    await until(
      'replays and the live event',
      () =>
        all.received.length >= 5 &&
        after.received.length >= 3 &&
        everything.received.length >= 3 &&
        tip.received.length >= 1,
    );
    await sleep(100);
    assert.deepEqual(replayIds(all), [1, 2, 3, 4, 6]);
    assert.deepEqual(replayIds(after), [3, 4, 6]);
    assert.deepEqual(replayIds(everything), [4, 5, 6]);
    assert.deepEqual(replayIds(tip), [6]);
    assert.deepEqual(types(all), ['CREATE', 'CREATE', 'CREATE', 'CREATE', 'UPDATE']);
  });

  it("refuses a replayId that fell out of the retained window with Salesforce's error", async () => {
    await h.close();
    h = await startHarness({ retention: { maxEvents: 3 } });
    for (let i = 0; i < 5; i++)
      h.feed.sink.publish(change('Account', 'CREATE', { fields: { Name: `A${i}` } }));
    assert.deepEqual(
      h.feed.retained().map((e) => e.replayId),
      [3, 4, 5],
    );

    const stale = subscribe(h, ACCOUNT, 1);
    await assert.rejects(stale.subscribed, {
      message:
        '400::The replayId {1} you provided was invalid. Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.',
    });
    // The last purged id is still a valid position: nothing after it was lost.
    const edge = subscribe(h, ACCOUNT, 2);
    await edge.subscribed;
    await until('replayed events', () => edge.received.length >= 3);
    assert.deepEqual(replayIds(edge), [3, 4, 5]);
  });

  it('forgets events older than maxAgeMs', async () => {
    await h.close();
    let clock = 1_000_000;
    h = await startHarness({ retention: { maxAgeMs: 60_000 }, now: () => clock });
    h.feed.sink.publish(change('Account', 'CREATE'));
    clock += 30_000;
    h.feed.sink.publish(change('Account', 'CREATE'));
    clock += 40_000;
    assert.deepEqual(
      h.feed.retained().map((e) => e.replayId),
      [2],
    );
    await assert.rejects(subscribe(h, ACCOUNT, 0).subscribed, /replayId \{0\}/);
  });

  it('denies a handshake with a bad token and fires AuthFailure', async () => {
    const sub = subscribe(h, ACCOUNT, -1, 'not-a-token');
    await until('auth failure', () => sub.authFailures.length > 0);
    assert.deepEqual(sub.authFailures[0], {
      channel: '/meta/handshake',
      id: (sub.authFailures[0] as { id?: string }).id,
      version: '1.0',
      supportedConnectionTypes: ['long-polling'],
      minimumVersion: '1.0',
      error: '403::Handshake denied',
      successful: false,
      advice: { reconnect: 'none' },
      ext: { replay: true, 'payload.format': true, sfdc: { failureReason: '401::Authentication invalid' } },
    });
  });

  it('fires AuthFailure on /meta/connect once the token expires', async () => {
    const sub = subscribe(h, ACCOUNT, -1);
    await sub.subscribed;
    h.tokens.delete(h.token);
    await until('auth failure', () => sub.authFailures.length > 0);
    const failure = sub.authFailures[0]!;
    assert.equal(failure.channel, '/meta/connect');
    assert.equal(failure.error, '401::Authentication invalid');
    assert.equal(failure.successful, false);
    assert.deepEqual(failure.advice, { reconnect: 'none' });
    // The session is gone and the client stops polling.
    await sleep(100);
    const { json } = await control(h, 'POST', '/disconnect');
    assert.deepEqual(json, { disconnected: 0 });
  });

  it('after a forced disconnect, the client re-handshakes and gets what it missed exactly once, in order', async () => {
    const sub = subscribe(h, ACCOUNT, -1);
    await sub.subscribed;
    h.feed.sink.publish(change('Account', 'CREATE'));
    await until('first event', () => sub.received.length === 1);

    const { json } = await control(h, 'POST', '/disconnect');
    assert.deepEqual(json, { disconnected: 1 });
    for (let i = 0; i < 3; i++)
      h.feed.sink.publish(
        change('Account', 'UPDATE', { changedFields: ['Name'], fields: { Name: `n${i}` } }),
      );

    await until('missed events', () => sub.received.length >= 4);
    h.feed.sink.publish(change('Account', 'DELETE'));
    await until('live event after reconnect', () => sub.received.length >= 5);
    await sleep(100);
    assert.deepEqual(replayIds(sub), [1, 2, 3, 4, 5]);
    assert.ok(
      sub.metaReplies.some((m) => m.channel === '/meta/connect' && m.error === '403::Unknown client'),
      'the client was told its session is gone',
    );
    assert.equal(sub.metaReplies.filter((m) => m.channel === '/meta/handshake' && m.successful).length, 2);
  });

  it('survives periodic drops without losing or duplicating events', async () => {
    const sub = subscribe(h, ALL, -1);
    await sub.subscribed;
    h.feed.sink.publish(change('Contact', 'CREATE'));
    await until('first event', () => sub.received.length === 1);
    assert.equal((await control(h, 'POST', '/drops', { everyMs: 40 })).status, 200);
    for (let i = 0; i < 12; i++) {
      h.feed.sink.publish(change(i % 2 ? 'Lead' : 'Account', 'CREATE'));
      await sleep(25);
    }
    assert.equal((await control(h, 'POST', '/drops', { everyMs: 0 })).status, 200);
    await until('all events', () => sub.received.length >= 13);
    await sleep(100);
    assert.deepEqual(
      replayIds(sub),
      Array.from({ length: 13 }, (_, i) => i + 1),
    );
    assert.ok(
      sub.metaReplies.filter((m) => m.channel === '/meta/handshake').length > 2,
      'drops really happened',
    );
  });

  it('delivers GAP and GAP_OVERFLOW events injected through the control routes', async () => {
    const sub = subscribe(h, ACCOUNT, -1);
    await sub.subscribed;
    const gap = await control(h, 'POST', '/gap', {
      entityName: 'Account',
      changeType: 'GAP_UPDATE',
      recordIds: ['001000000000001AAA', '001000000000002AAA'],
    });
    assert.equal(gap.status, 201);
    assert.equal((await control(h, 'POST', '/overflow', { entityName: 'Account' })).status, 201);
    await until('gap and overflow', () => sub.received.length >= 2);

    const [gapEvent, overflow] = sub.received as [ChangeEventData, ChangeEventData];
    assert.deepEqual(Object.keys(gapEvent.payload), ['ChangeEventHeader']);
    assert.equal(gapEvent.payload.ChangeEventHeader.changeType, 'GAP_UPDATE');
    assert.deepEqual(gapEvent.payload.ChangeEventHeader.recordIds, [
      '001000000000001AAA',
      '001000000000002AAA',
    ]);
    assert.deepEqual(gapEvent.payload.ChangeEventHeader.changedFields, []);
    assert.equal(gapEvent.payload.ChangeEventHeader.changeOrigin, '');
    assert.deepEqual(Object.keys(overflow.payload), ['ChangeEventHeader']);
    assert.equal(overflow.payload.ChangeEventHeader.changeType, 'GAP_OVERFLOW');
    assert.deepEqual(overflow.payload.ChangeEventHeader.recordIds, []);

    const events = (await control(h, 'GET', '/events')).json as {
      events: { replayId: number; channel: string }[];
    };
    assert.deepEqual(
      events.events.map((e) => [e.replayId, e.channel]),
      [
        [1, ACCOUNT],
        [2, ACCOUNT],
      ],
    );
  });

  it('rejects malformed control requests with a message saying what is wrong', async () => {
    const bad = await control(h, 'POST', '/gap', {
      entityName: 'Opportunity',
      changeType: 'UPDATE',
      recordIds: [],
    });
    assert.equal(bad.status, 400);
    const { error, message } = bad.json as { error: string; message: string };
    assert.equal(error, 'INVALID_CONTROL_REQUEST');
    assert.match(message, /entityName/);
    assert.match(message, /changeType/);
    assert.match(message, /recordIds must name at least one record/);
    const drops = await control(h, 'POST', '/drops', { everyMs: 3 });
    assert.equal(drops.status, 400);
    assert.match(
      (drops.json as { message: string }).message,
      /everyMs must be 0 \(stop\) or at least 10 milliseconds/,
    );

    h.feed.sink.publish(change('Lead', 'CREATE'));
    assert.equal((await control(h, 'POST', '/reset')).status, 204);
    assert.deepEqual((await control(h, 'GET', '/events')).json, { events: [] });
  });

  it("answers a session's first /meta/connect at once without advice.timeout 0, and holds the next", async () => {
    // A Bayeux client that, unlike faye, sends no `advice: {timeout: 0}` on its first connect.
    const held = await startHarness({ longPollTimeoutSeconds: 3 });
    try {
      const bayeux = async (message: Record<string, unknown>) => {
        const res = await fetch(`${held.url}/cometd/${VERSION}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `OAuth ${held.token}` },
          body: JSON.stringify([message]),
        });
        return (await res.json()) as (BayeuxReply & { clientId?: string })[];
      };
      const [handshake] = await bayeux({
        channel: '/meta/handshake',
        version: '1.0',
        supportedConnectionTypes: ['long-polling'],
      });
      assert.equal(handshake?.successful, true);
      const connect = {
        channel: '/meta/connect',
        clientId: handshake?.clientId,
        connectionType: 'long-polling',
      };

      let started = Date.now();
      const [first] = await bayeux(connect);
      const firstMs = Date.now() - started;
      assert.equal(first?.successful, true);
      assert.ok(firstMs < 1500, `first connect took ${firstMs} ms`);
      assert.equal(first?.advice?.reconnect, 'retry');
      assert.equal(first?.advice?.timeout, 3000);

      started = Date.now();
      const [second] = await bayeux(connect);
      const secondMs = Date.now() - started;
      assert.equal(second?.successful, true);
      assert.ok(secondMs >= 2500, `second connect was answered after ${secondMs} ms, not held`);
    } finally {
      await held.close();
    }
  });

  it('refuses unknown channels and client publishing', async () => {
    const sub = subscribe(h, '/data/OpportunityChangeEvent', -1);
    await assert.rejects(sub.subscribed, { message: 'Unknown channel' });
    const ok = subscribe(h, ACCOUNT, -1);
    await ok.subscribed;
    await assert.rejects(
      new Promise<void>((resolve, reject) => {
        void ok.client.publish(ACCOUNT, { payload: {} }).then(resolve, (e) => reject(new Error(e.message)));
      }),
      { message: 'Publish denied' },
    );
    assert.deepEqual(h.feed.retained(), []);
  });

  it('answers malformed Bayeux messages without crashing, and leaves non-CometD paths to express', async () => {
    const endpoint = `${h.url}/cometd/${VERSION}`;
    const bodies = [
      'not json',
      '42',
      '[null]',
      '[1, "x", []]',
      '{"channel": 5}',
      '{"channel": "/meta/subscribe", "clientId": "nope", "subscription": {"a": 1}}',
      '{"channel": "/meta/subscribe", "clientId": "nope", "subscription": "/data/AccountChangeEvent", "ext": {"replay": "x"}}',
      '{"channel": "/meta/connect"}',
      '{"channel": "/meta/handshake", "version": "1.0", "supportedConnectionTypes": "long-polling"}',
      '{"channel": "/meta/unknown"}',
      '{"channel": "/data/AccountChangeEvent", "data": {}}',
    ];
    for (const body of bodies) {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `OAuth ${h.token}` },
        body,
      });
      assert.ok([200, 400].includes(res.status), `${body} -> ${res.status}`);
      await res.text();
    }
    // A real client still works afterwards.
    const sub = subscribe(h, ACCOUNT, -1);
    await sub.subscribed;
    h.feed.sink.publish(change('Account', 'CREATE'));
    await until('event', () => sub.received.length === 1);

    assert.equal((await fetch(`${h.url}/services/data`)).status, 200);
    // A version newer than the org's is not a CometD endpoint here.
    assert.equal((await fetch(`${h.url}/cometd/99.0`, { method: 'POST' })).status, 404);
  });
});
