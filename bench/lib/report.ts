import type { ScenarioResult } from './context.js';

/** One markdown table over all scenarios: product, the two baselines (ratios in brackets), target, met. */
export function markdownTable(results: readonly ScenarioResult[]): string {
  const lines = [
    '| scenario | metric | product | plain Socket.IO | raw ws | target | met |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const result of results) {
    for (const row of result.rows) {
      lines.push(
        `| ${result.scenario} | ${row.metric} | ${row.product} | ${row.socketio} | ${row.ws} | ${row.target} | ${row.met} |`,
      );
    }
  }
  return lines.join('\n');
}
