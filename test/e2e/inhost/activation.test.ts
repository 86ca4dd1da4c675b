import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'sagemaker-processing-dev.sagemaker-processing';

describe('activation', () => {
  it('activates lazily and fast, and registers every contributed command', async () => {
    const ext = vscode.extensions.getExtension<{ activationMs: number; activationCpuMs: number }>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    const api = await ext.activate();
    assert.equal(ext.isActive, true);
    assert.ok(typeof api.activationMs === 'number' && api.activationMs >= 0);
    assert.ok(typeof api.activationCpuMs === 'number' && api.activationCpuMs >= 0);
    console.log(`ACTIVATION_MS=${api.activationMs.toFixed(2)} ACTIVATION_CPU_MS=${api.activationCpuMs.toFixed(2)}`);
    const all = new Set(await vscode.commands.getCommands(true));
    const contributed: { command: string }[] = ext.packageJSON.contributes.commands;
    assert.ok(contributed.length >= 20);
    const missing = contributed.map((c) => c.command).filter((c) => !all.has(c));
    assert.deepEqual(missing, []);
  });

  it('never activates on startup (*)', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const events: string[] = ext.packageJSON.activationEvents;
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'));
  });

  it('lists the processing jobs from the configured endpoint in the jobs view', async () => {
    const ext = vscode.extensions.getExtension<{ ctx: { aws: { sagemaker(): Promise<{ listProcessingJobs(): Promise<{ jobs: { name: string }[] }> }> } } }>(EXTENSION_ID)!;
    const api = await ext.activate();
    const sm = await api.ctx.aws.sagemaker();
    const page = await sm.listProcessingJobs();
    const seeded = process.env.SMP_SEEDED_JOB;
    assert.ok(seeded, 'the e2e setup seeds a job and passes its name in SMP_SEEDED_JOB');
    assert.ok(page.jobs.some((j) => j.name === seeded), `seeded job ${seeded} not listed`);
  });
});
