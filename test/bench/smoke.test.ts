import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';

// Keeps the benchmark suite working: the runner, its three load generators, the lean client and the product
// server, end to end, must finish and write a well-formed JSON line and the markdown table. Benchmarks are not
// tests, so nothing here looks at how fast anything was. This is the fan-out scenario against the product only
// (seconds); `npm run bench:smoke` runs every scenario against every server kind (~2 min, docs/performance.md).
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
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts', '--smoke', '--only=fanout', `--json=${jsonFile}`],
      { timeout: 60_000, maxBuffer: 16 * 2 ** 20, env: { ...process.env, BENCH_KINDS: 'product' } },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

test('a smoke run of the fan-out writes a well-formed result and a markdown table', async () => {
  const jsonFile = join(dir, 'results.jsonl');
  const stdout = await runSmoke(jsonFile);
  const lines = readFileSync(jsonFile, 'utf8').trim().split('\n');
  const results = lines.map(
    (line) => JSON.parse(line) as { scenario: string; durationMs: number; servers: object; rows: Row[] },
  );
  expect(results.map((r) => r.scenario)).toEqual(['fanout']);
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
  expect(Object.keys(fanout)).toEqual(['product']);
  const step = fanout.product?.[0];
  expect(step?.deliveredPerSec).toBeGreaterThan(0); // traffic flowed; how much is not a test matter
  expect(Number.isFinite(step?.p99Ms)).toBe(true);
  expect(stdout).toContain('| scenario | metric | product | plain Socket.IO | raw ws | target | met |');
}, 90_000);
