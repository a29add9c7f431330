import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';

// Keeps the benchmark suite working: the smoke run must finish and write one well-formed JSON line per
// scenario and the markdown table. Benchmarks are not tests, so nothing here looks at how fast anything was.
// In `npm test` it is the fan-out against the product (seconds): the runner, its three load generators, the
// lean client and the product server end to end. `npm run bench:smoke` (BENCH_SMOKE=all) runs every scenario
// against every server kind (~2 min; docs/performance.md).
const all = process.env.BENCH_SMOKE === 'all';
const SCENARIOS = all
  ? ['fanout', 'many-rooms', 'idle', 'slow-consumers', 'stored-sends', 'cluster', 'scale']
  : ['fanout'];
const KINDS = all ? ['product', 'socketio', 'ws'] : ['product'];

const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  metric: string;
  product: string;
  socketio: string;
  ws: string;
  target: string;
  met: string;
}

function runSmoke(jsonFile: string): Promise<string> {
  const args = ['--import', 'tsx', 'bench/run.ts', '--smoke', `--only=${SCENARIOS.join(',')}`, `--json=${jsonFile}`];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { timeout: 240_000, maxBuffer: 16 * 2 ** 20, env: { ...process.env, BENCH_KINDS: KINDS.join(',') } },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

test(`the smoke run (${SCENARIOS.join(', ')}) writes one well-formed result per scenario and a markdown table`, async () => {
  const jsonFile = join(dir, 'results.jsonl');
  const stdout = await runSmoke(jsonFile);
  const lines = readFileSync(jsonFile, 'utf8').trim().split('\n');
  const results = lines.map(
    (line) => JSON.parse(line) as { scenario: string; durationMs: number; servers: object; rows: Row[] },
  );
  expect(results.map((r) => r.scenario)).toEqual(SCENARIOS);
  for (const result of results) {
    expect(result.durationMs).toBeGreaterThan(0);
    expect(Object.keys(result.servers)).toContain('product');
    expect(result.rows.length).toBeGreaterThan(0);
    for (const row of result.rows) {
      expect(row).toMatchObject({
        metric: expect.any(String),
        product: expect.any(String),
        target: expect.any(String),
      });
      expect(['yes', 'no', '—']).toContain(row.met);
      expect(row.product).not.toMatch(/NaN|undefined/);
    }
  }
  const fanout = results[0]?.servers as Record<string, { deliveredPerSec: number; p99Ms: number }[]>;
  expect(Object.keys(fanout).sort()).toEqual([...KINDS].sort());
  for (const kind of KINDS) {
    const step = fanout[kind]?.[0];
    expect(step?.deliveredPerSec).toBeGreaterThan(0); // traffic flowed; how much is not a test matter
    expect(Number.isFinite(step?.p99Ms)).toBe(true);
  }
  expect(stdout).toContain('| scenario | metric | product | plain Socket.IO | raw ws | target | met |');
}, 270_000);
