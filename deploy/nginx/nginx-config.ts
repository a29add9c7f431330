import { readFileSync, writeFileSync } from 'node:fs';
import { sessionIdPrefix } from '../../server/app.js';

const TEMPLATE = new URL('./parley.conf.template', import.meta.url);

/** One cluster node as nginx sees it. */
export interface NginxNode {
  /** Its NODE_ID: the sids it creates start with `sessionIdPrefix(id)` and a dot. */
  id: string;
  /** Where it listens, e.g. `http://127.0.0.1:3001`. */
  url: string;
  /** Takes new sessions only while every other node is down (nginx `backup`). */
  backup?: boolean;
}

export interface NginxConfigOptions {
  /** nginx's `listen` argument: a port, or `127.0.0.1:8080`. */
  listen: number | string;
  nodes: readonly NginxNode[];
}

const hostPort = (url: string): string => {
  const { hostname, port } = new URL(url);
  if (!port) throw new Error(`node url ${url} needs an explicit port`);
  return `${hostname}:${port}`;
};

/**
 * deploy/nginx/parley.conf.template filled in for these nodes: an upstream per node, a `map` from the sid's
 * node prefix to it, and a round-robin upstream of all nodes for requests without a sid.
 * @example renderNginxConfig({ listen: 8080, nodes: [{ id: 'a', url: 'http://10.0.0.1:3000' }] })
 */
export function renderNginxConfig({ listen, nodes }: NginxConfigOptions): string {
  if (nodes.length === 0) throw new Error('nginx needs at least one node');
  const prefixes = nodes.map((node) => sessionIdPrefix(node.id));
  const clash = prefixes.find((prefix, i) => prefixes.indexOf(prefix) !== i);
  if (clash !== undefined) throw new Error(`two nodes share the session id prefix ${clash}: give them other ids`);
  const upstream = (i: number) => `parley_node_${i}`;
  const fill: Record<string, string> = {
    listen: String(listen),
    anyNodeServers: nodes
      .map((node) => `        server ${hostPort(node.url)} max_fails=1 fail_timeout=5s${node.backup ? ' backup' : ''};`)
      .join('\n'),
    nodeUpstreams: nodes
      .map(
        (node, i) =>
          `    upstream ${upstream(i)} { server ${hostPort(node.url)}; keepalive 8; keepalive_timeout 4s; } # ${node.id}`,
      )
      .join('\n'),
    // A prefix is [A-Za-z0-9_-]+, nothing a regular expression treats specially; the dot ends it.
    sidRoutes: prefixes.map((prefix, i) => `        "~^${prefix}\\." ${upstream(i)};`).join('\n'),
  };
  return readFileSync(TEMPLATE, 'utf8').replace(/\{\{(\w+)\}\}/g, (whole, key: string) => {
    const value = fill[key];
    if (value === undefined) throw new Error(`the nginx template has an unknown placeholder ${whole}`);
    return value;
  });
}

/** Writes the configuration to `file` (e.g. `<dir>/nginx.conf` for `nginx -p <dir> -c <dir>/nginx.conf`). */
export function writeNginxConfig(file: string, options: NginxConfigOptions): void {
  writeFileSync(file, renderNginxConfig(options));
}
