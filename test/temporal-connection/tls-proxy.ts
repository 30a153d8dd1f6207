/**
 * A TLS-terminating TCP proxy in front of the plaintext dev server (which has no TLS flags): it demands
 * a client certificate signed by the test CA, as a Temporal frontend with mTLS does, and speaks h2 via
 * ALPN so gRPC clients accept it. Bytes after the handshake are forwarded untouched.
 */
import { connect, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { createServer, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';

export interface TlsProxy {
  address: string;
  /** Handshakes that failed, with the reason (e.g. no client certificate). */
  rejected: string[];
  close(): Promise<void>;
}

export async function startTlsProxy(opts: {
  target: string;
  cert: string;
  key: string;
  clientCa: string;
}): Promise<TlsProxy> {
  const [host, port] = [
    opts.target.slice(0, opts.target.lastIndexOf(':')),
    Number(opts.target.split(':').pop()),
  ];
  const sockets = new Set<Socket>();
  const rejected: string[] = [];
  const server = createServer(
    {
      cert: readFileSync(opts.cert),
      key: readFileSync(opts.key),
      ca: readFileSync(opts.clientCa),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (tlsSocket: TLSSocket) => {
      const upstream = connect(port, host);
      sockets.add(tlsSocket).add(upstream);
      tlsSocket.pipe(upstream).pipe(tlsSocket);
      const end = () => {
        tlsSocket.destroy();
        upstream.destroy();
      };
      tlsSocket.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    },
  );
  server.on('tlsClientError', (err) => rejected.push(err.message));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    rejected,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
