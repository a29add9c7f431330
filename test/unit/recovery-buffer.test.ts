import { expect, test } from 'vitest';
import { PACKET_OVERHEAD_BYTES, RecoveryBuffer } from '../../server/lib/recovery-buffer.js';

const id = (i: number) => `p${String(i).padStart(4, '0')}`; // one length, so every packet counts the same
const packet = (i: number, emittedAt = 0) => ({
  id: id(i),
  rooms: [],
  except: [],
  data: ['message', { text: id(i) }],
  emittedAt,
});
const size = JSON.stringify(packet(0).data).length + PACKET_OVERHEAD_BYTES;

test('over its byte budget the oldest packets go first, and an offset among them is no longer found', () => {
  const buffer = new RecoveryBuffer(size * 3);
  for (let i = 0; i < 5; i++) buffer.push(packet(i));
  expect(buffer.size).toBe(3);
  expect(buffer.bytes).toBe(size * 3);
  expect(buffer.after(id(1))).toBeUndefined();
  expect(buffer.after(id(2))?.map((p) => p.id)).toEqual([id(3), id(4)]);
  expect(buffer.after(id(4))).toEqual([]);
});

test('packets older than the window are dropped; eviction of many keeps the rest in order', () => {
  const buffer = new RecoveryBuffer(size * 1500);
  for (let i = 0; i < 5000; i++) buffer.push(packet(i, i));
  expect(buffer.size).toBe(1500);
  buffer.dropOlderThan(4990);
  expect(buffer.size).toBe(10);
  expect(buffer.bytes).toBe(size * 10);
  expect(buffer.after(id(4989))).toBeUndefined();
  expect(buffer.after(id(4990))?.map((p) => p.id)).toEqual(Array.from({ length: 9 }, (_, i) => id(4991 + i)));
});
