// What a benchmark hands back: figures measured in paired runs (ours and each peer back to back), figures that
// have no peer (sizes, activation), and benchmarks that could not be measured, with why.

export type Unit = 'ms' | 'MB' | 'calls/min' | 'k lines/s';

export interface Series {
  label: string;
  values: number[];
}

export interface Figure {
  group: string;
  name: string;
  unit: Unit;
  ours: Series;
  /** Each peer's values are paired with ours by index (run i of each was made back to back). */
  peers: Series[];
  /** Rates: higher is better (the default is lower: times, sizes, calls). */
  higherIsBetter?: boolean;
  aim?: string;
  /** Whether the aim is met, when it can be judged from the medians. */
  aimMet?: boolean;
  note?: string;
}

export interface NotMeasured {
  group: string;
  why: string;
}

export interface BenchOutput {
  figures: Figure[];
  notMeasured: NotMeasured[];
  notes: string[];
}

export const emptyOutput = (): BenchOutput => ({ figures: [], notMeasured: [], notes: [] });

export interface RunPlan {
  warmup: number;
  runs: number;
}

/** A costly benchmark keeps fewer runs (at least 3, so a median means something). */
export function capped(plan: RunPlan, maxRuns: number): RunPlan {
  return { warmup: plan.warmup, runs: Math.min(plan.runs, Math.max(3, maxRuns)) };
}

/**
 * Runs `contenders` (ours first) warm-up + runs times, interleaved and in a rotating order so that drift on a
 * busy machine hits every contender alike. Returns the kept samples per contender, in run order.
 */
export async function interleaved<T>(plan: RunPlan, contenders: { label: string; run: () => Promise<T> }[], onRun?: (label: string, i: number, r: T) => void): Promise<Map<string, T[]>> {
  const kept = new Map<string, T[]>(contenders.map((c) => [c.label, []]));
  for (let i = 0; i < plan.warmup + plan.runs; i++) {
    const order = contenders.map((_, k) => contenders[(k + i) % contenders.length]);
    for (const c of order) {
      const r = await c.run();
      if (i >= plan.warmup) {
        kept.get(c.label)!.push(r);
        onRun?.(c.label, i - plan.warmup, r);
      }
    }
  }
  return kept;
}
