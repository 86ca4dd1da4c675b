// The read-only `sagemaker-job:/<name>.json` documents: a job as DescribeProcessingJob shows it (a local run: its
// record), and "Open Job Details as JSON".
import * as vscode from 'vscode';
import { explainAwsError } from '../aws/errors';
import type { CommandFactory, Services } from './commands';
import { pickJob, type JobArg } from './jobActions';
import { t } from './l10n';

export const JOB_SCHEME = 'sagemaker-job';

export class JobJsonProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly s: Services) {}
  static uri(name: string): vscode.Uri {
    return vscode.Uri.from({ scheme: JOB_SCHEME, path: `/${name}.json` });
  }
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const name = uri.path.replace(/^\//, '').replace(/\.json$/, '');
    const local = this.s.localJobs?.list().find((j) => j.name === name);
    try {
      const desc = local ? local : await this.s.tree.describe(name);
      return JSON.stringify(desc, null, 2) + '\n';
    } catch (err) {
      return `// ${explainAwsError(err)}\n`;
    }
  }
}

/** Registers the `sagemaker-job` virtual documents (call once at activation). */
export function registerJobDocuments(s: Services): void {
  s.ctx.push(vscode.workspace.registerTextDocumentContentProvider(JOB_SCHEME, new JobJsonProvider(s)));
}

export const jobDocumentCommands: Record<string, CommandFactory> = {
  openJson: (s) => async (arg?: JobArg) => {
    const j = await pickJob(s, arg, t('Job to show as JSON'));
    if (!j) return;
    const doc = await vscode.workspace.openTextDocument(JobJsonProvider.uri(j.job.name));
    await vscode.languages.setTextDocumentLanguage(doc, 'json');
    await vscode.window.showTextDocument(doc, { preview: true });
  },
};
