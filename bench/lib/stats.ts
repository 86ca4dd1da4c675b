// Medians, spreads and per-pair ratios: the only statistics the benchmark report quotes.

export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function spread(xs: readonly number[]): { min: number; max: number } {
  return { min: Math.min(...xs), max: Math.max(...xs) };
}

/** peer[i] / ours[i] for each pair of runs made back to back (above 1: ours is smaller/faster). */
export function pairRatios(ours: readonly number[], peer: readonly number[]): number[] {
  const n = Math.min(ours.length, peer.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (ours[i] > 0) out.push(peer[i] / ours[i]);
  return out;
}

/** Significant, readable numbers: 0.123, 1.23, 12.3, 123, 1234. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}

/** The q-quantile (0–1) by linear interpolation between order statistics; p95 is quantile(xs, 0.95). */
export function quantile(xs: readonly number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
