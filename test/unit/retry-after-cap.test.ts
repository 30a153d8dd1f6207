/**
 * A Zendesk Retry-After past ZENDESK_RETRY_AFTER_MAX_SECONDS: refused at once instead of held, and no
 * wait loop spins on the 1 ms timers Node substitutes for delays past 2^31−1 ms.
 */
import assert from 'node:assert/strict';
import { RetryAfterGate } from '../../activities/zendesk/http';
import { MAX_TIMER_MS, ZendeskPacer } from '../../activities/zendesk/pacer';
import { ZendeskApiError } from '../../activities/zendesk/errors';

const DAY = 86_400_000;

/** Records the delay of every setTimeout made while `fn` runs for `ms`; cancels those of a minute or more. */
async function timersDuring(ms: number, fn: () => void): Promise<number[]> {
  const original = globalThis.setTimeout;
  const delays: number[] = [];
  const handles: NodeJS.Timeout[] = [];
  const patched = ((cb: () => void, delay?: number) => {
    delays.push(delay ?? 0);
    const handle = original(cb, Math.min(delay ?? 0, MAX_TIMER_MS));
    if ((delay ?? 0) >= 60_000) handles.push(handle);
    return handle;
  }) as typeof setTimeout;
  globalThis.setTimeout = patched;
  try {
    fn();
    await new Promise((r) => original(r, ms));
  } finally {
    globalThis.setTimeout = original;
    for (const h of handles) clearTimeout(h);
  }
  return delays;
}

describe('Retry-After cap', () => {
  it('refuses requests during a Retry-After past the cap, and opens again once it has passed', () => {
    let now = Date.parse('2026-12-01T00:00:00Z');
    const gate = new RetryAfterGate(900_000, () => now);
    assert.equal(gate.pause(60_000), true, 'a minute is waited out');
    assert.equal(gate.pause(3 * DAY), false, 'three days are not');
    assert.throws(
      () => gate.assertOpen('GET users/search'),
      (err: unknown) =>
        err instanceof ZendeskApiError &&
        err.code === 'ZENDESK_RETRY_AFTER_TOO_LONG' &&
        err.endpoint === 'GET users/search' &&
        /259200 s \(Retry-After\), more than ZENDESK_RETRY_AFTER_MAX_SECONDS \(900 s\)/.test(err.message) &&
        err.message.includes('2026-12-04T00:00:00.000Z'),
    );
    now += 3 * DAY;
    assert.doesNotThrow(() => gate.assertOpen('GET users/search'));
  });

  it('waits a window longer than a Node timer can hold in slices, without spinning', async () => {
    const gate = new RetryAfterGate(60 * DAY);
    gate.pause(30 * DAY);
    const delays = await timersDuring(100, () => void gate.wait());
    // Before: setTimeout(30 days) fired after 1 ms, and the loop set another: ~100 timers in 100 ms.
    // Only long timers count: the patch also sees short timers of whatever else runs in this process
    // (a full run showed 2400, 0 and 5000 ms ones from other suites' leftovers).
    assert.deepEqual(
      delays.filter((d) => d >= 60_000),
      [MAX_TIMER_MS],
    );
  });

  it('the pacer waits for a reset days away no longer than its cap, and does not spin meanwhile', async () => {
    const pacer = new ZendeskPacer({ maxWaitMs: 300 });
    await pacer.acquire();
    // Zendesk's figures: a large limit (so the probe jitter stays small), nothing left, reset in 3 days.
    pacer.release(429, { 'x-rate-limit': '100000', 'x-rate-limit-remaining': '0', 'retry-after': '259200' });
    const started = Date.now();
    let delays: number[] = [];
    let waited: Promise<number> | undefined;
    delays = await timersDuring(100, () => {
      waited = pacer.acquire();
    });
    assert.ok(delays.length <= 2, `timers while waiting: ${delays.join(', ')}`);
    // The cap, plus the pacer's probe jitter (up to 60 s / the limit it knew before this response: 300 ms).
    assert.ok(
      delays.every((d) => d <= 600),
      delays.join(', '),
    );
    await waited;
    assert.ok(Date.now() - started < 2_000, `probed after ${Date.now() - started} ms, not 3 days`);
  });
});
