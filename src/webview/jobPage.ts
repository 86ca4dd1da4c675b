/// <reference lib="dom" />
// The job page's own script, running in the webview (bundled for the browser by scripts/build.mjs into
// dist/webview-jobPage.js with uPlot and its CSS). It renders what the extension posts — never fetches anything — with
// DOM text nodes only, real headings, keyboard-reachable buttons and a table beside every chart.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './jobPage.css';
import type { HostMessage, PageData, PageMessage, PageStrings } from './jobPageProtocol';
import type { MetricName, MetricSeries } from '../core/jobPage/model';

declare function acquireVsCodeApi(): { postMessage(m: PageMessage): void };
const vscode = acquireVsCodeApi();
const S = JSON.parse(document.getElementById('strings')!.textContent!) as PageStrings;
const root = document.getElementById('root')!;
let charts: uPlot[] = [];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...kids: (Node | string | undefined)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const k of kids) if (k !== undefined) e.append(k);
  return e;
}

const iso = (n: number | undefined) => (n === undefined ? '—' : new Date(n).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z'));
const cssVar = (name: string, fallback: string) => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];

function fact(dl: HTMLElement, label: string, value: string | Node): void {
  dl.append(el('dt', {}, label), el('dd', {}, value));
}

function openButton(label: string, uri: string): HTMLButtonElement {
  const b = el('button', { type: 'button', class: 'link', title: uri }, label);
  b.addEventListener('click', () => vscode.postMessage({ type: 'open', uri }));
  return b;
}

function header(d: PageData): HTMLElement {
  const m = d.model;
  const h = el('header', {}, el('h1', {}, m.name));
  const dl = el('dl', { class: 'facts' });
  fact(dl, S.status, el('span', { class: `status status-${m.status}` }, m.status));
  if (m.image) fact(dl, S.image, el('code', {}, m.image));
  if (m.digest) fact(dl, S.digest, el('code', {}, m.digest));
  fact(dl, S.instances, `${m.instanceType ?? '?'} × ${m.instanceCount}`);
  fact(dl, S.created, iso(m.created));
  fact(dl, S.started, iso(m.started));
  fact(dl, S.ended, m.running ? S.running : iso(m.ended));
  h.append(dl);
  const logs = el('button', { type: 'button' }, S.showLogs);
  logs.addEventListener('click', () => vscode.postMessage({ type: 'logs' }));
  h.append(el('p', {}, logs));
  return h;
}

function timeline(d: PageData): HTMLElement {
  const m = d.model;
  const sec = el('section', { 'aria-labelledby': 'h-timeline' }, el('h2', { id: 'h-timeline' }, S.timeline));
  if (!m.timeline.length) return sec;
  const from = m.timeline[0].start;
  const total = Math.max(1, m.timeline[m.timeline.length - 1].end - from);
  const bar = el('div', { class: 'bar', role: 'img', 'aria-label': S.timelineLabel });
  for (const p of m.timeline) {
    const seg = el('div', { class: `seg seg-${p.phase}${p.open ? ' open' : ''}`, title: `${p.label}: ${p.duration}` });
    seg.style.left = `${((p.start - from) / total) * 100}%`;
    seg.style.width = `${Math.max(0.5, ((p.end - p.start) / total) * 100)}%`;
    bar.append(seg);
  }
  sec.append(bar);
  const ol = el('ol', { class: 'phases' });
  for (const p of m.timeline) {
    ol.append(el('li', {}, el('span', { class: `swatch seg-${p.phase}`, 'aria-hidden': 'true' }), `${p.label}: ${p.duration}${p.open ? ` (${S.soFar})` : ''} — ${iso(p.start)} → ${p.open ? '…' : iso(p.end)}`));
  }
  sec.append(ol);
  return sec;
}

function cost(d: PageData): HTMLElement {
  const sec = el('section', { 'aria-labelledby': 'h-cost' }, el('h2', { id: 'h-cost' }, S.cost));
  if (!d.showCost) {
    sec.append(el('p', {}, S.costHidden));
    return sec;
  }
  const c = d.model.cost;
  sec.append(el('p', { class: 'cost' }, c.text));
  if (c.kind === 'hoursOnly') sec.append(el('p', { class: 'note' }, c.reason));
  return sec;
}

function failure(d: PageData): HTMLElement | undefined {
  const f = d.failure;
  if (!f) return d.model.failureReason ? el('div', { class: 'failure' }, el('h2', {}, S.failure), el('p', {}, d.model.failureReason)) : undefined;
  // The failure summary (src/core/failure): the headline, the failing line, and the whole summary as text.
  const box = el('div', { class: 'failure', id: 'failure' }, el('h2', {}, S.why), el('p', { class: 'headline' }, el('strong', {}, f.headline)));
  if (d.model.failureReason) box.append(el('p', {}, `${S.failure}: ${d.model.failureReason}`));
  if (f.failingLine) {
    const b = el('button', { type: 'button', title: f.failingLine }, `${S.openFailingLine} (${f.failingLine})`);
    b.addEventListener('click', () => vscode.postMessage({ type: 'failingLine' }));
    box.append(el('p', {}, b));
  }
  box.append(el('details', {}, el('summary', {}, S.wholeSummary), el('pre', { class: 'summary' }, f.lines.join('\n'))));
  return box;
}

function hints(d: PageData): HTMLElement | undefined {
  const list = d.model.hints;
  const f = failure(d);
  if (!list.length && !f) return undefined;
  const sec = el('section', { role: 'status' });
  if (f) sec.append(f);
  for (const h of list) sec.append(el('p', { class: `hint hint-${h.kind}` }, el('strong', {}, `${S.hint}: `), h.text));
  return sec;
}

function chart(metric: MetricName, title: string, series: MetricSeries[], hosts: string[], fixedMax?: number): HTMLElement {
  const fig = el('figure', { class: 'chart' }, el('figcaption', {}, el('h3', {}, title)));
  const own = hosts.map((h) => series.find((s) => s.host === h && s.metric === metric));
  if (!own.some((s) => s?.values.length)) {
    fig.append(el('p', { class: 'note' }, S.noMetrics));
    return fig;
  }
  const tables: uPlot.AlignedData[] = own.map((s) => [(s?.timestamps ?? []).map((t) => t / 1000), s?.values ?? []]);
  const data = tables.length === 1 ? tables[0] : uPlot.join(tables);
  const plotBox = el('div', { class: 'plot', 'aria-hidden': 'true' });
  fig.append(plotBox);
  const fg = cssVar('--vscode-foreground', '#888');
  const grid = cssVar('--vscode-editorWidget-border', cssVar('--vscode-panel-border', '#8884'));
  const width = Math.max(280, Math.min(900, root.clientWidth - 32));
  const opts: uPlot.Options = {
    width, height: 180,
    scales: { x: { time: true }, y: fixedMax ? { range: [0, fixedMax] } : { range: (_u, _min, max) => [0, Math.max(100, Math.ceil(max / 50) * 50)] } },
    axes: [
      { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
      { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, values: (_u, vals) => vals.map((v) => `${v} %`) },
    ],
    legend: { show: true },
    series: [{}, ...hosts.map((h, i) => ({ label: h.split('/').pop(), stroke: cssVar(PALETTE[i % PALETTE.length], '#39f'), width: 2, spanGaps: true, points: { show: false } }))],
  };
  charts.push(new uPlot(opts, data as uPlot.AlignedData, plotBox));
  // The same numbers as a table, for screen readers and keyboard users.
  const table = el('table', { class: 'data' }, el('caption', {}, title));
  table.append(el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, S.time), ...hosts.map((h) => el('th', { scope: 'col' }, h)))));
  const body = el('tbody');
  const xs = data[0] as number[];
  for (let i = 0; i < xs.length; i++) {
    body.append(el('tr', {}, el('th', { scope: 'row' }, iso(xs[i] * 1000)), ...hosts.map((_h, k) => {
      const v = (data[k + 1] as (number | null | undefined)[])[i];
      return el('td', {}, v === null || v === undefined ? '—' : `${v.toFixed(1)} %`);
    })));
  }
  table.append(body);
  fig.append(el('details', {}, el('summary', {}, S.showTable), table));
  return fig;
}

function utilization(d: PageData): HTMLElement {
  const sec = el('section', { 'aria-labelledby': 'h-util' }, el('h2', { id: 'h-util' }, S.utilization));
  if (d.metricsError) sec.append(el('p', { class: 'note' }, d.metricsError));
  const hosts = [...new Set(d.series.map((s) => s.host))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (!hosts.length) {
    sec.append(el('p', { class: 'note' }, d.loading ? S.loading : S.noMetrics));
    return sec;
  }
  sec.append(chart('CPUUtilization', S.cpu, d.series, hosts), el('p', { class: 'note' }, S.cpuNote));
  sec.append(chart('MemoryUtilization', S.memory, d.series, hosts, 100));
  sec.append(chart('DiskUtilization', S.disk, d.series, hosts, 100));
  // GPU instances: their GPU charts, only when the job has such samples.
  if (d.series.some((s) => s.metric === 'GPUUtilization' && s.values.length)) sec.append(chart('GPUUtilization', S.gpu, d.series, hosts));
  if (d.series.some((s) => s.metric === 'GPUMemoryUtilization' && s.values.length)) sec.append(chart('GPUMemoryUtilization', S.gpuMemory, d.series, hosts));
  return sec;
}

function outputs(d: PageData): HTMLElement {
  const sec = el('section', { 'aria-labelledby': 'h-out' }, el('h2', { id: 'h-out' }, S.outputs));
  if (!d.model.outputs.length) {
    sec.append(el('p', { class: 'note' }, S.noOutputs));
  }
  for (const o of d.model.outputs) {
    const listing = d.outputs.find((x) => x.name === o.name);
    sec.append(el('h3', {}, `${o.name}: `, el('code', {}, o.uri)));
    if (!listing) {
      if (d.loading) sec.append(el('p', { class: 'note' }, S.loading));
      continue;
    }
    if (listing.error) sec.append(el('p', { class: 'note' }, listing.error));
    const ul = el('ul', { class: 'files' });
    for (const f of listing.files) ul.append(el('li', {}, openButton(f.key.split('/').pop() || f.key, f.uri), ` ${f.size.toLocaleString()} ${S.bytes}`));
    sec.append(ul);
    if (listing.more) sec.append(el('p', { class: 'note' }, S.moreObjects));
  }
  if (d.model.inputs.length) {
    sec.append(el('h2', {}, S.inputs));
    const ul = el('ul', { class: 'files' });
    for (const i of d.model.inputs) ul.append(el('li', {}, `${i.name}: `, el('code', {}, i.uri)));
    sec.append(ul);
  }
  return sec;
}

function render(d: PageData): void {
  for (const c of charts) c.destroy();
  charts = [];
  root.replaceChildren();
  root.setAttribute('aria-busy', d.loading ? 'true' : 'false');
  const main = el('main');
  root.append(main);
  main.append(header(d));
  const h = hints(d);
  if (h) main.append(h);
  main.append(timeline(d), cost(d), utilization(d), outputs(d));
  main.append(el('p', { class: 'note updated' }, `${S.updated} ${iso(d.updatedAt)}`));
  document.body.dataset.rendered = d.loading ? 'partial' : 'full';
}

let last: PageData | undefined;
function show(d: PageData): void {
  last = d;
  render(d);
}
window.addEventListener('message', (e: MessageEvent<HostMessage>) => {
  if (e.data?.type === 'data') show(e.data.data);
});
// The charts take their colours from the theme when drawn: draw them again when the theme changes (VS Code sets the
// body's class: vscode-light, vscode-dark, vscode-high-contrast, vscode-high-contrast-light).
new MutationObserver(() => {
  if (last) render(last);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });
const initial = document.getElementById('data')?.textContent;
if (initial) show(JSON.parse(initial) as PageData);
vscode.postMessage({ type: 'ready' });
