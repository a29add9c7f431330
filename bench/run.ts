/**
 * The benchmark suite (issue 5): `npm run bench` for the full run, `npm run bench -- --smoke` for a ~2 min run of
 * every scenario at toy sizes that only shows the suite works (`npm run bench:smoke` checks its output). Options: `--only=fanout,idle`, `--json=<file>` (JSON lines), `--no-docs`,
 * `--cpu-prof` (profiles the product server into <tmpdir>/chat-bench-profiles).
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import type { BenchContext, ScenarioResult } from './lib/context.js';
import { markdownTable } from './lib/report.js';
import { Worker, killAll } from './lib/procs.js';
import { cluster } from './scenarios/cluster.js';
import { fanout } from './scenarios/fanout.js';
import { idle } from './scenarios/idle.js';
import { manyRooms } from './scenarios/many-rooms.js';
import { scale } from './scenarios/scale.js';
import { slowConsumers } from './scenarios/slow-consumers.js';
import { storedSends } from './scenarios/stored-sends.js';

const SCENARIOS: Record<string, (ctx: BenchContext) => Promise<ScenarioResult>> = {
  fanout,
  'many-rooms': manyRooms,
  idle,
  'slow-consumers': slowConsumers,
  'stored-sends': storedSends,
  cluster,
  scale,
};

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const smoke = flag('smoke');
const only = option('only')?.split(',') ?? Object.keys(SCENARIOS);
const jsonFile = option('json');
const PROFILE_DIR = `${tmpdir()}/chat-bench-profiles`;
/** A full run rewrites the docs table; `--update-docs` merges the scenarios just run into the last results. */
const writeDocs = !smoke && !flag('no-docs') && (only.length === Object.keys(SCENARIOS).length || flag('update-docs'));

/** Open-file limit: idle holds 10k connections in the server and in the generators, scale 18k in the server. */
function openFileLimit(): number {
  const limits = readFileSync('/proc/self/limits', 'utf8');
  return Number(/Max open files\s+(\d+)/.exec(limits)?.[1] ?? 1024);
}

function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const kernel = execFileSync('uname', ['-sr']).toString().trim();
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, ${kernel}, Node ${process.version}`;
}

async function main(): Promise<void> {
  const started = Date.now();
  const log = (message: string) =>
    process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
  const limit = openFileLimit();
  log(`open-file limit ${limit}; ${machine()}; load ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
  const ctx: BenchContext = {
    smoke,
    receivers: [new Worker('gen-a'), new Worker('gen-b')],
    sender: new Worker('gen-s'),
    productNodeArgs: flag('cpu-prof') ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [],
    log,
    maxIdleClients: limit >= 12_000 ? 10_000 : Math.floor((limit - 1000) / 1000) * 1000,
    openFileLimit: limit,
  };
  const results: ScenarioResult[] = [];
  try {
    for (const name of only) {
      const scenario = SCENARIOS[name];
      if (!scenario) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);
      log(`scenario ${name}`);
      const result = {
        ...(await scenario(ctx)),
        finishedAt: new Date().toISOString(),
        loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
      };
      results.push(result);
      const line = JSON.stringify(result);
      process.stdout.write(`${line}\n`);
      if (jsonFile) appendFileSync(jsonFile, `${line}\n`);
    }
  } finally {
    await Promise.all([...ctx.receivers, ctx.sender].map((w) => w.stop()));
    killAll();
  }
  process.stdout.write(`\n${markdownTable(results)}\n`);
  if (writeDocs) writeDocsFile(mergeWithLatest(results), machine());
  if (flag('cpu-prof')) log(`CPU profiles of the product server are in ${PROFILE_DIR}`);
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const LATEST = 'bench/results/latest.jsonl';

/** The last results with the scenarios just run replaced, in suite order. */
function mergeWithLatest(fresh: ScenarioResult[]): ScenarioResult[] {
  let previous: ScenarioResult[] = [];
  try {
    previous = readFileSync(LATEST, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as ScenarioResult);
  } catch {
    previous = [];
  }
  const byName = new Map(previous.map((r) => [r.scenario, r]));
  for (const r of fresh) byName.set(r.scenario, r);
  return Object.keys(SCENARIOS).flatMap((name) => byName.get(name) ?? []);
}

function writeDocsFile(results: ScenarioResult[], host: string): void {
  mkdirSync('docs', { recursive: true });
  const path = 'docs/performance.md';
  let doc = '';
  try {
    doc = readFileSync(path, 'utf8');
  } catch {
    doc = '# Performance\n\n<!-- bench:start -->\n<!-- bench:end -->\n';
  }
  const runs = results.map(
    (r) => `- ${r.scenario}: finished ${r.finishedAt ?? '?'}, load average ${r.loadAverage ?? '?'}`,
  );
  const block = [
    '<!-- bench:start -->',
    `Machine: ${host}. This is a shared machine (other people's tests and a Chromium suite ran on the same 2`,
    'cores), so latencies and saturation points move between runs; CPU per delivery and memory move less.',
    '',
    markdownTable(results),
    '',
    'When each scenario ran:',
    '',
    ...runs,
    '',
    `Raw results (one JSON line per scenario) are in \`${LATEST}\`.`,
    '<!-- bench:end -->',
  ].join('\n');
  const next = doc.includes('<!-- bench:start -->')
    ? doc.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, block)
    : `${doc}\n${block}\n`;
  writeFileSync(path, next);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(LATEST, results.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}
process.on('exit', killAll);
main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  killAll();
  process.exit(1);
});
