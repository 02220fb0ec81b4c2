/** Latency summary in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** The value below which the given share of the sorted samples lies (nearest rank). */
export function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarizeLatencies(samplesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** Milliseconds elapsed since `start`, a `performance.now()` reading. */
export function elapsedMs(start: number): number {
  return performance.now() - start;
}

/**
 * A bound on a measuring loop: it stops at whichever comes first, the count or
 * the time, so that a slow database cannot make the benchmark run for hours.
 */
export class LoopBudget {
  readonly #deadline: number;
  #done = 0;

  constructor(
    readonly maxCount: number,
    maxSeconds: number,
  ) {
    this.#deadline = performance.now() + maxSeconds * 1000;
  }

  /** Takes one iteration from the budget; false once the count or the time is spent. */
  take(): boolean {
    if (this.#done >= this.maxCount || performance.now() >= this.#deadline) return false;
    this.#done += 1;
    return true;
  }

  get done(): number {
    return this.#done;
  }
}

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
