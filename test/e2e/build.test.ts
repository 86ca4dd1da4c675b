// End-to-end: "Tasks: Run Task" → sagemaker-image → the job's build task, in code-server, builds on the private
// dockerd, logs in to the ECR-shaped TLS registry with moto's token and pushes; the terminal shows every step.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { startMoto, useMotoEnv, TEST_ACCOUNT, TEST_REGION, type Moto } from '../support/moto';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { activityBarItem, openWorkbench, type Workbench, paletteCommand } from '../support/workbench';
import { DOCKER_CLI, startDockerd, type Dockerd } from '../support/dockerd';
import { namespaceFor, randomLoopbackIp, startRegistry, type Registry } from '../support/registry';
import { run } from '../support/proc';
import { scratchDir } from '../support/paths';
import { openFile } from '../support/workbench';
import { AwsClients } from '../../src/aws/index';

const ECR_HOST = `${TEST_ACCOUNT}.dkr.ecr.${TEST_REGION}.amazonaws.com`;
const PASSWORD = `${TEST_ACCOUNT}-auth-token`;
const TASK = 'Build and push tiny-image (e2e/tiny:e2e)';

/** Picks a row of the open quick pick by its text. */
async function pick(page: Page, text: string | RegExp): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  if (typeof text === 'string') await input.fill(text);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  await row.waitFor();
  await row.click();
  await page.waitForTimeout(300); // sleep: the quick pick closes and hands focus back (no DOM sign of it)
}

/** Runs a palette command by its exact title (Enter would take the top fuzzy match, e.g. "Restart Running Task"). */
describe('image build task in the workbench (code-server + Chromium + dockerd + registry + moto)', () => {
  let moto: Moto;
  let reg: Registry;
  let docker: Dockerd;
  let cs: CodeServer;
  let wb: Workbench;
  let dockerConfig: string;
  let ws: string;

  before(async () => {
    moto = await startMoto();
    const ip = randomLoopbackIp();
    reg = await startRegistry({ user: 'AWS', password: PASSWORD, tls: { host: ECR_HOST, ip } });
    docker = await startDockerd({ wrap: namespaceFor(ECR_HOST, ip, reg.caCert!, scratchDir('ns')) });
    const base = scratchDir('tiny-base');
    fs.writeFileSync(path.join(base, 'hello.txt'), 'tiny base\n');
    await run('tar', ['-C', base, '-cf', `${base}.tar`, '.']);
    await docker.docker(['import', `${base}.tar`, 'e2e/tiny-base:latest']);

    ws = path.join(scratchDir('ws'), 'tiny');
    fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'Dockerfile'), 'ARG BASE_IMAGE=python:3.12-slim\nFROM ${BASE_IMAGE}\nCOPY app.txt /opt/app.txt\n');
    fs.writeFileSync(path.join(ws, 'app.txt'), 'hello from the e2e build\n');
    fs.writeFileSync(path.join(ws, 'preprocessing.py'), 'print("hi")\n');
    fs.writeFileSync(path.join(ws, '.vscode', 'sagemaker-processing.json'), JSON.stringify({
      version: '1',
      jobs: {
        'tiny-image': {
          script: 'preprocessing.py',
          role: `arn:aws:iam::${TEST_ACCOUNT}:role/SageMakerProcessingRole`,
          instanceType: 'ml.m5.xlarge',
          build: { dockerfile: 'Dockerfile', repository: 'e2e/tiny', tag: 'e2e', buildArgs: { BASE_IMAGE: 'e2e/tiny-base' } },
        },
      },
    }, null, 2));
    dockerConfig = scratchDir('e2e-dockercfg');
    // Machine-overridable settings: code-server's window is a remote one, which ignores them in user settings, so
    // they go in the workspace settings, as a user of a remote window would put them.
    fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify({
      'sagemakerProcessing.endpointUrl': moto.endpoint,
      'sagemakerProcessing.region': TEST_REGION,
      'sagemakerProcessing.containerCli': DOCKER_CLI,
      'sagemakerProcessing.dockerConfig': dockerConfig,
    }, null, 2));
    cs = await startCodeServer({
      folder: ws,
      env: { ...moto.env, AWS_ENDPOINT_URL: '', DOCKER_HOST: docker.env.DOCKER_HOST },
      // The DOM renderer keeps the terminal's text readable by the test.
      settings: { 'terminal.integrated.gpuAcceleration': 'off' },
    });
    wb = await openWorkbench(cs.url);
  });
  after(async () => {
    await wb?.close();
    await cs?.stop();
    await docker?.stop();
    await reg?.stop();
    await moto?.stop();
  });

  it('Tasks: Run Task → sagemaker-image → the job\'s task shows each step in the terminal and pushes', async () => {
    const { page } = wb;
    // The workbench is ready once the extension's view container is in the activity bar.
    await activityBarItem(page, 'SageMaker Processing').waitFor({ timeout: 60_000 });
    try {
      // On a loaded machine the task system may still be starting when the command runs, and the quick pick closes
      // without showing the task types: run the command again then (the rest of the flow is unchanged).
      for (let attempt = 1; ; attempt++) {
        await paletteCommand(page, 'Tasks: Run Task');
        const types = page.locator('.quick-input-list .monaco-list-row', { hasText: 'sagemaker-image' }).first();
        if (await types.waitFor({ timeout: 30_000 }).then(() => true, () => false)) break;
        if (attempt === 3) throw new Error('"Tasks: Run Task" never listed the sagemaker-image task type');
        await page.keyboard.press('Escape');
      }
      await pick(page, 'sagemaker-image');
      await pick(page, TASK);
      // VS Code asks which problems to scan for; the build has none to scan.
      const scan = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Continue without scanning the task output' }).first();
      if (await scan.waitFor({ timeout: 5000 }).then(() => true, () => false)) await scan.click();
    } catch (err) {
      await wb.screenshot('60-build-failure-no-task');
      throw err;
    }
    const terminal = page.locator('.terminal-wrapper .xterm-rows').first();
    try {
      await terminal.filter({ hasText: /Pushed .*@sha256:[0-9a-f]{64}/ }).waitFor({ timeout: 120_000 });
    } catch (err) {
      await wb.screenshot('60-build-failure-terminal');
      throw new Error(`${(err as Error).message}\nterminal: ${await terminal.textContent()}`);
    }
    // Maximize the panel so the whole run (every step) is on screen and in the terminal's rendered rows.
    await page.locator('.part.panel .action-label[aria-label^="Maximize Panel"]').first().click();
    await terminal.filter({ hasText: 'Resolve AWS account and region' }).waitFor({ timeout: 10_000 }).catch(() => undefined);
    await wb.screenshot('60-build-task-terminal');
    const text = (await terminal.textContent()) ?? '';
    for (const step of ['[2/7] Ensure ECR repository', '[3/7] Log in to ECR', '[4/7] Build image', '[5/7] Tag image', '[6/7] Push image', '[7/7] Read pushed digest']) {
      assert.ok(text.includes(step), `step "${step}" not shown:\n${text}`);
    }
    assert.match(text, /✔ Push image \(\d+(\.\d)? m?s\)/);
    assert.match(text, /Login Succeeded/);
    assert.match(text, /Successfully built/);
    assert.ok(!text.includes(PASSWORD), 'the password reached the terminal');
    const digest = /@(sha256:[0-9a-f]{64})/.exec(text.replace(/\s+/g, ''))?.[1];
    assert.ok(digest, text);

    // The first step scrolled off: scroll the terminal back to its top with the mouse wheel.
    const box = (await page.locator('.terminal-wrapper').first().boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 10; i++) await page.mouse.wheel(0, -400);
    await terminal.filter({ hasText: '[1/7] Resolve AWS account and region' }).waitFor({ timeout: 10_000 });
    assert.match((await terminal.textContent()) ?? '', /account 123456789012, region us-east-1.*✔ Resolve AWS account and region/);
    await wb.screenshot('61-build-task-terminal-top');

    // What the terminal says was pushed is in the registry, and the login went to the configured DOCKER_CONFIG.
    const man = await reg.api('/v2/e2e/tiny/manifests/e2e', { user: 'AWS', password: PASSWORD });
    assert.equal(man.status, 200);
    assert.equal(man.headers['docker-content-digest'], digest);
    assert.match(fs.readFileSync(path.join(dockerConfig, 'config.json'), 'utf8'), new RegExp(ECR_HOST.replace(/\./g, '\\.')));
    // The task's record of the last push.
    const builds = JSON.parse(fs.readFileSync(path.join(ws, '.sagemaker-local', 'builds.json'), 'utf8'));
    assert.equal(builds.records[`${ECR_HOST}/e2e/tiny:e2e`]?.digest, digest);
  });

  it('Run as Processing Job on a job with "build": the changed image is built and pushed in the terminal, and the job runs the pushed digest', async () => {
    const { page } = wb;
    const restoreEnv = useMotoEnv(moto);
    const aws = new AwsClients({ endpointUrl: moto.endpoint, region: TEST_REGION });
    try {
      const sm = await aws.sagemaker();
      const jobNames = async () => (await sm.listProcessingJobs()).jobs.map((j) => j.name);
      const before = await jobNames();
      const oldDigest = JSON.parse(fs.readFileSync(path.join(ws, '.sagemaker-local', 'builds.json'), 'utf8')).records[`${ECR_HOST}/e2e/tiny:e2e`]?.digest;
      // The build context changes after the last push: Run must build and push again before submitting.
      fs.writeFileSync(path.join(ws, 'app.txt'), 'changed after the last push\n');
      await openFile(page, 'preprocessing.py');
      const lens = page.locator('.contentWidgets .codelens-decoration a', { hasText: /Run as Processing Job \(tiny-image/ }).first();
      await lens.waitFor({ timeout: 60_000 });
      await lens.click();
      const terminal = page.locator('.terminal-wrapper .xterm-rows').last();
      let added: string[] = [];
      const deadline = Date.now() + 180_000;
      while (Date.now() < deadline) {
        added = (await jobNames()).filter((n) => !before.includes(n));
        if (added.length) break;
        await page.waitForTimeout(500); // sleep: the poll interval of a loop with a deadline
      }
      if (!added.length) {
        await wb.screenshot('62-build-run-failure');
        throw new Error(`no job was created; terminal: ${await terminal.textContent({ timeout: 2000 }).catch(() => '')}`);
      }
      const man = await reg.api('/v2/e2e/tiny/manifests/e2e', { user: 'AWS', password: PASSWORD });
      const pushed = man.headers['docker-content-digest'] as string;
      assert.notEqual(pushed, oldDigest, 'a new image was pushed');
      const d = await sm.describeProcessingJob(added[0]);
      assert.equal(d.AppSpecification?.ImageUri, `${ECR_HOST}/e2e/tiny@${pushed}`);
      // The build and push ran in the task's terminal (the screenshot shows its "Pushed …@sha256:" line). Its text is
      // not asserted here: once a second task terminal exists, xterm's rows are not always in the page's DOM.
      await wb.screenshot('62-build-then-run-terminal');
    } finally {
      aws.dispose();
      restoreEnv();
    }
  });
});
