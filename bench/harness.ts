/** A minimal benchmark loop: warm up, then count operations for a fixed time. Not a timed test. */
export interface BenchResult {
  readonly name: string;
  readonly opsPerSecond: number;
  readonly meanMs: number;
  readonly iterations: number;
}

export async function measure(name: string, fn: () => Promise<unknown>, seconds = 3): Promise<BenchResult> {
  const warmUntil = performance.now() + 500;
  while (performance.now() < warmUntil) await fn();
  let iterations = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    await fn();
    iterations++;
  }
  const elapsed = performance.now() - start;
  return { name, opsPerSecond: (iterations * 1000) / elapsed, meanMs: elapsed / iterations, iterations };
}

export function formatRow(result: BenchResult): string {
  return `${result.name.padEnd(58)} ${result.opsPerSecond.toFixed(0).padStart(8)} ops/s ${result.meanMs.toFixed(3).padStart(9)} ms/op`;
}
