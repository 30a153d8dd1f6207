/** `sfzd worker` and `sfzd listen`: the same entry points as `npm run worker` / `npm run listen`. */
import { runListen } from '../listener/run-listen';
import { runWorker } from '../../worker/run-worker';
import type { CommandContext, CommandResult } from './result';

export async function worker(ctx: CommandContext): Promise<CommandResult> {
  let ready: { taskQueue: string; namespace: string; address: string } | undefined;
  await runWorker({
    env: ctx.env,
    onReady: (i) => {
      ready = i;
      ctx.progress(`worker ready: task queue ${i.taskQueue} on ${i.address} (${i.namespace})`);
    },
  });
  return { json: { stopped: true, ...ready }, text: 'worker stopped' };
}

export async function listen(ctx: CommandContext, opts: { wait?: boolean }): Promise<CommandResult> {
  const message = await runListen(ctx.env, { waitForSubscription: opts.wait });
  return { json: { message }, text: message };
}
