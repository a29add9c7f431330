/**
 * Development aid (not part of the suite): what each client costs in the heap, from two snapshots of one server
 * process at two client counts (`bench/heap-probe.ts` writes them; issue 24).
 *
 *   npx tsx bench/heap-diff.ts /tmp/heapsnap/product-1000.heapsnapshot /tmp/heapsnap/product-3000.heapsnapshot 2000
 *   … 2000 --retainers='closure:'     also splits the matching items by what holds them (parent and edge)
 *
 * Self sizes are summed per item, `type:name` (the constructor for objects, the function for closures, with its
 * file and line when the snapshot has locations), and the difference is divided by the client difference.
 * Strings are grouped by kind only (their name is their content). Self size, not retained size: every byte is
 * counted once, in the item that holds it, so the rows add up to the whole difference.
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[]];
      edge_fields: string[];
      edge_types: [string[]];
      location_fields?: string[];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
  locations?: number[];
}

const STRING_TYPES = new Set(['string', 'concatenated string', 'sliced string']);

/** A reader over the flat arrays of a .heapsnapshot (format: v8's heap-snapshot-generator). */
class Heap {
  readonly nodeCount: number;
  private readonly nf: number;
  private readonly ef: number;
  private readonly firstEdge: Uint32Array;
  private readonly location = new Map<number, string>();
  private readonly scriptName = new Map<number, string>();

  constructor(private readonly s: Snapshot) {
    const meta = s.snapshot.meta;
    this.nf = meta.node_fields.length;
    this.ef = meta.edge_fields.length;
    this.nodeCount = s.nodes.length / this.nf;
    this.firstEdge = new Uint32Array(this.nodeCount + 1);
    const edgeCount = meta.node_fields.indexOf('edge_count');
    for (let i = 0, e = 0; i < this.nodeCount; i++) {
      this.firstEdge[i] = e;
      e += s.nodes[i * this.nf + edgeCount]! * this.ef;
      this.firstEdge[i + 1] = e;
    }
    this.readLocations();
  }

  type(i: number): string {
    return this.s.snapshot.meta.node_types[0][this.s.nodes[i * this.nf]!]!;
  }

  name(i: number): string {
    return this.s.strings[this.s.nodes[i * this.nf + 1]!]!;
  }

  selfSize(i: number): number {
    return this.s.nodes[i * this.nf + 3]!;
  }

  /** The item a node counts under. */
  key(i: number): string {
    const type = this.type(i);
    if (STRING_TYPES.has(type)) return type;
    if (type === 'number') return 'number';
    const name = type === 'closure' ? `${this.name(i) || '(anonymous)'} ${this.location.get(i) ?? ''}` : this.name(i);
    return `${type}:${name.length > 80 ? `${name.slice(0, 80)}…` : name}`;
  }

  /** Calls back with (child, edge name) for each outgoing edge of node i. */
  forEachEdge(i: number, visit: (child: number, edgeName: string) => void): void {
    const types = this.s.snapshot.meta.edge_types[0];
    for (let e = this.firstEdge[i]!; e < this.firstEdge[i + 1]!; e += this.ef) {
      const type = types[this.s.edges[e]!];
      const nameOrIndex = this.s.edges[e + 1]!;
      const edgeName = type === 'element' || type === 'hidden' ? `[${type}]` : this.s.strings[nameOrIndex]!;
      visit(this.s.edges[e + 2]! / this.nf, edgeName);
    }
  }

  /** Closure locations as `file:line`: the closure's SharedFunctionInfo points at its script, named by its URL. */
  private readLocations(): void {
    const { locations } = this.s;
    const fields = this.s.snapshot.meta.location_fields;
    if (!locations || !fields) return;
    const lf = fields.length;
    for (let l = 0; l < locations.length; l += lf) {
      const node = locations[l]! / this.nf;
      if (this.type(node) !== 'closure') continue;
      this.location.set(node, `${this.scriptOf(node, locations[l + 1]!)}:${locations[l + 2]! + 1}`);
    }
  }

  private scriptOf(closure: number, scriptId: number): string {
    const known = this.scriptName.get(scriptId);
    if (known !== undefined) return known;
    let name = `script${scriptId}`;
    this.forEachEdge(closure, (shared, edge) => {
      if (edge !== 'shared') return;
      this.forEachEdge(shared, (script, e2) => {
        if (e2 === 'script' || e2 === 'script_or_debug_info') name = shortPath(this.name(script)) || name;
      });
    });
    this.scriptName.set(scriptId, name);
    return name;
  }
}

/** node_modules/socket.io/dist/socket.js → socket.io/dist/socket.js; the worktree's own files from the root. */
function shortPath(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) return path.slice(nm + 'node_modules/'.length);
  const own = /\/(server|bench)\//.exec(path);
  return own ? path.slice(own.index + 1) : path;
}

function load(file: string): Heap {
  return new Heap(JSON.parse(readFileSync(file, 'utf8')) as Snapshot);
}

interface Tally {
  bytes: number;
  count: number;
}

function add(map: Map<string, Tally>, key: string, bytes: number): void {
  const t = map.get(key) ?? { bytes: 0, count: 0 };
  t.bytes += bytes;
  t.count += 1;
  map.set(key, t);
}

/** Self size per item; with `retainers`, items starting with it are split by parent item and edge name. */
function tally(heap: Heap, retainers?: string): Map<string, Tally> {
  const byKey = new Map<string, Tally>();
  const parentOf = retainers === undefined ? undefined : firstRetainers(heap);
  for (let i = 0; i < heap.nodeCount; i++) {
    const key = heap.key(i);
    if (parentOf && retainers !== undefined && key.startsWith(retainers)) {
      add(byKey, `${key}  ${retainerPath(heap, parentOf, i)}`, heap.selfSize(i));
    } else add(byKey, key, heap.selfSize(i));
  }
  return byKey;
}

/** `← parent .edge ← grandparent .edge`: two steps up are usually enough to name the owner. */
function retainerPath(heap: Heap, parentOf: Map<number, [number, string]>, node: number): string {
  let path = '';
  let at = node;
  for (let step = 0; step < 2; step++) {
    const parent = parentOf.get(at);
    if (!parent) break;
    path += `← ${heap.key(parent[0])} .${parent[1]} `;
    at = parent[0];
  }
  return path || '← ?';
}

/** One retainer per node (the first non-weak edge found), enough to say which Map or object holds an item. */
function firstRetainers(heap: Heap): Map<number, [number, string]> {
  const parent = new Map<number, [number, string]>();
  for (let i = 0; i < heap.nodeCount; i++) {
    heap.forEachEdge(i, (child, edge) => {
      if (!parent.has(child) && edge !== '[weak]') parent.set(child, [i, edge]);
    });
  }
  return parent;
}

const [fileA, fileB, clientsArg] = process.argv.slice(2);
const retainers = process.argv.find((a) => a.startsWith('--retainers='))?.slice('--retainers='.length);
const top = Number(process.argv.find((a) => a.startsWith('--top='))?.slice('--top='.length) ?? 40);
if (!fileA || !fileB || !clientsArg) {
  process.stderr.write('usage: heap-diff.ts <fewer.heapsnapshot> <more.heapsnapshot> <client difference>\n');
  process.exit(2);
}
const clients = Number(clientsArg);
const a = tally(load(fileA), retainers);
const b = tally(load(fileB), retainers);
const rows = [...new Set([...a.keys(), ...b.keys()])].map((key) => {
  const before = a.get(key) ?? { bytes: 0, count: 0 };
  const after = b.get(key) ?? { bytes: 0, count: 0 };
  return { key, bytes: (after.bytes - before.bytes) / clients, count: (after.count - before.count) / clients };
});
rows.sort((x, y) => y.bytes - x.bytes);
const total = rows.reduce((sum, r) => sum + r.bytes, 0);
process.stdout.write(`heap bytes per client: ${total.toFixed(0)} (self sizes, ${rows.length} items)\n`);
process.stdout.write('| bytes/client | objects/client | item |\n|---:|---:|---|\n');
for (const r of rows.slice(0, top)) {
  process.stdout.write(`| ${r.bytes.toFixed(0)} | ${r.count.toFixed(2)} | \`${r.key}\` |\n`);
}
