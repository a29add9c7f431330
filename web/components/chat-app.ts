import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ChatController } from '../chat/chat-controller.js';
import { RoomPolicy } from '../chat/room-policy.js';
import { HashRouter } from '../controllers/hash-router.js';
import { LocaleController } from '../controllers/locale-controller.js';
import { Notifier } from '../controllers/notifier.js';
import { TitleCount } from '../controllers/title-count.js';
import { type ChatEventMap, emit } from '../events.js';
import type { Message } from '../../server/protocol/events.js';
import type { ChatComposer } from './chat-composer.js';
import type { ChatNickForm } from './chat-nick-form.js';
import {
  blockedNotice,
  conversation,
  errorText,
  memberList,
  nickOverlay,
  reportList,
  roomSidebar,
} from './chat-app-parts.js';
import {
  conversationBar,
  conversationErrorText,
  labelOf,
  listItems,
  removedNotice,
  shownName,
  supportPending,
} from './chat-app-conversations.js';
import { appHeader } from './chat-app-header.js';
import { chatAppStyles } from './chat-app-styles.js';
import { theme } from './theme.js';

type Detail<K extends keyof ChatEventMap> = CustomEvent<ChatEventMap[K]>;

/**
 * The whole chat client: nickname, rooms, direct messages and private rooms, messages, members, typing and
 * connection status. With `support`, a support widget: the visitor's one conversation with the site's team.
 * Works with no attributes on the chat server's own pages; on another site, load `/chat.js` from the chat server.
 * @fires chat-message-received - detail `{ message, own }`: a new message arrived in a joined room (not for history)
 * @fires chat-nick-registered - detail `{ nick }`: the server accepted the nick (also after a reload or reconnect)
 * @fires chat-room-change - detail `{ room }`: the room in view changed; also for the first room, after the first render
 * @fires chat-unread-change - detail `{ unread, mentions }`: the unread count over all rooms and conversations changed
 * @csspart base - the grid that holds everything
 * @csspart header - the top bar
 * @csspart title - the current room's name
 * @csspart sidebar - the room list's column
 * @csspart main - the message column
 * @csspart members - the member list's column
 * @csspart nick-button - the button with your nick that opens the nickname form
 * @csspart nick - your nick as text, for a user signed in by the host site (`jwt`), who cannot change it
 * @csspart refused - the message shown instead of the chat when the server does not accept this site's origin
 * @csspart auth-error - the message shown instead of the chat when the server refused the `jwt`
 * @csspart session-full - the message shown instead of the chat when this person has too many windows open
 * @csspart banned - "You were banned from #room until …" above the disabled composer, with "Try to join again"
 * @csspart removed - "You are no longer a member of …" after someone removed you from a conversation, with Dismiss
 * @csspart support-error - why a support widget could not open its conversation
 * @csspart reports-button - a moderator's Reports button (with the open reports' count), which shows the list
 * @cssproperty --chat-font-family - font of all text
 * @cssproperty --chat-font-size - base size (default 15px)
 * @cssproperty --chat-bg - background of the message area
 * @cssproperty --chat-surface - background of side columns and fields
 * @cssproperty --chat-text - text colour
 * @cssproperty --chat-muted - secondary text colour
 * @cssproperty --chat-border - lines and field borders
 * @cssproperty --chat-accent - buttons, the current room, links
 * @cssproperty --chat-on-accent - text on the accent colour
 * @cssproperty --chat-own-bubble - background of your messages
 * @cssproperty --chat-other-bubble - background of others' messages
 * @cssproperty --chat-danger - errors and unread badges
 * @cssproperty --chat-success - "online" and "caught up"
 * @cssproperty --chat-focus-ring - keyboard focus outline
 * @cssproperty --chat-radius - corner radius
 */
export class ChatApp extends LitElement {
  static override styles = [theme, chatAppStyles];

  /** The chat server's URL; default: the server this script was loaded from. Read once, when connecting. */
  @property() server = '';
  /** The room to open first (joined if needed). Default `lobby`, or the URL hash with `hash-routing`. */
  @property() room = '';
  /** Keep the current room in the URL hash (`#room`), so reload and back/forward work. Off for embeds. */
  @property({ type: Boolean, attribute: 'hash-routing' }) hashRouting = false;
  /** Show the unread count in the tab title, `(3) Parley`. For the chat's own page; an embed leaves it off. */
  @property({ type: Boolean, attribute: 'update-title' }) updateTitle = false;
  /** The host site's signed token for its signed-in user (docs/embedding.md); without it, visitors pick a nick. */
  @property() jwt = '';
  /** Gives a fresh token; called shortly before `jwt` expires and when the server says it has expired. */
  @property({ attribute: false }) refreshJwt: (() => Promise<string>) | undefined;
  /** Only `room`: no room list, no other rooms, no hash routing (a support widget, a per-article chat). */
  @property({ type: Boolean, attribute: 'lock-room' }) lockRoom = false;
  /** Comma-separated room names: only these are offered and can be joined. Empty: any room. */
  @property() rooms = '';
  /**
   * A support widget: once the visitor has a nick, their one conversation with the site's team (`support:open`),
   * only that, no room list, no other rooms, no hash routing. Only the visitor and the moderators read it.
   */
  @property({ type: Boolean }) support = false;

  @state() private editingNick = false;
  @state() private joinError = '';
  @state() private panel: 'rooms' | 'members' | undefined;
  /** A moderator's list of open reports is shown above the conversation. */
  @state() private showReports = false;
  @query('chat-composer') private composer?: ChatComposer;
  @query('chat-nick-form') private nickForm?: ChatNickForm;

  private readonly locale = new LocaleController(this);
  private readonly router = new HashRouter(this, {
    enabled: () => this.hashRouting && !this.policy.locked && !this.support,
    onChange: (room) => this.openRoom(room),
  });
  private readonly chat = new ChatController(this, {
    server: () => this.server,
    firstRoom: () => this.router.room ?? (this.room || undefined),
    policy: () => this.policy,
    jwt: () => this.jwt,
    refreshJwt: () => this.refreshJwt,
    support: () => this.support,
  });
  private policyCache: { key: string; policy: RoomPolicy } | undefined;
  private readonly notifier = new Notifier(this, (room) => this.openRoom(room));
  private readonly titleCount = new TitleCount(this, {
    enabled: () => this.updateTitle,
    count: () => this.chat.unread.totals.total,
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('chat-message-received', this.handleReceived);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('chat-message-received', this.handleReceived);
  }

  /** The client's state and actions, for pages that script the chat (see docs/embedding.md). */
  get controller(): ChatController {
    return this.chat;
  }

  /** The rooms this element offers, from `lock-room`, `room` and `rooms`. */
  private get policy(): RoomPolicy {
    const key = `${this.lockRoom}|${this.room}|${this.rooms}`;
    if (this.policyCache?.key !== key) {
      this.policyCache = { key, policy: new RoomPolicy({ lock: this.lockRoom, room: this.room, rooms: this.rooms }) };
    }
    return this.policyCache.policy;
  }

  override render() {
    const s = this.locale.strings;
    const chat = this.chat;
    const room = chat.activeRoom;
    // Refused origin or sign-in, or one window too many: only the explanation, no conversation to type into.
    const { status } = chat.connection;
    const refused = status === 'refused' || status === 'full' || chat.auth.problem !== undefined;
    const signed = chat.auth.signed;
    const needNick = (chat.nick === undefined || this.editingNick) && !refused && !signed;
    const locked = this.policy.locked || this.support; // one conversation: no room list
    const name = room ? labelOf(chat, room.name, s) : '';
    const lists = locked ? undefined : listItems(chat, s);
    const e = chat.conversations.error;
    const createError = e?.action === 'create' ? conversationErrorText(s, e) : '';
    const directError = e?.action === 'direct' ? conversationErrorText(s, e) : '';
    return html`<div
      part="base"
      class="${refused ? 'refused' : ''} ${locked ? 'locked' : ''} ${this.support ? 'support' : ''}"
      dir=${this.getAttribute('dir') ?? s.dir}
      lang=${this.locale.lang}
      @keydown=${this.handleKeydown}
    >
      ${appHeader(
        {
          chat,
          strings: s,
          locked,
          signed,
          refused,
          support: this.support,
          panel: this.panel,
          notifier: this.notifier,
          showReports: this.showReports,
        },
        {
          toggleRooms: this.toggleRooms,
          toggleMembers: this.toggleMembers,
          toggleReports: this.toggleReports,
          openNickForm: this.openNickForm,
        },
      )}
      ${
        locked || !lists
          ? nothing
          : roomSidebar(
              { chat, strings: s, lists, policy: this.policy, open: this.panel === 'rooms' },
              { joinError: this.joinError, createError },
              {
                select: this.handleSelect,
                join: this.handleJoin,
                leave: this.handleLeave,
                create: this.handleCreate,
              },
            )
      }
      <main
        part="main"
        @chat-member-invite=${this.handleInvite}
        @chat-member-remove=${this.handleRemove}
        @chat-conversation-leave=${this.handleConversationLeave}
        @chat-report-open=${this.handleReportOpen}
      >
        ${refused ? nothing : reportList(chat, s, this.locale.lang, this.showReports)} ${blockedNotice(chat, s.status)}
        ${refused ? nothing : removedNotice(chat, s, this.dismissRemoved)}
        ${room && !refused ? conversationBar(chat, room.name, s) : nothing}
        ${
          room && !refused
            ? conversation(
                { chat, room, strings: s, lang: this.locale.lang, name },
                { mentionsMe: this.mentionsMe, onEditStart: this.handleEditStart },
              )
            : this.support && !refused
              ? supportPending(chat, s)
              : nothing
        }
      </main>
      ${
        this.support
          ? nothing
          : html`<aside
              part="members"
              id="members"
              class=${this.panel === 'members' ? 'open' : ''}
              @chat-direct-open=${this.handleDirect}
            >
              ${memberList({ chat, room, strings: s, lang: this.locale.lang }, directError)}
            </aside>`
      }
      ${needNick ? nickOverlay(chat, s, { submit: this.handleNick, cancel: this.closeNickForm }) : nothing}
    </div>`;
  }

  /** The room `updated` last put in the hash. */
  private shownInHash: string | undefined;

  /** The counts last announced with `chat-unread-change`. */
  private announced = { unread: 0, mentions: 0 };

  override updated(changed: PropertyValues<this>): void {
    const { total: unread, mentions } = this.chat.unread.totals;
    if (unread !== this.announced.unread || mentions !== this.announced.mentions) {
      this.announced = { unread, mentions };
      emit(this, 'chat-unread-change', this.announced);
    }
    // Also when the controller changed rooms by itself (a refused hash room); only on a change, so an update that
    // runs between a new hash and its `hashchange` (a read, a presence) does not put the old room back.
    if (this.hasUpdated && this.chat.active !== this.shownInHash) {
      this.shownInHash = this.chat.active;
      this.router.show(this.chat.active);
    }
    // A host page that sets `room` later means "show this room now".
    const moved = changed.has('room') && changed.get('room') !== undefined && this.room;
    if (moved && this.chat.ready && !this.support) {
      void this.joinRoom(this.room);
    }
  }

  override firstUpdated(): void {
    if (this.autofocus) this.nickForm?.focus(); // only when asked: an embedded widget must not steal the page's focus
    this.router.start(this.chat.active);
    // The first room is in view from the first render on; later changes come from the controller.
    emit(this, 'chat-room-change', { room: this.chat.active ?? '' });
  }

  private mentionsMe = (m: Message) => this.chat.mentionsMe(m);

  private handleEditStart = (e: Detail<'chat-edit-start'>) => {
    this.chat.edits.start(e.detail.room, e.detail.id);
    void this.updateComplete.then(() => this.composer?.focus());
  };

  /** Mentions of you anywhere, and anything in the open room while the tab is hidden, become notifications. */
  private handleReceived = (e: Detail<'chat-message-received'>) => {
    const { message, own } = e.detail;
    if (own || !this.notifier.enabled) return;
    const hidden = document.visibilityState === 'hidden' && message.room === this.chat.active;
    if (!hidden && !this.chat.mentionsMe(message)) return;
    const s = this.locale.strings;
    const c = this.chat.conversations.get(message.room);
    const title = c
      ? s.conversations.notifyTitle(message.nick, shownName(this.chat, c, s))
      : s.notify.title(message.nick, message.room);
    this.notifier.show(title, message.text, message.room);
  };

  /** Escape closes an open drawer and returns focus to its button. */
  private handleKeydown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || this.panel === undefined) return;
    const button = this.renderRoot.querySelector<HTMLButtonElement>(`.toggle.${this.panel}`);
    e.stopPropagation(); // a `<chat-launcher>` around us would close its whole panel
    this.panel = undefined;
    button?.focus();
  };

  private toggleRooms = () => {
    this.panel = this.panel === 'rooms' ? undefined : 'rooms';
  };

  private toggleReports = () => {
    this.showReports = !this.showReports;
  };

  /** Open next to a report: its room, in place of the list. */
  private handleReportOpen = (e: Detail<'chat-report-open'>) => {
    this.showReports = false;
    this.openRoom(e.detail.room);
  };

  private toggleMembers = () => {
    this.panel = this.panel === 'members' ? undefined : 'members';
  };

  private openNickForm = () => {
    this.editingNick = true;
    this.nickForm?.focus();
    void this.updateComplete.then(() => this.nickForm?.focus());
  };

  private closeNickForm = () => {
    this.editingNick = false;
    this.chat.clearNickError();
    void this.updateComplete.then(() => this.composer?.focus());
  };

  private handleNick = async (e: Detail<'chat-nick-submit'>) => {
    await this.chat.submitNick(e.detail.nick);
    if (!this.chat.nickError) this.closeNickForm();
  };

  /** A joined room is shown at once; a conversation not opened yet loads its history first. */
  private handleSelect = (e: Detail<'chat-room-select'>) =>
    this.chat.rooms.has(e.detail.room) ? this.showRoom(e.detail.room) : void this.joinRoom(e.detail.room);
  private handleJoin = (e: Detail<'chat-room-join'>) => void this.joinRoom(e.detail.room);
  private handleLeave = (e: Detail<'chat-room-leave'>) =>
    void this.chat.leave(e.detail.room).then(() => this.router.show(this.chat.active));

  private handleCreate = async (e: Detail<'chat-room-create'>) => {
    if (await this.chat.createPrivate(e.detail.title)) this.showRoom(this.chat.active ?? '');
  };

  /** Message next to a member: the direct conversation with them, shown at once. */
  private handleDirect = async (e: Detail<'chat-direct-open'>) => {
    await this.chat.openDirect(e.detail.nick);
    if (!this.chat.conversations.error) this.showRoom(this.chat.active ?? '');
  };

  private handleInvite = (e: Detail<'chat-member-invite'>) =>
    void this.chat.conversations.invite(e.detail.room, e.detail.nick);
  private handleRemove = (e: Detail<'chat-member-remove'>) =>
    void this.chat.conversations.kick(e.detail.room, e.detail.nick);
  private handleConversationLeave = (e: Detail<'chat-conversation-leave'>) =>
    void this.chat.conversations.leave(e.detail.room).then(() => this.router.show(this.chat.active));

  private dismissRemoved = () => {
    this.chat.conversations.removed = undefined;
    this.requestUpdate();
    void this.updateComplete.then(() => this.composer?.focus());
  };

  /** A room the URL asked for: shown if joined, else joined first. */
  private openRoom(room: string): void {
    if (room === this.chat.active) return;
    if (this.chat.rooms.has(room)) this.showRoom(room);
    else void this.joinRoom(room);
  }

  private async joinRoom(room: string): Promise<void> {
    const error = await this.chat.join(room);
    this.joinError = errorText(this.locale.strings, error);
    if (!error) this.showRoom(this.chat.active ?? room);
  }

  /** Shows a joined room, closes the narrow-screen drawer and puts focus in the composer. */
  private showRoom(room: string): void {
    this.chat.select(room);
    this.panel = undefined;
    this.router.show(this.chat.active);
    void this.updateComplete.then(() => this.composer?.focus());
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chat-app': ChatApp;
  }
}
