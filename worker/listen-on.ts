/**
 * Binding a local HTTP endpoint (health, codec server) with an error an operator can act on: which
 * setting chose the address and why it cannot be used, instead of a bare `listen EADDRINUSE` stack.
 */
import { createServer as createNetServer } from 'node:net';
import type { Server } from 'node:http';

const REASONS: Record<string, string> = {
  EADDRINUSE: 'the port is already in use',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'the address is not one of this host',
};

export class PortUnavailableError extends Error {
  override readonly name = 'PortUnavailableError';
  readonly code = 'PORT_UNAVAILABLE';
  constructor(
    /** The variable or option that chose the port, e.g. HEALTH_PORT or --port. */
    readonly setting: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(
      `${setting}: cannot listen on ${address}: ${reason}; stop the other process or choose another port`,
    );
  }
}

/** `host:port`, with brackets for an IPv6 address. */
export function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function portUnavailable(setting: string, host: string, port: number, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const reason = code ? REASONS[code] : undefined;
  return reason ? new PortUnavailableError(setting, hostPort(host, port), reason) : (err as Error);
}

export async function listenOn(server: Server, port: number, host: string, setting: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(portUnavailable(setting, host, port, err));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/**
 * Fails with a PortUnavailableError when `host:port` cannot be bound, e.g. before starting a child
 * process (the Temporal dev server) that would otherwise fail later, or answer as another server does.
 */
export async function assertPortFree(port: number, host: string, setting: string): Promise<void> {
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (err) => reject(portUnavailable(setting, host, port, err)));
    probe.listen(port, host, () => resolve());
  });
  await new Promise((resolve) => probe.close(resolve));
}
