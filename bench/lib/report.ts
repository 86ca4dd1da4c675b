// Renders bench/RESULTS.md: medians and spreads of ours and of each peer, and the per-pair ratio. Never one time.
import type { BenchOutput, Figure } from './figures';
import { fmt, median, pairRatios, spread } from './stats';

function cell(values: number[], unit: string): string {
  if (!values.length) return '—';
  const { min, max } = spread(values);
  return values.length === 1 ? `${fmt(values[0])} ${unit}` : `**${fmt(median(values))}** ${unit} (${fmt(min)}–${fmt(max)})`;
}

/** How many times better ours is, per pair of runs: peer ÷ ours for times and sizes, ours ÷ peer for rates. */
function ratioCell(f: Figure, peerValues: number[]): string {
  const r = f.higherIsBetter ? pairRatios(peerValues, f.ours.values) : pairRatios(f.ours.values, peerValues);
  if (!r.length) return '—';
  const { min, max } = spread(r);
  return `**${fmt(median(r))}×** (${fmt(min)}–${fmt(max)})`;
}

function aimCell(f: Figure): string {
  if (!f.aim) return '';
  if (f.aimMet === undefined) return f.aim;
  return `${f.aim} ${f.aimMet ? '✅ met' : '❌ missed'}`;
}

/** The results table alone (also quoted in the README). */
export function resultsTable(out: BenchOutput): string {
  const rows = ['| Benchmark | Figure | Ours: median (min–max) | Peer | Peer: median (min–max) | Ours better by ×, per pair of runs | Aim |',
    '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const f of out.figures) {
    const ours = `${f.ours.label}: ${cell(f.ours.values, f.unit)}`;
    if (!f.peers.length) rows.push(`| ${f.group} | ${f.name} | ${ours} | — | — | — | ${aimCell(f)} |`);
    for (const p of f.peers) rows.push(`| ${f.group} | ${f.name} | ${ours} | ${p.label} | ${cell(p.values, f.unit)} | ${ratioCell(f, p.values)} | ${aimCell(f)} |`);
  }
  for (const n of out.notMeasured) rows.push(`| ${n.group} | not measured: ${n.why} | — | — | — | — | |`);
  return rows.join('\n');
}

export function renderResults(out: BenchOutput, meta: Record<string, string>): string {
  const lines = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (bench/run.ts); do not edit by hand. Every contender runs against the same moto',
    'server (and, for local runs, the same private dockerd) in the same run, interleaved in a rotating order after',
    'warm-up runs. Bold numbers are medians, brackets the spread (min–max) over the kept runs; "Ours better by ×" is',
    'the ratio of each pair of back-to-back runs (peer ÷ ours for times, sizes and calls; ours ÷ peer for rates), so',
    'above 1 means ours is faster, smaller or cheaper; its median and spread are given. Machine noise is expected on a',
    'shared 2-core machine: read medians and ratios, never a single time.',
    '',
    ...Object.entries(meta).map(([k, v]) => `- ${k}: ${v}`),
    '',
    resultsTable(out),
    '',
  ];
  const notes = [...out.figures.filter((f) => f.note).map((f) => `- **${f.group} · ${f.name}**: ${f.note}`), ...out.notes.map((n) => `- ${n}`)];
  if (notes.length) lines.push('## Notes', '', ...notes, '');
  return lines.join('\n');
}
