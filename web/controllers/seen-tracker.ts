import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Share of a message (or of the list's height, for a message taller than it) that must show to count as seen. */
const SEEN_RATIO = 0.5;

export interface SeenTrackerDeps {
  /** The scrolling element the messages are visible in. */
  root(): HTMLElement | undefined;
  /** The highest message id visible in a focused page, each time it may have changed. */
  seen(id: number): void;
}

/**
 * Which messages a person has actually had in front of them: rendered messages (`[data-id]`) visible in the
 * list (IntersectionObserver) while the page is visible and focused. Delivered is not read: a message in a
 * background tab, a hidden panel or scrolled out of view stays unread until it is seen.
 */
export class SeenTracker implements ReactiveController {
  private observer: IntersectionObserver | undefined;
  private observedRoot: HTMLElement | undefined;
  private readonly visible = new Set<number>();

  constructor(
    host: ReactiveControllerHost,
    private readonly deps: SeenTrackerDeps,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.report);
    window.addEventListener('focus', this.report);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.report);
    window.removeEventListener('focus', this.report);
    this.reset();
  }

  /** After each render: new messages are watched (observing one already watched does nothing). */
  hostUpdated(): void {
    const root = this.deps.root();
    if (!root || typeof IntersectionObserver === 'undefined') return;
    if (root !== this.observedRoot) {
      this.reset();
      this.observedRoot = root;
      this.observer = new IntersectionObserver(this.handle, { root, threshold: [0, SEEN_RATIO, 1] });
    }
    for (const el of root.querySelectorAll<HTMLElement>('[data-id]')) this.observer?.observe(el);
  }

  /** Another room is shown in the same list: what was visible belongs to the old one. */
  reset(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    this.observedRoot = undefined;
    this.visible.clear();
  }

  private handle = (entries: IntersectionObserverEntry[]) => {
    for (const entry of entries) {
      const id = Number((entry.target as HTMLElement).dataset.id);
      const tall = entry.rootBounds !== null && entry.intersectionRect.height >= entry.rootBounds.height * SEEN_RATIO;
      if (entry.isIntersecting && (entry.intersectionRatio >= SEEN_RATIO || tall)) this.visible.add(id);
      else this.visible.delete(id);
    }
    this.report();
  };

  private report = () => {
    if (this.visible.size === 0 || document.visibilityState !== 'visible' || !document.hasFocus()) return;
    this.deps.seen(Math.max(...this.visible));
  };
}
