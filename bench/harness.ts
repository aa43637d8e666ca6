/** A minimal benchmark loop: warm up, then count operations for a fixed time. Not a timed test. */
export interface BenchResult {
  readonly name: string;
  readonly opsPerSecond: number;
  readonly meanMs: number;
  readonly iterations: number;
}

async function countFor(fn: () => Promise<unknown>, milliseconds: number): Promise<{ iterations: number; elapsed: number }> {
  let iterations = 0;
  const start = performance.now();
  const end = start + milliseconds;
  while (performance.now() < end) {
    await fn();
    iterations++;
  }
  return { iterations, elapsed: performance.now() - start };
}

export async function measure(name: string, fn: () => Promise<unknown>, seconds = 3): Promise<BenchResult> {
  await countFor(fn, 500);
  const { iterations, elapsed } = await countFor(fn, seconds * 1000);
  return { name, opsPerSecond: (iterations * 1000) / elapsed, meanMs: elapsed / iterations, iterations };
}

export interface Comparison {
  readonly baseline: BenchResult;
  readonly subject: BenchResult;
  /** Median over rounds of subject rate / baseline rate. */
  readonly ratio: number;
  /** The lowest and highest round's ratio: how much the machine moved during the run. */
  readonly ratioRange: readonly [number, number];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Two loops measured in alternating short rounds (ABBA order), so a shared machine that speeds up or
 * slows down during the run moves both alike; the ratio is the median of the rounds' ratios. Measured
 * one after the other, a ratio between two 3-second runs swung by a third on a busy virtual machine.
 */
export async function compare(
  baseline: { name: string; fn: () => Promise<unknown> },
  subject: { name: string; fn: () => Promise<unknown> },
  seconds = 3,
): Promise<Comparison> {
  const roundMs = 250;
  await countFor(baseline.fn, 500);
  await countFor(subject.fn, 500);
  const rounds = Math.max(3, Math.round((seconds * 1000) / roundMs));
  const rates = { baseline: [] as number[], subject: [] as number[] };
  const totals = { baseline: { iterations: 0, elapsed: 0 }, subject: { iterations: 0, elapsed: 0 } };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? (['baseline', 'subject'] as const) : (['subject', 'baseline'] as const);
    for (const side of order) {
      const { iterations, elapsed } = await countFor(side === 'baseline' ? baseline.fn : subject.fn, roundMs);
      rates[side].push((iterations * 1000) / elapsed);
      totals[side].iterations += iterations;
      totals[side].elapsed += elapsed;
    }
  }
  const result = (name: string, side: 'baseline' | 'subject'): BenchResult => {
    const opsPerSecond = median(rates[side]);
    return { name, opsPerSecond, meanMs: 1000 / opsPerSecond, iterations: totals[side].iterations };
  };
  const ratios = rates.subject.map((rate, i) => rate / rates.baseline[i]!);
  return {
    baseline: result(baseline.name, 'baseline'),
    subject: result(subject.name, 'subject'),
    ratio: median(ratios),
    ratioRange: [Math.min(...ratios), Math.max(...ratios)],
  };
}

export function formatRow(result: BenchResult): string {
  return `${result.name.padEnd(58)} ${result.opsPerSecond.toFixed(0).padStart(8)} ops/s ${result.meanMs.toFixed(3).padStart(9)} ms/op`;
}
