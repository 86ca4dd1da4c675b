// The read-only `sagemaker-job:/<name>.json` documents: a job as DescribeProcessingJob shows it (a local run: its
// record), and "Open Job Details as JSON".
import * as vscode from 'vscode';
import { explainAwsError } from '../aws/errors';
import type { CommandFactory } from './commands';
import type { Ctx } from './context';
import { pickJob, type JobArg } from './jobActions';
import { t } from './l10n';

export const JOB_SCHEME = 'sagemaker-job';

export class JobJsonProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly ctx: Ctx) {}
  static uri(name: string): vscode.Uri {
    return vscode.Uri.from({ scheme: JOB_SCHEME, path: `/${name}.json` });
  }
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const name = uri.path.replace(/^\//, '').replace(/\.json$/, '');
    const local = this.ctx.localJobs.list().find((j) => j.name === name);
    try {
      const desc = local ? local : await this.ctx.tree.describe(name);
      return JSON.stringify(desc, null, 2) + '\n';
    } catch (err) {
      return `// ${explainAwsError(err)}\n`;
    }
  }
}

/** Registers the `sagemaker-job` virtual documents (call once at activation). */
export function registerJobDocuments(ctx: Ctx): void {
  ctx.push(vscode.workspace.registerTextDocumentContentProvider(JOB_SCHEME, new JobJsonProvider(ctx)));
}

export const jobDocumentCommands: Record<string, CommandFactory> = {
  openJson: (ctx) => async (arg?: JobArg) => {
    const j = await pickJob(ctx, arg, t('Job to show as JSON'));
    if (!j) return;
    const doc = await vscode.workspace.openTextDocument(JobJsonProvider.uri(j.job.name));
    await vscode.languages.setTextDocumentLanguage(doc, 'json');
    await vscode.window.showTextDocument(doc, { preview: true });
  },
};
