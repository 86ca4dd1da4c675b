// A "Build and Push Image" code lens at the top of Dockerfiles (Dockerfile, *.Dockerfile, Containerfile).
import * as vscode from 'vscode';
import type { Ctx } from './context';
import { SECTION, setting } from './settings';
import { t } from './l10n';

class DockerfileLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!setting<boolean>('codeLens.enabled', true) || !vscode.workspace.isTrusted) return [];
    const first = doc.lineAt(0).range;
    return [new vscode.CodeLens(first, { title: `$(package) ${t('Build and Push Image')}`, command: 'sagemakerProcessing.buildImage', arguments: [doc.uri] })];
  }
}

export function registerDockerfileLens(ctx: Ctx): void {
  const lens = new DockerfileLens();
  const selector: vscode.DocumentSelector = [
    { scheme: 'file', pattern: '**/{Dockerfile,*.Dockerfile,Containerfile}' },
    { scheme: 'file', language: 'dockerfile' },
  ];
  ctx.push(
    vscode.languages.registerCodeLensProvider(selector, lens),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(`${SECTION}.codeLens.enabled`) && lens.refresh()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => lens.refresh()),
  );
}
