/**
 * Summarises a V8 `.cpuprofile` (from `npm run bench -- --cpu-prof`): self time by function and by module
 * (a package under node_modules, or a file of ours), optionally within a time window, so a phase of a run
 * (connection set-up, then load) can be read on its own.
 *
 *   npx tsx bench/profile-summary.ts PROFILE [--from=S] [--to=S] [--top=N] [--timeline=S] [--callers=NAME]
 *
 * --from/--to are seconds since the profile started; --timeline=S prints the busy share per S-second slice, to find
 * the phases; --callers=NAME prints the stacks that lead to the functions named NAME (e.g. randomFillSync), with
 * the time spent in and under them: who calls a costly native or library function.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const option = (name: string): number | undefined => {
  const hit = args.find((a) => a.startsWith(`--${name}=`));
  return hit === undefined ? undefined : Number(hit.slice(name.length + 3));
};
const callersOf = args.find((a) => a.startsWith('--callers='))?.slice('--callers='.length);
if (!file) {
  console.error(
    'usage: tsx bench/profile-summary.ts PROFILE [--from=S] [--to=S] [--top=N] [--timeline=S] [--callers=NAME]',
  );
  process.exit(2);
}

const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const IDLE = new Set(['(idle)', '(program)']);

/** "socket.io", "engine.io", "ws", … for a package; a repository-relative path for ours; "(native)" otherwise. */
function moduleOf(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const repo = url.indexOf('/server/');
  if (repo >= 0) return url.slice(repo + 1);
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

function label(frame: CallFrame): string {
  return `${frame.functionName || '(anonymous)'} ${moduleOf(frame)}:${frame.lineNumber + 1}`;
}

const from = (option('from') ?? 0) * 1e6;
const to = (option('to') ?? Number.POSITIVE_INFINITY) * 1e6;
const top = option('top') ?? 30;
const slice = option('timeline');

const selfByFunction = new Map<string, number>();
const selfByModule = new Map<string, number>();
/** Inclusive time of our own (server/) functions: the module at the bottom of each stack that is ours. */
const inclusiveOurs = new Map<string, number>();
/** With --callers: time in and under each frame named so, by the stack above it. */
const underCallers = new Map<string, number>();
let busy = 0;
let total = 0;
const timeline = new Map<number, { busy: number; all: number }>();

let t = 0;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i]!;
  const dt = profile.timeDeltas[i + 1] ?? 0;
  const node = byId.get(profile.samples[i]!)!;
  const idle = IDLE.has(node.callFrame.functionName);
  if (slice) {
    const key = Math.floor(t / (slice * 1e6));
    const row = timeline.get(key) ?? { busy: 0, all: 0 };
    row.all += dt;
    if (!idle) row.busy += dt;
    timeline.set(key, row);
  }
  if (t < from || t > to) continue;
  total += dt;
  if (idle) continue;
  busy += dt;
  selfByFunction.set(label(node.callFrame), (selfByFunction.get(label(node.callFrame)) ?? 0) + dt);
  const mod = moduleOf(node.callFrame);
  selfByModule.set(mod, (selfByModule.get(mod) ?? 0) + dt);
  const seen = new Set<string>();
  for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
    const frame = byId.get(id)!.callFrame;
    if (!frame.url.includes('/server/')) continue;
    const key = label(frame);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusiveOurs.set(key, (inclusiveOurs.get(key) ?? 0) + dt);
  }
  if (callersOf !== undefined) countCaller(node.id, dt);
}

/** The nearest frame of this sample named `callersOf`, keyed by the eight frames above it. */
function countCaller(sample: number, dt: number): void {
  let id: number | undefined = sample;
  while (id !== undefined && byId.get(id)!.callFrame.functionName !== callersOf) id = parent.get(id);
  if (id === undefined) return;
  const stack: string[] = [];
  for (let up = parent.get(id); up !== undefined && stack.length < 8; up = parent.get(up)) {
    stack.push(label(byId.get(up)!.callFrame));
  }
  const key = stack.join('\n             < ');
  underCallers.set(key, (underCallers.get(key) ?? 0) + dt);
}

const ms = (us: number) => (us / 1000).toFixed(0).padStart(8);
const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
function print(title: string, rows: Map<string, number>) {
  console.log(`\n${title}`);
  for (const [name, us] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${ms(us)} ms ${pct(us)}  ${name}`);
  }
}

if (slice) {
  console.log('busy share per slice');
  for (const [key, row] of [...timeline].sort((a, b) => a[0] - b[0])) {
    console.log(`${String(key * slice).padStart(5)} s  ${((100 * row.busy) / Math.max(1, row.all)).toFixed(0)}%`);
  }
}
console.log(
  `window ${from / 1e6}–${to === Number.POSITIVE_INFINITY ? 'end' : to / 1e6} s: busy ${ms(busy)} ms of ${ms(total)} ms`,
);
print('self time by module', selfByModule);
print('self time by function', selfByFunction);
print('inclusive time of server/ functions', inclusiveOurs);
if (callersOf !== undefined) print(`callers of ${callersOf} (time in and under it)`, underCallers);
