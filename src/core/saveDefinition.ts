import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import { jobsForScript } from './definition/resolve';
import type { DefinitionFile, JobDefinition } from './definition/types';
import type { ProcessingJobDescriptionLike } from './jobDetails';
import { jobToDefinition, scriptNote } from './jobToDefinition';

export interface SaveDefinitionPlan {
  /** The key the job would get (before making it unique). */
  key: string;
  job: JobDefinition;
  /** Things the user should know about the saved job (shown in the log; the first in the message). */
  notes: string[];
  /** Jobs of the definition that already run the same script: saving would add a second code lens for it. */
  sameScript: string[];
}

/**
 * What "Save as Job Definition" would write for a past job, given the definition file's current text: the job, notes
 * that fit the workspace (no "put the script at that path" when it is already there), and the jobs that already run
 * its script (the command then offers to compare with them instead of adding a duplicate).
 */
export function planSaveAsDefinition(
  d: ProcessingJobDescriptionLike,
  definitionText: string | undefined,
  opts: { workspaceFolder: string; fileExists: (absPath: string) => boolean },
): SaveDefinitionPlan {
  const { key, job, notes } = jobToDefinition(d);
  let kept = notes;
  if (typeof job.script === 'string' && opts.fileExists(path.resolve(opts.workspaceFolder, job.script))) kept = notes.filter((n) => n !== scriptNote(job.script as string));
  return { key, job, notes: kept, sameScript: sameScriptJobs(job, definitionText, opts.workspaceFolder) };
}

/** The definition's jobs that already run `job`'s script (none when it has no local script or the text does not parse). */
export function sameScriptJobs(job: JobDefinition, definitionText: string | undefined, workspaceFolder: string): string[] {
  if (typeof job.script !== 'string') return [];
  const abs = path.resolve(workspaceFolder, job.sourceDir ?? '', job.script);
  const def = definitionText?.trim() ? (parse(definitionText, [], { allowTrailingComma: true }) as DefinitionFile | undefined) : undefined;
  if (!def || typeof def !== 'object' || !def.jobs || typeof def.jobs !== 'object') return [];
  try {
    return jobsForScript(def, abs, workspaceFolder);
  } catch {
    return [];
  }
}

/**
 * What "Create Job Definition from SDK Code" writes: the imported job, with its script made relative to the workspace
 * folder (the code's paths are relative to the notebook's or file's folder, where the SDK ran), and the jobs that
 * already run that script.
 */
export function planImportFromCode(
  imported: { key: string; job: JobDefinition; notes: string[] },
  definitionText: string | undefined,
  opts: { workspaceFolder: string; codeFolder: string },
): SaveDefinitionPlan {
  const job: JobDefinition = { ...imported.job };
  const rel = (p: string) => {
    if (!p || p.startsWith('s3://') || p.startsWith('<') || p.includes('${')) return p;
    const r = path.relative(opts.workspaceFolder, path.resolve(opts.codeFolder, p)).split(path.sep).join('/');
    return r || '.';
  };
  if (job.sourceDir) job.sourceDir = rel(job.sourceDir);
  else if (job.script) job.script = rel(job.script);
  if (job.inputs) job.inputs = job.inputs.map((i) => ({ ...i, source: rel(i.source) }));
  if (job.spark) {
    const s = { ...job.spark };
    for (const k of ['submitPyFiles', 'submitJars', 'submitFiles'] as const) if (s[k]) s[k] = s[k]!.map(rel);
    job.spark = s;
  }
  return { key: imported.key, job, notes: [...imported.notes], sameScript: sameScriptJobs(job, definitionText, opts.workspaceFolder) };
}
