// @vitest-environment happy-dom
import { afterEach, expect, test } from 'vitest';
import '../../web/index.js';
import { ar } from '../../web/i18n/strings.js';
import type { ChatEventMap } from '../../web/events.js';

// The parts of private conversations on their own (lit starter style): the room list's sections and its form for
// a new private room, Message in the member list, and the bar above a private room.

afterEach(() => {
  document.body.innerHTML = '';
});

type Tag = 'chat-room-list' | 'chat-member-list' | 'chat-conversation-bar';

async function mount<K extends Tag>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}) {
  const el = Object.assign(document.createElement(tag), props);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

function events<K extends keyof ChatEventMap>(name: K): ChatEventMap[K][] {
  const seen: ChatEventMap[K][] = [];
  document.addEventListener(name, (e) => seen.push((e as CustomEvent<ChatEventMap[K]>).detail));
  return seen;
}

const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

test('room list: rooms, direct messages, private rooms and the support inbox, each in its section', async () => {
  const list = await mount('chat-room-list', {
    rooms: [{ name: 'lobby', unread: 0 }],
    conversations: [
      { room: '_dm-1', kind: 'direct', name: 'bea', unread: 2, preview: 'bea: lunch?' },
      { room: '_p-1', kind: 'private', name: 'Launch plans', unread: 0 },
      { room: '_support-1', kind: 'support', name: 'zoe', unread: 1, mentions: 1 },
    ],
    privateConversations: true,
    active: '_p-1',
  });
  const root = list.shadowRoot!;
  const headings = [...root.querySelectorAll('h2')].map(text);
  expect(headings).toEqual(['Rooms', 'Direct messages', 'Private rooms', 'Support', 'Other rooms']);
  const dm = root.querySelector('ul[aria-labelledby="direct"] [part~="room"]');
  expect(text(dm)).toBe('B bea bea: lunch? 2');
  expect(root.querySelector('ul[aria-labelledby="private"] [aria-current="page"]')).not.toBeNull();
  expect(root.querySelectorAll('[part="leave-button"]')).toHaveLength(1); // public rooms only
  const selected = events('chat-room-select');
  (dm as HTMLButtonElement).click();
  expect(selected).toEqual([{ room: '_dm-1' }]);
});

test('room list: without conversations the sections stay out; the support inbox shows empty for moderators', async () => {
  const list = await mount('chat-room-list', { rooms: [{ name: 'lobby', unread: 0 }] });
  expect([...list.shadowRoot!.querySelectorAll('h2')].map(text)).toEqual(['Rooms', 'Other rooms']);
  list.supportInbox = true;
  list.privateConversations = true;
  await list.updateComplete;
  expect(list.shadowRoot!.querySelector('ul[aria-labelledby="support"]')).toBeNull();
  expect(text(list.shadowRoot!.querySelector('#support')?.closest('section'))).toContain(
    'No support conversations yet',
  );
});

test('room list: New private room asks for a title, sends it, and closes once the room opens', async () => {
  const list = await mount('chat-room-list', { privateConversations: true, active: 'lobby' });
  const created = events('chat-room-create');
  const root = list.shadowRoot!;
  const open = root.querySelector<HTMLButtonElement>('[part="new-private-button"]')!;
  open.click();
  await list.updateComplete;
  expect(open.getAttribute('aria-expanded')).toBe('true');
  const input = root.querySelector<HTMLInputElement>('#new-title')!;
  expect(root.querySelector('label[for="new-title"]')?.textContent).toBe('Title of the private room');
  input.value = '  Launch  ';
  root.querySelector('form[part="create-form"]')!.dispatchEvent(new Event('submit', { cancelable: true }));
  expect(created).toEqual([{ title: 'Launch' }]);
  list.createError = 'You are in too many rooms at once.';
  await list.updateComplete;
  expect(root.querySelector('[part~="create-error"]')?.getAttribute('role')).toBe('alert');
  list.createError = '';
  list.conversations = [{ room: '_p-9', kind: 'private', name: 'Launch', unread: 0 }];
  list.active = '_p-9';
  await list.updateComplete;
  await list.updateComplete;
  expect(root.querySelector('[part="create-form"]')).toBeNull();
});

test('member list: Message next to everyone else, never next to you', async () => {
  const members = await mount('chat-member-list', {
    room: 'lobby',
    members: ['ana', 'bea'],
    nick: 'ana',
    messaging: true,
  });
  const opened = events('chat-direct-open');
  const buttons = members.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="message-button"]');
  expect([...buttons].map((b) => b.getAttribute('aria-label'))).toEqual(['Send bea a direct message']);
  buttons[0]!.click();
  expect(opened).toEqual([{ nick: 'bea' }]);
  members.messaging = false;
  await members.updateComplete;
  expect(members.shadowRoot!.querySelectorAll('[part="message-button"]')).toHaveLength(0);
});

test('conversation bar: a private room lists its members, invites by nick, removes and leaves', async () => {
  const bar = await mount('chat-conversation-bar', {
    room: '_p-1',
    kind: 'private',
    name: 'Launch',
    members: ['ana', 'bea'],
    nick: 'ana',
    canRemove: true,
    knownNicks: ['bea', 'cid', 'dan'],
  });
  const root = bar.shadowRoot!;
  expect(text(root.querySelector('[part="note"]'))).toBe('Private room: ana, bea');
  const invited = events('chat-member-invite');
  const removed = events('chat-member-remove');
  const left = events('chat-conversation-leave');
  root.querySelector<HTMLButtonElement>('[part="invite-button"]')!.click();
  await bar.updateComplete;
  const options = [...root.querySelectorAll('#known-nicks option')].map((o) => o.getAttribute('value'));
  expect(options).toEqual(['cid', 'dan']); // bea is a member already
  const input = root.querySelector<HTMLInputElement>('#invite')!;
  expect(input.getAttribute('list')).toBe('known-nicks');
  input.value = 'cid';
  root.querySelector('[part="invite-form"]')!.dispatchEvent(new Event('submit', { cancelable: true }));
  expect(invited).toEqual([{ room: '_p-1', nick: 'cid' }]);
  const remove = root.querySelectorAll<HTMLButtonElement>('[part="remove-button"]');
  expect([...remove].map((b) => b.getAttribute('aria-label'))).toEqual(['Remove bea from this room']);
  remove[0]!.click();
  expect(removed).toEqual([{ room: '_p-1', nick: 'bea' }]);

  root.querySelector<HTMLButtonElement>('[part="leave-button"]')!.click();
  await bar.updateComplete;
  expect(left).toEqual([]); // it asks first
  expect(text(root.querySelector('[part="leave-form"] p'))).toBe(
    'Leave “Launch”? You need a new invitation to come back.',
  );
  root.querySelector('[part="leave-form"]')!.dispatchEvent(new Event('submit', { cancelable: true }));
  expect(left).toEqual([{ room: '_p-1' }]);
});

test('conversation bar: without can-remove there is no Remove; a DM and support say who reads them', async () => {
  const bar = await mount('chat-conversation-bar', { room: '_p-1', members: ['ana', 'bea'], nick: 'ana' });
  bar.shadowRoot!.querySelector<HTMLButtonElement>('[part="members-button"]')!.click();
  await bar.updateComplete;
  expect(bar.shadowRoot!.querySelectorAll('[part="remove-button"]')).toHaveLength(0);
  Object.assign(bar, { kind: 'direct', name: 'bea' });
  await bar.updateComplete;
  expect(text(bar.shadowRoot!.querySelector('[part="note"]'))).toBe('Only you and bea can read this conversation.');
  Object.assign(bar, { kind: 'support', visitor: true, strings: ar });
  await bar.updateComplete;
  expect(text(bar.shadowRoot!.querySelector('[part="note"]'))).toContain(ar.conversations.supportNote);
});
