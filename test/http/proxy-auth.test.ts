import { expect, test } from 'vitest';
import { LOOPBACK_CLIENT_LIMITS, useFreshServer } from '../helpers.js';

// Behind one proxy (TRUST_PROXY=1) every request comes from the proxy's address; the client is the rightmost
// X-Forwarded-For entry. The bearer-token failure budget must follow the client, not the proxy.
const server = useFreshServer({
  newsToken: 'n3ws',
  adminToken: 'adm1n',
  http: { metricsToken: 'm3trics' },
  clientLimits: { ...LOOPBACK_CLIENT_LIMITS, trustedProxies: 1 },
});

const from = (client: string, path: string, token: string) =>
  fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': client } });

test('behind a trusted proxy a client guessing tokens is locked out, other clients are not', async () => {
  for (let i = 0; i < 10; i++) expect((await from('203.0.113.7', '/metrics', `guess-${i}`)).status).toBe(401);
  expect((await from('203.0.113.7', '/metrics', 'm3trics')).status).toBe(429);

  expect((await from('198.51.100.2', '/metrics', 'm3trics')).status).toBe(200);
  expect((await from('198.51.100.2', '/healthz', 'm3trics')).status).toBe(200);
  const admin = await fetch(`${server.url}/api/admin/rooms/lobby/bans/bea`, {
    method: 'DELETE',
    headers: { authorization: 'Bearer adm1n', 'x-forwarded-for': '198.51.100.2' },
  });
  expect(admin.status).toBe(200);
  // a client cannot escape its budget by writing its own entries to the left of the proxy's
  expect((await from('10.9.9.9, 203.0.113.7', '/metrics', 'm3trics')).status).toBe(429);
});

test('IPv6 clients share one failure budget per /64', async () => {
  for (let i = 0; i < 10; i++) {
    expect((await from(`2001:db8:1:2::${i + 1}`, '/metrics', `guess-${i}`)).status).toBe(401);
  }
  expect((await from('2001:db8:1:2:ffff:ffff:ffff:ffff', '/metrics', 'm3trics')).status).toBe(429);
  expect((await from('2001:0db8:0001:0002:0000::abcd', '/metrics', 'm3trics')).status).toBe(429);
  expect((await from('2001:db8:1:3::1', '/metrics', 'm3trics')).status).toBe(200);
});
