/**
 * `npm run chaos` runs every scenario at full size; `npm run chaos -- <name>...` runs some (by number or
 * name, e.g. `npm run chaos -- 1 kill`). Each scenario gets a fresh rig (dev server on its own SQLite file,
 * worker child process, sandboxes). Prints a result table and writes chaos/results/<scenario>.json.
 */
import { machine, printTable, round } from '../bench/lib';
import { runScenario, SCENARIOS, writeChaosResult } from './suite';

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const chosen = SCENARIOS.filter(
    (s) => wanted.length === 0 || wanted.some((w) => s.id === w || (!/^\d+$/.test(w) && s.name.includes(w))),
  );
  if (chosen.length === 0)
    throw new Error(
      `no scenario matches ${wanted.join(' ')}; scenarios: ${SCENARIOS.map((s) => `${s.id} ${s.name}`).join(', ')}`,
    );
  // CHAOS_SCALE=ci: the CI sizes (test/chaos), for a quick look at one scenario.
  const scale = process.env.CHAOS_SCALE === 'ci' ? 'ci' : 'full';
  console.log(`chaos: ${chosen.length} scenario(s) at ${scale} size on ${JSON.stringify(machine())}`);
  const rows: Array<Record<string, string | number>> = [];
  let failed = 0;
  for (const s of chosen) {
    console.log(`\n== ${s.id}. ${s.name} ...`);
    const r = await runScenario(s, scale).catch((err: unknown) => {
      console.error(err);
      return undefined;
    });
    if (!r || !r.pass) failed += 1;
    if (r) {
      console.log(JSON.stringify(r, null, 2));
      console.log(`wrote ${writeChaosResult(r)}`);
    }
    rows.push({
      scenario: r?.scenario ?? s.name,
      result: r ? (r.pass ? 'PASS' : 'FAIL') : 'ERROR',
      size: r
        ? Object.entries(r.size)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')
        : '',
      seconds: r ? round(r.durationMs / 1000) : '',
      linked: r?.invariants.linked ?? '',
      dupOrgs: r?.invariants.duplicateOrganizations ?? '',
      dupUsers: r?.invariants.duplicateUsers ?? '',
      writeBacks: r?.invariants.writeBacks ?? '',
      mismatches: r?.invariants.valueMismatches ?? '',
      violations: r?.invariants.violationCount ?? '',
    });
  }
  console.log('');
  printTable(rows);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
