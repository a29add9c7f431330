// English, the table used when a page's language has none of its own.
import type { Strings } from './shape.js';
import { list } from './list.js';

export const en: Strings = {
  dir: 'ltr',
  status: {
    connecting: 'Connecting…',
    online: 'Online',
    offline: 'Offline: messages will be sent when the connection is back',
    recovered: 'Reconnected, nothing missed',
    notReading: 'Not reading: new messages wait on the server',
    caughtUp: (n) => `Reconnected and caught up (${n} missed ${n === 1 ? 'message' : 'messages'})`,
    refused: 'Not available on this site',
    refusedDetail:
      'The chat cannot be used on this page: its server does not accept connections from this site. If this is your site, see the browser console.',
    authInvalid: 'Sign-in not accepted',
    authInvalidDetail:
      'The chat did not accept your sign-in from this site. Sign in on this site again or reload the page; if it keeps happening, tell the site’s owner.',
    authExpired: 'Sign-in expired',
    authExpiredDetail: 'Your sign-in for the chat has expired. Sign in on this site again or reload the page.',
    full: 'Open in too many windows',
    fullDetail:
      'The chat is open in too many of your tabs or devices at once. Close one of them: this window joins by itself a few seconds later.',
  },
  nick: {
    heading: 'Welcome! Choose a nickname',
    changeHeading: 'Change your nickname',
    changeSubmit: 'Save nickname',
    label: 'Nickname',
    hint: 'This is the name others see. It is remembered on this device.',
    submit: 'Start chatting',
    change: 'Change nickname',
    cancel: 'Cancel',
    signInRequired: 'Sign in on this site to chat.',
  },
  rooms: {
    heading: 'Your rooms',
    others: 'Other rooms',
    none: 'No other rooms right now',
    joinLabel: 'Join or create a room',
    joinPlaceholder: 'Room name',
    join: 'Join',
    leave: (room) => `Leave ${room}`,
    unread: (n) => `${n} unread`,
    people: (n) => `${n} ${n === 1 ? 'person' : 'people'}`,
    open: 'Rooms',
    mentions: (n) => `${n} ${n === 1 ? 'mention' : 'mentions'} of you`,
  },
  log: {
    label: (room) => `Messages in ${room}`,
    loadingOlder: 'Loading older messages…',
    beginning: (room) => `This is the beginning of #${room}.`,
    newMessages: 'New messages',
    jump: (n) => `${n} new ${n === 1 ? 'message' : 'messages'} · Jump to first unread`,
    below: (n) => `${n} new below ↓`,
    you: 'you',
    empty: 'No messages yet. Say hello!',
  },
  composer: {
    label: (room) => `Message #${room}`,
    send: 'Send',
    hint: 'Enter sends, Shift+Enter adds a line',
    tooLong: (max) => `Too long: at most ${max} characters`,
    editing: 'Editing your message · Escape cancels',
    save: 'Save',
    cancel: 'Cancel',
  },
  message: {
    edit: 'Edit',
    delete: 'Delete',
    deleteBy: (nick) => `Delete ${nick}’s message`,
    confirmDelete: 'Delete this message?',
    cancel: 'Keep',
    actionsOwn: 'Actions for your message',
    actionsFor: (nick) => `Actions for ${nick}’s message`,
    edited: '(edited)',
    editedAt: (time) => `Edited ${time}`,
    deleted: 'Message deleted',
    failed: (reason) => `Not changed: ${reason}`,
    verified: '(verified)',
    verifiedTitle: 'Verified: signed in on this site',
    userinfo: (userinfo) => `(“${userinfo}@” before the address was left out)`,
  },
  notify: {
    on: 'Desktop notifications are on (mentions, and this room while the tab is hidden). Turn off',
    off: 'Turn on desktop notifications',
    blocked: 'Notifications are blocked for this site in the browser settings',
    title: (nick, room) => `${nick} in #${room}`,
  },
  outbox: {
    queued: 'Waiting for the connection…',
    sending: 'Sending…',
    failed: (reason) => `Not sent: ${reason}`,
    retry: 'Retry',
    discard: 'Discard',
  },
  notice: {
    joined: (nick) => `${nick} joined`,
    left: (nick) => `${nick} left`,
    renamed: (from, to) => `${from} is now known as ${to}`,
    caughtUp: (n) => `You were away. Caught up on ${n} missed ${n === 1 ? 'message' : 'messages'}.`,
    banned: (nick, by, until, reason) =>
      `${nick} was banned by ${by}${until ? ` until ${until}` : ''}${reason ? `: “${reason}”` : ''}`,
    unbanned: (nick, by) => `${nick} was unbanned by ${by}`,
  },
  moderation: {
    banButton: 'Ban',
    unbanButton: 'Unban',
    ban: (nick) => `Ban ${nick} from this room…`,
    unban: (nick) => `Unban ${nick}`,
    banned: 'Banned',
    until: (time) => `until ${time}`,
    banAsk: (nick) => `Ban ${nick} from this room?`,
    banLength: 'For',
    banReason: 'Reason (optional, shown to the room)',
    duration: (minutes) =>
      minutes === undefined
        ? 'No end (permanent)'
        : minutes < 60
          ? `${minutes} minutes`
          : minutes < 24 * 60
            ? `${minutes / 60} hour${minutes === 60 ? '' : 's'}`
            : `${minutes / (24 * 60)} day${minutes === 24 * 60 ? '' : 's'}`,
    banConfirm: 'Ban',
    banCancel: 'Cancel',
    youWereBanned: (room, until, reason) =>
      `You were banned from #${room}${until === undefined ? '' : ` until ${until}`}.${reason ? ` Reason: “${reason}”.` : ''}`,
    joinAgain: 'Try to join again',
  },
  typing: (nicks) =>
    nicks.length > 3
      ? 'Several people are typing…'
      : `${list('en', nicks)} ${nicks.length === 1 ? 'is' : 'are'} typing…`,
  members: { heading: 'In this room', toggle: 'Members' },
  errors: {
    NICK_TAKEN: 'Someone else is using this nickname. Please pick another one.',
    NICK_INVALID: 'Use 1 to 32 visible characters, without control or invisible characters.',
    NICK_REQUIRED: 'Choose a nickname first.',
    ROOM_INVALID: 'Room names are 1 to 64 letters, digits, - or _ (no spaces).',
    NOT_IN_ROOM: 'You are not in this room any more.',
    MESSAGE_INVALID: 'The message is empty, too long or has characters that are not allowed.',
    RATE_LIMITED: 'You are sending too fast. Wait a moment and retry.',
    LIMIT_EXCEEDED: 'You are in too many rooms at once. Leave one, then try again.',
    BAD_REQUEST: 'The server did not understand the request.',
    TOPIC_INVALID: 'There is no such news topic.',
    NOT_ALLOWED: 'You can only change your own messages.',
    NOT_FOUND: 'That message no longer exists.',
    BANNED: 'You are banned from this room.',
    INTERNAL: 'Something went wrong on the server.',
    TIMEOUT: 'The server did not answer in time.',
    AUTH_INVALID: 'The chat did not accept your sign-in from this site.',
    AUTH_EXPIRED: 'Your sign-in has expired. Reload the page to sign in again.',
  },
  news: {
    heading: 'Live news',
    perSecond: (n) => `${n} items/s`,
    missed: (n) => `${n} missed`,
    topics: 'Topics',
    waiting: 'Waiting for the first headlines…',
    offline: 'Offline: reconnecting…',
    collapse: 'Hide headlines',
    expand: 'Show headlines',
    refused:
      'Headlines cannot be shown on this page: their server does not accept connections from this site. If this is your site, see the browser console.',
  },
};
