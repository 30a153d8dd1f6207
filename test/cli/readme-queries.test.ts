/**
 * The documentation's ready-to-paste Temporal UI queries (docs/operating.md, "In the Temporal UI") are
 * valid visibility queries: each one is run against the dev server, with the product's search attributes,
 * as the UI would run it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporalEnv } from '../helpers/temporal-env';

function documentedUiQueries(): string[] {
  const page = readFileSync(join(__dirname, '..', '..', 'docs', 'operating.md'), 'utf8');
  const start = page.indexOf('\n## In the Temporal UI\n');
  assert.ok(start >= 0, 'docs/operating.md has the section "In the Temporal UI"');
  const block = /```text\n([\s\S]*?)```/.exec(page.slice(start));
  assert.ok(block, 'the section has a query block');
  return block[1]!.split('\n').filter((l) => l.trim() !== '');
}

describe('docs/operating.md: Temporal UI queries', () => {
  it('are accepted by the Temporal server', async () => {
    const env = await temporalEnv();
    const queries = documentedUiQueries();
    assert.ok(queries.length >= 6, queries.join('\n'));
    for (const query of queries) {
      await assert.doesNotReject(() => env.client.workflow.count(query), query);
    }
  });
});
