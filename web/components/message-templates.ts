import { html, nothing } from 'lit';
import type { Message } from '../../server/protocol/events.js';
import type { OutboxEntry } from '../chat/outbox.js';
import type { Notice, TimelineItem } from '../chat/room-state.js';
import { emit } from '../events.js';
import type { Strings } from '../i18n/strings.js';
import { avatarColour } from './chat-member-list.js';
import { fullTime, localTime } from './format.js';

/** Messages by one person closer together than this share one header. */
const GROUP_GAP_MS = 5 * 60_000;

/** What the templates of `<chat-message-list>` need to know. */
export interface ItemView {
  strings: Strings;
  locale: string;
  nick: string;
  markerId: number | undefined;
  /** Where the retry/discard events are dispatched. */
  host: EventTarget;
}

/** A message (with the unread marker above it when it is the first unread) or a notice. */
export function timelineItem(view: ItemView, item: TimelineItem, previous: TimelineItem | undefined) {
  if (item.kind === 'notice') return noticeItem(view, item.notice);
  const m = item.message;
  const marked = view.markerId === m.id;
  const marker = marked
    ? html`<li part="unread-marker" role="separator" tabindex="-1" id="unread-marker">
        ${view.strings.log.newMessages}
      </li>`
    : nothing;
  return html`${marker}${messageItem(view, m, previous, marked)}`;
}

function messageItem(view: ItemView, m: Message, previous: TimelineItem | undefined, afterMarker: boolean) {
  const own = m.nick === view.nick;
  const prev = previous?.kind === 'message' ? previous.message : undefined;
  const head = afterMarker || !prev || prev.nick !== m.nick || m.ts - prev.ts > GROUP_GAP_MS;
  const time = html`<time part="time" datetime=${new Date(m.ts).toISOString()} title=${fullTime(m.ts, view.locale)}
    >${localTime(m.ts, view.locale)}</time
  >`;
  return html`<li
    part=${own ? 'message own' : 'message'}
    class="${own ? 'own' : ''} ${head ? 'head' : ''}"
    data-id=${m.id}
  >
    ${
      head
        ? html`<span class="avatar" aria-hidden="true" style="background:${avatarColour(m.nick)}"
            >${[...m.nick][0]?.toUpperCase()}</span
          >`
        : html`<span class="spacer"></span>`
    }
    <div class="body">
      ${head ? html`<div class="meta"><span part="author">${own ? `${m.nick} (${view.strings.log.you})` : m.nick}</span>${time}</div>` : nothing}
      <p part="text" title=${head ? nothing : localTime(m.ts, view.locale)}>${m.text}</p>
    </div>
  </li>`;
}

function noticeItem(view: ItemView, n: Notice) {
  const s = view.strings.notice;
  const text =
    n.kind === 'joined'
      ? s.joined(n.nick ?? '')
      : n.kind === 'left'
        ? s.left(n.nick ?? '')
        : n.kind === 'renamed'
          ? s.renamed(n.nick ?? '', n.to ?? '')
          : s.caughtUp(n.count ?? 0);
  return html`<li part="notice" class=${n.kind}>${text} · ${localTime(n.ts, view.locale)}</li>`;
}

/** One of your messages the server has not confirmed: waiting, sending, or refused with Retry and Discard. */
export function pendingItem(view: ItemView, entry: OutboxEntry) {
  const s = view.strings.outbox;
  const failed = entry.status === 'failed';
  const reason = entry.error ? (view.strings.errors[entry.error.code] ?? entry.error.message) : '';
  const { clientId } = entry;
  return html`<li part="message own pending" class="own pending head ${failed ? 'failed' : ''}">
    <span class="spacer"></span>
    <div class="body">
      <p part="text">${entry.text}</p>
      <div class="state">
        ${
          failed
            ? html`<span>${s.failed(reason)}</span>
                <button @click=${() => emit(view.host, 'chat-message-retry', { clientId })}>${s.retry}</button>
                <button @click=${() => emit(view.host, 'chat-message-discard', { clientId })}>${s.discard}</button>`
            : html`<span>${entry.status === 'sending' ? s.sending : s.queued}</span>`
        }
      </div>
    </div>
  </li>`;
}
