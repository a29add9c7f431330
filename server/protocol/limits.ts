/** Limits of the wire contract, shared by server and web. Lengths count Unicode code points after NFC. */
export const MAX_NICK_CODE_POINTS = 32;
export const MAX_ROOM_CODE_POINTS = 64;
export const MAX_TEXT_CODE_POINTS = 2000;
export const MAX_CLIENT_ID_LENGTH = 64;
/**
 * Combining marks on one base character in message text, after NFC. Pointed and cantillated Hebrew and Tibetan
 * stacks need up to about 4; "Zalgo" text piles dozens to spill over neighbouring lines.
 */
export const MAX_COMBINING_MARKS_PER_BASE = 5;

/** Messages in the `room:join` reply, and the default page size of `room:history`. */
export const JOIN_HISTORY_SIZE = 50;
export const MAX_HISTORY_PAGE = 100;

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

/**
 * Members above which a room's presence changes are sent as one `presence:batch` a second instead of one
 * `presence` each: in a room of n, n joins would otherwise cost n² deliveries.
 */
export const PRESENCE_COALESCE_ABOVE = 500;
