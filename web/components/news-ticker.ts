import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { NewsItem } from '../../server/protocol/events.js';
import { NewsConnection } from '../connection/news-connection.js';
import { emit } from '../events.js';
import { LocaleController } from '../controllers/locale-controller.js';
import { localTime } from './format.js';
import { theme } from './theme.js';

/**
 * Live headlines from the /news namespace, on the same connection as any `<chat-app>` for the same server.
 * News is volatile: items a slow connection could not take are dropped by the server and counted here from
 * `seq` gaps ("missed"), never fetched again.
 * @fires news-ticker-item - detail `{ item, missed }`: a headline arrived; `missed` items of its topic were skipped before it
 * @csspart base - the section
 * @csspart header - title and counters
 * @csspart stats - items per second and missed count
 * @csspart topic - a topic toggle button; also `topic on` when subscribed
 * @csspart list - the headlines
 * @csspart item - one headline
 * @csspart collapse-button - shows or hides the topics and headlines (remembered)
 * @cssproperty --news-ticker-accent - topic label colour (defaults to --chat-accent)
 */
export class NewsTicker extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
        block-size: 36rem;
        min-block-size: 0;
        container-type: inline-size;
        --news-ticker-accent: var(--_accent);
      }
      [part='base'] {
        block-size: 100%;
        display: flex;
        flex-direction: column;
        background: var(--_surface);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        overflow: hidden;
      }
      [part='header'] {
        padding: 0.7rem 0.9rem 0.5rem;
        border-block-end: 1px solid var(--_border);
        display: grid;
        gap: 0.5rem;
      }
      [hidden] {
        display: none !important;
      }
      :host([collapsed]) [part='base'] {
        block-size: auto;
      }
      :host([collapsed]) [part='header'] {
        border-block-end: none;
        padding-block-end: 0.7rem;
      }
      .title {
        display: flex;
        align-items: center;
        gap: 0.4rem;
      }
      [part='collapse-button'] {
        border: 1px solid var(--_border);
        background: var(--_bg);
        color: var(--_text);
        border-radius: 999px;
        inline-size: 1.7rem;
        block-size: 1.7rem;
        padding: 0;
        line-height: 1;
      }
      .offline {
        color: var(--_danger);
        font-weight: 600;
      }
      .row {
        display: flex;
        align-items: baseline;
        justify-content: space-between;
        gap: 0.5rem;
        flex-wrap: wrap;
      }
      h2 {
        margin: 0;
        font-size: 1em;
        display: flex;
        align-items: center;
        gap: 0.45rem;
      }
      /* Red while the feed is live, grey otherwise. It does not blink: an endless animation makes the browser draw
         frames all the time, which costs an idle page's battery (8% of a core per page in headless Chromium). */
      .live {
        inline-size: 0.55em;
        block-size: 0.55em;
        border-radius: 50%;
        background: var(--_muted);
      }
      :host([status='online']) .live {
        background: var(--_danger);
      }
      [part='stats'] {
        display: flex;
        gap: 0.6rem;
        color: var(--_muted);
        font-size: 0.8em;
        font-variant-numeric: tabular-nums;
      }
      .missed.some {
        color: var(--_danger);
        font-weight: 600;
      }
      .topics {
        display: flex;
        flex-wrap: wrap;
        gap: 0.35rem;
      }
      [part~='topic'] {
        border: 1px solid var(--_border);
        background: var(--_bg);
        color: var(--_muted);
        border-radius: 999px;
        padding: 0.15rem 0.65rem;
        font-size: 0.8em;
      }
      [part~='topic'][aria-pressed='true'] {
        background: var(--news-ticker-accent);
        border-color: transparent;
        color: var(--_on-accent);
      }
      [part='list'] {
        list-style: none;
        margin: 0;
        padding: 0.4rem 0.6rem;
        overflow-y: auto;
        flex: 1;
      }
      [part='item'] {
        padding: 0.5rem 0.35rem;
        border-block-end: 1px solid var(--_border);
        animation: slide 0.35s ease-out;
      }
      @keyframes slide {
        from {
          opacity: 0;
          transform: translateY(-0.6rem);
        }
      }
      @media (prefers-reduced-motion: reduce) {
        [part='item'] {
          animation: none;
        }
      }
      .meta {
        display: flex;
        gap: 0.5rem;
        font-size: 0.72em;
        color: var(--_muted);
        text-transform: uppercase;
        letter-spacing: 0.04em;
      }
      .topic-name {
        color: var(--news-ticker-accent);
        font-weight: 700;
      }
      .headline {
        margin: 0.15rem 0 0;
        overflow-wrap: anywhere;
        line-height: 1.35;
      }
      .waiting {
        color: var(--_muted);
        padding: 1rem;
        text-align: center;
        font-size: 0.9em;
      }
    `,
  ];

  /** The chat server's URL; default: the server this script was loaded from. */
  @property() server = '';
  /** Comma-separated topics to subscribe to; default all the server offers. */
  @property() topics = '';
  /** Headlines kept on screen. */
  @property({ type: Number, attribute: 'max-items' }) maxItems = 40;
  @property({ reflect: true }) status = 'connecting';
  /** Only the header shows; toggled by the collapse button and remembered in `localStorage` for this page's origin. */
  @property({ type: Boolean, reflect: true }) collapsed = readCollapsed();
  @state() private items: NewsItem[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly locale = new LocaleController(this);

  private readonly news = new NewsConnection(this, {
    server: () => this.server,
    wanted: () =>
      this.topics.trim()
        ? this.topics
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean)
        : undefined,
    onItem: (item, missed) => {
      this.items = [item, ...this.items].slice(0, this.maxItems);
      emit(this, 'news-ticker-item', { item, missed });
    },
  });

  /** Counters and the socket, for pages that show what is going on (the namespaces demo). */
  get connection(): NewsConnection {
    return this.news;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer = setInterval(() => this.requestUpdate(), 1000); // items/s decays while nothing arrives
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  /** At hundreds of items per second, one render per frame is plenty (lit.dev: scheduleUpdate). */
  protected override async scheduleUpdate(): Promise<void> {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    await super.scheduleUpdate();
  }

  private toggleCollapsed = () => {
    this.collapsed = !this.collapsed;
    writeCollapsed(this.collapsed);
  };

  override willUpdate(): void {
    this.status = this.news.status;
  }

  override render() {
    const s = this.locale.strings;
    const n = this.news;
    const online = n.status === 'online';
    return html`<section part="base" aria-labelledby="h" dir=${s.dir} lang=${this.locale.lang}>
      <div part="header">
        <div class="row">
          <div class="title">
            <button
              part="collapse-button"
              aria-expanded=${this.collapsed ? 'false' : 'true'}
              aria-controls="body"
              title=${this.collapsed ? s.news.expand : s.news.collapse}
              aria-label=${this.collapsed ? s.news.expand : s.news.collapse}
              @click=${this.toggleCollapsed}
            >
              ${this.collapsed ? '▸' : '▾'}
            </button>
            <h2 id="h"><span class="live" aria-hidden="true"></span>${s.news.heading}</h2>
          </div>
          <div part="stats" role="status">
            ${
              online
                ? html`<span class="rate">${s.news.perSecond(n.rate().toFixed(1))}</span>`
                : html`<span class="offline"
                    >${
                      n.status === 'connecting'
                        ? s.status.connecting
                        : n.status === 'refused'
                          ? s.status.refused
                          : s.news.offline
                    }</span
                  >`
            }
            <span class="missed ${n.missed > 0 ? 'some' : ''}">${s.news.missed(n.missed)}</span>
          </div>
        </div>
        <div class="topics" role="group" aria-label=${s.news.topics} ?hidden=${this.collapsed}>
          ${n.topics.map((topic) => {
            const on = n.subscribed.has(topic);
            return html`<button
              part=${on ? 'topic on' : 'topic'}
              aria-pressed=${on ? 'true' : 'false'}
              @click=${() => void n.toggle(topic, !on)}
            >
              ${topic}
            </button>`;
          })}
        </div>
      </div>
      ${
        this.items.length === 0 && !this.collapsed
          ? html`<p class="waiting" role=${n.status === 'refused' ? 'alert' : nothing}>
              ${online ? s.news.waiting : n.status === 'refused' ? s.news.refused : s.news.offline}
            </p>`
          : nothing
      }
      <ul part="list" id="body" aria-label=${s.news.heading} ?hidden=${this.collapsed}>
        ${repeat(
          this.items,
          (item) => `${item.topic}:${item.seq}`,
          (item) =>
            html`<li part="item">
              <div class="meta">
                <span class="topic-name">${item.topic}</span
                ><time datetime=${new Date(item.ts).toISOString()}>${localTime(item.ts, this.locale.lang)}</time>
              </div>
              <p class="headline">${item.headline}</p>
            </li>`,
        )}
      </ul>
    </section>`;
  }
}

const COLLAPSED_KEY = 'news-ticker-collapsed';

/** localStorage can be missing or throw (privacy modes, sandboxed iframes); then the ticker starts open. */
function readCollapsed(): boolean {
  try {
    return localStorage.getItem(COLLAPSED_KEY) === 'true';
  } catch {
    return false;
  }
}

function writeCollapsed(collapsed: boolean): void {
  try {
    localStorage.setItem(COLLAPSED_KEY, String(collapsed));
  } catch {
    // Not remembered; it still works for this page view.
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'news-ticker': NewsTicker;
  }
}
