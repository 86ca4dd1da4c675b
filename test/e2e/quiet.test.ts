// End-to-end: quiet by default. A Python file in a project that never used the extension activates it (onLanguage),
// but nothing calls AWS until the user opens the jobs view (or runs a command, or the project has a definition file).
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startMoto, type Moto } from '../support/moto';
import { ScriptedProxy } from '../support/proxy';
import { openCensusSession, type CensusSession } from '../support/session';
import { openFile, showViewContainer } from '../support/workbench';
import { waitFor } from '../support/net';
import { scratchDir } from '../support/paths';
// The delay of the monitor's first look after start-up (in a workspace that uses the extension), from the product: the
// window of absence below is three times whatever it is, so a longer delay cannot slip past this test.
import { FIRST_LOOK_DELAY_MS as STARTUP_POLL_MS } from '../../src/core/poller';

describe('quiet by default (code-server + Chromium)', () => {
  let moto: Moto;
  let proxy: ScriptedProxy;
  let session: CensusSession | undefined;

  before(async () => {
    moto = await startMoto();
    proxy = await new ScriptedProxy(moto.endpoint).start();
    const folder = path.join(scratchDir('quiet'), 'other-project');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'hello.py'), 'print("not a SageMaker project")\n');
    session = await openCensusSession({ moto, endpoint: proxy.url, folder });
  });
  after(async () => {
    await session?.stop();
    await proxy?.stop();
    await moto?.stop();
  });

  it('opening a Python file activates the extension but sends no AWS request; opening the jobs view does', async () => {
    const { page } = session!.wb;
    await openFile(page, 'hello.py');
    // Activated: its status-bar item (profile · region) is rendered by activate().
    await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'us-east-1' }).first().waitFor({ timeout: 60_000 });
    const activatedAt = Date.now();
    // An absence can only be watched for a stated window: three times the delay of the start-up poll it would send.
    while (Date.now() - activatedAt < 3 * STARTUP_POLL_MS) {
      assert.deepEqual(proxy.requests.map((r) => r.action), [], 'no AWS call from a workspace that has not used the extension');
      await page.waitForTimeout(100); // sleep: the poll interval of a stated window of absence (an absence has no event to wait for)
    }
    await session!.wb.screenshot('90-quiet-python-file-no-aws-call');
    await showViewContainer(page, 'SageMaker Processing');
    await waitFor('the jobs view to list jobs through the proxy', async () => proxy.requests.some((r) => r.action === 'ListProcessingJobs'), 30_000);
  });
});
