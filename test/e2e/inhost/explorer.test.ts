import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { JobNode } from '../../../src/ui/jobsTree';
import type { JobSummary } from '../../../src/core/jobs';

const EXTENSION_ID = 'sagemaker-processing-dev.sagemaker-processing';

describe('explorer (in-host)', () => {
  it('the tree lists the seeded job, newest first, and expands it to details', async () => {
    const api = await vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!.activate();
    const tree = api.tree;
    await tree.reload();
    const roots = await tree.getChildren();
    const jobs = roots.filter((n): n is Extract<JobNode, { kind: 'job' }> => n.kind === 'job');
    const seeded = jobs.find((n) => n.job.name === process.env.SMP_SEEDED_JOB);
    assert.ok(seeded, `seeded job missing: ${roots.map((r) => r.kind).join(',')}`);
    const item = tree.getTreeItem(seeded);
    assert.equal(item.contextValue, 'job status-Completed cloud');
    const details = await tree.getChildren(seeded);
    const labels = details.map((d) => (d.kind === 'detail' ? d.row.label : d.kind));
    assert.ok(labels.includes('Image'), labels.join(','));
    assert.ok(!labels.includes('Instances'), 'moto omits ProcessingResources: no row, no crash');
  });

  it('the job monitor watches a job and notifies when it ends', async () => {
    const api = await vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!.activate();
    const monitor = api.monitor;
    assert.equal(api.ctx.monitor, monitor, 'commands watch jobs through the monitor');
    const ended = new Promise<JobSummary>((resolve) => {
      const sub = monitor.onDidEndJob((e) => {
        sub.dispose();
        assert.equal(e.local, false);
        resolve(e.job);
      });
    });
    monitor.watch(process.env.SMP_SEEDED_JOB!);
    const job = await ended;
    assert.equal(job.name, process.env.SMP_SEEDED_JOB);
    assert.equal(job.status, 'Completed');
    assert.match(api.notifications.last ?? '', new RegExp(`Processing job ${job.name} completed`));
    assert.deepEqual(monitor.watchedJobs, []);
  });

  it('the sagemaker-job document shows DescribeProcessingJob as read-only JSON', async () => {
    const name = process.env.SMP_SEEDED_JOB!;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'sagemaker-job', path: `/${name}.json` }));
    assert.equal(JSON.parse(doc.getText()).ProcessingJobName, name);
  });
});
