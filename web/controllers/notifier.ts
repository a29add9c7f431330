import type { ReactiveController, ReactiveControllerHost } from 'lit';

const STORAGE_KEY = 'chat-notifications';
/** Longest body shown; the notification is a pointer to the chat, not a copy of it. */
const MAX_BODY = 200;
/**
 * At most one notification per room this often: the first at once, then the latest of the rest when the
 * window ends. Three guests mentioning someone in a loop caused 60 notifications in 1.2 s (hardening round 2).
 */
export const NOTIFY_EVERY_MS = 10_000;

interface RoomWindow {
  /** The latest notification held back in this window, shown when it ends. */
  pending?: { title: string; body: string };
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Opt-in desktop notifications (Notification API). Permission is asked only from `toggle()`, which must run in
 * a user gesture (a click on the bell): browsers ignore or penalise requests made on page load. The choice is
 * remembered on this device.
 */
export class Notifier implements ReactiveController {
  enabled = false;
  private readonly windows = new Map<string, RoomWindow>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onClick: (room: string) => void,
  ) {
    host.addController(this);
  }

  get supported(): boolean {
    return typeof Notification === 'function';
  }

  /** The user said no in the browser; only its settings can change that. */
  get blocked(): boolean {
    return this.supported && Notification.permission === 'denied';
  }

  hostConnected(): void {
    this.enabled = this.supported && Notification.permission === 'granted' && read() === 'on';
  }

  hostDisconnected(): void {
    for (const window of this.windows.values()) clearTimeout(window.timer);
    this.windows.clear();
  }

  async toggle(): Promise<void> {
    if (!this.supported) return;
    if (this.enabled) {
      this.enabled = false;
    } else {
      const permission =
        Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
      this.enabled = permission === 'granted';
    }
    write(this.enabled ? 'on' : 'off');
    this.host.requestUpdate();
  }

  /** Notifies now, or, within NOTIFY_EVERY_MS of the room's last notification, once when that window ends. */
  show(title: string, body: string, room: string): void {
    if (!this.enabled || Notification.permission !== 'granted') return;
    const open = this.windows.get(room);
    if (open) {
      open.pending = { title, body };
      return;
    }
    this.notify(title, body, room);
    this.openWindow(room);
  }

  private openWindow(room: string): void {
    const window: RoomWindow = {
      timer: setTimeout(() => {
        this.windows.delete(room);
        if (!window.pending) return;
        this.notify(window.pending.title, window.pending.body, room);
        this.openWindow(room);
      }, NOTIFY_EVERY_MS),
    };
    this.windows.set(room, window);
  }

  private notify(title: string, body: string, room: string): void {
    const text = [...body].length > MAX_BODY ? `${[...body].slice(0, MAX_BODY).join('')}…` : body;
    const notification = new Notification(title, { body: text, tag: `chat:${room}` });
    notification.onclick = () => {
      window.focus();
      this.onClick(room);
      notification.close();
    };
  }
}

function read(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function write(value: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, value);
  } catch {
    // storage unavailable (privacy mode, sandboxed iframe): the choice lasts for this page view
  }
}
