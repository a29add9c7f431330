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
  };
  log: {
    label: (room: string) => string;
    loadingOlder: string;
    beginning: (room: string) => string;
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
}

const list = (lang: string, items: string[]) => new Intl.ListFormat(lang, { type: 'conjunction' }).format(items);

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

export const ar: Strings = {
  dir: 'rtl',
  status: {
    connecting: 'جارٍ الاتصال…',
    online: 'متصل',
    offline: 'غير متصل: ستُرسل الرسائل عند عودة الاتصال',
    recovered: 'أُعيد الاتصال دون أن يفوتك شيء',
    notReading: 'لا تُقرأ الرسائل: الجديدة تنتظر على الخادم',
    caughtUp: (n) => `أُعيد الاتصال وتم جلب ما فاتك (${n} رسائل)`,
    refused: 'غير متاح على هذا الموقع',
    refusedDetail:
      'لا يمكن استخدام الدردشة في هذه الصفحة: خادمها لا يقبل الاتصالات من هذا الموقع. إن كان الموقع موقعك، فراجع وحدة تحكم المتصفح.',
    authInvalid: 'لم يُقبل تسجيل الدخول',
    authInvalidDetail:
      'لم تقبل الدردشة تسجيل دخولك من هذا الموقع. سجّل الدخول في هذا الموقع مجددًا أو أعد تحميل الصفحة؛ وإن تكرر ذلك فأبلغ صاحب الموقع.',
    authExpired: 'انتهت صلاحية تسجيل الدخول',
    authExpiredDetail: 'انتهت صلاحية تسجيل دخولك إلى الدردشة. سجّل الدخول في هذا الموقع مجددًا أو أعد تحميل الصفحة.',
    full: 'مفتوحة في نوافذ كثيرة',
    fullDetail:
      'الدردشة مفتوحة في عدد كبير من علاماتك أو أجهزتك في وقت واحد. أغلق إحداها: ستنضم هذه النافذة تلقائيًا بعد ثوانٍ.',
  },
  nick: {
    heading: 'أهلًا! اختر اسمًا مستعارًا',
    changeHeading: 'غيّر اسمك المستعار',
    changeSubmit: 'حفظ الاسم',
    label: 'الاسم المستعار',
    hint: 'هذا هو الاسم الذي يراه الآخرون، ويُحفظ على هذا الجهاز.',
    submit: 'ابدأ الدردشة',
    change: 'تغيير الاسم',
    cancel: 'إلغاء',
    signInRequired: 'سجّل الدخول في هذا الموقع لتتمكن من الدردشة.',
  },
  rooms: {
    heading: 'غرفك',
    others: 'غرف أخرى',
    none: 'لا توجد غرف أخرى الآن',
    joinLabel: 'انضم إلى غرفة أو أنشئ واحدة',
    joinPlaceholder: 'اسم الغرفة',
    join: 'انضمام',
    leave: (room) => `مغادرة ${room}`,
    unread: (n) => `${n} غير مقروءة`,
    people: (n) => `الأعضاء: ${n}`,
    open: 'الغرف',
    mentions: (n) => `إشارات إليك: ${n}`,
  },
  log: {
    label: (room) => `الرسائل في ${room}`,
    loadingOlder: 'جارٍ تحميل الرسائل الأقدم…',
    beginning: (room) => `هذه بداية #${room}.`,
    newMessages: 'رسائل جديدة',
    jump: (n) => `رسائل جديدة: ${n} · انتقل إلى أول رسالة غير مقروءة`,
    below: (n) => `رسائل جديدة في الأسفل: ${n} ↓`,
    you: 'أنت',
    empty: 'لا توجد رسائل بعد. ألقِ التحية!',
  },
  composer: {
    label: (room) => `رسالة إلى #${room}`,
    send: 'إرسال',
    hint: 'Enter للإرسال، Shift+Enter لسطر جديد',
    tooLong: (max) => `الرسالة طويلة جدًا: ${max} حرفًا على الأكثر`,
    editing: 'تعديل رسالتك · Escape للإلغاء',
    save: 'حفظ',
    cancel: 'إلغاء',
  },
  message: {
    edit: 'تعديل',
    delete: 'حذف',
    deleteBy: (nick) => `حذف رسالة ${nick}`,
    confirmDelete: 'حذف هذه الرسالة؟',
    cancel: 'إبقاء',
    actionsOwn: 'إجراءات رسالتك',
    actionsFor: (nick) => `إجراءات رسالة ${nick}`,
    edited: '(مُعدّلة)',
    editedAt: (time) => `عُدّلت ${time}`,
    deleted: 'حُذفت الرسالة',
    failed: (reason) => `لم يتم التغيير: ${reason}`,
    verified: '(موثّق)',
    verifiedTitle: 'موثّق: مسجّل الدخول في هذا الموقع',
    userinfo: (userinfo) => `(حُذف «${userinfo}@» الذي سبق العنوان)`,
  },
  notify: {
    on: 'إشعارات سطح المكتب مفعّلة (الإشارات إليك، وهذه الغرفة عندما يكون التبويب مخفيًا). إيقاف',
    off: 'تفعيل إشعارات سطح المكتب',
    blocked: 'الإشعارات محظورة لهذا الموقع في إعدادات المتصفح',
    title: (nick, room) => `${nick} في #${room}`,
  },
  outbox: {
    queued: 'بانتظار الاتصال…',
    sending: 'جارٍ الإرسال…',
    failed: (reason) => `لم تُرسل: ${reason}`,
    retry: 'إعادة المحاولة',
    discard: 'تجاهل',
  },
  notice: {
    joined: (nick) => `انضم ${nick}`,
    left: (nick) => `غادر ${nick}`,
    renamed: (from, to) => `أصبح ${from} يُعرف باسم ${to}`,
    caughtUp: (n) => `كنت غائبًا. تم جلب الرسائل التي فاتتك: ${n}.`,
    banned: (nick, by, until, reason) =>
      `حظر ${by} ${nick}${until ? ` حتى ${until}` : ''}${reason ? `: «${reason}»` : ''}`,
    unbanned: (nick, by) => `رفع ${by} الحظر عن ${nick}`,
  },
  moderation: {
    banButton: 'حظر',
    unbanButton: 'رفع الحظر',
    ban: (nick) => `حظر ${nick} من هذه الغرفة…`,
    unban: (nick) => `رفع الحظر عن ${nick}`,
    banned: 'محظورون',
    until: (time) => `حتى ${time}`,
    banAsk: (nick) => `حظر ${nick} من هذه الغرفة؟`,
    banLength: 'المدة',
    banReason: 'السبب (اختياري، يظهر للغرفة)',
    duration: (minutes) =>
      minutes === undefined
        ? 'دائم'
        : minutes < 60
          ? `${minutes} دقائق`
          : minutes < 24 * 60
            ? `${minutes / 60} ساعة`
            : `${minutes / (24 * 60)} يوم`,
    banConfirm: 'حظر',
    banCancel: 'إلغاء',
    youWereBanned: (room, until, reason) =>
      `حُظرت من #${room}${until === undefined ? '' : ` حتى ${until}`}.${reason ? ` السبب: «${reason}».` : ''}`,
    joinAgain: 'حاول الانضمام مجددًا',
  },
  typing: (nicks) => (nicks.length > 3 ? 'عدة أشخاص يكتبون…' : `${list('ar', nicks)} يكتب…`),
  members: { heading: 'في هذه الغرفة', toggle: 'الأعضاء' },
  errors: {
    NICK_TAKEN: 'هذا الاسم مستخدم من قبل شخص آخر. اختر اسمًا آخر من فضلك.',
    NICK_INVALID: 'استخدم من 1 إلى 32 حرفًا ظاهرًا، دون أحرف تحكم أو أحرف غير مرئية.',
    NICK_REQUIRED: 'اختر اسمًا مستعارًا أولًا.',
    ROOM_INVALID: 'اسم الغرفة من 1 إلى 64 حرفًا أو رقمًا أو - أو _ (دون مسافات).',
    NOT_IN_ROOM: 'لم تعد في هذه الغرفة.',
    MESSAGE_INVALID: 'الرسالة فارغة أو طويلة جدًا أو فيها محارف غير مسموح بها.',
    RATE_LIMITED: 'أنت ترسل بسرعة كبيرة. انتظر قليلًا ثم أعد المحاولة.',
    LIMIT_EXCEEDED: 'أنت في غرف كثيرة في وقت واحد. غادر إحداها ثم أعد المحاولة.',
    BAD_REQUEST: 'لم يفهم الخادم الطلب.',
    TOPIC_INVALID: 'لا يوجد موضوع أخبار بهذا الاسم.',
    NOT_ALLOWED: 'يمكنك تعديل رسائلك فقط.',
    NOT_FOUND: 'هذه الرسالة لم تعد موجودة.',
    BANNED: 'أنت محظور من هذه الغرفة.',
    INTERNAL: 'حدث خطأ في الخادم.',
    TIMEOUT: 'لم يرد الخادم في الوقت المحدد.',
    AUTH_INVALID: 'لم تقبل الدردشة تسجيل دخولك من هذا الموقع.',
    AUTH_EXPIRED: 'انتهت صلاحية تسجيل دخولك. أعد تحميل الصفحة لتسجيل الدخول مجددًا.',
  },
  news: {
    heading: 'أخبار مباشرة',
    perSecond: (n) => `${n} عنصر/ث`,
    missed: (n) => `فائتة: ${n}`,
    topics: 'المواضيع',
    waiting: 'بانتظار أول العناوين…',
    offline: 'غير متصل: جارٍ إعادة الاتصال…',
    collapse: 'إخفاء العناوين',
    expand: 'إظهار العناوين',
    refused:
      'لا يمكن عرض العناوين في هذه الصفحة: خادمها لا يقبل الاتصالات من هذا الموقع. إن كان الموقع موقعك، فراجع وحدة تحكم المتصفح.',
  },
};

const TABLES: Record<string, Strings> = { en, ar };

/** The table for a BCP 47 tag by its primary language ("ar-EG" → ar); English when there is none. */
export function stringsFor(lang: string | undefined): Strings {
  const primary = (lang ?? '').toLowerCase().split('-')[0] ?? '';
  return TABLES[primary] ?? en;
}

/** `lang` of the element or its nearest ancestor, else the document's, else the browser's. */
export function resolveLang(el: Element): string {
  const owner = el.closest('[lang]')?.getAttribute('lang');
  return owner || document.documentElement.lang || navigator.language || 'en';
}
