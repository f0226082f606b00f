/** Timing helpers shared by the benchmarks: samples in microseconds, percentiles. */

/** The `p`th percentile (nearest rank) of `samples`; NaN for none. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Runs `run` `warmUp` times, then times `iterations` runs one after another: microseconds each. */
export async function sample(iterations: number, run: () => Promise<unknown>, warmUp = 30): Promise<number[]> {
  for (let index = 0; index < warmUp; index += 1) await run();
  const samples: number[] = [];
  for (let index = 0; index < iterations; index += 1) {
    const start = performance.now();
    await run();
    samples.push((performance.now() - start) * 1000);
  }
  return samples;
}

/**
 * Samples of `first` and `second` taken alternately after a joint warm-up (microseconds), so drift
 * on a shared machine hits both alike.
 */
export async function interleaved(
  iterations: number,
  first: () => Promise<unknown>,
  second: () => Promise<unknown>,
  warmUp = 30,
): Promise<[number[], number[]]> {
  for (let index = 0; index < warmUp; index += 1) {
    await first();
    await second();
  }
  const samples: [number[], number[]] = [[], []];
  for (let index = 0; index < iterations; index += 1) {
    for (const [slot, run] of [first, second].entries()) {
      const start = performance.now();
      await run();
      samples[slot]?.push((performance.now() - start) * 1000);
    }
  }
  return samples;
}
