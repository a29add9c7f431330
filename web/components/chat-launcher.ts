import { LitElement, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { LocaleController } from '../controllers/locale-controller.js';
import { type ChatEventMap, emit } from '../events.js';
import { chatLauncherStyles } from './chat-launcher-styles.js';
import { theme } from './theme.js';

/** Where the launcher remembers whether its panel was open, so the next page of the site shows it the same. */
const OPEN_KEY = 'chat-launcher:open';

/** localStorage can be missing or throw (privacy modes, sandboxed iframes): then the panel starts closed. */
function loadOpen(): boolean {
  try {
    return localStorage.getItem(OPEN_KEY) === 'true';
  } catch {
    return false;
  }
}

function saveOpen(open: boolean): void {
  try {
    localStorage.setItem(OPEN_KEY, String(open));
  } catch {
    // Not remembered; the panel still opens and closes on this page.
  }
}

const chatIcon = html`<svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true" fill="currentColor">
  <path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"></path>
</svg>`;

/**
 * A floating button that opens the chat in a panel: what most sites embed. The chat (`<chat-app>`, or the
 * support widget with `support`) lives inside the panel from the start, hidden while it is closed, so the
 * button's badge counts unread messages all along. The panel remembers being open across the site's pages.
 * @fires chat-launcher-toggle - detail `{ open }`: the panel opened or closed
 * @csspart button - the round button; its accessible name carries the unread count ("Chat, 3 unread")
 * @csspart badge - the unread count on the button
 * @csspart panel - the panel with the chat; the whole screen up to 480 px wide
 * @csspart close-button - the × in the panel's bar
 * @cssproperty --chat-launcher-inset - distance from the corner (default 1.25rem)
 * @cssproperty --chat-launcher-panel-width - the panel's width on a wide screen (default 24rem)
 * @cssproperty --chat-launcher-panel-height - the panel's height on a wide screen
 * @cssproperty --chat-launcher-z-index - stacking above the page (default 2147483000)
 */
export class ChatLauncher extends LitElement {
  static override styles = [theme, chatLauncherStyles];

  /** The corner: `bottom-right` (the default) or `bottom-left`. */
  @property({ reflect: true }) position: 'bottom-right' | 'bottom-left' = 'bottom-right';
  /** Passed to the chat: see `<chat-app>`. */
  @property() server = '';
  @property() jwt = '';
  @property() room = '';
  @property() rooms = '';
  @property({ type: Boolean, attribute: 'lock-room' }) lockRoom = false;
  @property({ attribute: false }) refreshJwt: (() => Promise<string>) | undefined;
  /** Opens the support widget (`<chat-app support>`) instead of the full chat. */
  @property({ type: Boolean }) support = false;
  /** Reflected, so the page's CSS can tell; set from storage when the element connects. */
  @property({ type: Boolean, reflect: true }) open = false;
  @state() private unread = 0;
  @query('[part~="button"]') private button?: HTMLButtonElement;
  @query('[part~="close-button"]') private closeButton?: HTMLButtonElement;
  private readonly locale = new LocaleController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    this.open = loadOpen();
  }

  override render() {
    const s = this.locale.strings.launcher;
    return html`<div @keydown=${this.handleKeydown} dir=${this.locale.strings.dir}>
      <section part="panel" id="panel" role="dialog" aria-label=${s.panel} ?hidden=${!this.open}>
        <div class="bar">
          <span>${s.panel}</span>
          <button part="close-button" aria-label=${s.close} title=${s.close} @click=${this.handleClose}>×</button>
        </div>
        <chat-app
          server=${this.server}
          jwt=${this.jwt}
          room=${this.room}
          rooms=${this.rooms}
          ?lock-room=${this.lockRoom}
          ?support=${this.support}
          .refreshJwt=${this.refreshJwt}
          @chat-unread-change=${this.handleUnread}
        ></chat-app>
      </section>
      <button
        part="button"
        aria-label=${s.button(this.unread)}
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="panel"
        @click=${this.handleToggle}
      >
        ${chatIcon}
        ${
          this.unread > 0
            ? html`<span part="badge" aria-hidden="true">${this.unread > 99 ? '99+' : this.unread}</span>`
            : nothing
        }
      </button>
    </div>`;
  }

  /** Opens or closes the panel; opening moves focus into it, closing back to the button. */
  async toggle(open = !this.open): Promise<void> {
    if (open === this.open) return;
    this.open = open;
    saveOpen(open);
    emit(this, 'chat-launcher-toggle', { open });
    await this.updateComplete;
    (open ? this.closeButton : this.button)?.focus();
  }

  private handleToggle = () => void this.toggle();
  private handleClose = () => void this.toggle(false);

  /** The chat's own Escape (closing a drawer or a form) stops there; any other Escape closes the panel. */
  private handleKeydown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || !this.open) return;
    e.stopPropagation();
    void this.toggle(false);
  };

  private handleUnread = (e: CustomEvent<ChatEventMap['chat-unread-change']>) => {
    this.unread = e.detail.unread;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-launcher': ChatLauncher;
  }
}
