// The read-only `s3:` file system (open a job's inputs and outputs in the editor): a thin shell registered at
// activation; the provider (listing, stat, ranged reads) lives in the lazy bundle src/ui/lazy/s3fs.ts.
import * as vscode from 'vscode';
import type { Ctx } from './context';

export const S3_SCHEME = 's3';

type Impl = vscode.FileSystemProvider;

class LazyS3FileSystem implements vscode.FileSystemProvider {
  private impl?: Promise<Impl>;
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  constructor(private readonly ctx: Ctx) {}
  private load(): Promise<Impl> {
    return (this.impl ??= import('./lazy/s3fs').then((m) => m.createS3FileSystem(this.ctx)));
  }
  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    return (await this.load()).stat(uri);
  }
  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    return (await this.load()).readDirectory(uri);
  }
  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return (await this.load()).readFile(uri);
  }
  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  writeFile(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

/** Registers the read-only `s3:` scheme (call once at activation; no AWS call until a document is opened). */
export function registerS3Files(ctx: Ctx): void {
  const fs = new LazyS3FileSystem(ctx);
  ctx.push(fs, vscode.workspace.registerFileSystemProvider(S3_SCHEME, fs, { isReadonly: true, isCaseSensitive: true }));
}

/** `s3://bucket/key` as an editor URI. */
export function s3Uri(bucket: string, key: string): vscode.Uri {
  return vscode.Uri.from({ scheme: S3_SCHEME, authority: bucket, path: `/${key}` });
}
