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
  let sameScript: string[] = [];
  if (typeof job.script === 'string') {
    const abs = path.resolve(opts.workspaceFolder, job.script);
    if (opts.fileExists(abs)) kept = notes.filter((n) => n !== scriptNote(job.script as string));
    const def = definitionText?.trim() ? (parse(definitionText, [], { allowTrailingComma: true }) as DefinitionFile | undefined) : undefined;
    if (def && typeof def === 'object' && def.jobs && typeof def.jobs === 'object') {
      try {
        sameScript = jobsForScript(def, abs, opts.workspaceFolder);
      } catch {
        sameScript = [];
      }
    }
  }
  return { key, job, notes: kept, sameScript };
}
