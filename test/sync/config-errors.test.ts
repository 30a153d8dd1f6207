import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ConfigError } from '../../core';
import { runWorker } from '../../worker/run-worker';
import { baseSyncConfig, type SyncConfigInput } from '../fixtures/sync-config';
import { DEFAULT_ORG_FIELDS, useStack } from '../helpers/stack';

describe('Worker start-up with an invalid sync configuration', function () {
  this.timeout(60_000);
  let dir: string;

  const ctx = useStack({
    organizationFields: [...DEFAULT_ORG_FIELDS, { key: 'vip', type: 'checkbox', title: 'VIP' }],
  });
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sfzd-config-errors-'));
  });

  const config = (change: (c: SyncConfigInput) => void): string => {
    const c = baseSyncConfig();
    change(c);
    return stringify(c);
  };

  /** Runs the worker process's own start-up (worker/run-worker.ts) in-process against the sandboxes. */
  async function startWorker(
    yamlText: string,
  ): Promise<{ error: unknown; ready: boolean; taskQueue: string }> {
    const configPath = join(dir, `${randomUUID()}.yaml`);
    writeFileSync(configPath, yamlText);
    const taskQueue = `config-errors-${randomUUID()}`;
    let ready = false;
    const error = await runWorker({
      env: ctx.stack.workerEnv({ TEMPORAL_TASK_QUEUE: taskQueue, SYNC_CONFIG: configPath }),
      onReady: () => {
        ready = true;
      },
    }).then(
      () => new Error('runWorker returned: the worker ran with an invalid configuration'),
      (err: unknown) => err,
    );
    return { error, ready, taskQueue };
  }

  async function assertRefused(yamlText: string, path: string, reason: string | RegExp): Promise<void> {
    const { error, ready, taskQueue } = await startWorker(yamlText);
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    assert.equal(error.code, 'INVALID_CONFIG');
    assert.deepEqual(
      error.issues.map((i) => i.path),
      [path],
    );
    const line = error.message.split('\n').find((l) => l.startsWith(`- ${path}: `));
    assert.ok(line, `the message names ${path}:\n${error.message}`);
    if (typeof reason === 'string') assert.equal(line, `- ${path}: ${reason}`);
    else assert.match(line, reason);
    assert.equal(ready, false, 'the worker must not report ready');
    const described = await ctx.stack.client.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: taskQueue }, // the type defaults to the workflow task queue
    });
    assert.equal(described.pollers?.length ?? 0, 0, 'nobody polls the task queue');
  }

  it('a YAML syntax error names the file and the position', async () => {
    await assertRefused(
      'accounts:\n  enabled: true\n  mode: [upsert\n',
      '(file)',
      /is not valid YAML at line \d+, column \d+: /,
    );
  });

  it('an unknown key (typo) names its path and the allowed keys', async () => {
    await assertRefused(
      config((c) => {
        c.accounts.filterz = c.accounts.filters;
      }),
      'accounts.filterz',
      "unknown key 'filterz' (allowed: enabled, mode, filters, match, fields, syncedIdField, externalId, onDelete, deletedTag, mergedTag)",
    );
  });

  it('a mapping from a Salesforce field that does not exist', async () => {
    await assertRefused(
      config((c) => {
        c.accounts.fields[1]!.salesforce = 'Industryy';
      }),
      'accounts.fields[1].salesforce',
      "field 'Industryy' does not exist on Account",
    );
  });

  it('a filter on a formula field', async () => {
    await assertRefused(
      config((c) => {
        c.accounts.filters.all = [{ field: 'Region_Formula__c', operator: 'is', value: 'EMEA' }];
      }),
      'accounts.filters.all[0].field',
      'Region_Formula__c is a formula field, which cannot be used in filters',
    );
  });

  it('a mapping between incompatible types', async () => {
    await assertRefused(
      config((c) => {
        c.accounts.fields.push({ salesforce: 'Renewal_Date__c', zendesk: 'organization_fields.vip' });
      }),
      'accounts.fields[3].zendesk',
      "Salesforce date field Renewal_Date__c cannot be mapped to Zendesk checkbox field 'vip' (allowed: text, date)",
    );
  });
});
