/**
 * The real Temporal UI in a real browser, for the UI tests: a dev server of the test's own with its UI
 * on a free port, the npm-provided Chromium (test/helpers/chromium.ts) driven by playwright-core, and text waits that look inside the
 * sandboxed iframes the UI renders user Markdown in.
 */
import { createServer } from 'node:net';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findTemporalCli, TemporalCliNotFoundError } from '../../client/temporal-cli';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { ensureChromium } from './chromium';
import { installTestRuntime } from './temporal-env';

/** The UI is a single-page app that polls the server: wait for text, generously, never for a fixed time. */
export const UI_TIMEOUT_MS = 30_000;

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

/** A dev server with its UI on `uiPort` and our search attributes; fails first if Chromium is missing. */
export async function startUiEnvironment(
  uiPort: number,
  extraArgs: string[] = [],
): Promise<TestWorkflowEnvironment> {
  await ensureChromium();
  const cli = findTemporalCli();
  if (!cli) throw new TemporalCliNotFoundError('needed for the dev server with its UI');
  installTestRuntime();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: cli.path },
      ui: true,
      uiPort,
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      log: { format: 'pretty', level: 'warn' },
      extraArgs,
    },
  });
}

/**
 * Headless Chromium, always the one npm install unpacked (never a system Chromium); Playwright gives it a
 * new, empty profile directory of its own.
 */
export async function launchChromium(): Promise<Browser> {
  const { executablePath, env } = await ensureChromium();
  return chromium.launch({
    executablePath,
    env: { ...process.env, ...env },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** All text on the page, including frames (the UI renders user Markdown in sandboxed iframes). */
export async function pageText(page: Page): Promise<string> {
  const texts = await Promise.all(
    page.frames().map((frame) =>
      frame
        .locator('body')
        .innerText({ timeout: 1_000 })
        .catch(() => ''),
    ),
  );
  return texts.join('\n');
}

/** Waits until `text` shows; on a timeout, the page's text says more than the timeout does. */
export async function expectText(page: Page, text: string | RegExp): Promise<void> {
  const shown = (all: string) => (typeof text === 'string' ? all.includes(text) : text.test(all));
  const deadline = Date.now() + UI_TIMEOUT_MS;
  let all = await pageText(page);
  while (!shown(all)) {
    if (Date.now() > deadline)
      throw new Error(`${String(text)} not shown at ${page.url()}\n--- page text:\n${all.slice(0, 4000)}`);
    await page.waitForTimeout(250); // a polling interval, not a wait for the page
    all = await pageText(page);
  }
}
