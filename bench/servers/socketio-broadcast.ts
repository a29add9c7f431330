/**
 * Baseline 2: a plain Socket.IO server of the classic tutorial kind (https://socket.io/get-started/chat),
 * default options: `io.emit` of whatever arrives. Rooms and acks use the documented one-liners
 * (https://socket.io/docs/v4/rooms/) so the room scenarios can run against it too.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

type Ack = (reply: { ok: true }) => void;

const httpServer = createServer();
const io = new Server(httpServer);

io.on('connection', (socket) => {
  socket.on('chat message', (msg: unknown) => {
    io.emit('chat message', msg);
  });
  socket.on('join', (room: string, ack?: Ack) => {
    void socket.join(room);
    ack?.({ ok: true });
  });
  socket.on('room message', (room: string, msg: unknown, ack?: Ack) => {
    io.to(room).emit('chat message', msg);
    ack?.({ ok: true });
  });
  socket.on('volatile message', (room: string, msg: unknown) => {
    io.to(room).volatile.emit('chat message', msg);
  });
});

httpServer.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => {
  void io.close(() => process.exit(0));
  httpServer.closeAllConnections();
});
