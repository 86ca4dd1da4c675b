// End-to-end: "Schedule Job…" in code-server against the local SageMaker backend (moto + private dockerd, behind the
// recording proxy), then the "Schedules" node lists the schedule with its expression and next run, Pause turns it
// paused — in the explorer and in EventBridge Scheduler; Run Now runs the pipeline's step as a real job and Show Runs
// opens that job with its logs; on a job without a "schedule" block, "Schedule Job…" offers to add a daily one.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DescribePipelineExecutionCommand, ListPipelineExecutionStepsCommand, ListPipelineExecutionsCommand } from '@aws-sdk/client-sagemaker';
import { parse as parseJsonc } from 'jsonc-parser';
import { useMotoEnv } from '../support/moto';
import { startProxy, type ScriptedProxy } from '../support/proxy';
import { clickMenuItem, notification, runCommand, showViewContainer, type Workbench } from '../support/workbench';
import { openCensusSession, type CensusSession } from '../support/session';
import { waitFor } from '../support/net';
import { BASE_IMAGE } from '../support/paths';
import { startLocalCloud, type LocalCloud } from '../support/localSageMaker/stack';
import { AwsClients } from '../../src/aws/index';
import { SCHEDULE_GROUP } from '../../src/core/schedule/pipeline';

const SCHEDULER_ACTIONS = ['ListSchedules', 'GetSchedule', 'CreateSchedule', 'UpdateSchedule', 'GetScheduleGroup', 'CreateScheduleGroup'];

/** Takes the screenshot in the current theme and in the other one (light/dark), then returns to the first. */
async function lightAndDark(wb: Workbench, name: string): Promise<void> {
  const theme = async () => ((await wb.page.locator('.monaco-workbench.vs-dark').count()) ? 'dark' : 'light');
  const first = await theme();
  const other = first === 'dark' ? 'light' : 'dark';
  const themed = (t: string) => wb.page.locator(t === 'dark' ? '.monaco-workbench.vs-dark' : '.monaco-workbench.vs:not(.vs-dark)');
  await wb.screenshot(`${name}-${first}`);
  await runCommand(wb.page, 'Preferences: Toggle between Light/Dark Themes');
  await themed(other).waitFor();
  await wb.screenshot(`${name}-${other}`);
  await runCommand(wb.page, 'Preferences: Toggle between Light/Dark Themes');
  await themed(first).waitFor();
}

describe('schedules in the explorer (code-server + Chromium, local SageMaker backend)', () => {
  let cloud: LocalCloud;
  let proxy: ScriptedProxy;
  let session: CensusSession | undefined;
  let wb: Workbench;
  let aws: AwsClients;
  let restore: () => void;

  before(async () => {
    // Runs start only on purpose (Run Now): the schedules' own clock is off. No registry: the job runs the base image.
    cloud = await startLocalCloud({ registry: false, backend: { scheduleTickMs: false, logBatchMs: 300, logIngestionDelayMs: 500 } });
    restore = useMotoEnv(cloud.moto);
    proxy = await startProxy(cloud.endpoint);
    aws = new AwsClients({ endpointUrl: cloud.endpoint, region: 'us-east-1' });
    session = await openCensusSession({ moto: cloud.moto, endpoint: proxy.url, scratch: 'sched-e2e' });
    wb = session.wb;
    fs.writeFileSync(path.join(session.ws, '.vscode', 'sagemaker-processing.json'), JSON.stringify({
      version: '1',
      jobs: {
        'census-daily': {
          script: 'preprocessing.py',
          image: BASE_IMAGE,
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
    await cloud?.stop();
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

  it('Run Now runs the step as a real job; Show Runs opens that job in the job list with its logs', async () => {
    const { page } = wb;
    const item = page.getByRole('treeitem', { name: /^census-daily/ });
    await item.click({ button: 'right' });
    await clickMenuItem(page, 'Run Now');
    await notification(page, /Started a run of "census-daily"/).waitFor();
    assert.equal(proxy.count('StartPipelineExecution'), 1);
    // The backend ran the step's job: the execution ends Succeeded (DescribePipelineExecution, with a deadline).
    const sm = (await aws.pipelines()).client;
    const [run] = (await sm.send(new ListPipelineExecutionsCommand({ PipelineName: 'census-daily' }))).PipelineExecutionSummaries ?? [];
    assert.ok(run?.PipelineExecutionArn);
    const status = await waitFor('the run to end', async () => {
      const d = await sm.send(new DescribePipelineExecutionCommand({ PipelineExecutionArn: run.PipelineExecutionArn }));
      return d.PipelineExecutionStatus === 'Executing' ? undefined : d.PipelineExecutionStatus;
    }, 300_000, 1000);
    assert.equal(status, 'Succeeded');
    const [step] = (await sm.send(new ListPipelineExecutionStepsCommand({ PipelineExecutionArn: run.PipelineExecutionArn }))).PipelineExecutionSteps ?? [];
    const job = step?.Metadata?.ProcessingJob?.Arn?.split('/').pop() ?? '';
    assert.match(job, /^pipelines-[a-z0-9]{12}-census-daily-[a-z0-9]{10}$/);
    await item.click({ button: 'right' });
    await clickMenuItem(page, 'Show Runs');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Succeeded' }).first();
    await row.waitFor();
    await page.locator('.quick-input-widget input').press('Enter');
    // The job is selected in the list, and its log channel is open with the census script's lines.
    await page.getByRole('treeitem', { name: new RegExp(job), selected: true }).waitFor({ timeout: 60_000 });
    const picker = page.locator('.part.panel select.monaco-select-box, .part.panel .monaco-select-box').first();
    await picker.waitFor();
    await waitFor('the log channel of the run\'s job', async () => new RegExp(`SageMaker: ${job}`).test(((await picker.getAttribute('title')) ?? '') + ((await picker.textContent()) ?? '')), 30_000, 250);
    // The channel shows the end of the log: the census script's last lines.
    await page.locator('.part.panel .monaco-editor .view-lines', { hasText: 'Saving test labels' }).first().waitFor({ timeout: 60_000 });
    await lightAndDark(wb, '61-schedules-run-job-logs');
  });

  it('"Schedule Job…" on a job without a "schedule" block offers a daily one and writes it into the definition', async () => {
    const { page } = wb;
    const file = path.join(session!.ws, '.vscode', 'sagemaker-processing.json');
    // A second job, without a block; a comment that the edit must keep.
    const text = fs.readFileSync(file, 'utf8').replace('"jobs": {', '"jobs": {\n    // run by hand until now\n    "census-adhoc": { "script": "preprocessing.py", "image": "' + BASE_IMAGE + '", "role": "arn:aws:iam::123456789012:role/SageMakerProcessingRole" },');
    fs.writeFileSync(file, text);
    await runCommand(page, 'SageMaker Processing: Schedule Job…');
    // The pick lists the scheduled job and offers the other one.
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'census-adhoc' }).first().waitFor();
    await page.locator('.quick-input-widget input').fill('census-adhoc');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'add a daily one' }).first().waitFor();
    await page.locator('.quick-input-widget input').press('Enter');
    // The time of day, in the machine's zone (the extension host runs on this machine).
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    await page.locator('.quick-input-widget', { hasText: zone }).waitFor();
    await page.locator('.quick-input-widget input').fill('07:15');
    await wb.screenshot('62-schedules-add-daily-time'); // (a theme switch would close the input box)
    await page.locator('.quick-input-widget input').press('Enter');
    // Written into the file (comments kept), then scheduled: the role EventBridge Scheduler assumes is asked for.
    const written = await waitFor('the schedule block in the definition', () => {
      const now = fs.readFileSync(file, 'utf8');
      return now.includes('"schedule"') && now.indexOf('"schedule"', now.indexOf('census-adhoc')) < now.indexOf('census-daily') ? now : undefined;
    }, 30_000, 200);
    assert.ok(written.includes('// run by hand until now'), written);
    const parsed = parseJsonc(written) as { jobs: Record<string, { schedule?: unknown }> };
    assert.deepEqual(parsed.jobs['census-adhoc'].schedule, { expression: 'cron(15 7 * * ? *)', timezone: zone });
    await page.locator('.quick-input-widget', { hasText: 'Role EventBridge Scheduler assumes' }).waitFor();
    await page.locator('.quick-input-widget input').press('Enter');
    await notification(page, /Scheduled "census-adhoc": pipeline created, schedule created/).waitFor({ timeout: 60_000 });
    const s = await (await aws.scheduler()).getSchedule(SCHEDULE_GROUP, 'census-adhoc');
    assert.equal(s?.expression, 'cron(15 7 * * ? *)');
    assert.equal(s?.timezone, zone);
    await page.locator('.monaco-editor .view-lines', { hasText: 'cron(15 7 * * ? *)' }).first().waitFor();
    await lightAndDark(wb, '63-schedules-added-block');
  });
});
