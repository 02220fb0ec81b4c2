import { elapsedMs, type LatencySummary, summarizeLatencies } from './stats.js';

export interface ThroughputResult {
  /** Operations completed per second over the measured run. */
  perSecond: number;
  completed: number;
  failed: number;
  seconds: number;
  latency: LatencySummary;
}

/**
 * Runs `operation` from `workers` concurrent callers, each starting the next
 * one as soon as the previous answer arrives (a closed loop, like autocannon
 * and pgbench), until `seconds` have passed or `maxOperations` have started.
 * `operation` gets a running index, to rotate through a fixed list of inputs,
 * and the number of the caller, to give each one its own connection.
 */
export async function runClosedLoop(
  workers: number,
  seconds: number,
  operation: (index: number, worker: number) => Promise<unknown>,
  maxOperations = 10_000_000,
): Promise<ThroughputResult> {
  const latencies: number[] = [];
  let started = 0;
  let failed = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  async function callUntilDone(worker: number) {
    while (performance.now() < deadline && started < maxOperations) {
      const index = started++;
      const begin = performance.now();
      try {
        await operation(index, worker);
        latencies.push(elapsedMs(begin));
      } catch {
        failed += 1;
      }
    }
  }
  await Promise.all(Array.from({ length: workers }, (_, worker) => callUntilDone(worker)));
  const measuredS = elapsedMs(start) / 1000;
  return {
    perSecond: latencies.length / measuredS,
    completed: latencies.length,
    failed,
    seconds: measuredS,
    latency: summarizeLatencies(latencies),
  };
}
