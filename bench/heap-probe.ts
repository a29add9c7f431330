// Development aid (not part of the suite): writes a heap snapshot of a server holding N idle clients.
import { Worker, killAll, startServer } from './lib/procs.js';
import type { ServerKind } from './lib/lean-client.js';

const kind = (process.argv[2] ?? 'product') as ServerKind;
const count = Number(process.argv[3] ?? 2000);
const dir = process.argv[4] ?? '/tmp/heapsnap';
const server = await startServer(kind, ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`]);
const worker = new Worker('probe');
try {
  const rooms = Array.from({ length: Math.ceil(count / 20) }, (_, i) => `idle${i}`);
  await worker.call('connect', {
    group: 'idle',
    kind,
    url: server.url,
    nsp: '/chat',
    count,
    rooms: kind === 'product' ? rooms : undefined,
    nickPrefix: 'h',
  });
  await new Promise((r) => setTimeout(r, 3000));
  process.kill(server.pid, 'SIGUSR2');
  await new Promise((r) => setTimeout(r, 15000));
} finally {
  await worker.stop();
  await server.stop();
  killAll();
}
