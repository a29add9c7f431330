import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { OutboxEntry } from '../chat/outbox.js';
import type { TimelineItem } from '../chat/room-state.js';
import type { Message } from '../../server/protocol/events.js';
import type { ClientError } from '../connection/request.js';
import type { ReportOutcome } from '../chat/reports.js';
import { ScrollPosition } from '../controllers/scroll-position.js';
import { SeenTracker } from '../controllers/seen-tracker.js';
import { emit } from '../events.js';
import { en, type Strings } from '../i18n/strings.js';
import { type ItemView, pendingItem, timelineItem } from './message-templates.js';
import { theme } from './theme.js';
import { chatMessageListStyles } from './chat-message-list-styles.js';

/** Items rendered at the bottom of a room; scrolling up renders more, so thousands stay cheap. */
export const WINDOW_SIZE = 150;

/**
 * The messages of one room (`role="log"`, announced politely), with notices, your unsent messages, a marker at
 * the first unread message and a way to jump to it. Each room's scroll position is kept while you switch.
 * Only the newest `WINDOW_SIZE` items are in the DOM until you scroll up.
 * @fires chat-history-request - detail `{ room }`: scrolled to the top and older messages may exist
 * @fires chat-messages-seen - detail `{ room, id }`: messages up to `id` were visible in a focused page
 * @fires chat-message-retry - detail `{ clientId }`: send a refused message again
 * @fires chat-message-discard - detail `{ clientId }`: drop a refused message
 * @fires chat-edit-start - detail `{ room, id }`: the Edit button of one of your messages
 * @fires chat-message-delete - detail `{ room, id }`: Delete, confirmed, on one of your messages (a moderator's: any)
 * @fires chat-message-report - detail `{ room, id, reason }`: Report, with its reason, on someone else's message
 * @csspart base - the scrolling area
 * @csspart log - the list
 * @csspart message - a message; also `message own` for yours, `message pending` for unsent ones,
 *   `message mention` for others' that mention you, `message deleted` for a deleted one
 * @csspart author - the nick above a group of messages
 * @csspart verified - the check mark after the nick of a signed-in author (`signed`), with words for screen readers
 * @csspart time - a timestamp
 * @csspart text - the message text (`text deleted` for the "Message deleted" placeholder)
 * @csspart link - a link in a message (its title is the host it goes to)
 * @csspart link-userinfo - after a link whose address had `name@` before the host: says it was left out
 * @csspart mention - an `@nick` in a message (`mention self` when it is you)
 * @csspart code - inline code; `code-block` a fenced block
 * @csspart edited - the "(edited)" mark
 * @csspart actions-button - the "⋯" button beside a message with actions (yours; everyone's for a moderator)
 * @csspart edit-button - Edit on your messages; `delete-button`, `delete-confirm-button` delete them,
 *   `delete-cancel-button` keeps it; they appear under the bubble when its "⋯" is pressed
 * @csspart report-button - Report on someone else's message; it opens `report-form` with `report-reason`,
 *   `report-send-button` and `report-cancel-button`; `report-sent` or `report-failed` says what became of it
 * @csspart message-id - a moderator's view of a message's id, beside `copy-id-button`
 * @csspart notice - a join/leave/rename/caught-up/ban/unban line
 * @csspart retention - under the room's beginning: how many days its messages are kept (not for rooms kept forever)
 * @csspart unread-marker - the line above the first unread message
 * @csspart jump-button - "Jump to first unread"
 * @csspart below-button - "N new below", shown when messages arrive while you read further up
 * @cssproperty --chat-message-max-width - widest a message bubble gets (default 42rem)
 */
export class ChatMessageList extends LitElement {
  static override styles = [theme, chatMessageListStyles];

  @property() room = '';
  /** A conversation's name as shown (a direct message's other member, a private room's title), for its labels. */
  @property() name = '';
  /** The room's timeline, oldest first; the array may be mutated in place, so bump `version` with it. */
  @property({ attribute: false }) items: readonly TimelineItem[] = [];
  @property({ type: Number }) version = 0;
  @property({ attribute: false }) pending: readonly OutboxEntry[] = [];
  @property() nick = '';
  /** A moderator may delete everyone's messages: Delete is offered under all of them, with their ids. */
  @property({ type: Boolean }) moderator = false;
  /** Your reports' outcomes, by message id. */
  @property({ attribute: false }) reports: ReadonlyMap<number, ReportOutcome> = new Map();
  @property({ attribute: false }) marker: { id: number; count: number } | undefined;
  @property({ type: Boolean }) hasOlder = false;
  /** How many days the server keeps the room's messages, said at its beginning; 0 = forever (nothing said). */
  @property({ type: Number }) retentionDays = 0;
  @property({ type: Boolean }) loadingOlder = false;
  @property({ attribute: false }) strings: Strings = en;
  @property() locale = 'en';
  /** Why an edit or a deletion was refused, by message id. */
  @property({ attribute: false }) errors: ReadonlyMap<number, ClientError> = new Map();
  /** Whether a message (someone else's) mentions you; the owner knows your nick's rules. */
  @property({ attribute: false }) mentionsMe: (m: Message) => boolean = () => false;
  @state() private open: number | undefined;
  @state() private confirming: number | undefined;
  @state() private reporting: number | undefined;
  @state() private copied: number | undefined;
  @query('[part="base"]') private scroller!: HTMLElement;
  @state() private window = WINDOW_SIZE;
  @state() private jumpHidden = false;
  /** Messages that arrived below the viewport while the reader was further up. */
  @state() private below = 0;
  private readonly position = new ScrollPosition(this, () => this.scroller ?? undefined);
  private readonly seen = new SeenTracker(this, {
    root: () => this.scroller ?? undefined,
    seen: (id) => emit(this, 'chat-messages-seen', { room: this.room, id }),
  });
  /** Keys of the first rendered and the last item at the last update. */
  private firstKey: string | undefined;
  private lastKey: string | undefined;

  private get logLabel(): string {
    return this.name ? this.strings.conversations.logLabel(this.name) : this.strings.log.label(this.room);
  }

  private get beginning(): string {
    return this.name ? this.strings.conversations.beginning(this.name) : this.strings.log.beginning(this.room);
  }

  /** The room's beginning, and how long its messages are kept there (when not forever). */
  private get start() {
    if (this.retentionDays === 0) return this.beginning;
    return html`${this.beginning}
      <p part="retention">${this.strings.log.keptFor(this.retentionDays)}</p>`;
  }

  override render() {
    const s = this.strings.log;
    const start = Math.max(0, this.items.length - this.window);
    const visible = this.items.slice(start);
    const showJump = this.marker !== undefined && !this.jumpHidden;
    const view: ItemView = {
      strings: this.strings,
      locale: this.locale,
      nick: this.nick,
      moderator: this.moderator,
      markerId: this.marker?.id,
      host: this,
      open: this.open,
      toggle: (id) => void this.toggleActions(id),
      confirming: this.confirming,
      confirm: (id) => void this.confirm(id),
      errors: this.errors,
      mentionsMe: this.mentionsMe,
      reporting: this.reporting,
      startReport: (id) => void this.startReport(id),
      reports: this.reports,
      copied: this.copied,
      copyId: (id) => void this.copyId(id),
    };
    return html`${
        showJump
          ? html`<button part="jump-button" @click=${this.jumpToUnread}>${s.jump(this.marker!.count)}</button>`
          : nothing
      }
      ${
        this.below > 0
          ? html`<button part="below-button" @click=${this.handleBelow}>${s.below(this.below)}</button>`
          : nothing
      }
      <div part="base" @scroll=${this.handleScroll}>
        <div class="top">
          ${this.loadingOlder ? s.loadingOlder : !this.hasOlder && start === 0 && this.items.length > 0 ? this.start : nothing}
        </div>
        ${this.items.length === 0 && this.pending.length === 0 ? html`<p class="empty">${s.empty}</p>` : nothing}
        <ol part="log" role="log" aria-live="polite" aria-relevant="additions" aria-label=${this.logLabel}>
          ${repeat(
            visible,
            (item) => item.key,
            (item, i) => timelineItem(view, item, visible[i - 1]),
          )}
          ${repeat(
            this.pending,
            (entry) => entry.clientId,
            (entry) => pendingItem(view, entry),
          )}
        </ol>
      </div>`;
  }

  // ---- message actions ------------------------------------------------------------------------------

  /** Opens one message's actions (closing any other's) and puts focus in them; closing returns it to "⋯". */
  private toggleActions = async (id: number): Promise<void> => {
    const opening = this.open !== id;
    this.open = opening ? id : undefined;
    this.confirming = undefined;
    this.reporting = undefined;
    this.copied = undefined;
    await this.updateComplete;
    if (opening) this.reveal(id, 'button');
    else this.renderRoot.querySelector<HTMLElement>(`[aria-controls="actions-${id}"]`)?.focus();
  };

  private confirm = async (id: number | undefined): Promise<void> => {
    const shown = id ?? this.confirming;
    this.confirming = id;
    await this.updateComplete;
    if (shown !== undefined) this.reveal(shown, id === undefined ? 'button' : '[part="delete-cancel-button"]');
  };

  /** Opens the report form of a message (its reason field focused), or closes it back to its actions. */
  private startReport = async (id: number | undefined): Promise<void> => {
    const shown = id ?? this.reporting;
    this.reporting = id;
    await this.updateComplete;
    if (shown !== undefined) this.reveal(shown, id === undefined ? '[part="report-button"]' : 'input');
  };

  /** Copies a message's id; where the page may not use the clipboard, the id stays on screen to copy by hand. */
  private copyId = async (id: number): Promise<void> => {
    try {
      await navigator.clipboard.writeText(String(id));
      this.copied = id;
    } catch {
      this.copied = undefined;
    }
  };

  /** Scrolls a message's open actions fully into view (the last message's lie below the fold) and focuses one. */
  private reveal(id: number, focus: string): void {
    const group = this.renderRoot.querySelector<HTMLElement>(`#actions-${id}`);
    group?.scrollIntoView({ block: 'nearest' });
    group?.querySelector<HTMLElement>(focus)?.focus({ preventScroll: true });
  }

  // ---- scrolling ------------------------------------------------------------------------------------

  private handleScroll = () => {
    const atBottom = this.position.atBottom();
    if (atBottom && this.window > WINDOW_SIZE) this.window = WINDOW_SIZE;
    if (atBottom) this.below = 0;
    this.position.save(this.room, this.window);
    if (!this.position.nearTop()) return;
    if (this.items.length > this.window) this.window += WINDOW_SIZE;
    else if (this.hasOlder && !this.loadingOlder) emit(this, 'chat-history-request', { room: this.room });
  };

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('room')) {
      const old = changed.get('room');
      if (old) this.position.save(old, this.window);
      this.window = this.position.saved(this.room)?.window ?? WINDOW_SIZE;
      this.jumpHidden = false;
      this.below = 0;
      this.position.switchRoom();
      this.seen.reset();
      return;
    }
    if (changed.has('marker')) this.jumpHidden = false;
    const first = this.items[Math.max(0, this.items.length - this.window)];
    const atBottom = this.position.capture(this.firstKey ?? first?.key, this.pending.length);
    const last = this.items.at(-1)?.key;
    const seen = this.items.findIndex((item) => item.key === this.lastKey);
    if (!atBottom && seen !== -1 && last !== this.lastKey) {
      this.below += this.items.slice(seen + 1).filter((item) => item.kind === 'message').length;
    }
  }

  override updated(): void {
    const first = this.items[Math.max(0, this.items.length - this.window)];
    this.position.restore(this.room, first?.key, this.pending.length);
    this.firstKey = first?.key;
    this.lastKey = this.items.at(-1)?.key;
    this.hideJumpIfMarkerVisible();
  }

  private handleBelow = () => {
    this.below = 0;
    this.position.toBottom();
  };

  private hideJumpIfMarkerVisible(): void {
    const marker = this.renderRoot.querySelector<HTMLElement>('#unread-marker');
    if (!marker || this.jumpHidden) return;
    const box = this.scroller.getBoundingClientRect();
    const at = marker.getBoundingClientRect();
    if (at.top >= box.top && at.bottom <= box.bottom && box.height > 0) this.jumpHidden = true;
  }

  /** Renders enough of the room to include the marker, then scrolls it into view and focuses it. */
  private jumpToUnread = async (): Promise<void> => {
    const id = this.marker?.id;
    const index = this.items.findIndex((item) => item.kind === 'message' && item.message.id === id);
    if (index === -1) return;
    this.window = Math.max(this.window, this.items.length - index + 10);
    await this.updateComplete;
    const marker = this.renderRoot.querySelector<HTMLElement>('#unread-marker');
    marker?.scrollIntoView({ block: 'start' });
    marker?.focus();
    this.jumpHidden = true;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-message-list': ChatMessageList;
  }
}
