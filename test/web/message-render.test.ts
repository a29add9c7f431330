// @vitest-environment happy-dom
import { afterEach, expect, test } from 'vitest';
import '../../web/index.js';
import { RoomState } from '../../web/chat/room-state.js';
import type { ChatEventMap } from '../../web/events.js';
import type { Message } from '../../server/protocol/events.js';

afterEach(() => {
  document.body.innerHTML = '';
});

let nextId = 1;
const msg = (text: string, nick = 'bea', extra: Partial<Message> = {}): Message => ({
  id: nextId++,
  room: 'lobby',
  nick,
  text,
  ts: 1_700_000_000_000 + nextId,
  ...extra,
});

async function list(
  messages: Message[],
  nick = 'ana',
  extra: Partial<HTMLElementTagNameMap['chat-message-list']> = {},
) {
  const room = new RoomState('lobby');
  room.addMessages(messages);
  const el = Object.assign(document.createElement('chat-message-list'), {
    room: 'lobby',
    items: room.timeline,
    nick,
    mentionsMe: (m: Message) => m.nick !== nick && m.text.toLowerCase().includes(`@${nick}`),
    ...extra,
  });
  document.body.append(el);
  await el.updateComplete;
  return { el, root: el.shadowRoot!, room };
}

function events<K extends keyof ChatEventMap>(name: K): ChatEventMap[K][] {
  const seen: ChatEventMap[K][] = [];
  document.addEventListener(name, (e) => seen.push((e as CustomEvent<ChatEventMap[K]>).detail));
  return seen;
}

test('rendered text: links get rel and target, javascript: and data: stay text, <b> stays text', async () => {
  const { root } = await list([
    msg('go https://example.org now'),
    msg('javascript:alert(1) data:text/html,<script>alert(1)</script> <b>bold?</b> <img src=x onerror=alert(1)>'),
  ]);
  const anchors = [...root.querySelectorAll('a')];
  expect(anchors.map((a) => [a.getAttribute('href'), a.getAttribute('rel'), a.getAttribute('target')])).toEqual([
    ['https://example.org', 'noopener noreferrer nofollow ugc', '_blank'],
  ]);
  const second = root.querySelectorAll('[part~="text"]')[1]!;
  expect(second.querySelector('b, img, script')).toBe(null);
  expect(second.textContent).toContain('<b>bold?</b> <img src=x onerror=alert(1)>');
  expect(second.getAttribute('dir')).toBe('auto');
});

test('a mention of you marks the message and the mention; your own messages have Edit and Delete', async () => {
  const seenEdit = events('chat-edit-start');
  const seenDelete = events('chat-message-delete');
  const mention = msg('hi @ana and @cyd');
  const mine = msg('mine', 'ana');
  const { root, el } = await list([mention, mine]);
  const [other, own] = [...root.querySelectorAll('li[part~="message"]')];
  expect(other!.getAttribute('part')).toBe('message mention');
  expect([...other!.querySelectorAll('[part~="mention"]')].map((m) => [m.textContent, m.getAttribute('part')])).toEqual(
    [
      ['@ana', 'mention self'],
      ['@cyd', 'mention'],
    ],
  );
  // Someone else's message offers Report only (no Edit, no Delete, no id for a non-moderator).
  const theirs = other!.querySelector<HTMLButtonElement>('[part="actions-button"]')!;
  expect(theirs.getAttribute('aria-label')).toBe('Actions for bea’s message');
  theirs.click();
  await el.updateComplete;
  const offered = [...other!.querySelectorAll('.actions [part]')].map((b) => b.getAttribute('part'));
  expect(offered).toEqual(['report-button']);
  theirs.click();
  await el.updateComplete;
  // The actions open from the "⋯" button beside the bubble.
  const more = own!.querySelector<HTMLButtonElement>('[part="actions-button"]')!;
  expect(more.getAttribute('aria-label')).toBe('Actions for your message');
  more.click();
  await el.updateComplete;
  expect(more.getAttribute('aria-expanded')).toBe('true');
  own!.querySelector<HTMLButtonElement>('[part="edit-button"]')!.click();
  expect(seenEdit).toEqual([{ room: 'lobby', id: mine.id }]);
  await el.updateComplete;
  expect(own!.querySelector('[part="edit-button"]')).toBe(null);
  // Delete asks first, in place.
  more.click();
  await el.updateComplete;
  own!.querySelector<HTMLButtonElement>('[part="delete-button"]')!.click();
  await el.updateComplete;
  expect(seenDelete).toEqual([]);
  root.querySelector<HTMLButtonElement>('[part="delete-confirm-button"]')!.click();
  expect(seenDelete).toEqual([{ room: 'lobby', id: mine.id }]);
});

test('edited, deleted and refused: "(edited)", the placeholder, and the reason under the message', async () => {
  const a = msg('first', 'ana');
  const b = msg('second', 'ana');
  const c = msg('third', 'ana');
  const errors = new Map([[c.id, { code: 'NOT_FOUND' as const, message: 'no such message' }]]);
  const { root, room, el } = await list([a, b, c], 'ana', { errors });
  room.applyUpdate({ id: a.id, room: 'lobby', text: 'first!', editedAt: a.ts + 1000 });
  room.applyDelete({ id: b.id, room: 'lobby' });
  el.items = [...room.timeline];
  await el.updateComplete;
  const texts = [...root.querySelectorAll('[part~="text"]')].map((t) => t.textContent?.replace(/\s+/g, ' ').trim());
  expect(texts).toEqual(['first! (edited)', 'Message deleted', 'third']);
  expect(root.querySelectorAll('li[part~="deleted"] [part="edit-button"]').length).toBe(0);
  expect(root.querySelector('[role="alert"]')?.textContent).toBe('Not changed: That message no longer exists.');
});

test('room state: history replaces the shown versions of known messages, and adds nothing twice', () => {
  const room = new RoomState('lobby');
  const [a, b] = [msg('a'), msg('b')];
  room.addMessages([a, b]);
  const version = room.version;
  room.replaceKnown([{ ...a, text: 'a2', editedAt: 5 }, { ...b, text: '', deleted: true }, msg('not shown')]);
  expect(
    room.timeline.map((i) => (i.kind === 'message' ? [i.message.text, i.message.editedAt, i.message.deleted] : [])),
  ).toEqual([
    ['a2', 5, undefined],
    ['', undefined, true],
  ]);
  expect(room.version).toBeGreaterThan(version);
  expect(room.lastOwn('bea')?.id).toBe(a.id);
});

test('composer: ArrowUp in the empty field asks to edit, Escape cancels, Enter submits the edit', async () => {
  const composer = Object.assign(document.createElement('chat-composer'), { room: 'lobby' });
  document.body.append(composer);
  await composer.updateComplete;
  const starts = events('chat-edit-start');
  const cancels = events('chat-edit-cancel');
  const edits = events('chat-message-edit');
  const sends = events('chat-message-submit');
  const input = composer.shadowRoot!.querySelector('textarea')!;
  const key = (k: string) => new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, composed: true });
  input.value = 'typing';
  input.dispatchEvent(key('ArrowUp'));
  expect(starts).toEqual([]);
  input.value = '';
  input.dispatchEvent(key('ArrowUp'));
  expect(starts).toEqual([{ room: 'lobby' }]);

  composer.editing = 7;
  composer.editText = 'old text';
  await composer.updateComplete;
  expect(input.value).toBe('old text');
  expect(composer.shadowRoot!.querySelector('[part="editing"]')).not.toBe(null);
  input.dispatchEvent(key('Escape'));
  expect(cancels).toEqual([{ room: 'lobby' }]);
  input.value = 'new text';
  input.dispatchEvent(key('Enter'));
  expect(edits).toEqual([{ room: 'lobby', id: 7, text: 'new text' }]);
  expect(sends).toEqual([]);
  composer.editing = undefined;
  await composer.updateComplete;
  expect(input.value).toBe('');
});

test('a signed author’s message shows a verified marker with words for screen readers; a guest’s does not', async () => {
  const { root } = await list([msg('from the shop', 'mia', { signed: true }), msg('from a guest', 'bea')]);
  const [signed, guest] = [...root.querySelectorAll('li[part~="message"]')];
  const marker = signed!.querySelector('[part="verified"]');
  expect(marker?.textContent?.replace(/\s+/g, ' ').trim()).toBe('✓(verified)');
  expect(marker?.querySelector('[aria-hidden="true"]')?.textContent).toBe('✓');
  expect(marker?.getAttribute('title')).toBe('Verified: signed in on this site');
  expect(guest!.querySelector('[part="verified"]')).toBe(null);
  expect(guest!.querySelector('[part="author"]')?.textContent).toBe('bea');
});

test("Report on someone else's message asks for a reason, then fires chat-message-report; moderators see ids", async () => {
  const seen = events('chat-message-report');
  const theirs = msg('rude words');
  const { root, el } = await list([theirs]);
  const item = root.querySelector('li[part~="message"]')!;
  item.querySelector<HTMLButtonElement>('[part="actions-button"]')!.click();
  await el.updateComplete;
  expect(item.querySelector('[part="report-button"]')!.getAttribute('aria-label')).toBe(
    'Report bea’s message to the moderators',
  );
  item.querySelector<HTMLButtonElement>('[part="report-button"]')!.click();
  await el.updateComplete;
  const form = item.querySelector<HTMLFormElement>('[part="report-form"]')!;
  form.querySelector('input')!.value = '   ';
  form.requestSubmit();
  expect(seen).toEqual([]); // a blank reason is not sent
  form.querySelector('input')!.value = '  rude  ';
  form.requestSubmit();
  expect(seen).toEqual([{ room: 'lobby', id: theirs.id, reason: 'rude' }]);
  await el.updateComplete;
  expect(item.querySelector('[part="report-form"]')).toBe(null);

  el.reports = new Map([[theirs.id, { sent: true }]]);
  await el.updateComplete;
  expect(item.querySelector('[part="report-sent"]')!.textContent).toBe('Reported. The moderators will take a look.');
  expect(item.querySelector('[part="message-id"]')).toBe(null);
  el.moderator = true;
  await el.updateComplete;
  item.querySelector<HTMLButtonElement>('[part="actions-button"]')!.click();
  await el.updateComplete;
  expect(item.querySelector('[part="message-id"]')!.textContent).toBe(`Message id ${theirs.id}`);
  expect(item.querySelector('[part="copy-id-button"]')).not.toBe(null);
});
