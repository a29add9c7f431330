/**
 * How many events happened in the last `windowMs`, kept in one-second buckets: memory is fixed (60 numbers for a
 * minute) however many events there are, and the count is exact to within the second the window starts in.
 *
 * @example const sends = new RecentCount(60_000); sends.add(); sends.total() // 1
 */
export class RecentCount {
  private readonly buckets: number[];
  /** The second (since the epoch) each bucket counts, so a stale bucket is known without a timer. */
  private readonly seconds: number[];

  constructor(
    windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    const size = Math.max(1, Math.ceil(windowMs / 1000));
    this.buckets = new Array<number>(size).fill(0);
    this.seconds = new Array<number>(size).fill(-1);
  }

  add(): void {
    const second = Math.floor(this.now() / 1000);
    const i = second % this.buckets.length;
    if (this.seconds[i] !== second) [this.seconds[i], this.buckets[i]] = [second, 0];
    this.buckets[i] = (this.buckets[i] ?? 0) + 1;
  }

  total(): number {
    const oldest = Math.floor(this.now() / 1000) - this.buckets.length + 1;
    return this.buckets.reduce((sum, n, i) => ((this.seconds[i] ?? -1) >= oldest ? sum + n : sum), 0);
  }
}
