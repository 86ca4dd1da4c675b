// End-to-end (#22 items 7 and 10): the jobs list is live — a job created through the API while the view is visible
// appears without Refresh, within the poll interval — and job rows fit the default side-bar width (the SDK name's
// timestamp in the description as the job's age, the full name in the tooltip and the aria label), in light (code-server's default) and dark
// and in Japanese (dark). code-server + Chromium + moto. Screenshots: test-results/screenshots/9x-live-*.png.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startMoto, type Moto } from '../support/moto';
import { showViewContainer, type Workbench } from '../support/workbench';
import { seedJobs } from '../support/seed';
import { waitFor } from '../support/net';
import { openCensusSession, type CensusSession } from '../support/session';

const POLL_S = 3;
/** SDK-style names (base + `-YYYY-MM-DD-HH-MM-SS-mmm`), as long as the example's. */
const stamp = (d: Date) => d.toISOString().replace(/[-T:.Z]/g, (c) => (c === 'Z' ? '' : '-')).replace(/-$/, '');
const sdkName = (base: string) => `${base}-${stamp(new Date())}`;

/** Whether a row's label or description is cut (the text overflows its box, or VS Code put an ellipsis). */
async function rowCut(page: Page, name: string): Promise<{ cut: boolean; nameCut: boolean; detail: string }> {
  const row = page.getByRole('treeitem', { name: new RegExp(name) }).first();
  return await row.evaluate((node) => {
    /** The DOM this test reads (the project compiles without the DOM library). */
    interface El { querySelector(s: string): El | null; getBoundingClientRect(): { right: number }; scrollWidth: number; clientWidth: number; textContent: string | null }
    const el = node as unknown as El;
    const box = el.querySelector('.monaco-icon-label-container');
    const name = el.querySelector('.label-name');
    const desc = el.querySelector('.label-description');
    const rowRight = el.getBoundingClientRect().right;
    const right = Math.max(name?.getBoundingClientRect().right ?? 0, desc?.getBoundingClientRect().right ?? 0);
    const cut = !!box && (box.scrollWidth > box.clientWidth + 1 || right > rowRight + 1);
    const nameCut = (name?.getBoundingClientRect().right ?? Infinity) > Math.min(rowRight, el.querySelector('.monaco-icon-label-container')?.getBoundingClientRect().right ?? rowRight) + 1;
    return { cut, nameCut, detail: `label "${name?.textContent}" description "${desc?.textContent}" scroll ${box?.scrollWidth}/${box?.clientWidth} right ${right}/${rowRight}` };
  });
}

describe('live jobs list and row widths (code-server + Chromium + moto)', () => {
  let moto: Moto;
  let session: CensusSession | undefined;
  let wb: Workbench;
  const first = sdkName('census-preprocessing');

  before(async () => {
    moto = await startMoto();
    await seedJobs(moto.endpoint, [first]);
    session = await openCensusSession({ moto, scratch: 'ws-live', settings: { 'sagemakerProcessing.pollIntervalSeconds': POLL_S } });
    wb = session.wb;
  });
  after(async () => {
    await session?.stop();
    await moto?.stop();
  });

  it('a job created through the API while the view is visible appears without Refresh', async () => {
    const { page } = wb;
    await showViewContainer(page, 'SageMaker Processing');
    await page.getByRole('treeitem', { name: new RegExp(first) }).first().waitFor({ timeout: 60_000 });
    // Another window (here: the API) starts a job; moto completes it at once, so an InProgress-only poll never sees it.
    const second = sdkName('census-from-cli');
    const t0 = Date.now();
    await seedJobs(moto.endpoint, [second]);
    const row = page.getByRole('treeitem', { name: new RegExp(second) }).first();
    // One interval plus the poll and the redraw; generous for a shared 2-core machine (a lost poll would take forever).
    await row.waitFor({ timeout: 60_000 });
    const took = (Date.now() - t0) / 1000;
    console.log(`live list: ${second} appeared after ${took.toFixed(1)} s (poll interval ${POLL_S} s)`);
    assert.match((await row.textContent()) ?? '', /census-from-cli.*Completed/);
    await wb.screenshot('90-live-list-new-job-light');
  });

  it('job rows show their whole label at the default side-bar width; the full name is in the tooltip', async () => {
    const { page } = wb;
    const width = (await page.locator('.part.sidebar').boundingBox())?.width ?? 0;
    assert.ok(width > 0 && width <= 320, `the side bar has its default width (${width}px)`);
    // The label (the name without its timestamp) is whole; in English "Completed · 1 min ago" may still run past
    // the edge at this width (the full text is in the tooltip and the aria label).
    const r = await rowCut(page, first);
    console.log(`row at the default width: ${r.detail}`);
    assert.equal(r.nameCut, false, r.detail);
    const row = page.getByRole('treeitem', { name: new RegExp(first) }).first();
    assert.equal((await row.locator('.label-name').textContent())?.trim(), 'census-preprocessing', 'the label is the base name');
    await row.hover();
    await page.locator('.monaco-hover, .workbench-hover', { hasText: first }).first().waitFor();
    await wb.screenshot('91-live-row-tooltip-light');
  });
});

describe('row widths in Japanese, dark theme (code-server --locale ja)', () => {
  let moto: Moto;
  let session: CensusSession | undefined;
  let wb: Workbench;
  const job = sdkName('census-preprocessing');

  before(async () => {
    moto = await startMoto();
    await seedJobs(moto.endpoint, [job]);
    session = await openCensusSession({ moto, scratch: 'ws-live-ja', locale: 'ja', settings: { 'sagemakerProcessing.pollIntervalSeconds': POLL_S, 'workbench.colorTheme': 'Default Dark Modern' } });
    wb = session.wb;
  });
  after(async () => {
    await session?.stop();
    await moto?.stop();
  });

  it('the row (完了 · たった今) is not cut; the status bar says 既定のプロファイル as the view does', async () => {
    const { page } = wb;
    await showViewContainer(page, 'SageMaker Processing');
    const row = page.getByRole('treeitem', { name: new RegExp(job) }).first();
    await row.waitFor({ timeout: 60_000 });
    assert.match((await row.textContent()) ?? '', /完了/);
    const r = await rowCut(page, job);
    assert.equal(r.cut, false, r.detail);
    const bar = page.locator('#workbench\\.parts\\.statusbar');
    await waitFor('the account item in Japanese', async () => /既定のプロファイル · us-east-1/.test((await bar.textContent()) ?? ''), 30_000, 250);
    await wb.screenshot('93-live-rows-ja-dark');
  });
});
