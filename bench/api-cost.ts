/**
 * API calls per synced record, counted from the sandboxes' request logs (`npm run bench:api-cost`).
 * Each scenario notifies the record workflows directly (no change stream), so the counts are the sync's
 * own cost: Salesforce REST calls (SOQL, write-back) and Zendesk calls.
 */
import { teardownTemporalEnv } from '../test/helpers/temporal-env';
import { startStack, type Stack } from '../test/helpers/stack';
import { printTable, round, writeResult } from './lib';

const N = Number(process.env.BENCH_RECORDS ?? 50);

interface Row extends Record<string, string | number> {
  scenario: string;
  records: number;
  salesforcePerRecord: number;
  zendeskPerRecord: number;
  zendeskEndpoints: string;
}

async function measure(
  stack: Stack,
  scenario: string,
  object: 'Account' | 'Contact',
  ids: string[],
  passes: number,
  act: () => Promise<void>,
): Promise<Row> {
  stack.sf.log.reset();
  stack.zd.log.reset();
  await act();
  await Promise.all(ids.map((id) => stack.waitForPasses(object, id, passes, 120_000)));
  const sf = stack.sf.log.summary();
  const zd = stack.zd.log.summary();
  const endpoints = Object.entries(zd.byEndpoint)
    .sort((a, b) => b[1] - a[1])
    .map(([e, c]) => `${e} ${round(c / ids.length, 2)}`)
    .join('; ');
  return {
    scenario,
    records: ids.length,
    salesforcePerRecord: round(sf.total / ids.length, 2),
    zendeskPerRecord: round(zd.total / ids.length, 2),
    zendeskEndpoints: endpoints || '—',
  };
}

async function main(): Promise<void> {
  const stack = await startStack();
  try {
    const rows: Row[] = [];
    const create = async (names: string[]) =>
      Promise.all(
        names.map(
          async (Name) =>
            (
              await stack.salesforce
                .sobject('Account')
                .create({ Name, Industry: 'Banking', Segment__c: 'Enterprise' })
            ).id!,
        ),
      );
    const notifyAll = async (object: 'Account' | 'Contact', ids: string[], force = false) => {
      await Promise.all(
        ids.map((id) => stack.notify(object, id, { source: force ? 'resync' : 'cdc', force })),
      );
    };

    const fresh = await create(Array.from({ length: N }, (_, i) => `Cost Create ${i}`));
    rows.push(
      await measure(stack, 'first sync (create)', 'Account', fresh, 1, () => notifyAll('Account', fresh)),
    );

    const names = Array.from({ length: N }, (_, i) => `Cost Match ${i}`);
    for (const name of names) await stack.zendesk.post('organizations', { json: { organization: { name } } });
    const matching = await create(names);
    rows.push(
      await measure(stack, 'first sync (match)', 'Account', matching, 1, () =>
        notifyAll('Account', matching),
      ),
    );

    for (const id of fresh) await stack.salesforce.sobject('Account').update({ Id: id, Industry: 'Energy' });
    rows.push(await measure(stack, 'linked update', 'Account', fresh, 2, () => notifyAll('Account', fresh)));

    rows.push(
      await measure(stack, 'unchanged change', 'Account', fresh, 3, () => notifyAll('Account', fresh)),
    );

    rows.push(
      await measure(stack, 'resync (forced, linked)', 'Account', fresh, 4, () =>
        notifyAll('Account', fresh, true),
      ),
    );

    const accountId = fresh[0]!;
    const contacts = await Promise.all(
      Array.from(
        { length: N },
        async (_, i) =>
          (
            await stack.salesforce.sobject('Contact').create({
              LastName: `Cost ${i}`,
              Email: `cost${i}@example.com`,
              Phone: '+14155550100',
              AccountId: accountId,
            })
          ).id!,
      ),
    );
    rows.push(
      await measure(stack, 'first sync (create user + membership)', 'Contact', contacts, 1, () =>
        notifyAll('Contact', contacts),
      ),
    );

    printTable(rows);
    console.log(`\nwritten to ${writeResult('api-cost', { recordsPerScenario: N, rows })}`);
  } finally {
    await stack.close();
    await teardownTemporalEnv();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
