// End-to-end (#28): the language-model tools in code-server's extension host (VS Code 1.100.3), against moto: the
// in-host tests of test/e2e/inhost/agentTools.test.ts (vscode.lm.invokeTool, prepareInvocation confirmations), in a
// trusted folder, in an untrusted one (Restricted Mode: the tools and the MCP server browse, never run, upload or
// write; moto's state is checked here, independently), and as an agent calls the writing tools: the workbench's
// confirmation dialog, declined (nothing reaches moto) and accepted (the job is in moto).
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ListProcessingJobsCommand, DescribeProcessingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { ListBucketsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Page } from 'playwright-core';
import { startMoto, type Moto } from '../support/moto';
import { seedJobs } from '../support/seed';
import { seedEcrImage } from '../support/ecrSeed';
import { runInHostSuite } from '../support/inhost';
import { copyCensusExample } from '../support/session';
import { activityBarItem, openWorkbench, paletteCommand, notification } from '../support/workbench';
import { startCodeServer } from '../support/codeServer';
import { buildAgentProbe, PROBE_COMMAND_TITLE } from '../support/agentProbe';
import { waitFor } from '../support/net';
import { scratchDir } from '../support/paths';
import { CENSUS_IMAGE, REGION, ROLE, SDK_CREDENTIALS } from '../support/constants';

const READ_ONLY = ['list_jobs', 'describe_job', 'read_job_logs', 'list_job_outputs', 'list_definitions', 'validate_definition', 'compare_runs', 'list_schedules'];

function clients(moto: Moto) {
  const o = { endpoint: moto.endpoint, region: REGION, credentials: SDK_CREDENTIALS, forcePathStyle: true };
  return { sm: new SageMakerClient(o), s3: new S3Client(o) };
}

/** Processing job names in moto and its buckets: what reached AWS, read with the SDK (not the code under test). */
async function motoState(moto: Moto): Promise<{ jobs: string[]; buckets: string[] }> {
  const { sm, s3 } = clients(moto);
  try {
    const jobs = (await sm.send(new ListProcessingJobsCommand({ MaxResults: 100 }))).ProcessingJobSummaries ?? [];
    const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets ?? [];
    return { jobs: jobs.map((j) => j.ProcessingJobName!).sort(), buckets: buckets.map((b) => b.Name!).sort() };
  } finally {
    sm.destroy();
    s3.destroy();
  }
}

/** The workbench's modal dialog whose text matches, once shown. */
async function dialog(page: Page, text: RegExp) {
  const box = page.locator('.monaco-dialog-box', { hasText: text }).first();
  await box.waitFor({ timeout: 120_000 });
  return box;
}

describe('agent tools in code-server\'s extension host', () => {
  it('registers the tools, invokes the read-only ones through vscode.lm.invokeTool, and the writing ones ask first', async () => {
    const moto = await startMoto();
    try {
      await seedJobs(moto.endpoint, ['agents-seeded-job']);
      const result = await runInHostSuite({
        folder: copyCensusExample('agents-ws'),
        env: { ...moto.env, SMP_SEEDED_JOB: 'agents-seeded-job', SMP_INHOST_GREP: 'agent tools \\(in-host\\)' },
        timeoutMs: 300_000,
      });
      assert.equal(result.exitCode, 0, `in-host suite failed:\n${result.log}`);
      assert.match(result.log, /3 passing/);
      // code-server 1.100 has the MCP server definition API under its earlier contribution name
      // (contributes.modelContextServerCollections, also declared): the provider registers.
      assert.match(result.log, /MCP_PROVIDER=true/);
    } finally {
      await moto.stop();
    }
  });

  it('untrusted folder: the tools and the MCP server browse; run_job, stop_job and Run as Processing Job refuse, and nothing reaches moto', async () => {
    const moto = await startMoto();
    const signals = scratchDir('agents-signals');
    try {
      await seedJobs(moto.endpoint, ['agents-seeded-job']);
      const before = await motoState(moto);
      assert.deepEqual(before, { jobs: ['agents-seeded-job'], buckets: [] });
      const folder = copyCensusExample('agents-untrusted');
      const result = await runInHostSuite({
        folder, untrusted: true,
        env: { ...moto.env, SMP_SEEDED_JOB: 'agents-seeded-job', SMP_INHOST_GREP: 'agent tools, untrusted', SMP_AGENTS_SIGNALS: signals },
        timeoutMs: 300_000,
        drive: async (wb, log) => {
          // The refusal of Run as Processing Job (the in-host test ran the command), beside the script without lenses.
          await waitFor('the in-host test to finish its checks', () => /UNTRUSTED_DONE/.test(log()) || /failing/.test(log()), 180_000);
          if (!/UNTRUSTED_DONE/.test(log())) return;
          await notification(wb.page, /Running a processing job is disabled in an untrusted workspace/).waitFor();
          await wb.page.locator('.monaco-editor .codelens-decoration', { hasText: 'Edit Job Definition' }).first().waitFor();
          await wb.screenshot('agents-untrusted-light');
          fs.writeFileSync(path.join(signals, 'light'), '');
          await waitFor('the dark theme', () => wb.page.locator('.monaco-workbench.vs-dark').count(), 60_000);
          await waitFor('the second refusal', () => /UNTRUSTED_DARK/.test(log()), 60_000);
          await notification(wb.page, /Running a processing job is disabled in an untrusted workspace/).waitFor();
          await wb.screenshot('agents-untrusted-dark');
        },
      });
      assert.equal(result.exitCode, 0, `in-host suite failed:\n${result.log}`);
      assert.match(result.log, /1 passing/);

      // The MCP server exactly as the editor's provider defines it in this window (read-only: no --allow-writes).
      const def = JSON.parse(/MCP_SERVER=(.*)/.exec(result.log)![1]) as { command: string; args: string[]; env: Record<string, string> };
      assert.ok(!def.args.includes('--allow-writes'), def.args.join(' '));
      const client = new Client({ name: 'agents-e2e', version: '1.0.0' });
      await client.connect(new StdioClientTransport({ command: def.command, args: def.args, env: { ...moto.env, PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...def.env }, stderr: 'pipe' }));
      try {
        const tools = (await client.listTools()).tools.map((x) => x.name).sort();
        assert.deepEqual(tools, [...READ_ONLY].sort());
        const listed = await client.callTool({ name: 'list_jobs', arguments: {} }) as { content: { text: string }[]; isError?: boolean };
        assert.ok(!listed.isError);
        assert.match(listed.content[0].text, /^agents-seeded-job \| Completed \| /m);
        const run = await client.callTool({ name: 'run_job', arguments: { job: 'census-preprocessing' } }) as { content: { text: string }[]; isError?: boolean };
        assert.equal(run.isError, true);
        assert.match(run.content[0].text, /Unknown tool "run_job" \(run_job and stop_job need --allow-writes\)/);
        const stop = await client.callTool({ name: 'stop_job', arguments: { jobName: 'agents-seeded-job' } }) as { content: { text: string }[]; isError?: boolean };
        assert.equal(stop.isError, true);
      } finally {
        await client.close();
      }
      // Nothing was created, uploaded or stopped: the same jobs, no bucket (a run uploads its code to S3 first).
      assert.deepEqual(await motoState(moto), before);
    } finally {
      await moto.stop();
    }
  });

  it('run_job and stop_job through vscode.lm.invokeTool ask in the workbench with what will be sent: declined nothing reaches moto, accepted the job is created', async () => {
    const moto = await startMoto();
    const probeDir = scratchDir('agent-probe');
    const sessions: { stop(): Promise<void> }[] = [];
    try {
      await seedJobs(moto.endpoint, ['agents-seeded-job']);
      await seedEcrImage(moto.endpoint, REGION, 'sagemaker-processing-census', 'latest');
      const probe = await buildAgentProbe(probeDir);
      const open = async (locale?: string) => {
        const folder = copyCensusExample(`agents-confirm-${locale ?? 'en'}`);
        // The census job with its image as it is in (moto's) ECR: no build block, so nothing to build here.
        fs.writeFileSync(path.join(folder, '.vscode', 'sagemaker-processing.json'), JSON.stringify({
          version: '1',
          defaults: { role: ROLE, instanceType: 'ml.m5.xlarge', instanceCount: 1 },
          jobs: {
            'census-preprocessing': {
              script: 'preprocessing.py', baseJobName: 'census-preprocessing', image: CENSUS_IMAGE,
              inputs: [{ name: 'census', source: 'data/census-income.csv', destination: '/opt/ml/processing/input' }],
              outputs: [{ name: 'train_data', source: '/opt/ml/processing/train' }],
              arguments: ['--train-test-split-ratio', '0.2'],
            },
          },
        }, null, 2));
        const cs = await startCodeServer({
          folder, locale, extraVsix: [probe],
          env: { ...moto.env, AWS_ENDPOINT_URL: '', SMP_AGENT_PROBE_DIR: probeDir },
          settings: { 'sagemakerProcessing.endpointUrl': moto.endpoint, 'sagemakerProcessing.region': REGION },
        });
        const wb = await openWorkbench(cs.url).catch(async (err) => {
          await cs.stop();
          throw err;
        });
        const s = { wb, stop: async () => { await wb.close(); await cs.stop(); } };
        sessions.push(s);
        // The extensions' contributions are in (the palette lists what was there when it opened).
        await activityBarItem(wb.page, 'SageMaker Processing').waitFor({ timeout: 120_000 });
        return wb;
      };
      let n = 0;
      /** Asks the probe to invoke a tool; returns the dialog the workbench shows and the outcome to come. */
      const invoke = async (page: Page, name: string, input: object, title: RegExp, theme?: string) => {
        const id = ++n;
        fs.writeFileSync(path.join(probeDir, 'request.json'), JSON.stringify({ id, name, input, theme }));
        await paletteCommand(page, PROBE_COMMAND_TITLE);
        const box = await dialog(page, title);
        const outcome = async () => JSON.parse(await waitFor(`the probe's result ${id}`, () => fs.existsSync(path.join(probeDir, `result-${id}.json`)) && fs.readFileSync(path.join(probeDir, `result-${id}.json`), 'utf8'), 120_000)) as { ok: boolean; text?: string; name?: string; message?: string };
        return { box, outcome };
      };
      const input = { job: 'census-preprocessing', arguments: ['--train-test-split-ratio', '0.3'] };
      const before = await motoState(moto);

      const wb = await open();
      // 1. run_job: the dialog says what will be sent; declined, the tool is cancelled and moto has nothing new.
      let r = await invoke(wb.page, 'run_job', input, /Run job "census-preprocessing" in SageMaker\?/);
      const runText = await r.box.innerText();
      await wb.screenshot('agents-confirm-run-light');
      await r.box.getByRole('button', { name: 'Cancel' }).click();
      let o = await r.outcome();
      assert.equal(o.ok, false);
      assert.match(`${o.name} ${o.message}`, /cancel/i);
      assert.deepEqual(await motoState(moto), before);
      // 2. The same, dark theme, accepted: the job is created.
      r = await invoke(wb.page, 'run_job', input, /Run job "census-preprocessing" in SageMaker\?/, 'Default Dark Modern');
      await waitFor('the dark theme', () => wb.page.locator('.monaco-workbench.vs-dark').count(), 60_000);
      await wb.screenshot('agents-confirm-run-dark');
      await r.box.getByRole('button', { name: /^Yes$/ }).click();
      o = await r.outcome();
      assert.equal(o.ok, true, o.message);
      const name = /Started processing job (census-preprocessing-[\w-]+)/.exec(o.text!)?.[1];
      assert.ok(name, o.text);
      // 3. stop_job asks too; declined.
      r = await invoke(wb.page, 'stop_job', { jobName: 'agents-seeded-job' }, /Stop processing job agents-seeded-job\?/);
      const stopText = await r.box.innerText();
      await r.box.getByRole('button', { name: 'Cancel' }).click();
      o = await r.outcome();
      assert.equal(o.ok, false);
      // 4. The MCP server as VS Code lists it (MCP: List Servers).
      await paletteCommand(wb.page, 'MCP: List Servers');
      await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: /SageMaker Processing/ }).first().waitFor({ timeout: 30_000 });
      await wb.screenshot('agents-mcp-list-servers-dark');
      await wb.page.keyboard.press('Escape');

      // What the dialog said: the job, where, the image, instance type × count, the inputs and the arguments.
      assert.match(runText, /CreateProcessingJob for job "census-preprocessing" .* as census-preprocessing-\d{4}-/);
      assert.match(runText, new RegExp(`Image: ${CENSUS_IMAGE.replace(/[.]/g, '\\.')}`));
      assert.match(runText, /Instances: ml\.m5\.xlarge × 1/);
      assert.match(runText, /Inputs: census ← .*census-income\.csv/);
      assert.match(runText, /Arguments: --train-test-split-ratio 0\.3/);
      assert.match(runText, /billed by SageMaker/);
      assert.doesNotMatch(runText, /\\/, 'no markdown escape shows in the dialog');
      assert.match(stopText, /StopProcessingJob will be sent for agents-seeded-job/);
      // Accepted: the job is in moto as the dialog said, its code uploaded.
      const after = await motoState(moto);
      assert.deepEqual(after.jobs, [...before.jobs, name].sort());
      const { sm, s3 } = clients(moto);
      try {
        const d = await sm.send(new DescribeProcessingJobCommand({ ProcessingJobName: name }));
        assert.deepEqual(d.AppSpecification?.ContainerArguments, ['--train-test-split-ratio', '0.3']);
        assert.equal(d.AppSpecification?.ImageUri, CENSUS_IMAGE);
        assert.equal(after.buckets.length, 1);
        const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: after.buckets[0] }))).Contents ?? []).map((x) => x.Key!);
        assert.ok(keys.some((k) => k.startsWith(`${name}/`)), keys.join(', '));
      } finally {
        sm.destroy();
        s3.destroy();
      }
      await sessions.pop()!.stop();

      // 5. Japanese: the same confirmation in the display language; declined, nothing new in moto.
      const ja = await open('ja');
      r = await invoke(ja.page, 'run_job', input, /ジョブ "census-preprocessing" を SageMaker で実行しますか/);
      const jaText = await r.box.innerText();
      await ja.screenshot('agents-confirm-run-ja');
      await r.box.getByRole('button', { name: /Cancel|キャンセル/ }).click();
      o = await r.outcome();
      assert.equal(o.ok, false);
      assert.match(jaText, /ml\.m5\.xlarge × 1/);
      assert.deepEqual(await motoState(moto), after);
    } finally {
      for (const s of sessions) await s.stop();
      await moto.stop();
    }
  });
});
