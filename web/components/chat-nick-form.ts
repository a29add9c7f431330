import { LitElement, css, html, nothing } from 'lit';
import { property, query } from 'lit/decorators.js';
import { MAX_NICK_CODE_POINTS } from '../../server/protocol/limits.js';
import { emit } from '../events.js';
import { en, type Strings } from '../i18n/strings.js';
import { theme } from './theme.js';

/**
 * Asks for a nickname; shows why the server refused one right next to the field. When `cancellable` (a rename
 * of the nick you have), it is headed "Change your nickname" and Escape or Cancel keeps the current nick; the
 * first registration has no chat behind it to go back to, so there Escape does nothing.
 * @fires chat-nick-submit - detail `{ nick }`; the owner registers it
 * @fires chat-nick-cancel - the user kept the current nick (Cancel or Escape; only when `cancellable`)
 * @csspart base - the form
 * @csspart heading - the title
 * @csspart input - the text field
 * @csspart submit-button - the button
 * @csspart error - the inline error text
 */
export class ChatNickForm extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      form {
        display: grid;
        gap: 0.75rem;
        padding: 1.5rem;
        background: var(--_bg);
        border: 1px solid var(--_border);
        border-radius: calc(var(--_radius) * 1.5);
        max-inline-size: 26rem;
        margin-inline: auto;
        box-shadow: 0 10px 30px #0002;
      }
      h2 {
        margin: 0;
        font-size: 1.25em;
      }
      label {
        font-weight: 600;
      }
      .hint {
        margin: 0;
        color: var(--_muted);
        font-size: 0.9em;
      }
      input {
        padding: 0.6rem 0.75rem;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_surface);
      }
      input[aria-invalid='true'] {
        border-color: var(--_danger);
      }
      [part='error'] {
        margin: 0;
        color: var(--_danger);
        font-size: 0.9em;
      }
      .actions {
        display: flex;
        gap: 0.5rem;
        justify-content: flex-end;
      }
      button {
        padding: 0.55rem 1rem;
        border-radius: var(--_radius);
        border: 1px solid transparent;
      }
      [part='submit-button'] {
        background: var(--_accent);
        color: var(--_on-accent);
        font-weight: 600;
      }
      .cancel {
        background: transparent;
        border-color: var(--_border);
        color: inherit;
      }
    `,
  ];

  /** The nick to prefill (the current or last tried one). */
  @property() nick = '';
  /** An error to show under the field, in words; empty for none. */
  @property() error = '';
  @property({ type: Boolean }) cancellable = false;
  @property({ attribute: false }) strings: Strings = en;
  @query('input') private input!: HTMLInputElement;

  override render() {
    const s = this.strings.nick;
    return html`<form part="base" @submit=${this.handleSubmit} @keydown=${this.handleKeydown} novalidate>
      <h2 part="heading">${this.cancellable ? s.changeHeading : s.heading}</h2>
      <label for="nick">${s.label}</label>
      <input
        id="nick"
        part="input"
        name="nick"
        autocomplete="nickname"
        .value=${this.nick}
        required
        maxlength=${MAX_NICK_CODE_POINTS * 2}
        aria-invalid=${this.error ? 'true' : 'false'}
        aria-describedby=${this.error ? 'nick-error nick-hint' : 'nick-hint'}
      />
      <p class="hint" id="nick-hint">${s.hint}</p>
      ${this.error ? html`<p part="error" id="nick-error" role="alert">${this.error}</p>` : nothing}
      <div class="actions">
        ${this.cancellable ? html`<button type="button" class="cancel" @click=${this.handleCancel}>${s.cancel}</button>` : nothing}
        <button part="submit-button" type="submit">${this.cancellable ? s.changeSubmit : s.submit}</button>
      </div>
    </form>`;
  }

  override focus(): void {
    void this.updateComplete.then(() => this.input.focus());
  }

  private handleSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    const nick = this.input.value.trim();
    if (nick) emit(this, 'chat-nick-submit', { nick });
  };

  private handleKeydown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || !this.cancellable) return;
    e.preventDefault();
    e.stopPropagation();
    this.handleCancel();
  };

  private handleCancel = () => {
    emit(this, 'chat-nick-cancel', {});
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-nick-form': ChatNickForm;
  }
}
