/** The scenario list with its full (`npm run chaos`) and CI (test/chaos) sizes, and result files. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machine } from '../bench/lib';
import { Rig, type RigOptions } from './rig';
import {
  burstOnOneRecord,
  cometdDrops,
  hostileData,
  protectedUsers,
  salesforceRequestLimit,
  serverRestarts,
  workerKills,
  zendeskRateLimits,
  type ScenarioResult,
} from './scenarios';

export type Scale = 'full' | 'ci';

export interface Scenario {
  id: string;
  name: string;
  rig?: Partial<RigOptions>;
  run(rig: Rig, scale: Scale): Promise<ScenarioResult>;
}

const MIN = 60_000;

/** CHAOS_ACCOUNTS overrides the full-size account count of scenarios 1–4 (each account has 3 contacts). */
function fullAccounts(fallback: number): number {
  const raw = process.env.CHAOS_ACCOUNTS;
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`CHAOS_ACCOUNTS must be a whole number >= 1, got "${raw}"`);
  return n;
}

export const SCENARIOS: Scenario[] = [
  {
    id: '1',
    name: 'worker-kill-9',
    run: (rig, scale) =>
      workerKills(
        rig,
        scale === 'full'
          ? { accounts: fullAccounts(500), contactsPerAccount: 3, kills: 20, timeoutMs: 15 * MIN }
          : { accounts: 20, contactsPerAccount: 1, kills: 3, timeoutMs: 3 * MIN },
      ),
  },
  {
    id: '2',
    name: 'server-kill-restart',
    run: (rig, scale) =>
      serverRestarts(
        rig,
        scale === 'full'
          ? { accounts: fullAccounts(250), contactsPerAccount: 3, restarts: 2, timeoutMs: 15 * MIN }
          : { accounts: 20, contactsPerAccount: 1, restarts: 1, timeoutMs: 3 * MIN },
      ),
  },
  {
    id: '3',
    name: 'zendesk-429-5xx',
    run: (rig, scale) =>
      zendeskRateLimits(
        rig,
        scale === 'full'
          ? {
              accounts: fullAccounts(50),
              contactsPerAccount: 1,
              retryAfterSeconds: 1,
              timeoutMs: 20 * MIN,
              rate5xx: 0.05,
            }
          : // 10% 503s: at 5% a ~60-call run saw no 503 at all about 1 time in 20. At 20% (with 30% 429s)
            // a contact's write, which makes 3-5 calls, fails most attempts: its 503s alone reached 8 in
            // one activity and a 2-minute wait in a full CI run (backoff by the 503s of the activity,
            // 1 s doubling), past a 3-minute settle.
            { accounts: 10, contactsPerAccount: 1, retryAfterSeconds: 1, timeoutMs: 5 * MIN, rate5xx: 0.1 },
      ),
  },
  {
    id: '4',
    name: 'salesforce-request-limit',
    run: (rig, scale) =>
      salesforceRequestLimit(
        rig,
        scale === 'full'
          ? { accounts: fullAccounts(125), contactsPerAccount: 3, windowMs: 2 * MIN, timeoutMs: 15 * MIN }
          : { accounts: 10, contactsPerAccount: 1, windowMs: 5_000, timeoutMs: 3 * MIN },
      ),
  },
  {
    id: '5',
    name: 'cometd-drops',
    run: (rig, scale) =>
      cometdDrops(
        rig,
        scale === 'full'
          ? { records: 300, renames: 300, durationMs: 2 * MIN, dropEveryMs: 10_000, timeoutMs: 10 * MIN }
          : { records: 15, renames: 15, durationMs: 8_000, dropEveryMs: 2_000, timeoutMs: 2 * MIN },
      ),
  },
  { id: '6', name: 'burst-100-changes', run: (rig) => burstOnOneRecord(rig, { changes: 100 }) },
  { id: '7', name: 'hostile-data', run: (rig) => hostileData(rig) },
  { id: '8', name: 'agents-admins-untouched', run: (rig) => protectedUsers(rig) },
];

/** A fresh rig per scenario: no state carried from one scenario's damage into the next. */
export async function runScenario(
  s: Scenario,
  scale: Scale,
  rigOptions: Partial<RigOptions> = {},
): Promise<ScenarioResult> {
  const rig = await Rig.start({ name: s.name, ...s.rig, ...rigOptions });
  let ok = false;
  try {
    const r = await s.run(rig, scale);
    ok = r.pass;
    return r;
  } finally {
    // A failed run keeps its process log (dev server and worker stderr) for the report.
    if (!ok) console.error(`logs kept in ${rig.logPath}`);
    await rig.close(!ok);
  }
}

export function resultsDir(): string {
  return process.env.CHAOS_RESULTS_DIR || join(__dirname, 'results');
}

export function writeChaosResult(r: ScenarioResult): string {
  mkdirSync(resultsDir(), { recursive: true });
  const file = join(resultsDir(), `${r.scenario}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ at: new Date().toISOString(), machine: machine(), ...r }, null, 2)}\n`,
  );
  return file;
}
