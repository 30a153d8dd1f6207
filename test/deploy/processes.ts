/** Spawning the product's entry points as OS processes (as the container runs them) for deploy and scale tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { ROOT } from './deploy-files';

export interface Proc {
  child: ChildProcess;
  output(): string;
  /** Resolves once the combined output contains `text`; rejects if the process exits first. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL if still running (cleanup). */
  kill(): void;
}

export function startProcess(argv: string[], env: NodeJS.ProcessEnv): Proc {
  const [cmd, ...args] = argv;
  const child = spawn(cmd === 'node' ? process.execPath : cmd!, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => out,
    exited,
    async waitFor(text, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!out.includes(text)) {
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`${argv.join(' ')} exited before '${text}':\n${out}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for '${text}':\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** Runs a command to completion: exit code and output. */
export async function runToEnd(
  argv: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  const p = startProcess(argv, env);
  const { code } = await p.exited;
  return { code, output: p.output() };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** The environment of a spawned entry point: PATH/HOME plus exactly what the test gives it. */
export function baseEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'WARN', ...extra };
}

/** A TCP port that accepts connections and never answers: a connect waits until its deadline. */
export async function blackHole(): Promise<{
  port: number;
  connected: Promise<void>;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let onConnect!: () => void;
  const connected = new Promise<void>((r) => (onConnect = r));
  const server: Server = createServer((s) => {
    sockets.add(s);
    onConnect();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    connected,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** Whether 127.0.0.1:port can be bound (nothing listens there). */
export async function isFree(port: number): Promise<boolean> {
  const probe = createServer();
  const free = await new Promise<boolean>((r) => {
    probe.once('error', () => r(false));
    probe.listen(port, '127.0.0.1', () => r(true));
  });
  if (free) await new Promise((r) => probe.close(r));
  return free;
}
