import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RoomSummary } from '../../server/protocol/events.js';
import type { ChatSocket } from '../connection/chat-connection.js';
import { request } from '../connection/request.js';

const ROOMS_REFRESH_MS = 5_000;

/** The server's other rooms (`rooms:list`), refreshed every few seconds while the host is on the page. */
export class RoomDirectory implements ReactiveController {
  others: RoomSummary[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  /** `socket` gives the socket only while it is connected with a nick, else undefined. */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly socket: () => ChatSocket | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.timer = setInterval(() => void this.refresh(), ROOMS_REFRESH_MS);
  }

  hostDisconnected(): void {
    clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    const res = await request(this.socket(), 'rooms:list');
    if (!res?.ok) return;
    this.others = res.rooms;
    this.host.requestUpdate();
  }
}
