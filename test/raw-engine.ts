import { WebSocket } from 'ws';

/**
 * One Engine.IO v4 WebSocket spoken by hand (Socket.IO v5 text packets), for what socket.io-client will not
 * do: reconnect a namespace over and over on the same connection, or send thousands of frames at once.
 */
export class RawEngine {
  private readonly frames: string[] = [];
  private readonly waiters: (() => void)[] = [];
  private nextAckId = 0;
  readonly closed: Promise<void>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const frame = data.toString();
      if (frame === '2') return ws.send('3'); // ping → pong
      this.frames.push(frame);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('error', () => undefined); // a flood test's writes may meet a connection the server has closed
  }

  static async open(url: string): Promise<RawEngine> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
    const engine = new RawEngine(ws);
    await engine.next((f) => f.startsWith('0{'));
    return engine;
  }

  /** Resolves with the first frame received so far or later that matches, and consumes it. */
  async next(match: (frame: string) => boolean, ms = 3000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const index = this.frames.findIndex(match);
      if (index >= 0) return this.frames.splice(index, 1)[0]!;
      if (Date.now() > deadline) throw new Error('no matching frame');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** Namespace CONNECT (`40/chat,{auth}`); resolves when the server accepts it. */
  async connect(nsp: string, auth?: object): Promise<void> {
    this.ws.send(`40${nsp},${auth ? JSON.stringify(auth) : ''}`);
    await this.next((f) => f.startsWith(`40${nsp},`));
  }

  /** Namespace DISCONNECT (`41/chat,`). */
  disconnect(nsp: string): void {
    this.ws.send(`41${nsp},`);
  }

  /** An event without an ack. */
  emit(nsp: string, ...args: unknown[]): void {
    this.ws.send(`42${nsp},${JSON.stringify(args)}`);
  }

  /** An event with an ack; resolves with the reply. */
  async request<T>(nsp: string, ...args: unknown[]): Promise<T> {
    const id = this.nextAckId++;
    this.ws.send(`42${nsp},${id}${JSON.stringify(args)}`);
    const frame = await this.next((f) => f.startsWith(`43${nsp},${id}[`));
    return (JSON.parse(frame.slice(`43${nsp},${id}`.length)) as [T])[0];
  }

  close(): void {
    this.ws.close();
  }
}
