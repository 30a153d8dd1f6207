/**
 * The README's ready-to-paste Temporal UI queries ("In the Temporal UI") are valid visibility queries:
 * each one is run against the dev server, with the product's search attributes, as the UI would run it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporalEnv } from '../helpers/temporal-env';

function readmeUiQueries(): string[] {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### In the Temporal UI'));
  const block = /```text\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'the section has a query block');
  return block[1]!.split('\n').filter((l) => l.trim() !== '');
}

describe('README: Temporal UI queries', () => {
  it('are accepted by the Temporal server', async () => {
    const env = await temporalEnv();
    const queries = readmeUiQueries();
    assert.ok(queries.length >= 6, queries.join('\n'));
    for (const query of queries) {
      await assert.doesNotReject(() => env.client.workflow.count(query), query);
    }
  });
});
