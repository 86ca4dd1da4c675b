import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page, type Locator } from 'playwright-core';
import { ROOT, scratchDir } from './paths';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'screenshots');

export interface Workbench {
  page: Page;
  context: BrowserContext;
  close(): Promise<void>;
  screenshot(name: string): Promise<string>;
}

/** Debian Chromium driven by playwright-core (no browser download), opened on a code-server URL. */
export async function openWorkbench(url: string, opts: { beforeGoto?: (page: Page) => Promise<void> } = {}): Promise<Workbench> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`npm run setup\` (Debian package chromium).`);
  const profile = scratchDir('chromium');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(30_000);
  if (opts.beforeGoto) await opts.beforeGoto(page);
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    page,
    context,
    async screenshot(name) {
      const file = path.join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the quick input with `key` (F1: the command palette; Control+P: Quick Open) and returns its input box. A key
 * press the workbench drops (focus still moving in a webview, a loaded machine) is pressed again, within a deadline.
 */
async function openQuickInput(page: Page, key: string, deadlineMs = 30_000): Promise<Locator> {
  const input = page.locator('.quick-input-widget input');
  const until = Date.now() + deadlineMs;
  for (;;) {
    await page.keyboard.press(key);
    try {
      await input.waitFor({ timeout: Math.max(1000, Math.min(8_000, until - Date.now())) });
      return input;
    } catch (err) {
      if (Date.now() >= until) throw err;
    }
  }
}

/** Runs a command from the palette by its title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = await openQuickInput(page, 'F1');
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor();
  await input.press('Enter');
}

/** Opens a workspace file with Quick Open (Ctrl+P). */
export async function openFile(page: Page, name: string, deadlineMs = 60_000): Promise<void> {
  // A file written a moment ago may not be in Quick Open's results yet (the file watcher is behind on a loaded
  // machine): ask again, within the deadline.
  const until = Date.now() + deadlineMs;
  for (;;) {
    const input = await openQuickInput(page, 'Control+P');
    await input.fill(name);
    try {
      await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: Math.max(1000, Math.min(10_000, until - Date.now())) });
      await input.press('Enter');
      return;
    } catch (err) {
      if (Date.now() >= until) throw err;
      await page.keyboard.press('Escape');
    }
  }
}

/** Opens a view container from the activity bar unless it is already shown (a second click would hide it). */
export async function showViewContainer(page: Page, title: string): Promise<void> {
  const item = page.locator('.part.activitybar .action-item', { has: page.locator(`a[aria-label^="${title}"]`) }).first();
  await item.waitFor();
  const checked = ((await item.getAttribute('class')) ?? '').split(/\s+/).includes('checked');
  if (!checked) await item.locator('a').first().click();
}

export function activityBarItem(page: Page, title: string): Locator {
  return page.locator(`.part.activitybar .action-item a[aria-label^="${title}"]`).first();
}

export function notification(page: Page, text: string | RegExp): Locator {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
}

/** Hover a context-menu entry and wait before clicking: an immediate click is sometimes lost. */
export async function clickMenuItem(page: Page, label: string): Promise<void> {
  const item = page.locator('.monaco-menu .action-item', { hasText: label }).first();
  await item.hover();
  await page.waitForTimeout(300); // sleep: the menu item takes clicks only a moment after its hover (no event says when)
  await item.click();
}

/** Runs the palette command whose title is exactly `title` (clicking its row, after the list settles). */
export async function paletteCommand(page: Page, title: string): Promise<void> {
  const input = await openQuickInput(page, 'F1');
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
  await row.waitFor();
  await page.waitForTimeout(300); // sleep: the list settles after filtering (no event says when); a click before lands on a moving row
  await row.click();
}
