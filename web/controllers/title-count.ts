import type { ReactiveController, ReactiveControllerHost } from 'lit';

const COUNT_PREFIX = /^\(\d+\) /;

/**
 * Puts the unread count in front of the tab title, `(3) Parley`, but only when the element was asked to
 * (`update-title`): an embedded chat must not rewrite its host page's title. The rest of the title is read
 * back from the document each time, so a page that changes its own title keeps its change.
 */
export class TitleCount implements ReactiveController {
  private owned = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly deps: { enabled: () => boolean; count: () => number },
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    if (!this.deps.enabled()) return this.release();
    const count = this.deps.count();
    const base = document.title.replace(COUNT_PREFIX, '');
    const title = count > 0 ? `(${count}) ${base}` : base;
    if (document.title !== title) document.title = title;
    this.owned = true;
  }

  hostDisconnected(): void {
    this.release();
  }

  private release(): void {
    if (this.owned) document.title = document.title.replace(COUNT_PREFIX, '');
    this.owned = false;
  }
}
