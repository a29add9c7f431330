import { LitElement, css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { Report } from '../../server/protocol/reports.js';
import { emit } from '../events.js';
import { en, type Strings } from '../i18n/strings.js';
import { localTime } from './format.js';
import { theme } from './theme.js';

/**
 * A moderator's open reports, newest first: who reported whose message where, why, the message id, and a way to
 * open the room. Resolving them is the admin console's job; here a resolved report simply leaves the list.
 * @fires chat-report-open - detail `{ room, id }`: Open next to a report
 * @csspart base - the section
 * @csspart report - one report
 * @csspart reason - its reason
 * @csspart message-id - its message's id
 * @csspart open-button - Open #room
 */
export class ChatReportList extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      [part='base'] {
        padding: 0.5rem 0.75rem;
        border-block-end: 1px solid var(--_border);
        background: var(--_surface);
        max-block-size: 40vh;
        overflow: auto;
      }
      h3 {
        margin: 0 0 0.4rem;
        font-size: 1em;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.5rem;
      }
      [part='report'] {
        display: grid;
        gap: 0.2rem;
        padding: 0.4rem 0.5rem;
        border-radius: var(--_radius);
        background: var(--_bg);
        border: 1px solid var(--_border);
      }
      .meta {
        color: var(--_muted);
        font-size: 0.85em;
      }
      [part='reason'] {
        overflow-wrap: anywhere;
      }
      button {
        justify-self: start;
        font: inherit;
        color: var(--_accent);
        background: none;
        border: 1px solid currentColor;
        border-radius: var(--_radius);
        padding: 0.15rem 0.6rem;
        cursor: pointer;
      }
      button:focus-visible {
        outline: 2px solid var(--_focus);
        outline-offset: 2px;
      }
    `,
  ];

  @property({ attribute: false }) reports: readonly Report[] = [];
  @property({ attribute: false }) strings: Strings = en;
  @property() locale = 'en';

  override render() {
    const s = this.strings.reports;
    return html`<section part="base" aria-labelledby="reports-heading">
      <h3 id="reports-heading">${s.heading}</h3>
      ${this.reports.length === 0 ? html`<p class="meta">${s.empty}</p>` : nothing}
      <ol>
        ${this.reports.map(
          (r) =>
            html`<li part="report" data-id=${r.id}>
              <span>${s.item(r.reporter, r.author, r.room)}</span>
              <q part="reason" dir="auto">${r.reason}</q>
              <span class="meta"
                ><span part="message-id">${s.messageId(r.messageId)}</span> · ${localTime(r.at, this.locale)}</span
              >
              <button
                part="open-button"
                @click=${() => emit(this, 'chat-report-open', { room: r.room, id: r.messageId })}
              >
                ${s.open(r.room)}
              </button>
            </li>`,
        )}
      </ol>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-report-list': ChatReportList;
  }
}
