// @vitest-environment happy-dom
import { LitElement, html } from 'lit';
import { afterEach, expect, test, vi } from 'vitest';
import '../../web/index.js';
import { LocaleController } from '../../web/controllers/locale-controller.js';
import { RoomState } from '../../web/chat/room-state.js';
import { WINDOW_SIZE } from '../../web/components/chat-message-list.js';
import { ar } from '../../web/i18n/strings.js';
import type { ChatEventMap } from '../../web/events.js';
import type { Message } from '../../server/protocol/events.js';

afterEach(() => {
  document.body.innerHTML = '';
});

type LitTag = 'chat-composer' | 'chat-message-list' | 'chat-room-list' | 'chat-nick-form';

async function mount<K extends LitTag>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}) {
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

const key = (init: KeyboardEventInit & { keyCode?: number }) => {
  const e = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, composed: true, ...init });
  if (init.keyCode !== undefined) Object.defineProperty(e, 'keyCode', { value: init.keyCode });
  return e;
};

test('composer: Enter sends, Shift+Enter and Enter during IME composition do not', async () => {
  const composer = await mount('chat-composer', { room: 'lobby' });
  const submitted = events('chat-message-submit');
  const input = composer.shadowRoot!.querySelector('textarea')!;
  input.value = 'こんにちは';
  input.dispatchEvent(key({ key: 'Enter', isComposing: true }));
  input.dispatchEvent(key({ key: 'Enter', keyCode: 229 }));
  input.dispatchEvent(key({ key: 'Enter', shiftKey: true }));
  expect(submitted).toEqual([]);
  input.dispatchEvent(key({ key: 'Enter' }));
  expect(submitted).toEqual([{ room: 'lobby', text: 'こんにちは' }]);
  expect(input.value).toBe('');
});

test('composer: a text over the limit is refused with a message, counted in code points', async () => {
  const composer = await mount('chat-composer', { room: 'lobby' });
  const submitted = events('chat-message-submit');
  const input = composer.shadowRoot!.querySelector('textarea')!;
  input.value = '😀'.repeat(2000); // 4000 UTF-16 units, 2000 code points: allowed
  input.dispatchEvent(new Event('input'));
  await composer.updateComplete;
  expect(composer.shadowRoot!.querySelector('[part="error"]')).toBeNull();
  input.value += '😀';
  input.dispatchEvent(new Event('input'));
  await composer.updateComplete;
  expect(composer.shadowRoot!.querySelector('[part="error"]')?.textContent).toContain('at most 2000');
  input.dispatchEvent(key({ key: 'Enter' }));
  expect(submitted).toEqual([]);
});

const message = (id: number, nick = 'bea', text = `message ${id}`): Message => ({
  id,
  room: 'lobby',
  nick,
  text,
  ts: Date.now() - 1000 + id,
});

test('message list: thousands of messages, but only the newest window is in the DOM', async () => {
  const room = new RoomState('lobby');
  room.addMessages(Array.from({ length: 5000 }, (_, i) => message(i + 1)));
  const list = await mount('chat-message-list', {
    room: 'lobby',
    items: room.timeline,
    version: room.version,
    nick: 'ana',
  });
  const rendered = list.shadowRoot!.querySelectorAll('[part~="message"]');
  expect(rendered.length).toBe(WINDOW_SIZE);
  expect(rendered[rendered.length - 1]?.getAttribute('data-id')).toBe('5000');
  expect(list.shadowRoot!.querySelector('[part="log"]')?.getAttribute('role')).toBe('log');
  expect(list.shadowRoot!.querySelector('[part="log"]')?.getAttribute('aria-live')).toBe('polite');
});

test('message list: text is text, own messages are marked, the unread marker sits above the first unread', async () => {
  const room = new RoomState('lobby');
  room.addMessages([
    message(1, 'ana', 'mine'),
    message(2, 'bea', '<img src=x onerror=alert(1)>'),
    message(3, 'bea', 'later'),
  ]);
  const list = await mount('chat-message-list', {
    room: 'lobby',
    items: room.timeline,
    version: room.version,
    nick: 'ana',
    marker: { id: 2, count: 2 },
  });
  const root = list.shadowRoot!;
  expect(root.querySelector('img')).toBeNull();
  expect([...root.querySelectorAll('[part~="text"]')].map((p) => p.textContent)).toEqual([
    'mine',
    '<img src=x onerror=alert(1)>',
    'later',
  ]);
  expect(root.querySelectorAll('[part~="own"]')).toHaveLength(1);
  expect(root.querySelector('[part="unread-marker"]')?.nextElementSibling?.getAttribute('data-id')).toBe('2');
  expect(root.querySelector('[part="jump-button"]')?.textContent).toContain('2 new messages');
});

test('room list: unread badges, and choosing a room is reported as an event', async () => {
  const list = await mount('chat-room-list', {
    rooms: [
      { name: 'lobby', unread: 0 },
      { name: 'random', unread: 3 },
    ],
    active: 'lobby',
    others: [{ name: 'books', members: 4 }],
  });
  const selected = events('chat-room-select');
  const joined = events('chat-room-join');
  const root = list.shadowRoot!;
  expect(root.querySelector('[part="badge"]')?.getAttribute('aria-label')).toBe('3 unread');
  root.querySelectorAll<HTMLButtonElement>('[part~="room"]')[1]!.click();
  root.querySelector<HTMLButtonElement>('[part="other-room"]')!.click();
  expect(selected).toEqual([{ room: 'random' }]);
  expect(joined).toEqual([{ room: 'books' }]);
});

test('strings come from the table of the language, with its direction', async () => {
  const form = await mount('chat-nick-form', { strings: ar, error: ar.errors.NICK_TAKEN });
  expect(form.shadowRoot!.querySelector('label')?.textContent).toBe('الاسم المستعار');
  expect(form.shadowRoot!.querySelector('[part="error"]')?.textContent).toBe(ar.errors.NICK_TAKEN);
  expect(ar.dir).toBe('rtl');
});

/** The smallest element with a language: it shows the nickname label of its strings table. */
class LangProbe extends LitElement {
  private readonly locale = new LocaleController(this);
  override render() {
    return html`${this.locale.strings.nick.label}`;
  }
}
customElements.define('lang-probe', LangProbe);

test('language: a lang change on <html> or an ancestor re-renders each element, with one observer for all', async () => {
  let observers = 0;
  let stopped = 0;
  vi.stubGlobal(
    'MutationObserver',
    class extends MutationObserver {
      constructor(callback: MutationCallback) {
        super(callback);
        observers++;
      }
      override disconnect() {
        stopped++;
        super.disconnect();
      }
    },
  );
  try {
    document.body.innerHTML = '<div id="box"><lang-probe></lang-probe></div><lang-probe></lang-probe>';
    const [inBox, outside] = [...document.querySelectorAll('lang-probe')] as LangProbe[];
    const label = (el: LangProbe | undefined) => el?.shadowRoot?.textContent;
    await expect.poll(() => [label(inBox), label(outside)]).toEqual(['Nickname', 'Nickname']);
    document.documentElement.setAttribute('lang', 'ar');
    await expect.poll(() => [label(inBox), label(outside)]).toEqual([ar.nick.label, ar.nick.label]);
    document.getElementById('box')!.setAttribute('lang', 'en');
    await expect.poll(() => [label(inBox), label(outside)]).toEqual(['Nickname', ar.nick.label]);
    expect(observers).toBe(1);
    document.body.innerHTML = '';
    expect(stopped).toBe(1);
  } finally {
    document.documentElement.removeAttribute('lang');
    vi.unstubAllGlobals();
  }
});
