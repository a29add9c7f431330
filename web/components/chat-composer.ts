import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { MAX_TEXT_CODE_POINTS } from '../../server/protocol/limits.js';
import { emit } from '../events.js';
import { en, type Strings } from '../i18n/strings.js';
import { theme } from './theme.js';

/**
 * Message box for one room. Enter sends, Shift+Enter adds a line; Enter that confirms an IME composition
 * (Japanese, Chinese, Korean input) does not send. It also edits one of your messages: set `editing` and
 * `editText`; ArrowUp in the empty field asks to edit your last message, Escape cancels.
 * @fires chat-message-submit - detail `{ room, text }`; the owner sends it
 * @fires chat-draft-change - detail `{ room, text }` on every edit; the owner keeps the draft and sends typing notices
 * @fires chat-edit-start - detail `{ room }`: ArrowUp in the empty field (edit your last message)
 * @fires chat-edit-cancel - detail `{ room }`: Escape or Cancel while editing
 * @fires chat-message-edit - detail `{ room, id, text }`: the edited text, submitted
 * @csspart editing - the "Editing your message" line
 * @csspart base - the form
 * @csspart input - the text area
 * @csspart send-button - the button
 * @csspart error - shown when the text is too long
 * @cssproperty --chat-composer-max-lines - how tall the field grows before it scrolls (default 6)
 */
export class ChatComposer extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
        --chat-composer-max-lines: 6;
      }
      form {
        display: flex;
        gap: 0.5rem;
        align-items: flex-end;
      }
      textarea:disabled,
      button:disabled {
        opacity: 0.5;
        cursor: not-allowed;
      }
      textarea {
        flex: 1;
        min-inline-size: 0;
        resize: none;
        padding: 0.6rem 0.8rem;
        line-height: 1.4;
        max-block-size: calc(var(--chat-composer-max-lines) * 1.4em + 1.2rem);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_bg);
        field-sizing: content;
      }
      button {
        border: 0;
        border-radius: var(--_radius);
        padding: 0.6rem 1.1rem;
        background: var(--_accent);
        color: var(--_on-accent);
        font-weight: 600;
      }
      .hint {
        margin: 0.25rem 0 0;
        color: var(--_muted);
        font-size: 0.78em;
      }
      [part='editing'] {
        display: flex;
        gap: 0.5rem;
        align-items: center;
        margin: 0 0 0.3rem;
        color: var(--_accent);
        font-size: 0.82em;
        font-weight: 600;
      }
      [part='editing'] button {
        padding: 0.1rem 0.6rem;
        background: none;
        color: inherit;
        border: 1px solid currentColor;
        border-radius: 999px;
        font-weight: 400;
      }
      [part='error'] {
        margin: 0.25rem 0 0;
        color: var(--_danger);
        font-size: 0.85em;
      }
      @media (max-width: 480px) {
        .hint {
          display: none;
        }
      }
    `,
  ];

  @property() room = '';
  /** A conversation's name as shown (a direct message's other member, a private room's title): the field is
   * labelled "Message bea" rather than "Message #room". */
  @property() name = '';
  /** The room's saved draft; set when the room changes. */
  @property() draft = '';
  /** Id of your message being edited, if any; `editText` is its text. */
  @property({ attribute: false }) editing: number | undefined;
  @property({ attribute: false }) editText = '';
  @property({ attribute: false }) strings: Strings = en;
  /** Nothing can be sent (you were banned from the room): the field and the button are disabled. */
  @property({ type: Boolean }) disabled = false;
  @query('textarea') private input!: HTMLTextAreaElement;
  @state() private tooLong = false;

  private get label(): string {
    return this.name ? this.strings.conversations.composerLabel(this.name) : this.strings.composer.label(this.room);
  }

  override render() {
    const s = this.strings.composer;
    return html`${
        this.editing === undefined
          ? nothing
          : html`<p part="editing">
              <span>${s.editing}</span><button type="button" @click=${this.cancelEdit}>${s.cancel}</button>
            </p>`
      }
      <form part="base" @submit=${this.handleSubmit}>
        <textarea
          part="input"
          rows="1"
          .value=${this.draft}
          aria-label=${this.label}
          placeholder=${this.label}
          aria-describedby="hint"
          aria-invalid=${this.tooLong ? 'true' : 'false'}
          enterkeyhint="send"
          ?disabled=${this.disabled}
          @keydown=${this.handleKeydown}
          @input=${this.handleInput}
        ></textarea>
        <button part="send-button" type="submit" ?disabled=${this.disabled}>
          ${this.editing === undefined ? s.send : s.save}
        </button>
      </form>
      ${
        this.tooLong
          ? html`<p part="error" id="hint" role="alert">${s.tooLong(MAX_TEXT_CODE_POINTS)}</p>`
          : html`<p class="hint" id="hint">${s.hint}</p>`
      }`;
  }

  override focus(): void {
    void this.updateComplete.then(() => this.input.focus());
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('room')) this.tooLong = false;
  }

  /** Entering or leaving edit mode swaps the field's text: the message's, then the draft back. */
  override updated(changed: PropertyValues<this>): void {
    if (!changed.has('editing')) return;
    this.input.value = this.editing === undefined ? this.draft : this.editText;
    if (this.editing === undefined) return;
    this.input.focus();
    this.input.setSelectionRange(this.input.value.length, this.input.value.length);
  }

  private cancelEdit = () => {
    emit(this, 'chat-edit-cancel', { room: this.room });
    this.input.focus();
  };

  private handleKeydown = (e: KeyboardEvent) => {
    const plain = !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey;
    if (e.key === 'ArrowUp' && plain && this.editing === undefined && this.input.value === '') {
      e.preventDefault();
      emit(this, 'chat-edit-start', { room: this.room });
      return;
    }
    if (e.key === 'Escape' && this.editing !== undefined) {
      e.stopPropagation();
      this.cancelEdit();
      return;
    }
    // keyCode 229 is what Safari reports for the Enter that ends a composition.
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing || e.keyCode === 229) return;
    e.preventDefault();
    this.submit();
  };

  private handleInput = () => {
    this.tooLong = [...this.input.value].length > MAX_TEXT_CODE_POINTS;
    if (this.editing === undefined) emit(this, 'chat-draft-change', { room: this.room, text: this.input.value });
  };

  private handleSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    this.submit();
  };

  private submit() {
    const text = this.input.value.trim();
    if (this.disabled || !text || [...text].length > MAX_TEXT_CODE_POINTS) return;
    if (this.editing !== undefined) {
      emit(this, 'chat-message-edit', { room: this.room, id: this.editing, text });
      return;
    }
    emit(this, 'chat-message-submit', { room: this.room, text });
    this.input.value = '';
    emit(this, 'chat-draft-change', { room: this.room, text: '' });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-composer': ChatComposer;
  }
}
