import * as vscode from 'vscode';

export const VIEW_SCHEME = 'sagemaker-processing-view';

/**
 * Read-only virtual documents with meaningful names (`CreateProcessingJob census.json`, the sides of a comparison):
 * JSON language from the `.json` name, nothing to save, and showing a new content under the same name updates it.
 */
export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  /** The document `name` (a file name, e.g. `census.json`) under `folder` (shown in the breadcrumbs), with `content`. */
  set(folder: string, name: string, content: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: VIEW_SCHEME, path: `/${folder}/${name}` });
    const key = uri.toString();
    const old = this.contents.get(key);
    this.contents.set(key, content);
    if (old !== undefined && old !== content) this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.changed.dispose();
    this.contents.clear();
  }
}

// One provider per extension host, shared by the activation bundle and the lazy bundles that show documents (each
// bundle has its own copy of this module; a second provider for the scheme would shadow the first one's documents).
const SHARED = Symbol.for('sagemakerProcessing.readOnlyDocuments');
const shared = globalThis as { [SHARED]?: ReadOnlyDocuments };

/** The provider (registered on first use, disposed with the extension through `push`). */
export function readOnlyDocuments(push: (d: vscode.Disposable) => void): ReadOnlyDocuments {
  let docs = shared[SHARED];
  if (!docs) {
    const d = new ReadOnlyDocuments();
    docs = shared[SHARED] = d;
    push(vscode.workspace.registerTextDocumentContentProvider(VIEW_SCHEME, d));
    push(d);
    push({ dispose: () => { if (shared[SHARED] === d) delete shared[SHARED]; } });
  }
  return docs;
}

/** Opens `content` as a read-only JSON document named `name` (e.g. `census-preprocessing.json`). */
export async function showReadOnlyJson(push: (d: vscode.Disposable) => void, folder: string, name: string, content: string): Promise<vscode.TextDocument> {
  const uri = readOnlyDocuments(push).set(folder, name, content);
  let doc = await vscode.workspace.openTextDocument(uri);
  if (doc.languageId !== 'json') doc = await vscode.languages.setTextDocumentLanguage(doc, 'json');
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}
