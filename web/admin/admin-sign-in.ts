import { LitElement, css, html, nothing } from 'lit';
import { property, query } from 'lit/decorators.js';
import { theme } from '../components/theme.js';
import { viewStyles } from './admin-styles.js';

/**
 * Asks for ADMIN_TOKEN or a moderator's signed token (a password field: it is never shown or put in a URL).
 * @fires admin-sign-in - detail `{ token }`; the console checks it with `GET /api/admin/me`
 * @csspart base - the form
 * @csspart error - why the last token was refused
 */
export class AdminSignIn extends LitElement {
  static override styles = [
    theme,
    viewStyles,
    css`
      form {
        display: grid;
        align-items: stretch;
        gap: 0.75rem;
        padding: 1.5rem;
        background: var(--_bg);
        border: 1px solid var(--_border);
        border-radius: calc(var(--_radius) * 1.5);
        max-inline-size: 28rem;
        margin: 2rem auto;
        box-shadow: 0 10px 30px #0002;
      }
      p {
        margin: 0;
      }
    `,
  ];

  /** Why the last token was refused; empty: none was. */
  @property() error = '';
  @property({ type: Boolean }) busy = false;
  @query('input') private input!: HTMLInputElement;

  override render() {
    return html`<form part="base" @submit=${this.handleSubmit}>
      <h2>Sign in to the admin console</h2>
      <p class="muted">With the server's ADMIN_TOKEN, or a moderator's signed token from the host site.</p>
      <label
        >Token
        <input
          type="password"
          name="token"
          required
          autocomplete="current-password"
          aria-invalid=${this.error ? 'true' : 'false'}
          aria-describedby="error"
        />
      </label>
      <p part="error" id="error" class="error" role="alert">${this.error || nothing}</p>
      <button class="primary" ?disabled=${this.busy}>Sign in</button>
    </form>`;
  }

  override firstUpdated(): void {
    this.input.focus();
  }

  private handleSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    const token = this.input.value.trim();
    if (token === '') return;
    this.dispatchEvent(new CustomEvent('admin-sign-in', { detail: { token }, bubbles: true, composed: true }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'admin-sign-in': AdminSignIn;
  }
  interface HTMLElementEventMap {
    'admin-sign-in': CustomEvent<{ token: string }>;
  }
}
