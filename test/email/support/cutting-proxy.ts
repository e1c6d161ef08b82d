// A TCP proxy on loopback that cuts chosen connections after a number of bytes from the
// server, to play a mail server that drops the line in the middle of a download.
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface CuttingProxy {
  port: number;
  /** Byte budgets (server → client) for the next connections; `Infinity` passes everything. */
  cuts: number[];
  connections: number;
  close(): Promise<void>;
}

export async function startCuttingProxy(targetPort: number): Promise<CuttingProxy> {
  const sockets = new Set<Socket>();
  const proxy: CuttingProxy = { port: 0, cuts: [], connections: 0, close: async () => undefined };
  const server = createServer((client) => {
    proxy.connections += 1;
    const budget = proxy.cuts.shift() ?? Infinity;
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    let passed = 0;
    upstream.on('data', (chunk: Buffer) => {
      if (passed + chunk.length > budget) {
        client.write(chunk.subarray(0, Math.max(0, budget - passed)));
        client.destroy();
        upstream.destroy();
        return;
      }
      passed += chunk.length;
      client.write(chunk);
    });
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.port = (server.address() as AddressInfo).port;
  proxy.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return proxy;
}
