/**
 * An operator reads encrypted payloads in the real Temporal UI: the dev server runs with
 * `--ui-codec-endpoint` pointing at the codec server (client/codec-server), the worker encrypts, and a
 * headless Chromium (playwright-core) shows the record's decrypted details, which the UI obtained by
 * calling the codec server from the browser (CORS for the UI's origin).
 */
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Browser } from 'playwright-core';
import { startCodecServer, type RunningCodecServer } from '../../client/codec-server/server';
import { readTemporalConnection } from '../../common/temporal-connection';
import { recordWorkflowId } from '../../workflows/sync-types';
import { startStack, type Stack } from '../helpers/stack';
import {
  expectText,
  freePort,
  launchChromium,
  startUiEnvironment,
  UI_TIMEOUT_MS,
} from '../helpers/temporal-ui';

describe('Temporal UI decrypts through the codec server (real browser)', function () {
  this.timeout(120_000);
  const settings = readTemporalConnection({
    SYNC_ENCRYPTION_KEYS: `ui:${randomBytes(32).toString('base64')}`,
    SYNC_ENCRYPTION_KEY_ID: 'ui',
  });
  const codec = settings.dataConverter!.payloadCodecs![0]!;
  let decodeRequests = 0;
  let env: TestWorkflowEnvironment | undefined;
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let codecServer: RunningCodecServer | undefined;
  let uiPort: number;

  before(async () => {
    uiPort = await freePort();
    const uiOrigin = `http://127.0.0.1:${uiPort}`;
    // Counts what the browser asks of the codec server; the codec itself is the product's.
    const counting = {
      encode: (p: Payload[]) => codec.encode(p),
      decode: (p: Payload[]) => {
        decodeRequests += 1;
        return codec.decode(p);
      },
    };
    codecServer = await startCodecServer({ codec: counting, port: 0, corsOrigins: [uiOrigin] });
    env = await startUiEnvironment(uiPort, ['--ui-codec-endpoint', codecServer.url]);
    stack = await startStack({ env, dataConverter: settings.dataConverter });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await stack?.close();
    await env?.teardown();
    await codecServer?.close();
  });

  it("shows the record's decrypted details, which the server only holds encrypted", async () => {
    const s = stack!;
    const lastName = `Hopper${randomInt(1e6, 1e7)}`;
    const { id } = await s.salesforce
      .sobject('Contact')
      .create({ FirstName: 'Grace', LastName: lastName, Email: `${lastName.toLowerCase()}@example.com` });
    await s.notify('Contact', id!, { source: 'created' });
    assert.equal((await s.waitForPasses('Contact', id!, 1)).outcome, 'created');
    const workflowId = recordWorkflowId('Contact', id!);

    const raw = temporal.api.history.v1.History.encode(
      await env!.client.workflow.getHandle(workflowId).fetchHistory(),
    ).finish();
    assert.ok(!Buffer.from(raw).includes(lastName), 'the server holds the name encrypted only');

    const page = await browser!.newPage({ viewport: { width: 1600, height: 1400 } });
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    const query = encodeURIComponent(`WorkflowId="${workflowId}"`);
    await page.goto(`http://127.0.0.1:${uiPort}/namespaces/default/workflows?query=${query}`);
    await expectText(page, workflowId);
    await page.getByRole('link', { name: workflowId }).first().click();
    await page.getByText('User Metadata', { exact: true }).first().click();
    await expectText(page, `Contact ${id} → Zendesk user`); // the static summary, decrypted
    // The current details (a query answer, encrypted): readable only through the codec server. They
    // name the record by its IDs, never by the contact's name (docs/operating.md).
    await expectText(page, new RegExp(`Contact ${id} → User \\d+`));
    assert.ok(decodeRequests > 0, 'the browser called the codec server');
  });
});
