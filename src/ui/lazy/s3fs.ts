// The read-only `s3:` file system provider (lazy bundle): `s3://bucket/key` opens the object in the editor. Folders
// are listed one level at a time (delimiter '/', page by page, at most LIST_LIMIT entries); stat gives size and
// modified time; small objects are read whole, large ones by their first range with a note, never whole.
import * as vscode from 'vscode';
import type { Ctx } from '../context';
import { t } from '../l10n';
import { folderPrefix, isBinaryFormat, listLevel, readPlan, RANGE_BYTES } from '../../core/s3browse';
import { classifyAwsError, explainAwsError } from '../../aws/errors';

function parts(uri: vscode.Uri): { bucket: string; key: string } {
  return { bucket: uri.authority, key: uri.path.replace(/^\/+/, '') };
}

function fsError(uri: vscode.Uri, err: unknown): vscode.FileSystemError {
  const kind = classifyAwsError(err).kind;
  if (kind === 'notFound') return vscode.FileSystemError.FileNotFound(uri);
  if (kind === 'accessDenied') return vscode.FileSystemError.NoPermissions(explainAwsError(err));
  return vscode.FileSystemError.Unavailable(explainAwsError(err));
}

export function createS3FileSystem(ctx: Ctx): vscode.FileSystemProvider {
  const emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  const fail = (): never => {
    throw vscode.FileSystemError.NoPermissions(t('S3 objects open read-only.'));
  };
  return {
    onDidChangeFile: emitter.event,
    watch: () => new vscode.Disposable(() => undefined),
    async stat(uri) {
      const { bucket, key } = parts(uri);
      if (!key) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0, permissions: vscode.FilePermission.Readonly };
      try {
        const s3 = await ctx.aws.s3();
        if (!key.endsWith('/')) {
          const st = await s3.stat(bucket, key);
          if (st) return { type: vscode.FileType.File, ctime: st.lastModified ?? 0, mtime: st.lastModified ?? 0, size: st.size, permissions: vscode.FilePermission.Readonly };
        }
        const page = await s3.listPage(bucket, folderPrefix(key), { delimiter: '/', max: 1 });
        if (page.prefixes.length || page.objects.length) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0, permissions: vscode.FilePermission.Readonly };
      } catch (err) {
        throw fsError(uri, err);
      }
      throw vscode.FileSystemError.FileNotFound(uri);
    },
    async readDirectory(uri) {
      const { bucket, key } = parts(uri);
      const prefix = folderPrefix(key);
      try {
        const s3 = await ctx.aws.s3();
        const level = await listLevel(prefix, (token) => s3.listPage(bucket, prefix, { delimiter: '/', token }));
        if (level.truncated) ctx.log.info(t('s3://{0}/{1} has more entries than the {2} listed.', bucket, prefix, level.entries.length));
        return level.entries.map((e) => [e.name, e.kind === 'dir' ? vscode.FileType.Directory : vscode.FileType.File]);
      } catch (err) {
        throw fsError(uri, err);
      }
    },
    async readFile(uri) {
      const { bucket, key } = parts(uri);
      try {
        const s3 = await ctx.aws.s3();
        const st = await s3.stat(bucket, key);
        if (!st) throw vscode.FileSystemError.FileNotFound(uri);
        if (isBinaryFormat(key)) {
          return new TextEncoder().encode(t('s3://{0}/{1} ({2} bytes) is a binary format the editor cannot show. Use Download Outputs to copy it to the workspace.', bucket, key, st.size) + '\n');
        }
        const plan = readPlan(st.size);
        if (plan.whole) return await s3.read(bucket, key);
        const head = await s3.read(bucket, key, { start: plan.start, end: plan.end });
        void vscode.window.showInformationMessage(t('s3://{0}/{1} is {2} MB: showing its first {3} MB only. Use Download Outputs for the whole object.', bucket, key, (st.size / 1048576).toFixed(1), RANGE_BYTES / 1048576));
        return head;
      } catch (err) {
        if (err instanceof vscode.FileSystemError) throw err;
        throw fsError(uri, err);
      }
    },
    createDirectory: fail,
    writeFile: fail,
    delete: fail,
    rename: fail,
  };
}
