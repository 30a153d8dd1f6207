/**
 * `npm run test:mocha`: the whole mocha suite as two mocha processes at once. The two longest files run
 * in a lane of their own (each mocha process has its own dev server, sandboxes and workers, and these
 * files share nothing with the others): the chaos suite, which runs its own rig and spends most of
 * its time waiting on backoffs and restarts, and the 2,000-account bulk resync. Everything else runs in
 * the main lane, whose output streams; the other lane's output follows it. Exits non-zero if either
 * lane failed, and ends with the combined count.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const MOCHA = require.resolve('mocha/bin/mocha.js');
const REPORTER = ['--reporter', 'test/reporters/durations.ts'];
const OWN_LANE = ['test/chaos/chaos.test.ts', 'test/sync/bulk-resync.test.ts'];

interface Lane {
  code: number;
  output: string;
}

function run(args: string[], stream: boolean): Promise<Lane> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MOCHA, ...REPORTER, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const take = (sink: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString();
      if (stream) sink.write(chunk);
    };
    child.stdout.on('data', take(process.stdout));
    child.stderr.on('data', take(process.stderr));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

function count(output: string, word: 'passing' | 'failing' | 'pending'): number {
  const match = new RegExp(`^\\s*(\\d+) ${word}\\b`, 'm').exec(output);
  return match ? Number(match[1]) : 0;
}

async function main(): Promise<void> {
  const started = Date.now();
  const ignore = OWN_LANE.flatMap((file) => ['--ignore', file]);
  const [main, own] = await Promise.all([run([...ignore, 'test/**/*.test.ts'], true), run(OWN_LANE, false)]);
  console.log(`\n--- the other lane: ${OWN_LANE.join(', ')}\n`);
  process.stdout.write(own.output);
  const lanes = [main, own];
  const passed = lanes.reduce((n, l) => n + count(l.output, 'passing'), 0);
  const failed = lanes.reduce((n, l) => n + count(l.output, 'failing'), 0);
  const pending = lanes.reduce((n, l) => n + count(l.output, 'pending'), 0);
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(`\nmocha, both lanes: ${minutes} min wall`);
  console.log(`mocha: ${passed} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''}`);
  process.exitCode = lanes.some((l) => l.code !== 0) ? 1 : 0;
}

void main();
