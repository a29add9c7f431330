import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';
import type { ConnectionStatus } from '../connection/chat-connection.js';
import { theme } from './theme.js';

/**
 * Connection status as text and a dot (never colour alone), announced politely when it changes.
 * @csspart base - the wrapper
 * @csspart dot - the coloured dot
 * @csspart label - the text
 */
export class ChatStatus extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: inline-block;
        font-size: 0.85em;
        color: var(--_muted);
      }
      [part='base'] {
        display: inline-flex;
        align-items: center;
        gap: 0.4em;
      }
      [part='dot'] {
        inline-size: 0.6em;
        block-size: 0.6em;
        border-radius: 50%;
        background: var(--_muted);
        flex: none;
      }
      :host([status='online']) [part='dot'] {
        background: var(--_ok);
      }
      :host([status='offline']) [part='dot'],
      :host([status='refused']) [part='dot'],
      :host([status='unauthorized']) [part='dot'],
      :host([status='full']) [part='dot'] {
        background: var(--_danger);
      }
      :host([status='connecting']) [part='dot'] {
        animation: pulse 1s ease-in-out infinite alternate;
      }
      @keyframes pulse {
        to {
          opacity: 0.2;
        }
      }
      @media (prefers-reduced-motion: reduce) {
        :host([status='connecting']) [part='dot'] {
          animation: none;
        }
      }
    `,
  ];

  @property({ reflect: true }) status: ConnectionStatus = 'connecting';
  /** What to say; the owner picks it from its strings table. */
  @property() label = '';

  override render() {
    return html`<span part="base" role="status" aria-live="polite"
      ><span part="dot"></span><span part="label">${this.label}</span></span
    >`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-status': ChatStatus;
  }
}
