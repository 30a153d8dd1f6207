import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { readChangeFeedState, startChangeFeed } from '../../client/listener/start-change-feed';
import { notifyRecordChange } from '../../common/record-workflows';
import type { salesforceChangeFeed } from '../../workflows/change-feed';
import type { LoggedRequest } from '../../sandbox/common/request-log';
import { salesforceEndpoint, zendeskEndpoint } from '../../activities/metrics';
import { startStack, type Stack } from '../helpers/stack';
import { dashboardSeries } from './dashboard';
import { lastRetainedReplayId, sandboxControl, TEST_FEED_TUNING } from '../listener/feed-helpers';

const ROOT = join(__dirname, '..', '..');

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format (one sample a line; `# HELP`/`# TYPE` lines skipped). */
function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/** Sums the samples of `name` grouped by `key(labels)`. */
function sumBy(samples: Sample[], name: string, key: (labels: Record<string, string>) => string) {
  const out: Record<string, number> = {};
  for (const s of samples.filter((x) => x.name === name))
    out[key(s.labels)] = (out[key(s.labels)] ?? 0) + s.value;
  return out;
}

function diff(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0) !== 0) out[k] = v - (before[k] ?? 0);
  return out;
}

function countBy(entries: LoggedRequest[], key: (e: LoggedRequest) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries) out[key(e)] = (out[key(e)] ?? 0) + 1;
  return out;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe('Prometheus metrics and JSON logs of the worker process', function () {
  this.timeout(60_000);
  let stack: Stack;
  let child: ChildProcess | undefined;
  let port: number;
  const taskQueue = `metrics-${randomUUID()}`;
  const stdout: string[] = [];
  const stderr: string[] = [];
  let feed: WorkflowHandle<typeof salesforceChangeFeed> | undefined;

  const scrape = async (): Promise<Sample[]> => {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.equal(res.status, 200);
    return parsePrometheus(await res.text());
  };

  before(async () => {
    stack = await startStack();
    port = await freePort();
    const proc = spawn(process.execPath, ['--require', 'tsx/cjs', 'worker/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...stack.workerEnv({ METRICS_PORT: String(port), TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'INFO' }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    await new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', (chunk: Buffer) => {
        stdout.push(chunk.toString());
        if (stdout.join('').includes('worker ready')) resolve();
      });
      proc.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
      proc.on('exit', (code, signal) =>
        reject(new Error(`worker exited (${code ?? signal}) before it was ready:\n${stderr.join('')}`)),
      );
    });
  });

  after(async () => {
    await feed?.cancel().catch(() => undefined);
    await feed?.result().catch(() => undefined);
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child!.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    if (stack) await stack.terminateRunning(taskQueue);
    await stack?.close();
  });

  const calls = (system: string, samples: Sample[]) =>
    sumBy(
      samples.filter((s) => s.labels.system === system),
      'sfzd_api_calls_total',
      (l) => `${l.endpoint} ${l.status}`,
    );
  const zendeskSeen = () =>
    countBy(
      stack.zd.log.entries(),
      (e) => `${zendeskEndpoint(e.method, `http://sandbox${e.path}`)} ${e.status}`,
    );
  const total = (samples: Sample[], name: string) => sumBy(samples, name, () => 'all').all ?? 0;

  it('counts syncs by outcome and every API call the sandboxes saw', async () => {
    const a = (await stack.salesforce.sobject('Account').create({ Name: 'Metric One', Industry: 'Energy' }))
      .id!;
    const b = (await stack.salesforce.sobject('Account').create({ Name: 'Metric Two', Industry: 'Retail' }))
      .id!;
    // From here on only the worker process talks to the sandboxes.
    const before = await scrape();
    // The worker logged in to Salesforce at start-up: OAuth token calls are API calls too.
    assert.ok(
      (calls('salesforce', before)['POST oauth2/token 200'] ?? 0) >= 1,
      JSON.stringify(calls('salesforce', before)),
    );
    stack.zd.log.reset();
    stack.sf.log.reset();

    const notify = (id: string, source: 'created' | 'cdc') =>
      notifyRecordChange(stack.client, taskQueue, { object: 'Account', salesforceId: id }, { source });
    await notify(a, 'created');
    await notify(b, 'created');
    assert.equal((await stack.waitForPasses('Account', a, 1)).outcome, 'created');
    assert.equal((await stack.waitForPasses('Account', b, 1)).outcome, 'created');
    await notify(a, 'cdc');
    assert.equal((await stack.waitForPasses('Account', a, 2)).outcome, 'unchanged');

    const after = await scrape();
    const syncs = diff(
      sumBy(after, 'sfzd_syncs_total', (l) => `${l.object}/${l.outcome}/${l.failure}`),
      sumBy(before, 'sfzd_syncs_total', (l) => `${l.object}/${l.outcome}/${l.failure}`),
    );
    assert.deepEqual(syncs, { 'Account/created/none': 2, 'Account/unchanged/none': 1 });

    const zdCalls = diff(calls('zendesk', after), calls('zendesk', before));
    const zdSeen = zendeskSeen();
    assert.ok(Object.keys(zdSeen).length >= 2, JSON.stringify(zdSeen));
    assert.deepEqual(zdCalls, zdSeen);

    const sfCalls = diff(calls('salesforce', after), calls('salesforce', before));
    const sfSeen = countBy(
      stack.sf.log.entries(),
      (e) => `${salesforceEndpoint(e.method, `http://sandbox${e.path}`)} ${e.status}`,
    );
    assert.ok(Object.keys(sfSeen).length >= 2, JSON.stringify(sfSeen));
    assert.deepEqual(sfCalls, sfSeen);

    assert.deepEqual(
      diff(
        sumBy(after, 'sfzd_zendesk_429_total', () => ''),
        sumBy(before, 'sfzd_zendesk_429_total', () => ''),
      ),
      {},
    );
  });

  it('counts a Zendesk 429 and the call that got it', async () => {
    const c = (await stack.salesforce.sobject('Account').create({ Name: 'Metric Three', Industry: 'Media' }))
      .id!;
    const before = await scrape();
    stack.zd.log.reset();
    const burst = await fetch(`${stack.zd.url}/__sandbox/429-burst`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 1, retryAfterSeconds: 1 }),
    });
    assert.equal(burst.status, 204);

    await notifyRecordChange(
      stack.client,
      taskQueue,
      { object: 'Account', salesforceId: c },
      { source: 'created' },
    );
    assert.equal((await stack.waitForPasses('Account', c, 1)).outcome, 'created');

    const after = await scrape();
    assert.equal(total(after, 'sfzd_zendesk_429_total') - total(before, 'sfzd_zendesk_429_total'), 1);
    // The attempt that got the 429 failed and was retried once.
    const failuresBy = (samples: Sample[]) =>
      sumBy(samples, 'sfzd_activity_failures_total', (l) => `${l.activityType}/${l.failure}/${l.decision}`);
    assert.deepEqual(diff(failuresBy(after), failuresBy(before)), {
      'resolveMatch/ZendeskRateLimited/retry': 1,
    });
    const zdCalls = diff(calls('zendesk', after), calls('zendesk', before));
    assert.deepEqual(zdCalls, zendeskSeen());
    assert.equal(
      Object.entries(zdCalls).filter(([k]) => k.endsWith(' 429')).length,
      1,
      JSON.stringify(zdCalls),
    );
  });

  const feedWorkflowId = `salesforce-change-feed/${taskQueue}`;
  /** The change feed on the worker process: started by the first test that needs it, then left running. */
  let feedStarted: Promise<unknown> | undefined;
  const ensureFeed = () =>
    (feedStarted ??= startChangeFeed(stack.client, taskQueue, {
      workflowId: feedWorkflowId,
      input: { tuning: TEST_FEED_TUNING },
    }).then((handle) => (feed = handle)));

  it('records the listener lag of every change event it receives', async () => {
    const channel = '/data/AccountChangeEvent';
    const workflowId = feedWorkflowId;
    // A change event of its own, committed before the feed starts (other tests may have left more).
    await stack.salesforce.sobject('Account').create({ Name: 'Metrics Lag Co' });
    await ensureFeed();
    const last = lastRetainedReplayId(stack, channel);
    assert.ok(last > 0, 'there are change events to receive');
    const deadline = Date.now() + 20_000;
    for (;;) {
      const state = await readChangeFeedState(stack.client, workflowId).catch(() => undefined);
      const samples = await scrape();
      const lagCount = samples
        .filter((s) => s.name === 'sfzd_listener_lag_ms_count')
        .reduce((sum, s) => sum + s.value, 0);
      const caughtUp = (state?.checkpoint[channel]?.replayId ?? 0) >= last;
      if (state && caughtUp && lagCount > 0 && lagCount === state.counters.eventsSeen) {
        const sum = samples
          .filter((s) => s.name === 'sfzd_listener_lag_ms_sum')
          .reduce((a, s) => a + s.value, 0);
        // The events were committed seconds ago in this file: a positive lag well under a minute each.
        assert.ok(sum > 0 && sum / lagCount < 60_000, `lag sum ${sum} over ${lagCount} events`);
        break;
      }
      if (Date.now() > deadline)
        assert.fail(
          `lag samples ${lagCount} never matched the feed's events: ${JSON.stringify(state?.counters)}`,
        );
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  it('shows a channel paused on the daily event delivery allocation: gauge, WARN line, INFO line on resume', async () => {
    // The file's feed (TEST_FEED_TUNING: a retry every second while paused), started here if no test has yet.
    await ensureFeed();
    const channel = '/data/AccountChangeEvent';
    const gauge = async () => {
      const series = (await scrape()).filter(
        (s) => s.name === 'sfzd_change_feed_allocation_exhausted' && s.labels.channel === channel,
      );
      return series.length ? Math.max(...series.map((s) => s.value)) : undefined;
    };
    const until = async (what: string, check: () => Promise<boolean> | boolean) => {
      const deadline = Date.now() + 20_000;
      while (!(await check())) {
        if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const logLines = () =>
      stderr
        .join('')
        .split('\n')
        .filter((l) => l.includes('delivery allocation'))
        .map((l) => JSON.parse(l) as { level: string; message: string });
    await until('the gauge at 0 while listening', async () => (await gauge()) === 0);

    await sandboxControl(stack, '/cometd/delivery-allocation', { dailyMax: 0, resetUsage: true });
    let id: string;
    try {
      id = (await stack.salesforce.sobject('Account').create({ Name: 'Metrics Allocation Co' })).id!;
      await until('the gauge at 1', async () => (await gauge()) === 1);
      const warnLine = () => logLines().find((l) => l.level === 'WARN' && l.message.includes(channel));
      await until('the WARN line about the allocation', () => warnLine() !== undefined);
      const warn = warnLine()!;
      assert.match(warn.message, /403::Organization total events daily limit exceeded/);
      assert.match(warn.message, /Not logging in again/);
      assert.match(warn.message, /keeps change events for 72 hours/);
      assert.match(warn.message, /reconciliation Schedule/);
    } finally {
      await sandboxControl(stack, '/cometd/delivery-allocation', { dailyMax: 25_000 });
    }
    await until('the gauge back at 0', async () => (await gauge()) === 0);
    await until('the INFO line on resume', () =>
      logLines().some((l) => l.level === 'INFO' && /deliveries resumed/.test(l.message)),
    );
    assert.equal((await stack.waitForPasses('Account', id, 1, 30_000)).outcome, 'created');
  });

  it('logs each pass of a record with its object, Salesforce ID and workflow ID, and no PII at info level', async () => {
    const contact = {
      FirstName: 'Loggy',
      LastName: 'Privatesurname',
      Email: 'loggy.private@example.test',
      Phone: '+15557654321',
    };
    const id = (await stack.salesforce.sobject('Contact').create(contact)).id!;
    await notifyRecordChange(
      stack.client,
      taskQueue,
      { object: 'Contact', salesforceId: id },
      { source: 'created' },
    );
    // The file's change feed, if a test started it, may notice the new contact too: its pass comes out 'unchanged'.
    await stack.waitForPasses('Contact', id, 1);
    assert.equal((await stack.state('Contact', id)).outcomes.at(-1)?.outcome, 'created');
    const workflowId = `salesforce/Contact/${id}`;
    const linesOf = () =>
      stderr
        .join('')
        .split('\n')
        .filter((l) => l.includes(id))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    // Workflow log lines reach the runtime logger after the workflow task completes: wait briefly.
    const deadline = Date.now() + 10_000;
    const isCreatedPass = (l: Record<string, unknown>) =>
      l.message === 'sync pass' && l.outcome === 'created';
    while (!linesOf().some(isCreatedPass) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const lines = linesOf();
    const pass = lines.find(isCreatedPass);
    assert.ok(pass, `no 'sync pass' line for ${workflowId}:\n${stderr.join('')}`);
    assert.deepEqual([pass.level, typeof pass.trigger, typeof pass.zendeskId], ['INFO', 'string', 'number']);
    for (const line of lines) {
      assert.equal(line.workflowId, workflowId, JSON.stringify(line));
      assert.equal(line.salesforceObject, 'Contact', JSON.stringify(line));
      assert.equal(line.salesforceId, id, JSON.stringify(line));
    }
    const infoText = stderr
      .join('')
      .split('\n')
      .filter((l) => l.includes('"level":"INFO"'))
      .join('\n');
    for (const value of Object.values(contact))
      assert.ok(!infoText.includes(value), `info logs contain the contact's ${value}`);
  });

  it('counts each value Zendesk cannot hold by object, Zendesk field and reason', async () => {
    // Zendesk starts validating phones after the worker read its settings: the first pass is refused by
    // Zendesk (and makes the worker read them again); the next one is caught before writing.
    stack.zd.updateSettings({ validatePhoneNumbers: true });
    try {
      const id = (
        await stack.salesforce
          .sobject('Contact')
          .create({ LastName: 'Metric Phone', Email: 'metric.phone@example.test', Phone: '415 555 0100' })
      ).id!;
      const notify = (source: 'created' | 'resync') =>
        notifyRecordChange(
          stack.client,
          taskQueue,
          { object: 'Contact', salesforceId: id },
          { source, force: source === 'resync' },
        );
      await notify('created');
      const first = await stack.waitForPasses('Contact', id, 1);
      // Unless the worker's interval refresh (5 minutes) already read the new setting on a slow run.
      if (first.failure !== 'ValueNotRepresentable') {
        assert.equal(first.failure, 'ZendeskRejected');
        await notify('resync');
        assert.equal((await stack.waitForPasses('Contact', id, 2)).failure, 'ValueNotRepresentable');
      }
      const samples = await scrape();
      const values = sumBy(
        samples,
        'sfzd_values_not_representable_total',
        (l) => `${l.object} ${l.zendesk_field} ${l.reason}`,
      );
      assert.deepEqual(values, { 'Contact phone phone-not-e164': 1 });
      const failed = sumBy(samples, 'sfzd_syncs_total', (l) => `${l.object} ${l.failure}`);
      assert.equal(failed['Contact ValueNotRepresentable'], 1);
    } finally {
      stack.zd.updateSettings({ validatePhoneNumbers: false });
    }
  });

  it('exposes every sfzd_* series the sample Grafana dashboard queries', async () => {
    const exposed = new Set((await scrape()).map((s) => s.name));
    // The SDK exposes a counter from its first increment. The Retry-After wait grows only when a request
    // queues behind another request's 429, which these scenarios do not produce deterministically
    // (dashboard.test.ts checks that name against activities/metrics.ts instead).
    const used = dashboardSeries().filter((name) => name !== 'sfzd_retry_after_wait_seconds_total');
    assert.ok(used.length >= 5, used.join(', '));
    assert.deepEqual(
      used.filter((name) => !exposed.has(name)),
      [],
      `exposed: ${[...exposed].filter((n) => n.startsWith('sfzd_')).join(', ')}`,
    );
  });

  it('writes its logs as JSON lines without credentials', () => {
    const lines = stderr
      .join('')
      .split('\n')
      .filter((l) => l.trim() !== '');
    assert.ok(lines.length > 0, 'the worker logged something');
    for (const line of lines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      assert.equal(typeof entry.level, 'string', line);
      assert.equal(typeof entry.message, 'string', line);
      assert.equal(typeof entry.time, 'string', line);
    }
    const env = stack.workerEnv();
    for (const secret of [env.ZENDESK_API_TOKEN, env.SALESFORCE_CLIENT_SECRET, env.SALESFORCE_PASSWORD])
      if (secret && secret.length > 6)
        assert.ok(!stderr.join('').includes(secret), 'a secret leaked into the logs');
  });
});
