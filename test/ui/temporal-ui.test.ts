/**
 * What an operator sees: a record that failed to sync is found in the real Temporal UI by the
 * `SyncOutcome="failed"` visibility query, and its page explains why (summary, current details with the
 * failure type and message, activity summaries), in a real headless Chromium driven by playwright-core.
 *
 * The shared test server runs without the UI, so this file starts its own dev server with it.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Browser } from 'playwright-core';
import { recordWorkflowId } from '../../workflows/sync-types';
import { startStack, type Stack } from '../helpers/stack';
import {
  expectText,
  freePort,
  launchChromium,
  pageText,
  startUiEnvironment,
  UI_TIMEOUT_MS,
} from '../helpers/temporal-ui';

const SCREENSHOT = resolve(__dirname, '../../test-results/temporal-ui-failed-record.png');

describe('Temporal UI shows a failed record (real browser)', function () {
  this.timeout(120_000);
  let env: TestWorkflowEnvironment | undefined;
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let uiPort: number;

  before(async () => {
    uiPort = await freePort();
    env = await startUiEnvironment(uiPort);
    stack = await startStack({ env });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
    await env?.teardown();
  });

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
    // Details headline: the record by its ID, never its name.
    await expectText(page, new RegExp(`Contact ${id} → User \\(not linked yet\\)`));
    await expectText(page, /ProtectedUser/);
    await expectText(page, /agents and admins are never modified/);
    assert.ok(!(await pageText(page)).includes('agent.ui@support.test'), 'the e-mail address is shown');
    assert.ok(!(await pageText(page)).includes('Impostor'), "the contact's name is shown");

    mkdirSync(resolve(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.ok(existsSync(SCREENSHOT));
  });
});
