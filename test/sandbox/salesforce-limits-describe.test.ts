// Conditional describe (If-Modified-Since / Last-Modified), the OpenID Connect userinfo endpoint, the
// streaming keys of `limits`, and the daily CDC delivery allocation: counted per event delivered to each
// CometD client and enforced past its maximum with Salesforce's error on /meta/connect.
import assert from 'node:assert/strict';
import type { Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/api/streaming';
import { DAILY_LIMIT_EXCEEDED } from '../../sandbox/salesforce/cdc/index';
import type { SalesforceSandbox } from '../../sandbox/salesforce/index';
import {
  API_VERSION,
  clientCredentialsConnection,
  raw,
  startTestSandbox,
  until,
} from './salesforce-rest-helpers';

const V = `/services/data/v${API_VERSION}`;

interface FayeClient {
  subscribe(
    channel: string,
    listener: (data: { event: { replayId: number } }) => void,
  ): {
    then(ok: () => void, fail: (err: { message?: string }) => void): unknown;
  };
  disconnect(): void;
}
type Reply = { channel: string; error?: string; successful?: boolean; advice?: { reconnect?: string } };

describe('Salesforce sandbox: conditional describe, userinfo, limits and the CDC delivery allocation', function () {
  this.timeout(20_000);
  let sb: SalesforceSandbox;
  let conn: Connection;
  const clients: FayeClient[] = [];

  before(async () => {
    sb = await startTestSandbox();
  });
  after(async () => {
    await sb.close();
  });
  beforeEach(async () => {
    await fetch(`${sb.url}/__sandbox/reset`, { method: 'POST' });
    await fetch(`${sb.url}/__sandbox/cometd/reset`, { method: 'POST' });
    conn = await clientCredentialsConnection(sb);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.disconnect();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    raw(sb, 'GET', path, { token: conn.accessToken!, headers });

  it('answers describe and describeGlobal with Last-Modified, and 304 with no body when unchanged since', async () => {
    for (const path of [`${V}/sobjects/Account/describe`, `${V}/sobjects`]) {
      const full = await get(path);
      assert.equal(full.status, 200);
      const lastModified = full.headers.get('last-modified');
      assert.ok(
        lastModified && !Number.isNaN(Date.parse(lastModified)),
        `${path} Last-Modified: ${lastModified}`,
      );

      const unchanged = await get(path, { 'If-Modified-Since': lastModified });
      assert.equal(unchanged.status, 304);
      assert.equal(unchanged.body, '');
      const later = await get(path, { 'If-Modified-Since': 'Mon, 30 Nov 2099 08:34:54 MST' });
      assert.equal(later.status, 304);

      const older = await get(path, { 'If-Modified-Since': 'Wed, 3 Jul 2013 19:43:31 GMT' });
      assert.equal(older.status, 200);
      assert.ok(typeof older.body === 'object');
      const precondition = await get(path, { 'If-Unmodified-Since': 'Wed, 3 Jul 2013 19:43:31 GMT' });
      assert.equal(precondition.status, 412);
    }
  });

  it('serves the OpenID Connect userinfo endpoint for a valid token only', async () => {
    const res = await raw(sb, 'GET', '/services/oauth2/userinfo', { token: conn.accessToken! });
    assert.equal(res.status, 200);
    const info = res.body as Record<string, unknown>;
    assert.equal(info.user_id, sb.org.userId);
    assert.equal(info.organization_id, sb.org.orgId);
    assert.equal(info.preferred_username, sb.org.username);
    assert.equal(info.sub, `${sb.url}/id/${sb.org.orgId}/${sb.org.userId}`);
    assert.equal((await raw(sb, 'GET', '/services/oauth2/userinfo', { token: 'bogus' })).status, 403);
  });

  it('reports the streaming allocations real orgs return, as {Max, Remaining}', async () => {
    const limits = (await conn.limits()) as unknown as Record<string, { Max: number; Remaining: number }>;
    for (const key of [
      'DailyDeliveredPlatformEvents',
      'DailyStandardVolumePlatformEvents',
      'HourlyPublishedPlatformEvents',
      'HourlyPublishedStandardVolumePlatformEvents',
      'DailyDurableStreamingApiEvents',
      'DailyDurableGenericStreamingApiEvents',
      'DurableStreamingApiConcurrentClients',
      'MonthlyPlatformEventsUsageEntitlement',
    ]) {
      assert.deepEqual(Object.keys(limits[key] ?? {}).sort(), ['Max', 'Remaining'], key);
      assert.ok(limits[key]!.Remaining <= limits[key]!.Max, key);
    }
    assert.deepEqual(limits.DailyDeliveredPlatformEvents, { Max: 25_000, Remaining: 25_000 });
  });

  it('counts every event delivered to each subscriber and stops delivery past the daily allocation', async () => {
    const setAllocation = await fetch(`${sb.url}/__sandbox/cometd/delivery-allocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dailyMax: 3 }),
    });
    assert.deepEqual(await setAllocation.json(), { dailyMax: 3, used: 0, remaining: 3 });

    const received: number[] = [];
    const connectErrors: Reply[] = [];
    const recorder = {
      incoming(message: Reply, callback: (m: Reply) => void) {
        if (message.channel === '/meta/connect' && message.successful === false) connectErrors.push(message);
        callback(message);
      },
    };
    const client = conn.streaming.createClient([
      recorder,
      new StreamingExtension.Replay('/data/AccountChangeEvent', -1),
    ]) as unknown as FayeClient;
    clients.push(client);
    await new Promise<void>((resolve, reject) => {
      client
        .subscribe('/data/AccountChangeEvent', (data) => received.push(data.event.replayId))
        .then(resolve, (err) => reject(new Error(err.message ?? 'subscribe failed')));
    });

    for (let i = 0; i < 5; i++) await conn.sobject('Account').create({ Name: `Allocated ${i}` });
    await until('the limit error on /meta/connect', () => connectErrors.length > 0);
    assert.equal(received.length, 3);
    assert.equal(connectErrors[0]!.error, DAILY_LIMIT_EXCEEDED);
    assert.equal(connectErrors[0]!.advice?.reconnect, 'none');
    let limits = (await conn.limits()) as unknown as Record<string, { Max: number; Remaining: number }>;
    assert.deepEqual(limits.DailyDeliveredPlatformEvents, { Max: 3, Remaining: 0 });

    // A new subscriber is refused on its first connect too; nothing more is delivered.
    const late: Reply[] = [];
    const second = conn.streaming.createClient([
      {
        incoming: (m: Reply, cb: (m: Reply) => void) => (
          m.channel === '/meta/connect' && late.push(m),
          cb(m)
        ),
      },
    ]) as unknown as FayeClient;
    clients.push(second);
    second.subscribe('/data/AccountChangeEvent', () => assert.fail('no event past the allocation'));
    await until('the refused first connect', () => late.some((m) => m.error === DAILY_LIMIT_EXCEEDED));

    // The events stay in the event bus: with more allocation, a replay from the last one received gets the rest.
    await fetch(`${sb.url}/__sandbox/cometd/delivery-allocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dailyMax: 10 }),
    });
    const replayed: number[] = [];
    const third = conn.streaming.createClient([
      new StreamingExtension.Replay('/data/AccountChangeEvent', received[received.length - 1]),
    ]) as unknown as FayeClient;
    clients.push(third);
    third.subscribe('/data/AccountChangeEvent', (data) => replayed.push(data.event.replayId));
    await until('the replayed events', () => replayed.length === 2);
    limits = await conn.limits();
    assert.deepEqual(limits.DailyDeliveredPlatformEvents, { Max: 10, Remaining: 5 });
  });
});
