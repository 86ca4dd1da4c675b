// The language-model tools (#28) in code-server's extension host: registered through vscode.lm, invoked through
// vscode.lm.invokeTool (read-only tools: no confirmation), and the tools that write ask first, naming what is sent.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
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
