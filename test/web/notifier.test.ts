// @vitest-environment happy-dom
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { NOTIFY_EVERY_MS, Notifier } from '../../web/controllers/notifier.js';

// Hardening round 2 (low): mention pings are coalesced per room. The browser's Notification is replaced by a
// recorder: what is tested is how many notifications the page asks for, and with what.
const shown: { title: string; body: string; tag: string }[] = [];
class RecordingNotification {
  static permission = 'granted';
  onclick: (() => void) | null = null;
  constructor(title: string, options: { body: string; tag: string }) {
    shown.push({ title, body: options.body, tag: options.tag });
  }
  close(): void {}
}

const host = { addController: () => undefined, removeController: () => undefined, requestUpdate: () => undefined };
let notifier: Notifier;
beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal('Notification', RecordingNotification);
  localStorage.setItem('chat-notifications', 'on');
  notifier = new Notifier(host as never, () => undefined);
  notifier.hostConnected();
  shown.length = 0;
});
afterEach(() => {
  notifier.hostDisconnected();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

test('60 mentions in one room within 1.2 s make two notifications: the first, and the latest when the window ends', () => {
  for (let i = 1; i <= 60; i++) {
    notifier.show('#lobby', `ping ${i}`, 'lobby');
    vi.advanceTimersByTime(20);
  }
  expect(shown.map((n) => n.body)).toEqual(['ping 1']);
  vi.advanceTimersByTime(NOTIFY_EVERY_MS);
  expect(shown.map((n) => n.body)).toEqual(['ping 1', 'ping 60']);
  vi.advanceTimersByTime(NOTIFY_EVERY_MS * 3); // nothing more was held back
  expect(shown).toHaveLength(2);
});

test('rooms are coalesced apart, and a quiet room notifies at once again', () => {
  notifier.show('#lobby', 'a', 'lobby');
  notifier.show('#help', 'b', 'help');
  expect(shown.map((n) => n.tag)).toEqual(['chat:lobby', 'chat:help']);
  vi.advanceTimersByTime(NOTIFY_EVERY_MS + 1);
  notifier.show('#lobby', 'c', 'lobby');
  expect(shown.map((n) => n.body)).toEqual(['a', 'b', 'c']);
});
