// The language-model tools (#28) in code-server's extension host: registered through vscode.lm, invoked through
// vscode.lm.invokeTool (read-only tools: no confirmation), and the tools that write ask first, naming what is sent.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from '../../support/net';
import type { ExtensionApi } from '../../../src/extension';

const EXTENSION_ID = 'sagemaker-processing-dev.sagemaker-processing';
const READ_ONLY = ['list_jobs', 'describe_job', 'read_job_logs', 'list_job_outputs', 'list_definitions', 'validate_definition', 'compare_runs', 'list_schedules'];

function text(r: vscode.LanguageModelToolResult): string {
  return r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

function md(m: string | vscode.MarkdownString | undefined): string {
  return typeof m === 'string' ? m : m?.value ?? '';
}

describe('agent tools (in-host)', () => {
  it('registers every tool in a trusted workspace, and vscode.lm lists them with the contributed metadata', async () => {
    const api = await vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!.activate();
    assert.ok(vscode.lm && typeof vscode.lm.registerTool === 'function', 'this host has vscode.lm');
    assert.equal(vscode.workspace.isTrusted, true);
    assert.deepEqual(api.agentTools.tools().sort(), [...READ_ONLY, 'run_job', 'stop_job'].sort());
    const listed = vscode.lm.tools.filter((t) => t.tags.includes('sagemaker-processing'));
    assert.deepEqual(listed.map((t) => t.name).sort(), [...READ_ONLY, 'run_job', 'stop_job'].sort());
    const jobs = listed.find((t) => t.name === 'list_jobs')!;
    assert.match(jobs.description, /newest first/);
    assert.equal((jobs.inputSchema as { type?: string }).type, 'object');
    console.log(`MCP_PROVIDER=${api.agentTools.mcp}`);
  });

  it('invokes the read-only tools through vscode.lm.invokeTool', async function () {
    this.timeout(120_000);
    const job = process.env.SMP_SEEDED_JOB!;
    const token = new vscode.CancellationTokenSource().token;
    const invoke = async (name: string, input: object) => text(await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, token));
    assert.match(await invoke('list_jobs', { maxResults: 10 }), new RegExp(`^${job} \\| Completed \\| `, 'm'));
    const d = await invoke('describe_job', { jobName: job });
    assert.match(d, new RegExp(`^Job: ${job}$`, 'm'));
    assert.match(d, /^Status: Completed$/m);
    assert.match(await invoke('read_job_logs', { jobName: job }), /no log streams yet|untrusted job output/);
    assert.match(await invoke('list_job_outputs', { jobName: job }), new RegExp(`${job} has no S3 outputs|Outputs of ${job}`));
    const defs = await invoke('list_definitions', {});
    assert.match(defs, /job "census-preprocessing": script preprocessing\.py \| image build sagemaker-processing-census:latest \| ml\.m5\.xlarge × 1/);
    assert.match(await invoke('validate_definition', {}), /sagemaker-processing\.json: no problems\./);
    assert.match(await invoke('compare_runs', { jobA: job, jobB: job }), /No differences in the requests/);
    assert.match(await invoke('list_schedules', {}), /^No schedules in the group|schedule/m);
    // A bad input is an error the agent reads.
    await assert.rejects(invoke('describe_job', { jobName: 'no such job!' }), /does not match/);
  });

  it('read-only tools run without a confirmation; run_job and stop_job ask, naming job, instances and inputs', async function () {
    this.timeout(120_000);
    const api = await vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!.activate();
    const ro = await api.agentTools.prepare('list_jobs', {});
    assert.equal(ro.confirmationMessages, undefined);
    const run = await api.agentTools.prepare('run_job', { job: 'census-preprocessing', arguments: ['--train-test-split-ratio', '0.3'] });
    assert.ok(run.confirmationMessages, 'run_job asks first');
    assert.equal(run.confirmationMessages.title, 'Run job "census-preprocessing" in SageMaker?');
    const m = md(run.confirmationMessages.message);
    assert.match(m, /CreateProcessingJob for job "census-preprocessing" .* as census-preprocessing-\d{4}-/);
    assert.match(m, /Instances: ml\\?\.m5\\?\.xlarge × 1/);
    assert.match(m, /Inputs: census ← .*census-income\\?\.csv/);
    assert.match(m, /Arguments: --train-test-split-ratio 0\\?\.3/);
    assert.match(m, /billed by SageMaker/);
    const stop = await api.agentTools.prepare('stop_job', { jobName: process.env.SMP_SEEDED_JOB! });
    assert.equal(stop.confirmationMessages?.title, `Stop processing job ${process.env.SMP_SEEDED_JOB}?`);
    assert.match(md(stop.confirmationMessages?.message), /StopProcessingJob will be sent/);
  });
});

// Opened untrusted (Restricted Mode, test/e2e/agents.test.ts): the tools browse, never run, upload or write.
describe('agent tools, untrusted workspace (in-host)', () => {
  it('offers only the read-only tools, which work; run_job and stop_job refuse with the reason; Run as Processing Job is neither offered nor run', async function () {
    this.timeout(120_000);
    const api = await vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!.activate();
    assert.equal(vscode.workspace.isTrusted, false, 'the folder is untrusted');
    const job = process.env.SMP_SEEDED_JOB!;
    // What the model is offered: the writing tools' `when` (isWorkspaceTrusted) leaves them out.
    const offered = vscode.lm.tools.filter((t) => t.tags.includes('sagemaker-processing')).map((t) => t.name).sort();
    assert.deepEqual(offered, [...READ_ONLY].sort());
    const token = new vscode.CancellationTokenSource().token;
    const invoke = async (name: string, input: object) => text(await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, token));
    // Browsing works.
    assert.match(await invoke('list_jobs', { maxResults: 10 }), new RegExp(`^${job} \\| Completed \\| `, 'm'));
    assert.match(await invoke('describe_job', { jobName: job }), /^Status: Completed$/m);
    assert.match(await invoke('list_definitions', {}), /job "census-preprocessing"/);
    // Called by name anyway, the writing tools refuse before anything is prepared, built, uploaded or sent (no
    // confirmation either: there is nothing to confirm).
    const prep = await api.agentTools.prepare('run_job', { job: 'census-preprocessing' });
    assert.equal(prep.confirmationMessages, undefined);
    await assert.rejects(invoke('run_job', { job: 'census-preprocessing', arguments: ['--train-test-split-ratio', '0.3'] }), /run_job is disabled in an untrusted workspace: it would run, upload or change something\. Nothing was sent\./);
    await assert.rejects(invoke('run_job', { job: 'census-preprocessing', local: true }), /run_job is disabled in an untrusted workspace/);
    await assert.rejects(invoke('stop_job', { jobName: job }), /stop_job is disabled in an untrusted workspace/);
    // Run as Processing Job: no code lens offers it, and the command (executeCommand ignores `enablement`) refuses.
    const script = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'preprocessing.py');
    await vscode.window.showTextDocument(script);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', script, 100)) ?? [];
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(!titles.some((x) => /Run as Processing Job|Run Locally|Debug Locally|Schedule Job/.test(x)), titles.join(' | '));
    assert.ok(!lenses.some((l) => /runJob|runLocally|debugLocally|scheduleJob/.test(l.command?.command ?? '')), 'no lens runs a job');
    assert.equal(await vscode.commands.executeCommand('sagemakerProcessing.runJob', script, 'census-preprocessing'), undefined);
    // The MCP server the editor would start: printed for the e2e file, which drives it and checks moto.
    console.log(`MCP_SERVER=${JSON.stringify(api.agentTools.mcpServer())}`);
    console.log('UNTRUSTED_DONE');
    // The e2e file takes its light screenshot, then the same refusal shows in the dark theme.
    const signals = process.env.SMP_AGENTS_SIGNALS;
    if (signals) {
      await waitFor('the light screenshot', () => fs.existsSync(path.join(signals, 'light')), 120_000);
      await vscode.workspace.getConfiguration('workbench').update('colorTheme', 'Default Dark Modern', vscode.ConfigurationTarget.Global);
      assert.equal(await vscode.commands.executeCommand('sagemakerProcessing.runJob', script, 'census-preprocessing'), undefined);
      console.log('UNTRUSTED_DARK');
    }
  });
});
