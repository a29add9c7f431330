import { html, nothing } from 'lit';
import type { Message } from '../../server/protocol/events.js';
import type { OutboxEntry } from '../chat/outbox.js';
import type { Notice, TimelineItem } from '../chat/room-state.js';
import { type Token, hostOf, tokensOf } from '../chat/rich-text.js';
import type { ClientError } from '../connection/request.js';
import { emit } from '../events.js';
import type { Strings } from '../i18n/strings.js';
import { avatarColour } from './chat-member-list.js';
import { fullTime, localTime } from './format.js';
import { type ReportView, messageIdTools, reportButton, reportForm, reportOutcome } from './report-templates.js';

/** Messages by one person closer together than this share one header. */
const GROUP_GAP_MS = 5 * 60_000;

/** What the templates of `<chat-message-list>` need to know. */
export interface ItemView extends ReportView {
  strings: Strings;
  locale: string;
  nick: string;
  /** Delete is offered under everyone's messages, not only yours; the message ids are shown. */
  moderator: boolean;
  markerId: number | undefined;
  /** Where the retry/discard/edit/delete/report events are dispatched. */
  host: EventTarget;
  /** The message whose actions are open (its "⋯" button was pressed). */
  open: number | undefined;
  /** Opens the actions of message `id`, or closes them when they are open. */
  toggle(id: number): void;
  /** The message whose deletion waits for a confirmation. */
  confirming: number | undefined;
  confirm(id: number | undefined): void;
  /** Refused edits and deletions by message id. */
  errors: ReadonlyMap<number, ClientError>;
  /** Messages that mention you (someone else's, with `@` + your nick). */
  mentionsMe(m: Message): boolean;
}

/**
 * Tokens as Lit templates: every piece of user text is a text node or an attribute value, never HTML.
 * Links and mentions are bidi isolates (`dir`), so control characters around them cannot reorder them
 * (`\u202E` before a URL made evil.tk read as paypal.com). A link's title is the host it goes to.
 */
export function richText(tokens: readonly Token[], s: Strings['message']): unknown[] {
  return tokens.map((t) => {
    switch (t.kind) {
      case 'text':
        return t.text;
      case 'link':
        return html`<a
            href=${t.href}
            target="_blank"
            rel="noopener noreferrer nofollow ugc"
            part="link"
            dir="ltr"
            title=${hostOf(t.href) ?? nothing}
            >${t.text}</a
          >${t.userinfo ? html` <bdi part="link-userinfo">${s.userinfo(t.userinfo)}</bdi>` : nothing}`;
      case 'mention':
        return html`<bdi part=${t.self ? 'mention self' : 'mention'}>${t.text}</bdi>`;
      case 'code':
        return html`<code part="code">${t.text}</code>`;
      case 'block':
        return html`<pre part="code-block" dir="ltr"><code>${t.text}</code></pre>`;
      case 'bold':
        return html`<strong>${richText(t.children, s)}</strong>`;
      case 'italic':
        return html`<em>${richText(t.children, s)}</em>`;
    }
  });
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
  const mentioned = view.mentionsMe(m);
  const prev = previous?.kind === 'message' ? previous.message : undefined;
  // A verified author's messages never share a header with a guest's (the header carries the marker).
  const head =
    afterMarker || !prev || prev.nick !== m.nick || !prev.signed !== !m.signed || m.ts - prev.ts > GROUP_GAP_MS;
  const time = html`<time part="time" datetime=${new Date(m.ts).toISOString()} title=${fullTime(m.ts, view.locale)}
    >${localTime(m.ts, view.locale)}</time
  >`;
  const parts = ['message', own ? 'own' : '', mentioned ? 'mention' : '', m.deleted ? 'deleted' : ''];
  return html`<li
    part=${parts.filter(Boolean).join(' ')}
    class="${own ? 'own' : ''} ${head ? 'head' : ''} ${mentioned ? 'mention' : ''}"
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
      ${
        head
          ? html`<div class="meta">
              <bdi part="author" dir="auto">${own ? `${m.nick} (${view.strings.log.you})` : m.nick}</bdi
              >${verified(view, m)}${time}
            </div>`
          : nothing
      }
      ${messageLine(view, m, head, own)}${view.open === m.id && offersActions(view, m, own) ? actions(view, m, own) : nothing}
      ${changeError(view, m)}${reportOutcome(view, m)}
    </div>
  </li>`;
}

/** The author signed in on the host site (`signed`): a check mark with words for screen readers and a tooltip. */
function verified(view: ItemView, m: Message) {
  if (!m.signed) return nothing;
  const s = view.strings.message;
  return html`<span part="verified" title=${s.verifiedTitle}
    ><span aria-hidden="true">✓</span><span class="visually-hidden">${s.verified}</span></span
  >`;
}

function messageText(view: ItemView, m: Message, head: boolean) {
  const s = view.strings.message;
  const title = head ? nothing : localTime(m.ts, view.locale);
  if (m.deleted) return html`<div part="text deleted" title=${title}>${s.deleted}</div>`;
  const edited =
    m.editedAt === undefined
      ? nothing
      : html` <span part="edited" title=${s.editedAt(fullTime(m.editedAt, view.locale))}>${s.edited}</span>`;
  return html`<div part="text" dir="auto" title=${title}>${richText(tokensOf(m, view.nick), s)}${edited}</div>`;
}

/** Yours: Edit and Delete; anyone else's, once you have a nick: Report (and Delete, for a moderator). */
const offersActions = (view: ItemView, m: Message, own: boolean) =>
  (own || view.moderator || view.nick !== '') && !m.deleted;

/**
 * The bubble and, for a message with actions, its "⋯" button beside it in the same row: the bubble narrows to
 * make room, so the button never covers text and never leaves the message's own box (a bubble that fills the
 * column once pushed absolutely placed actions under the room list).
 */
function messageLine(view: ItemView, m: Message, head: boolean, own: boolean) {
  if (!offersActions(view, m, own)) return html`<div class="line">${messageText(view, m, head)}</div>`;
  const s = view.strings.message;
  const open = view.open === m.id;
  return html`<div class="line">
    ${messageText(view, m, head)}
    <button
      part="actions-button"
      class="more"
      aria-expanded=${open ? 'true' : 'false'}
      aria-controls="actions-${m.id}"
      aria-label=${own ? s.actionsOwn : s.actionsFor(m.nick)}
      title=${own ? s.actionsOwn : s.actionsFor(m.nick)}
      @click=${() => view.toggle(m.id)}
    >
      <span aria-hidden="true">⋯</span>
    </button>
  </div>`;
}

/**
 * The actions the "⋯" button opens, in the flow under the bubble (so they and the "Delete this message?"
 * question are always whole and inside the message's row): Edit and Delete on your own messages, Delete on
 * others' for a moderator. Escape closes them and returns to the "⋯" button.
 */
function actions(view: ItemView, m: Message, own: boolean) {
  const s = view.strings.message;
  const { room, id } = m;
  const confirming = view.confirming === id;
  return html`<div
    class="actions ${confirming ? 'confirming' : ''}"
    id="actions-${id}"
    role="group"
    aria-label=${own ? s.actionsOwn : s.actionsFor(m.nick)}
    @keydown=${(e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      view.toggle(id);
    }}
  >
    ${
      view.reporting === id
        ? reportForm(view, m)
        : confirming
          ? html`<span>${s.confirmDelete}</span>
              <button
                part="delete-confirm-button"
                @click=${() => {
                  view.toggle(id);
                  emit(view.host, 'chat-message-delete', { room, id });
                }}
              >
                ${s.delete}
              </button>
              <button part="delete-cancel-button" @click=${() => view.confirm(undefined)}>${s.cancel}</button>`
          : html`${
              own
                ? html`<button
                    part="edit-button"
                    @click=${() => {
                      view.toggle(id);
                      emit(view.host, 'chat-edit-start', { room, id });
                    }}
                  >
                    ${s.edit}
                  </button>`
                : nothing
            }
            ${own ? nothing : reportButton(view, m)}
            ${
              own || view.moderator
                ? html`<button
                    part="delete-button"
                    aria-label=${own ? nothing : s.deleteBy(m.nick)}
                    @click=${() => view.confirm(id)}
                  >
                    ${s.delete}
                  </button>`
                : nothing
            }
            ${messageIdTools(view, m)}`
    }
  </div>`;
}

/** Why the last edit or deletion of this message was refused. */
function changeError(view: ItemView, m: Message) {
  const error = view.errors.get(m.id);
  if (!error) return nothing;
  const reason = view.strings.errors[error.code] ?? error.message;
  return html`<div class="state failed" role="alert">${view.strings.message.failed(reason)}</div>`;
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
          : n.kind === 'banned'
            ? s.banned(n.nick ?? '', n.by ?? '', n.until ? localTime(n.until, view.locale) : undefined, n.reason)
            : n.kind === 'unbanned'
              ? s.unbanned(n.nick ?? '', n.by ?? '')
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
      <div part="text" dir="auto">${richText(tokensOf(entry, view.nick), view.strings.message)}</div>
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
