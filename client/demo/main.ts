// `npm run demo -- touch <Account|Contact> [id]`. Logic lives in touch.ts.
import { reportFatal } from '../../common/report-fatal';
import { DemoUsageError, touchRecord } from './touch';

async function main(args: string[]): Promise<void> {
  const [command, object = 'Account', id] = args;
  if (command !== 'touch') throw new DemoUsageError('usage: npm run demo -- touch <Account|Contact> [id]');
  const loginUrl =
    process.env.SALESFORCE_LOGIN_URL ?? `http://127.0.0.1:${process.env.SANDBOX_SALESFORCE_PORT ?? 7401}`;
  const r = await touchRecord(loginUrl, object, id);
  console.log(`${r.object} ${r.id}: ${r.change}\nwatch workflow ${r.workflowId} in the Temporal UI`);
}

main(process.argv.slice(2)).catch(reportFatal);
