/**
 * `npm run replay-check [-- --query <visibility query>] [--limit N]`: before rolling out new worker code,
 * replay histories from the deployed namespace (default: the running workflows, which the new workers will
 * continue) against the workflow code of this checkout, or of WORKFLOW_BUNDLE_PATH. Exit code 1 and the
 * workflow IDs when any history no longer replays (a change that needs `patched()`), 0 otherwise.
 */
import { Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../worker/create-worker';
import { collectEnvErrors, readWorkerDeployEnv } from '../common/env';
import { connectClient, readTemporalConnection } from '../common/temporal-connection';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function* firstN<T>(source: AsyncIterable<T>, n: number): AsyncIterable<T> {
  if (n <= 0) return;
  let seen = 0;
  for await (const item of source) {
    yield item;
    if (++seen >= n) return;
  }
}

async function main(): Promise<number> {
  // The workers' own connection settings (TLS, API key, profile) and codec: encrypted histories replay too.
  const [temporal, { workflowBundlePath }] = collectEnvErrors(
    () => readTemporalConnection(),
    () => readWorkerDeployEnv(),
  );
  const query = option('--query') ?? 'ExecutionStatus = "Running"';
  const limit = Number(option('--limit') ?? 1000);
  const { connection, client } = await connectClient(temporal);
  try {
    const histories = firstN(client.workflow.list({ query }).intoHistories(), limit);
    let replayed = 0;
    const failed: string[] = [];
    for await (const result of Worker.runReplayHistories(
      {
        ...(workflowBundlePath
          ? { workflowBundle: { codePath: workflowBundlePath } }
          : { workflowsPath: WORKFLOWS_PATH }),
        ...(temporal.dataConverter ? { dataConverter: temporal.dataConverter } : {}),
      },
      histories,
    )) {
      replayed += 1;
      if (result.error) failed.push(`${result.workflowId}: ${result.error.message}`);
    }
    console.log(`replayed ${replayed} histories (${query}): ${failed.length} failed`);
    for (const f of failed) console.log(`  - ${f}`);
    return failed.length ? 1 : 0;
  } finally {
    await connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
