// End-to-end: "Schedule Job…" in code-server against moto (behind the recording proxy), then the "Schedules" node
// lists the schedule with its expression and next run, and Pause turns it paused — in the explorer and in moto.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startMoto, useMotoEnv, type Moto } from '../support/moto';
import { startProxy, type ScriptedProxy } from '../support/proxy';
import { clickMenuItem, notification, runCommand, showViewContainer, type Workbench } from '../support/workbench';
import { openCensusSession, type CensusSession } from '../support/session';
import { seedJobs } from '../support/seed';
import { AwsClients } from '../../src/aws/index';
import { SCHEDULE_GROUP } from '../../src/core/schedule/pipeline';

const SCHEDULER_ACTIONS = ['ListSchedules', 'GetSchedule', 'CreateSchedule', 'UpdateSchedule', 'GetScheduleGroup', 'CreateScheduleGroup'];

describe('schedules in the explorer (code-server + Chromium)', () => {
  let moto: Moto;
  let proxy: ScriptedProxy;
  let session: CensusSession | undefined;
  let wb: Workbench;
  let aws: AwsClients;
  let restore: () => void;

  before(async () => {
    moto = await startMoto();
    restore = useMotoEnv(moto);
    proxy = await startProxy(moto.endpoint);
    aws = new AwsClients({ endpointUrl: moto.endpoint, region: 'us-east-1' });
    session = await openCensusSession({ moto, endpoint: proxy.url, scratch: 'sched-e2e' });
    wb = session.wb;
    fs.writeFileSync(path.join(session.ws, '.vscode', 'sagemaker-processing.json'), JSON.stringify({
      version: '1',
      jobs: {
        'census-daily': {
          script: 'preprocessing.py',
          image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-processing-census:latest',
          role: 'arn:aws:iam::123456789012:role/SageMakerProcessingRole',
          inputs: [{ name: 'census', source: 'data/census-income.csv', destination: '/opt/ml/processing/input' }],
          outputs: [{ name: 'train', source: '/opt/ml/processing/train' }],
          schedule: { expression: 'cron(0 6 * * ? *)', timezone: 'Europe/Berlin', role: 'arn:aws:iam::123456789012:role/SchedulerRole' },
        },
      },
    }, null, 2));
  });
  after(async () => {
    aws?.dispose();
    restore?.();
    await session?.stop();
    await proxy?.stop();
    await moto?.stop();
  });

  it('shows a collapsed "Schedules" node without calling EventBridge Scheduler', async () => {
    const { page } = wb;
    await showViewContainer(page, 'SageMaker Processing');
    await runCommand(page, 'SageMaker Processing: Refresh Jobs');
    const root = page.getByRole('treeitem', { name: /^Schedules/ });
    await root.waitFor();
    assert.equal(await root.getAttribute('aria-expanded'), 'false');
    assert.deepEqual(proxy.requests.filter((r) => SCHEDULER_ACTIONS.includes(r.action)).map((r) => r.action), [], 'no scheduler call before the node is used');
  });

  it('"Schedule Job…" creates the pipeline and schedule; the node lists it with expression and next run', async () => {
    const { page } = wb;
    await runCommand(page, 'SageMaker Processing: Schedule Job…');
    await notification(page, /Scheduled "census-daily": pipeline created, schedule created/).waitFor({ timeout: 60_000 });
    const s = await (await aws.scheduler()).getSchedule(SCHEDULE_GROUP, 'census-daily');
    assert.equal(s?.state, 'ENABLED');
    assert.equal(s?.expression, 'cron(0 6 * * ? *)');
    assert.equal(s?.timezone, 'Europe/Berlin');
    assert.ok(await (await aws.pipelines()).describePipeline('census-daily'), 'the pipeline exists');
    const root = page.getByRole('treeitem', { name: /^Schedules/ });
    if ((await root.getAttribute('aria-expanded')) !== 'true') await root.click();
    const item = page.getByRole('treeitem', { name: /^census-daily/ });
    await item.waitFor();
    const text = (await item.textContent()) ?? '';
    assert.match(text, /cron\(0 6 \* \* \? \*\) Europe\/Berlin/);
    assert.match(text, /next \d{4}-\d{2}-\d{2} 0[45]:00 UTC/, text);
  });

  it('Pause from the context menu turns the schedule paused (in the tree and in EventBridge Scheduler)', async () => {
    const { page } = wb;
    const item = page.getByRole('treeitem', { name: /^census-daily/ });
    await item.click({ button: 'right' });
    await clickMenuItem(page, 'Pause Schedule');
    await page.getByRole('treeitem', { name: /^census-daily.*Paused/ }).waitFor();
    const s = await (await aws.scheduler()).getSchedule(SCHEDULE_GROUP, 'census-daily');
    assert.equal(s?.state, 'DISABLED');
    assert.equal(s?.expression, 'cron(0 6 * * ? *)', 'the rest is kept');
    // Widen the sidebar so the expression and state are readable in the screenshot.
    const box = await page.locator('.part.sidebar').boundingBox();
    if (box) {
      await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width + 300, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
    }
    await wb.screenshot('60-schedules-paused');
  });

  it('Run Now starts a run; Show Runs opens its processing job in the job list with its logs', async () => {
    const { page } = wb;
    // moto starts no job and lists no steps: the proxy plays the step AWS would report, with a job seeded in moto.
    const job = 'pipelines-e2e-census-daily-job';
    await seedJobs(moto.endpoint, [job]);
    proxy.add({
      match: (q) => q.action === 'ListPipelineExecutionSteps',
      action: { kind: 'respond', respond: () => ({ status: 200, body: { PipelineExecutionSteps: [{ StepName: 'census-daily', StepStatus: 'Succeeded', Metadata: { ProcessingJob: { Arn: `arn:aws:sagemaker:us-east-1:123456789012:processing-job/${job}` } } }] } }) },
    });
    const item = page.getByRole('treeitem', { name: /^census-daily/ });
    await item.click({ button: 'right' });
    await clickMenuItem(page, 'Run Now');
    await notification(page, /Started a run of "census-daily"/).waitFor();
    assert.equal(proxy.count('StartPipelineExecution'), 1);
    await item.click({ button: 'right' });
    await clickMenuItem(page, 'Show Runs');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Succeeded' }).first();
    await row.waitFor();
    await page.locator('.quick-input-widget input').press('Enter');
    // The job is selected in the list, and its log channel is open.
    await page.getByRole('treeitem', { name: new RegExp(job), selected: true }).waitFor();
    const picker = page.locator('.part.panel select.monaco-select-box, .part.panel .monaco-select-box').first();
    await picker.waitFor();
    for (let i = 0; i < 60 && !new RegExp(`SageMaker: ${job}`).test(((await picker.getAttribute('title')) ?? '') + ((await picker.textContent()) ?? '')); i++) await page.waitForTimeout(250); // sleep: the poll interval of a bounded loop (60 × 250 ms), asserted after it
    assert.match(((await picker.getAttribute('title')) ?? '') + ((await picker.textContent()) ?? ''), new RegExp(`SageMaker: ${job}`));
    await wb.screenshot('61-schedules-run-job-logs');
  });
});
