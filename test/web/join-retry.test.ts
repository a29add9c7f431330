import { expect, test } from 'vitest';
import { memoryLimits } from '../../server/lib/rate-limit.js';
import { joinAndCatchUp } from '../../web/chat/room-sync.js';
import { RoomState } from '../../web/chat/room-state.js';
import { LOOPBACK_BUDGETS, chatAs, useFreshServer } from '../helpers.js';

// The client's side of HISTORY_ROWS_PER_ADDRESS: a join refused for the address's budget is tried again, so a
// reconnect storm behind one address ends with every room joined, a little later.
const rows = { points: 60, windowSeconds: 1 }; // one join's page (50 reserved) a second
const server = useFreshServer({ limits: memoryLimits({ ...LOOPBACK_BUDGETS, addressHistory: rows }) });

test('a join refused with RATE_LIMITED is tried again until the address has rows again', async () => {
  const ana = await chatAs(server.url, 'ana');
  expect(await ana.emitWithAck('room:join', 'first')).toMatchObject({ ok: true }); // empty: costs nothing
  for (let i = 0; i < 20; i++) await ana.emitWithAck('message:send', { room: 'first', text: `m${i}` });
  await new Promise((resolve) => setTimeout(resolve, 1000)); // a fresh window of 60 rows
  expect(await ana.emitWithAck('room:history', { room: 'first', limit: 20 })).toMatchObject({ ok: true }); // 40 left
  expect(await ana.emitWithAck('room:join', 'second')).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  const room = new RoomState('second');
  expect(await joinAndCatchUp(ana, room)).toEqual({ added: 0, messages: [] });
  expect(await ana.emitWithAck('room:members', 'second')).toMatchObject({ members: ['ana'] });
});
