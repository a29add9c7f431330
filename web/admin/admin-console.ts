import { LitElement, css, html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import type { AdminMe } from '../../server/protocol/admin-console.js';
import { theme } from '../components/theme.js';
import { AdminApi, describeError, forgetToken, saveToken, savedToken } from './admin-api.js';

export type ConsoleView = 'overview' | 'rooms' | 'bans' | 'reports' | 'audit' | 'people';

const LABELS: Record<ConsoleView, string> = {
  overview: 'Overview',
  rooms: 'Rooms',
  bans: 'Bans',
  reports: 'Reports',
  audit: 'Audit log',
  people: 'People',
};

/** What each role may open (docs/security.md, "Who may see and do what"); the server refuses the rest anyway. */
export const VIEWS_OF: Record<AdminMe['role'], readonly ConsoleView[]> = {
  moderator: ['overview', 'rooms', 'bans', 'reports'],
  admin: ['overview', 'rooms', 'bans', 'reports', 'audit', 'people'],
};

/**
 * The admin console (`/admin`): signs in with a token kept in sessionStorage, asks the server what it may do
 * (`GET /api/admin/me`) and shows only those views. A token the server stops accepting signs the console out.
 * @csspart header - the bar with the role and Sign out
 * @csspart nav - the view buttons
 * @csspart main - the view
 */
export class AdminConsole extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
        min-block-size: 100dvh;
        background: var(--_bg);
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1rem;
        padding: 0.6rem 1rem;
        border-block-end: 1px solid var(--_border);
        background: var(--_surface);
      }
      h1 {
        margin: 0;
        font-size: 1.15em;
      }
      .who {
        margin-inline-start: auto;
        color: var(--_muted);
      }
      button {
        padding: 0.45rem 0.85rem;
        border-radius: var(--_radius);
        border: 1px solid var(--_border);
        background: var(--_bg);
        color: var(--_text);
      }
      nav {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        padding: 0.6rem 1rem;
        border-block-end: 1px solid var(--_border);
      }
      nav button[aria-current='page'] {
        background: var(--_accent);
        border-color: var(--_accent);
        color: var(--_on-accent);
      }
      main {
        padding: 1rem;
        max-inline-size: 72rem;
      }
      main:focus {
        outline: none;
      }
    `,
  ];

  @state() private me?: AdminMe;
  @state() private view: ConsoleView = 'overview';
  @state() private signInError = '';
  @state() private busy = false;
  @state() private bansRoom = 'lobby';
  private api?: AdminApi;

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('admin-sign-in', this.handleSignIn);
    this.addEventListener('admin-open-bans', this.handleOpenBans);
    const token = savedToken();
    if (token !== '') void this.signIn(token); // the tab was reloaded: check the kept token again
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('admin-sign-in', this.handleSignIn);
    this.removeEventListener('admin-open-bans', this.handleOpenBans);
  }

  override render() {
    if (this.me === undefined) {
      return html`<header part="header"><h1>Parley admin</h1></header>
        <main><admin-sign-in .error=${this.signInError} ?busy=${this.busy}></admin-sign-in></main>`;
    }
    const views = VIEWS_OF[this.me.role];
    return html`<header part="header">
        <h1>Parley admin</h1>
        <span class="who">${this.me.role === 'admin' ? 'Admin' : `Moderator ${this.me.nick}`}</span>
        <button @click=${this.handleSignOut}>Sign out</button>
      </header>
      <nav part="nav" aria-label="Console views">
        ${views.map(
          (view) =>
            html`<button aria-current=${view === this.view ? 'page' : 'false'} @click=${() => this.open(view)}>
              ${LABELS[view]}
            </button>`,
        )}
      </nav>
      <main part="main" tabindex="-1" aria-label=${LABELS[this.view]}>${this.renderView()}</main>`;
  }

  private renderView() {
    const api = this.api;
    switch (this.view) {
      case 'overview':
        return html`<admin-overview .api=${api}></admin-overview>`;
      case 'rooms':
        return html`<admin-rooms .api=${api} ?canRetain=${this.me?.role === 'admin'}></admin-rooms>`;
      case 'bans':
        return html`<admin-bans .api=${api} room=${this.bansRoom}></admin-bans>`;
      case 'reports':
        return html`<admin-reports .api=${api}></admin-reports>`;
      case 'audit':
        return html`<admin-audit .api=${api}></admin-audit>`;
      case 'people':
        return html`<admin-people .api=${api}></admin-people>`;
      default:
        return nothing;
    }
  }

  private open(view: ConsoleView) {
    this.view = view;
  }

  private handleSignIn = (e: CustomEvent<{ token: string }>) => {
    void this.signIn(e.detail.token);
  };

  private handleOpenBans = (e: CustomEvent<{ room: string }>) => {
    this.bansRoom = e.detail.room;
    this.view = 'bans';
    void this.updateComplete.then(() => this.renderRoot.querySelector('main')?.focus());
  };

  private async signIn(token: string): Promise<void> {
    this.busy = true;
    const api = new AdminApi(token, () => this.expire());
    try {
      const me = await api.get<AdminMe>('/me');
      saveToken(token);
      this.api = api;
      this.signInError = '';
      this.view = 'overview';
      this.me = me;
    } catch (err) {
      forgetToken();
      this.signInError = describeError(err);
    } finally {
      this.busy = false;
    }
  }

  /** A view's call was refused with 401 once signed in: the token expired or ADMIN_TOKEN changed. */
  private expire() {
    if (this.me === undefined) return;
    this.signOut();
    this.signInError = 'The token is no longer accepted: sign in again.';
  }

  private handleSignOut = () => this.signOut();

  private signOut() {
    forgetToken();
    this.api = undefined;
    this.me = undefined;
    this.signInError = '';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'admin-console': AdminConsole;
  }
}
