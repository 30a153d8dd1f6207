/**
 * Mocha's spec reporter plus, at the end, the wall time of each test file (its hooks included) and
 * the total, slowest first: `npx mocha --reporter test/reporters/durations.ts …` (`npm run test:durations`).
 */
import Mocha from 'mocha';

const { EVENT_SUITE_BEGIN, EVENT_SUITE_END, EVENT_RUN_BEGIN, EVENT_RUN_END } = Mocha.Runner.constants;
const SHOWN = 15;

class Durations extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const started = new Map<Mocha.Suite, number>();
    const byFile = new Map<string, number>();
    let runStarted = Date.now();
    runner.once(EVENT_RUN_BEGIN, () => {
      runStarted = Date.now();
    });
    runner.on(EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
      if (suite.parent?.root) started.set(suite, Date.now());
    });
    runner.on(EVENT_SUITE_END, (suite: Mocha.Suite) => {
      const at = started.get(suite);
      if (at === undefined) return;
      const file = suite.file ?? suite.title;
      byFile.set(file, (byFile.get(file) ?? 0) + Date.now() - at);
    });
    // Registered after Spec's own handler, so this prints below its summary.
    runner.once(EVENT_RUN_END, () => {
      const rows = [...byFile].sort((a, b) => b[1] - a[1]);
      const total = (Date.now() - runStarted) / 1000;
      console.log(`  Slowest test files (${rows.length} files, ${total.toFixed(1)} s in all):`);
      for (const [file, ms] of rows.slice(0, SHOWN)) {
        console.log(`  ${(ms / 1000).toFixed(1).padStart(7)} s  ${file.replace(`${process.cwd()}/`, '')}`);
      }
      console.log();
    });
  }
}

export = Durations;
