import { LitElement, css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { en, type Strings } from '../i18n/strings.js';
import { theme } from './theme.js';

/**
 * "ana is typing…". The owner passes the nicks whose notices have not expired yet.
 * @csspart base - the text
 */
export class ChatTypingIndicator extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
        min-block-size: 1.3em;
        color: var(--_muted);
        font-size: 0.82em;
        font-style: italic;
      }
      span {
        display: block;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
    `,
  ];

  @property({ attribute: false }) nicks: string[] = [];
  @property({ attribute: false }) strings: Strings = en;

  override render() {
    return this.nicks.length === 0 ? nothing : html`<span part="base">${this.strings.typing(this.nicks)}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-typing-indicator': ChatTypingIndicator;
  }
}
