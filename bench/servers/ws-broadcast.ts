/**
 * Baseline 1: a raw `ws` broadcast server, about the least a Node process can do per delivery.
 * Text frames: `j<room>` joins a room; `b<room>|<text>` sends the frame to everyone in that room (or in
 * every room when `<room>` is empty); `k<id>|<room>|<text>` does the same and answers `K<id>` to the sender.
 */
import { createServer } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';

const httpServer = createServer();
const wss = new WebSocketServer({ server: httpServer, perMessageDeflate: false });
const rooms = new Map<string, Set<WebSocket>>();

function broadcast(room: string, data: Buffer): void {
  const members = room === '' ? wss.clients : rooms.get(room);
  if (!members) return;
  for (const client of members) if (client.readyState === 1) client.send(data, { binary: false });
}

wss.on('connection', (ws) => {
  const joined = new Set<string>();
  ws.on('message', (data: Buffer) => {
    const op = data[0];
    if (op === 0x6a /* j */) {
      const room = data.subarray(1).toString();
      let members = rooms.get(room);
      if (!members) rooms.set(room, (members = new Set()));
      members.add(ws);
      joined.add(room);
    } else if (op === 0x62 /* b */) {
      const bar = data.indexOf(0x7c);
      broadcast(data.subarray(1, bar).toString(), data);
    } else if (op === 0x6b /* k */) {
      const bar = data.indexOf(0x7c);
      const bar2 = data.indexOf(0x7c, bar + 1);
      broadcast(data.subarray(bar + 1, bar2).toString(), data);
      ws.send(`K${data.subarray(1, bar).toString()}`);
    }
  });
  ws.on('close', () => {
    for (const room of joined) rooms.get(room)?.delete(ws);
  });
});

httpServer.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => {
  for (const client of wss.clients) client.terminate();
  httpServer.close(() => process.exit(0));
});
