import * as hdr from 'hdr-histogram-js';

export type Histogram = hdr.Histogram;

/** Latencies in µs, 1 µs to 120 s, 3 significant digits. */
export function newHistogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 120_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

export const encode = (h: Histogram): string => hdr.encodeIntoCompressedBase64(h);

/** Adds encoded histograms from several workers into one. */
export function merge(encoded: readonly string[]): Histogram {
  const total = newHistogram();
  for (const e of encoded) total.add(hdr.decodeFromCompressedBase64(e));
  return total;
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const ms = (micros: number): number => Math.round(micros / 10) / 100;

export function summarize(h: Histogram): LatencySummary {
  return {
    count: h.totalCount,
    p50Ms: ms(h.getValueAtPercentile(50)),
    p99Ms: ms(h.getValueAtPercentile(99)),
    maxMs: ms(h.maxValue),
  };
}
