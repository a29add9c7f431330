import type { ChatContext } from './context.js';
import type { ChatSocket } from './chat-socket.js';
import { resumeSession } from './socket-lifecycle.js';

/** The steps of every socket with nothing running share it: an idle socket holds no promise of its own (issue 24). */
const SETTLED: Promise<void> = Promise.resolve();
const ignore = (): void => undefined;

/**
 * What one /chat socket needs between its events: its session changes (resume, register, refresh, disconnect)
 * run one after the other, whatever each one's outcome, and its other events wait for the resume. One small
 * object per socket, looked up by the listeners the sockets share (chat-listeners.ts).
 */
export class SocketSteps {
  private tail: Promise<unknown> = SETTLED;
  private resuming: Promise<void> | undefined;

  /** `resume` runs first; a failure is handed to `failed`, and the events that waited for it go on. */
  constructor(resume: () => Promise<void>, failed: (err: unknown) => void) {
    const resuming = this.inOrder(resume).catch(failed);
    this.resuming = resuming;
    void resuming.then(() => (this.resuming = undefined));
  }

  /** Settles once the socket's session has been resumed (or failed to be); settled from then on. */
  get resumed(): Promise<void> {
    return this.resuming ?? SETTLED;
  }

  /** Runs `task` after the socket's earlier session changes have settled. */
  inOrder<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task);
    const tail = run.then(ignore, ignore);
    this.tail = tail;
    void tail.then(() => {
      if (this.tail === tail) this.tail = SETTLED;
    });
    return run;
  }
}

/** Weak, so a socket's steps go with the socket. */
const stepsBySocket = new WeakMap<ChatSocket, SocketSteps>();

/** Called once per connection, before any listener can run. */
export function startSteps(ctx: ChatContext, socket: ChatSocket): void {
  const failed = (err: unknown) => ctx.log.error({ err }, 'resuming a session failed');
  stepsBySocket.set(socket, new SocketSteps(() => resumeSession(ctx, socket), failed));
}

export function stepsOf(socket: ChatSocket): SocketSteps {
  const steps = stepsBySocket.get(socket);
  if (!steps) throw new Error('a /chat listener ran for a socket that was never started');
  return steps;
}
