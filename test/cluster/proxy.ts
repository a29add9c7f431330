import { type Socket, connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A TCP load balancer for tests: each connection goes to the first backend that accepts it, in list order. */
export interface TestBalancer {
  url: string;
  close(): Promise<void>;
}

function dial(ports: readonly number[], index = 0): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const port = ports[index];
    if (port === undefined) return reject(new Error('no backend accepted the connection'));
    const upstream = connect(port, '127.0.0.1');
    upstream.once('connect', () => resolve(upstream));
    upstream.once('error', () => {
      upstream.destroy();
      dial(ports, index + 1).then(resolve, reject);
    });
  });
}

export async function startBalancer(backends: readonly string[]): Promise<TestBalancer> {
  const ports = backends.map((url) => Number(new URL(url).port));
  const open = new Set<Socket>();
  const server = createServer((client) => {
    open.add(client);
    client.pause();
    client.on('error', () => client.destroy());
    client.on('close', () => open.delete(client));
    dial(ports).then(
      (upstream) => {
        open.add(upstream);
        upstream.on('error', () => upstream.destroy());
        upstream.on('close', () => {
          open.delete(upstream);
          client.destroy();
        });
        client.on('close', () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.resume();
      },
      () => client.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
