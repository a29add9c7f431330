/** Limits of the wire contract, shared by server and web. Lengths count Unicode code points after NFC. */
export const MAX_NICK_CODE_POINTS = 32;
export const MAX_ROOM_CODE_POINTS = 64;
export const MAX_TEXT_CODE_POINTS = 2000;
/** The longest `reason` of a `room:ban`, in code points after trimming. */
export const MAX_BAN_REASON_CODE_POINTS = 200;
/** The longest `reason` of a `message:report`, in code points after trimming and NFC. */
export const MAX_REPORT_REASON_CODE_POINTS = 500;
/** Reports in one `GET /api/admin/reports` answer, newest first. */
export const REPORTS_PAGE_MAX = 200;
export const MAX_CLIENT_ID_LENGTH = 64;
/**
 * Combining marks on one base character in message text, after NFC. Pointed and cantillated Hebrew and Tibetan
 * stacks need up to about 4; "Zalgo" text piles dozens to spill over neighbouring lines.
 */
export const MAX_COMBINING_MARKS_PER_BASE = 5;

/** Messages in the `room:join` reply, and the default page size of `room:history`. */
export const JOIN_HISTORY_SIZE = 50;
export const MAX_HISTORY_PAGE = 100;

/** The most days RETENTION_DAYS or a room's override may keep messages (100 years); 0 = forever. */
export const MAX_RETENTION_DAYS = 36_500;

/** Entries in the `rooms:list` reply, busiest first. */
export const MAX_LISTED_ROOMS = 100;

/** How long a client that stops typing keeps showing as typing; clients expire the indicator after this. */
export const TYPING_TTL_MS = 4000;

/** Largest Socket.IO packet accepted; a bigger one closes that client's connection (Socket.IO's maxHttpBufferSize). */
export const MAX_PACKET_BYTES = 32 * 1024;

/**
 * How long a cut connection keeps its rooms, nick and missed messages (Socket.IO connection state recovery).
 * A clean disconnect keeps them for PRESENCE_GRACE_MS (a reload).
 */
export const RECOVERY_WINDOW_MS = 2 * 60 * 1000;

/**
 * How long a socket that went away (a reload, a short network loss) keeps its place in presence before the room is
 * told `left`; a session that re-enters the room within it is announced neither `left` nor `joined`. A clean
 * disconnect keeps its session (and nick) for this long too, so a reload gets both back with the token.
 */
export const PRESENCE_GRACE_MS = 5000;

/** /chat sockets one session may hold at once (tabs); the next is refused at the namespace handshake. */
export const MAX_SOCKETS_PER_SESSION = 10;

/** Engine.IO connections one client address may hold on one server process; the next handshake gets 403. */
export const MAX_CONNECTIONS_PER_IP = 50;

/** Room names in a token's `rooms` claim (host-granted private rooms); a longer list refuses the token. */
export const MAX_GRANTED_ROOMS = 100;

/** The longest title of a private room, in code points after trimming. */
export const MAX_TITLE_CODE_POINTS = 80;

/**
 * Conversations (direct, private, support) one person may be a member of; the request that would add one more
 * answers LIMIT_EXCEEDED. Each of the person's sockets is in all of them, so this bounds what a connect joins.
 * Public rooms count apart (MAX_ROOMS_PER_SESSION).
 */
export const MAX_CONVERSATIONS_PER_PERSON = 500;

/** Entries in the `conversations:list` reply (a moderator's includes every support conversation), most recent first. */
export const MAX_LISTED_CONVERSATIONS = 1000;

/** Rooms one session may be in at once; the next `room:join` answers LIMIT_EXCEEDED. */
export const MAX_ROOMS_PER_SESSION = 50;

/**
 * Live guest sessions created from one client address; the next `nick:register` that would create one answers
 * LIMIT_EXCEEDED. A session counts until it has ended (its sockets gone and its grace or recovery window over).
 */
export const MAX_SESSIONS_PER_ADDRESS = 100;

/**
 * Packets a connection may send per second, sustained, with bursts up to MAX_PACKET_BURST; past that the server
 * disconnects it. Everything the per-session budgets allow (about 25 requests/s) fits well inside.
 */
export const MAX_PACKETS_PER_SECOND = 50;
export const MAX_PACKET_BURST = 200;
/**
 * Members above which a room's presence changes are sent as one `presence:batch` a second instead of one
 * `presence` each: in a room of n, n joins would otherwise cost n² deliveries.
 */
export const PRESENCE_COALESCE_ABOVE = 500;
/**
 * Presence deliveries (changes × members) a room may cause in one second before it is batched like a large room
 * for the rest of that second: a burst of joins into a room of 100 is 5,000 deliveries within a moment, and every
 * other client waits behind them.
 */
export const PRESENCE_DELIVERIES_PER_SECOND = 500;
/**
 * Presence deliveries all rooms of one process may cause in a second. Past it every change is batched and the
 * batches wait their turn: 18,000 people arriving within a minute into rooms of 100 would otherwise cost ~900,000
 * deliveries, about half the CPU of letting them in. 2,000 a second is a few percent of a core.
 */
export const PRESENCE_PROCESS_DELIVERIES_PER_SECOND = 2000;
