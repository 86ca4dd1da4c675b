// Confinement of the local paths a job uploads (script, sourceDir, local inputs): definitions come from cloned
// repositories, so a path may only name a regular file or folder inside the workspace folder (real path, symbolic
// links followed) unless the user opts in; devices, FIFOs, sockets and /proc, /sys, /dev are refused always.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { t } from '../l10n';
import type { PathSegment } from './parse';
import type { DefinitionFile, DefinitionProblem, JobFields, ResolvedJob } from './types';

export interface ConfineOptions {
  workspaceFolder: string;
  /** The user's opt-in (setting or CLI flag): paths outside the workspace folder are allowed (special files never). */
  allowOutside?: boolean;
  /** How the user opts in, for the message (e.g. 'the --allow-outside-workspace flag'). */
  optInHint?: string;
}

export interface LocalPathRef {
  /** Field path of the value in the definition (for its line). */
  segments: PathSegment[];
  path: string;
  expect: 'file' | 'dir' | 'any';
  /** The real path must also be inside this folder (a script inside sourceDir). */
  within?: string;
}

const SPECIAL_ROOTS = ['/proc', '/sys', '/dev'];

function inside(child: string, parent: string): boolean {
  if (child === parent) return true;
  const rel = path.relative(parent, child);
  return !!rel && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function kindOf(st: fs.Stats): string {
  if (st.isFIFO()) return t('a FIFO (named pipe)');
  if (st.isSocket()) return t('a socket');
  if (st.isCharacterDevice() || st.isBlockDevice()) return t('a device');
  if (st.isSymbolicLink()) return t('a symbolic link');
  return t('not a regular file or folder');
}

/**
 * The one check of a local path (Run, the CLI, local runs and the Problems panel all use it): undefined when the path
 * may be uploaded, else why not. Synchronous (a definition names a few paths) so the editor's diagnostics can use it.
 * `workspaceReal` is the workspace folder's real path (see realWorkspace).
 */
export function checkLocalPath(r: Omit<LocalPathRef, 'segments'>, workspaceReal: string, o: Omit<ConfineOptions, 'workspaceFolder'> = {}): string | undefined {
  const optIn = o.optInHint ?? t('the {0} setting', 'sagemakerProcessing.allowPathsOutsideWorkspace');
  let real: string;
  try {
    real = fs.realpathSync(r.path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? t('not found: {0}', r.path) : t('cannot be read: {0} ({1})', r.path, code ?? 'error');
  }
  const shown = real === r.path ? r.path : t('{0} (really {1})', r.path, real);
  if (SPECIAL_ROOTS.some((s) => inside(real, s))) return t('{0} is a system file, not something to upload', shown);
  let st: fs.Stats;
  try {
    st = fs.statSync(real);
  } catch (err) {
    return t('cannot be read: {0} ({1})', shown, (err as NodeJS.ErrnoException).code ?? 'error');
  }
  if (!st.isFile() && !st.isDirectory()) return t('{0} is {1}; only regular files and folders can be uploaded', shown, kindOf(st));
  if (r.expect === 'file' && !st.isFile()) return t('{0} is a folder, not a file', shown);
  if (r.expect === 'dir' && !st.isDirectory()) return t('{0} is a file, not a folder', shown);
  if (!o.allowOutside && !inside(real, workspaceReal)) {
    return t('{0} is outside the workspace folder {1}; local paths must stay inside it (to allow this, turn on {2})', shown, workspaceReal, optIn);
  }
  if (r.within) {
    let within = r.within;
    try {
      within = fs.realpathSync(r.within);
    } catch {
      // reported on the sourceDir itself
    }
    if (!inside(real, within)) return t('{0} is outside sourceDir {1}; with sourceDir, the script must be inside it', shown, within);
  }
  return undefined;
}

/** The workspace folder's real path (symbolic links followed), or the folder itself when it cannot be resolved. */
export function realWorkspace(workspaceFolder: string): string {
  try {
    return fs.realpathSync(workspaceFolder);
  } catch {
    return path.resolve(workspaceFolder);
  }
}

/** Checks each path; returns one problem per refused path, naming the field (lines are added by the caller). */
export async function confinePaths(refs: LocalPathRef[], o: ConfineOptions): Promise<DefinitionProblem[]> {
  const ws = realWorkspace(o.workspaceFolder);
  const problems: DefinitionProblem[] = [];
  for (const r of refs) {
    const message = checkLocalPath(r, ws, o);
    if (message) problems.push({ path: r.segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i ? `.${s}` : s)).join(''), segments: r.segments, message, severity: 'error' });
  }
  return problems;
}

/** Where a job's field is written: in the job, or (inherited) in defaults. */
function fieldAt(def: DefinitionFile, key: string, field: keyof JobFields): PathSegment[] {
  const own = def.jobs[key] as JobFields | undefined;
  return own?.[field] === undefined && def.defaults?.[field] !== undefined ? ['defaults', field] : ['jobs', key, field];
}

/** The local paths a resolved job would upload, each with the field it comes from. */
export function localPathRefs(def: DefinitionFile, job: ResolvedJob): LocalPathRef[] {
  const refs: LocalPathRef[] = [];
  if (job.sourceDir) refs.push({ segments: fieldAt(def, job.key, 'sourceDir'), path: job.sourceDir, expect: 'dir' });
  refs.push({ segments: fieldAt(def, job.key, 'script'), path: job.scriptPath, expect: 'file', within: job.sourceDir });
  const inputsAt = fieldAt(def, job.key, 'inputs');
  job.inputs.forEach((i, n) => {
    if (i.source.kind === 'local') refs.push({ segments: [...inputsAt, n, 'source'], path: i.source.path, expect: 'any' });
  });
  // PySparkProcessor dependencies that are local paths are uploaded too (s3:// ones are not).
  if (job.spark) {
    const sparkAt = fieldAt(def, job.key, 'spark');
    for (const [field, paths] of [['submitPyFiles', job.spark.pyFiles], ['submitJars', job.spark.jars], ['submitFiles', job.spark.files]] as const) {
      paths.forEach((p, n) => {
        if (!/^s3a?:\/\//.test(p)) refs.push({ segments: [...sparkAt, field, n], path: p, expect: 'any' });
      });
    }
  }
  return refs;
}
