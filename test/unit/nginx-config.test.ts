import { expect, test } from 'vitest';
import { renderNginxConfig } from '../../deploy/nginx/nginx-config.js';

const nodes = [
  { id: 'node-1', url: 'http://127.0.0.1:3001' },
  { id: 'eu.web.2', url: 'http://10.0.0.2:3000', backup: true },
];

test('each node gets an upstream and a sid route by its session id prefix; the rest goes to any node', () => {
  const conf = renderNginxConfig({ listen: '127.0.0.1:8080', nodes });
  expect(conf).toContain('listen 127.0.0.1:8080;');
  expect(conf).toContain(
    'upstream parley_node_0 { server 127.0.0.1:3001; keepalive 8; keepalive_timeout 4s; } # node-1',
  );
  expect(conf).toContain(
    'upstream parley_node_1 { server 10.0.0.2:3000; keepalive 8; keepalive_timeout 4s; } # eu.web.2',
  );
  // the prefix is the node id with every character outside [A-Za-z0-9_-] made a dash, then a dot
  expect(conf).toContain('"~^node-1\\." parley_node_0;');
  expect(conf).toContain('"~^eu-web-2\\." parley_node_1;');
  expect(conf).toMatch(
    /upstream parley_any \{\n\s+server 127\.0\.0\.1:3001 max_fails=1 fail_timeout=5s;\n\s+server 10\.0\.0\.2:3000 max_fails=1 fail_timeout=5s backup;/,
  );
  expect(conf).toContain('default parley_any;');
  expect(conf).not.toMatch(/\{\{\w+\}\}/);
});

test('node ids with the same session id prefix, a node without a port, or no node at all are refused', () => {
  const clash = [
    { id: 'a.b', url: 'http://127.0.0.1:1' },
    { id: 'a-b', url: 'http://127.0.0.1:2' },
  ];
  expect(() => renderNginxConfig({ listen: 80, nodes: clash })).toThrow(/a-b/);
  expect(() => renderNginxConfig({ listen: 80, nodes: [{ id: 'a', url: 'http://h' }] })).toThrow(/port/);
  expect(() => renderNginxConfig({ listen: 80, nodes: [] })).toThrow(/at least one/);
});
