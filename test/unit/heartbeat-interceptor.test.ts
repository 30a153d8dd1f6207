import assert from 'node:assert/strict';
import type { ActivityExecuteInput } from '@temporalio/worker';
import { HeartbeatWhileRunning } from '../../worker/heartbeat-interceptor';
import { RECORD_PASS_ACTIVITIES } from '../../activities';

/** Runs one activity of `activityType` for `ms` through the interceptor and counts its heartbeats. */
async function beatsDuring(activityType: string, heartbeatTimeoutMs: number | undefined, ms: number) {
  let beats = 0;
  const ctx = {
    info: { activityType, heartbeatTimeoutMs } as never,
    heartbeat: () => {
      beats += 1;
    },
  };
  const interceptor = new HeartbeatWhileRunning(ctx, RECORD_PASS_ACTIVITIES);
  const result = await interceptor.execute({} as ActivityExecuteInput, async () => {
    await new Promise((r) => setTimeout(r, ms));
    return 'done';
  });
  assert.equal(result, 'done');
  const atReturn = beats;
  await new Promise((r) => setTimeout(r, 1_200));
  assert.equal(beats, atReturn, 'no heartbeat after the activity returned');
  return beats;
}

describe('heartbeat interceptor', function () {
  this.timeout(15_000);

  it('heartbeats a record pass activity scheduled with a heartbeat timeout while it runs, then stops', async () => {
    assert.ok((await beatsDuring('writeZendesk', 3_000, 2_300)) >= 2, 'about one beat a second');
  });

  it('never heartbeats activities that keep their own heartbeat details, nor ones without a timeout', async () => {
    // The listener resumes from its heartbeat details and the handoff from its position: an empty
    // heartbeat would overwrite them.
    assert.equal(await beatsDuring('listenToChanges', 3_000, 1_300), 0);
    assert.equal(await beatsDuring('handOffRecords', 3_000, 1_300), 0);
    assert.equal(await beatsDuring('writeZendesk', undefined, 1_300), 0);
  });

  it('carries the details the attempt started with, so a dead worker keeps the retry counts', async () => {
    const ledger = { retryLedger: 1, since: 1, byType: { ZendeskUnavailable: { count: 2, firstAt: 1 } } };
    const sent: unknown[] = [];
    const ctx = {
      info: { activityType: 'writeZendesk', heartbeatTimeoutMs: 3_000, heartbeatDetails: ledger } as never,
      heartbeat: (details?: unknown) => {
        sent.push(details);
      },
    };
    await new HeartbeatWhileRunning(ctx, RECORD_PASS_ACTIVITIES).execute(
      {} as ActivityExecuteInput,
      () => new Promise((r) => setTimeout(r, 1_300)),
    );
    assert.ok(sent.length >= 1);
    assert.ok(sent.every((d) => d === ledger));
  });
});
