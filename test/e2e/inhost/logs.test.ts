import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../../support/net';

const EXTENSION_ID = 'sagemaker-processing-dev.sagemaker-processing';

interface LogsApi {
  appendLines(jobName: string, lines: readonly string[]): void;
  show(jobName: string, preserveFocus?: boolean): void;
  has(jobName: string): boolean;
  lineCount(jobName: string): number;
  isTailing(jobName: string): boolean;
}

describe('job log channels', () => {
  let logs: LogsApi;
  const cfg = () => vscode.workspace.getConfiguration('sagemakerProcessing');
  before(async () => {
    const api = await vscode.extensions.getExtension<{ ctx: { logs: LogsApi } }>(EXTENSION_ID)!.activate();
    assert.ok(api.ctx.logs, 'the logs feature exposes its channels as ctx.logs');
    logs = api.ctx.logs;
    await cfg().update('logs.maxOpenChannels', 2, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await cfg().update('logs.maxOpenChannels', undefined, vscode.ConfigurationTarget.Global);
  });

  it('Show Logs on a job name tails it to the summary; showing it again adds no line', async () => {
    const job = process.env.SMP_SEEDED_JOB;
    assert.ok(job);
    await vscode.commands.executeCommand('sagemakerProcessing.showLogs', job);
    // A job that ended seconds ago: the final drain waits out its quiet window (20 s from the end) first.
    await waitFor('the tailer to finish', () => logs.has(job) && !logs.isTailing(job) && logs.lineCount(job) > 0, 60_000);
    // moto's job has no log events: the channel holds the summary line only.
    assert.equal(logs.lineCount(job), 1);
    await vscode.commands.executeCommand('sagemakerProcessing.showLogs', { kind: 'job', job: { name: job } });
    // The command starts any tailing before it returns: a finished channel starts none, so nothing more can arrive.
    assert.equal(logs.isTailing(job), false, 'showing a finished job\'s logs again must not read them again');
    assert.equal(logs.lineCount(job), 1);
  });

  it('local runs append lines; beyond logs.maxOpenChannels the least recently used channel is closed', async () => {
    logs.appendLines('local-run-a', ['hello from a', 'second line']);
    assert.equal(logs.lineCount('local-run-a'), 2);
    logs.show('local-run-a');
    logs.appendLines('local-run-b', ['hello from b']);
    // Three channels were used (the seeded job, a, b) with a limit of 2: the seeded job's went first.
    assert.equal(logs.has(process.env.SMP_SEEDED_JOB!), false);
    assert.equal(logs.has('local-run-a'), true);
    logs.appendLines('local-run-a', ['third line']);
    logs.appendLines('local-run-c', ['hello from c']);
    assert.equal(logs.has('local-run-b'), false);
    assert.equal(logs.lineCount('local-run-a'), 3);
  });
});
