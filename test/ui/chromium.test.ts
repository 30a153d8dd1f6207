/**
 * The browser tests run on the Chromium that `npm install` unpacked from the npm package
 * @sparticuz/chromium (test/helpers/chromium.ts), never on one the machine happens to have: the process
 * Playwright starts is that binary, and it reports that version.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { CHROMIUM_TOOLS_DIR, ensureChromium } from '../helpers/chromium';
import { launchChromium } from '../helpers/temporal-ui';

/** The executables of this process's child processes (Linux /proc). */
function childExecutables(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      // Field 4 of /proc/PID/stat is the parent's PID; the command name before it may hold spaces.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === process.pid) found.push(readlinkSync(`/proc/${pid}/exe`));
    } catch {
      // the process ended meanwhile
    }
  }
  return found;
}

describe("the browser tests' Chromium", function () {
  this.timeout(120_000);
  let browser: Browser | undefined;

  after(async () => {
    await browser?.close();
  });

  it('is the npm-provided binary under .tools/chromium, whatever Chromium the machine has', async () => {
    const chromium = await ensureChromium();
    assert.ok(
      realpathSync(chromium.executablePath).startsWith(`${realpathSync(CHROMIUM_TOOLS_DIR)}/`),
      chromium.executablePath,
    );
    browser = await launchChromium();
    const launched = childExecutables();
    assert.ok(
      launched.includes(realpathSync(chromium.executablePath)),
      `Playwright started ${JSON.stringify(launched)}, not ${chromium.executablePath}`,
    );
    assert.ok(
      chromium.version.endsWith(` ${browser.version()}`),
      `the browser reports ${browser.version()}; the unpacked binary is ${chromium.version}`,
    );
    const page = await browser.newPage();
    await page.setContent('<p id="p">rendered by the npm Chromium</p>');
    assert.equal(await page.textContent('#p'), 'rendered by the npm Chromium');
  });
});
