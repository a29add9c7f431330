import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Keeps a room name in `location.hash` (`#room`), so reload and back/forward work. Off unless `enabled()`:
 * an embedded widget must not touch the host page's URL.
 */
export class HashRouter implements ReactiveController {
  constructor(
    host: ReactiveControllerHost,
    private readonly options: { enabled: () => boolean; onChange: (room: string) => void },
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('hashchange', this.handleHashChange);
  }

  hostDisconnected(): void {
    window.removeEventListener('hashchange', this.handleHashChange);
  }

  /** The room named in the hash, if routing is on and the hash decodes. */
  get room(): string | undefined {
    if (!this.options.enabled()) return undefined;
    const raw = location.hash.replace(/^#/, '');
    if (!raw) return undefined;
    try {
      return decodeURIComponent(raw);
    } catch {
      return undefined;
    }
  }

  /** The first room goes into the URL without a history entry of its own, so Back leaves the page as usual. */
  start(room: string | undefined): void {
    if (!this.options.enabled() || room === undefined || this.room !== undefined) return;
    history.replaceState(history.state, '', `#${encodeURIComponent(room)}`);
  }

  /** A new history entry for a room the user went to. */
  show(room: string | undefined): void {
    if (!this.options.enabled() || room === undefined || this.room === room) return;
    location.hash = encodeURIComponent(room);
  }

  private handleHashChange = () => {
    const room = this.room;
    if (room !== undefined) this.options.onChange(room);
  };
}
