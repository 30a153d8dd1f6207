/**
 * What an operator sees: a record that failed to sync is found in the real Temporal UI by the
 * `SyncOutcome="failed"` visibility query, and its page explains why (summary, current details with the
 * failure type and message, activity summaries), in a real headless Chromium driven by playwright-core.
 *
 * The shared test server runs without the UI, so this file starts its own dev server with it.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findTemporalCli, TemporalCliNotFoundError } from '../../client/temporal-cli';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { recordWorkflowId } from '../../workflows/sync-types';
import { startStack, type Stack } from '../helpers/stack';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = resolve(__dirname, '../../test-results/temporal-ui-failed-record.png');
/** The UI is a single-page app that polls the server: wait for text, generously, never for a fixed time. */
const UI_TIMEOUT_MS = 30_000;

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

describe('Temporal UI shows a failed record (real browser)', function () {
  this.timeout(120_000);
  let env: TestWorkflowEnvironment | undefined;
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let uiPort: number;

  before(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(
        `Chromium not found at ${CHROMIUM}. Install it with: apt-get update && apt-get install -y chromium ` +
          '(or set CHROMIUM_PATH to a Chromium binary).',
      );
    const cli = findTemporalCli();
    if (!cli) throw new TemporalCliNotFoundError('needed for the dev server with its UI');
    try {
      // As test/helpers/temporal-env.ts does; throws when another file already installed the runtime.
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      // already installed
    }
    uiPort = await freePort();
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: cli.path },
        ui: true,
        uiPort,
        searchAttributes: ALL_SEARCH_ATTRIBUTES,
        log: { format: 'pretty', level: 'warn' },
      },
    });
    stack = await startStack({ env });
    // Playwright gives the browser a new, empty profile directory of its own.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
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
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
    await env?.teardown();
  });

  /** All text on the page, including frames (the UI renders user Markdown in sandboxed iframes). */
  async function pageText(page: Page): Promise<string> {
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
  async function expectText(page: Page, text: string | RegExp): Promise<void> {
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

  it('lists the record under SyncOutcome="failed" and shows why it failed', async () => {
    const s = stack!;
    await s.zendesk.post('users', {
      json: { user: { name: 'Support Agent', email: 'agent.ui@support.test', role: 'agent' } },
    });
    const { id } = await s.salesforce
      .sobject('Contact')
      .create({ FirstName: 'Ida', LastName: 'Impostor', Email: 'agent.ui@support.test' });
    await s.notify('Contact', id!, { source: 'created' });
    const outcome = await s.waitForPasses('Contact', id!, 1);
    assert.equal(outcome.outcome, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.failure, 'ProtectedUser');
    const workflowId = recordWorkflowId('Contact', id!);

    // Visibility is eventually consistent: the list query must see the failed outcome before the UI can.
    for (const deadline = Date.now() + 10_000; ;) {
      const { count } = await s.client.workflow.count(
        `WorkflowId = "${workflowId}" AND SyncOutcome = "failed"`,
      );
      if (count === 1) break;
      assert.ok(Date.now() < deadline, 'visibility never showed the failed outcome');
      await new Promise((r) => setTimeout(r, 100));
    }

    const page = await browser!.newPage({ viewport: { width: 1600, height: 1400 } });
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    const query = encodeURIComponent('SyncOutcome="failed"');
    await page.goto(`http://127.0.0.1:${uiPort}/namespaces/default/workflows?query=${query}`);
    await expectText(page, workflowId);

    await page.getByRole('link', { name: workflowId }).first().click();
    await expectText(page, 'fetch Contact ' + id); // activity summaries in the timeline
    await expectText(page, 'match by email'); // ... without the address
    // The workflow's summary and current details are on the "User Metadata" tab.
    await page.getByText('User Metadata', { exact: true }).first().click();
    await expectText(page, `Contact ${id} → Zendesk user`); // the workflow's static summary
    // Details headline; the UI's Markdown renderer typesets the quotes.
    await expectText(page, new RegExp(`Contact ${id} [“"]Ida Impostor[”"] → User \\(not linked yet\\)`));
    await expectText(page, /ProtectedUser/);
    await expectText(page, /agents and admins are never modified/);
    assert.ok(!(await pageText(page)).includes('agent.ui@support.test'), 'the e-mail address is shown');

    mkdirSync(resolve(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.ok(existsSync(SCREENSHOT));
  });
});
