import WebSocket from 'ws';

/** What the load generator talks to: the product, the plain Socket.IO baseline, or the raw `ws` baseline. */
export type ServerKind = 'product' | 'socketio' | 'ws';

export interface LeanOptions {
  /** http://127.0.0.1:port */
  url: string;
  kind: ServerKind;
  /** Socket.IO namespace; ignored for raw ws. */
  nsp?: string;
  /** Called with every event frame (Socket.IO `42…`) or every raw ws message. */
  onEvent?: (data: Buffer) => void;
  localAddress?: string;
  auth?: object;
}

const OPEN = 0x30; // '0'
const PING = 0x32; // '2'
const MESSAGE = 0x34; // '4'

/**
 * A lean Socket.IO v5 / Engine.IO v4 client over `ws` (websocket transport only, text packets only), or a
 * plain ws client. It costs a fraction of socket.io-client per delivery, so one process can read ~100k/s.
 * Protocol: https://socket.io/docs/v4/socket-io-protocol/ and https://socket.io/docs/v4/engine-io-protocol/
 */
export class LeanClient {
  private readonly ws: WebSocket;
  private readonly prefix: string;
  private readonly acks = new Map<number, (reply: unknown) => void>();
  private nextAckId = 0;
  closed = false;

  private constructor(
    private readonly options: LeanOptions,
    private readonly onOpen: (err?: Error) => void,
  ) {
    const { url, kind } = options;
    const nsp = options.nsp ?? '/';
    this.prefix = nsp === '/' ? '' : `${nsp},`;
    const wsUrl = url.replace(/^http/, 'ws') + (kind === 'ws' ? '/' : '/socket.io/?EIO=4&transport=websocket');
    this.ws = new WebSocket(wsUrl, {
      perMessageDeflate: false,
      skipUTF8Validation: true,
      localAddress: options.localAddress,
    });
    this.ws.on('message', (data: Buffer) => this.handle(data));
    this.ws.on('error', (err) => this.onOpen(err));
    this.ws.on('close', () => {
      this.closed = true;
      this.onOpen(new Error('closed before connecting'));
    });
    if (kind === 'ws') this.ws.on('open', () => this.onOpen());
  }

  static connect(options: LeanOptions): Promise<LeanClient> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const client: LeanClient = new LeanClient(options, (err) => {
        if (settled) return;
        settled = true;
        if (err) reject(err);
        else resolve(client);
      });
    });
  }

  /** Fire-and-forget event (Socket.IO) or raw text (ws). */
  emit(event: string, ...args: unknown[]): void {
    this.ws.send(`42${this.prefix}${JSON.stringify([event, ...args])}`);
  }

  emitWithAck(event: string, ...args: unknown[]): Promise<unknown> {
    const id = this.nextAckId++;
    return new Promise((resolve) => {
      this.acks.set(id, resolve);
      this.ws.send(`42${this.prefix}${id}${JSON.stringify([event, ...args])}`);
    });
  }

  sendRaw(text: string): void {
    this.ws.send(text);
  }

  /** Joins a room the way each server kind expects; the product needs a registered nick first. */
  async join(room: string, nick: string): Promise<void> {
    const { kind } = this.options;
    if (kind === 'ws') {
      this.sendRaw(`j${room}`);
      return;
    }
    if (kind === 'socketio') {
      await this.emitWithAck('join', room);
      return;
    }
    if (this.options.nsp === '/news') {
      expectOk(await this.emitWithAck('news:subscribe', room), 'news:subscribe');
      return;
    }
    expectOk(await this.emitWithAck('nick:register', nick), 'nick:register');
    expectOk(await this.emitWithAck('room:join', room), 'room:join');
  }

  /** A chat message to a room, acknowledged (the product's `message:send`, or the baselines' equivalent). */
  send(room: string, text: string): Promise<unknown> {
    const { kind } = this.options;
    if (kind === 'product') return this.emitWithAck('message:send', { room, text });
    if (kind === 'socketio') return this.emitWithAck('room message', room, { text });
    const id = this.nextAckId++;
    return new Promise((resolve) => {
      this.acks.set(id, resolve);
      this.ws.send(`k${id}|${room}|${text}`);
    });
  }

  /** Stops reading from the socket: the kernel buffers fill and the server sees a stalled reader. */
  pause(): void {
    this.ws.pause();
  }

  resume(): void {
    this.ws.resume();
  }

  close(): void {
    this.ws.terminate();
  }

  private handle(data: Buffer): void {
    if (this.options.kind === 'ws') {
      if (data[0] === 0x4b /* K */) this.handleWsAck(data);
      else this.options.onEvent?.(data);
      return;
    }
    const type = data[0];
    if (type === MESSAGE) {
      const sioType = data[1];
      if (sioType === 0x32)
        this.options.onEvent?.(data); // '2' event
      else if (sioType === 0x33)
        this.handleAck(data.toString()); // '3' ack
      else if (sioType === 0x30)
        this.onOpen(); // '0' namespace connected
      else if (sioType === 0x34) this.onOpen(new Error(`connect_error ${data.toString()}`));
    } else if (type === PING) {
      this.ws.send('3');
    } else if (type === OPEN) {
      const auth = this.options.auth ? JSON.stringify(this.options.auth) : '';
      this.ws.send(`40${this.prefix}${auth}`);
    }
  }

  private handleWsAck(data: Buffer): void {
    const id = Number(data.subarray(1).toString());
    const resolve = this.acks.get(id);
    this.acks.delete(id);
    resolve?.({ ok: true });
  }

  private handleAck(text: string): void {
    let i = 2 + this.prefix.length;
    let id = 0;
    while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57)
      id = id * 10 + text.charCodeAt(i++) - 48;
    const resolve = this.acks.get(id);
    if (!resolve) return;
    this.acks.delete(id);
    const args = JSON.parse(text.slice(i)) as unknown[];
    resolve(args[0]);
  }
}

function expectOk(reply: unknown, event: string): void {
  if (typeof reply !== 'object' || reply === null || !('ok' in reply) || reply.ok !== true) {
    throw new Error(`${event} failed: ${JSON.stringify(reply)}`);
  }
}

/** True for an `{ ok: true }` reply. */
export function isOk(reply: unknown): boolean {
  return typeof reply === 'object' && reply !== null && 'ok' in reply && reply.ok === true;
}

const MARK = Buffer.from('~T');

/** Text carrying the send time in µs since the epoch, found again by `sentAtMicros` without parsing JSON. */
export function stampedText(padTo = 0): string {
  const stamp = `~T${Math.round((performance.timeOrigin + performance.now()) * 1000)}~`;
  return padTo > stamp.length ? stamp + 'x'.repeat(padTo - stamp.length) : stamp;
}

export function nowMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/** The stamp in a received frame, or -1. */
export function sentAtMicros(data: Buffer): number {
  const at = data.indexOf(MARK);
  if (at < 0) return -1;
  let value = 0;
  for (let i = at + 2; i < data.length; i++) {
    const c = data[i]!;
    if (c < 48 || c > 57) break;
    value = value * 10 + c - 48;
  }
  return value;
}

/** A number following `"key":` in a frame, or -1 (for `seq`). */
export function numberAfter(data: Buffer, key: Buffer): number {
  const at = data.indexOf(key);
  if (at < 0) return -1;
  let value = 0;
  for (let i = at + key.length; i < data.length; i++) {
    const c = data[i]!;
    if (c < 48 || c > 57) break;
    value = value * 10 + c - 48;
  }
  return value;
}
