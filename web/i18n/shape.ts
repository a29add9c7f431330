import type { ConversationKind } from '../../server/protocol/events.js';
import type { ClientErrorCode } from '../connection/request.js';

/** Every string the components show, one table per language. Functions take what varies. */
export interface Strings {
  dir: 'ltr' | 'rtl';
  status: {
    connecting: string;
    online: string;
    offline: string;
    recovered: string;
    /** Connected, but the page has stopped reading (the namespaces demo's slow reader). */
    notReading: string;
    caughtUp: (n: number) => string;
    /** The server refuses this page's origin: short (status line), and what a visitor sees in the element. */
    refused: string;
    refusedDetail: string;
    /** The server refused the host site's sign-in token: short (status line), and what a visitor sees. */
    authInvalid: string;
    authInvalidDetail: string;
    authExpired: string;
    authExpiredDetail: string;
    /** This person has as many windows of the chat open as the server allows; this one retries by itself. */
    full: string;
    fullDetail: string;
  };
  nick: {
    label: string;
    hint: string;
    submit: string;
    change: string;
    cancel: string;
    heading: string;
    /** The same form when you already have a nick and change it. */
    changeHeading: string;
    changeSubmit: string;
    /** `nick:register` refused because the server admits only the host site's signed-in users. */
    signInRequired: string;
  };
  rooms: {
    heading: string;
    others: string;
    none: string;
    joinLabel: string;
    joinPlaceholder: string;
    join: string;
    leave: (room: string) => string;
    unread: (n: number) => string;
    people: (n: number) => string;
    open: string;
    mentions: (n: number) => string;
    /** Reads every room and conversation up to its latest message. */
    markAllRead: string;
  };
  log: {
    label: (room: string) => string;
    loadingOlder: string;
    beginning: (room: string) => string;
    /** Under the beginning of a room whose messages are purged after `days` days (never shown for 0: forever). */
    keptFor: (days: number) => string;
    newMessages: string;
    jump: (n: number) => string;
    below: (n: number) => string;
    you: string;
    empty: string;
  };
  composer: {
    label: (room: string) => string;
    send: string;
    hint: string;
    tooLong: (max: number) => string;
    editing: string;
    save: string;
    cancel: string;
  };
  message: {
    edit: string;
    delete: string;
    /** A moderator's Delete under someone else's message. */
    deleteBy: (nick: string) => string;
    confirmDelete: string;
    cancel: string;
    /** The accessible name and tooltip of the "⋯" button that opens a message's actions. */
    actionsOwn: string;
    actionsFor: (nick: string) => string;
    edited: string;
    editedAt: (time: string) => string;
    deleted: string;
    failed: (reason: string) => string;
    /** Beside the nick of a message whose author was signed in on the host site: for screen readers. */
    verified: string;
    /** The same marker's tooltip. */
    verifiedTitle: string;
    /** After a link whose address had `userinfo@` before the host: it is not part of where the link goes. */
    userinfo: (userinfo: string) => string;
  };
  notify: { on: string; off: string; blocked: string; title: (nick: string, room: string) => string };
  outbox: { queued: string; sending: string; failed: (reason: string) => string; retry: string; discard: string };
  notice: {
    joined: (nick: string) => string;
    left: (nick: string) => string;
    renamed: (from: string, to: string) => string;
    caughtUp: (n: number) => string;
    /** `until`: the end as a time of day; undefined for a ban without end. */
    banned: (nick: string, by: string, until: string | undefined, reason?: string) => string;
    unbanned: (nick: string, by: string) => string;
  };
  moderation: {
    /** The visible button text; the accessible name (`ban`, `unban`) says whom. */
    banButton: string;
    unbanButton: string;
    ban: (nick: string) => string;
    unban: (nick: string) => string;
    banned: string;
    until: (time: string) => string;
    /** The question Ban opens, with a choice of length (`duration`) and the buttons that answer it. */
    banAsk: (nick: string) => string;
    banLength: string;
    /** The optional reason field of the ban form. */
    banReason: string;
    duration: (minutes: number | undefined) => string;
    banConfirm: string;
    banCancel: string;
    /** On the banned person's page, in place of the composer's use: `until` a time, or undefined for no end. */
    youWereBanned: (room: string, until: string | undefined, reason?: string) => string;
    joinAgain: string;
  };
  /** Reporting a message to the moderators, and the moderators' Reports view. */
  reports: {
    /** The Report button under someone else's message; its accessible name says whose. */
    report: string;
    reportBy: (nick: string) => string;
    /** The reason field of the inline form Report opens, and its buttons. */
    reason: string;
    send: string;
    cancel: string;
    /** Under the message once the server took the report (a repeat is taken too, and changes nothing). */
    sent: string;
    failed: (reason: string) => string;
    /** A moderator's view of a message's id, and the button that copies it. */
    messageId: (id: number) => string;
    copyId: string;
    copied: string;
    /** The header button that shows the moderators' list, with the open reports' count, and the list. */
    toggle: (n: number) => string;
    heading: string;
    empty: string;
    /** One report: who reported whose message where, and why. */
    item: (reporter: string, author: string, room: string) => string;
    open: (room: string) => string;
  };
  /** Direct messages, private rooms and support conversations. `name`: a DM's other member, else the title. */
  conversations: {
    /** Room list sections; `support` only for moderators (the inbox of every visitor's conversation). */
    direct: string;
    private: string;
    support: string;
    noDirect: string;
    noPrivate: string;
    noSupport: string;
    /** The button that opens the form for a new private room, and the form. */
    newPrivate: string;
    titleLabel: string;
    titlePlaceholder: string;
    create: string;
    cancel: string;
    /** "Message" next to a member: visible text, and the accessible name that says whom. */
    messageButton: string;
    message: (nick: string) => string;
    /** What the room in view is, in the header and above its messages. */
    kind: (kind: ConversationKind) => string;
    /** Who reads it, above the messages: a DM, the visitor's own support conversation, a moderator's view of one. */
    directNote: (name: string) => string;
    supportNote: string;
    supportTeamNote: (visitor: string) => string;
    members: (n: number) => string;
    /** The private room's members panel: its button, Invite and Remove, and Leave with its question. */
    membersButton: (n: number) => string;
    invite: string;
    inviteLabel: string;
    invitePlaceholder: string;
    remove: (nick: string) => string;
    removeButton: string;
    owner: string;
    leave: string;
    leaveAsk: (name: string) => string;
    leaveConfirm: string;
    /** Someone removed you (or the conversation is gone): shown once, with a button to dismiss it. */
    removed: (name: string) => string;
    dismiss: string;
    /** The support widget: its header, and what a visitor reads before the first message. */
    supportTitle: string;
    /** Whom a visitor's support conversation is with, in "Message our team", "Messages with our team". */
    team: string;
    supportWelcome: string;
    supportOpening: string;
    /** Beside a conversation in the list: its latest message. */
    preview: (nick: string, text: string) => string;
    deletedPreview: (nick: string) => string;
    /** The message field, the log, and a desktop notification, named by the conversation (no `#`). */
    composerLabel: (name: string) => string;
    logLabel: (name: string) => string;
    beginning: (name: string) => string;
    notifyTitle: (nick: string, name: string) => string;
    /** Refusals with a meaning of their own here (NOT_FOUND: nobody holds the nick; NOT_ALLOWED: not the owner). */
    notFound: string;
    notAllowed: string;
  };
  typing: (nicks: string[]) => string;
  members: { heading: string; toggle: string };
  errors: Record<ClientErrorCode, string>;
  news: {
    heading: string;
    perSecond: (n: string) => string;
    missed: (n: number) => string;
    topics: string;
    waiting: string;
    offline: string;
    collapse: string;
    expand: string;
    refused: string;
  };
  /** `<chat-launcher>`: its button (whose accessible name carries the unread count) and panel. */
  launcher: {
    /** The button's name and the panel's label, e.g. "Chat, 3 unread" (n = 0: just "Chat"). */
    button: (n: number) => string;
    panel: string;
    close: string;
  };
}
