// Which job of a definition runs: the one decision every run path makes (cloud and local, extension and CLI). A named
// job must exist; otherwise the jobs whose script is the given file, or every job when no file is given. None is an
// error (said against `jobs`); several are a choice for the caller (`pick`), or an error when it cannot ask.
import * as path from 'node:path';
import { jobsForScript, loadDefinition } from './definition/resolve';
import { DefinitionError, type DefinitionFile } from './definition/types';
import { t } from './l10n';

export interface JobChoiceOptions {
  workspaceFolder: string;
  /** The job the user named (a code lens, the CLI's `run <job>`). */
  jobKey?: string;
  /** The script the command was run on; a job whose `script` is this file runs it. */
  scriptPath?: string;
  /** The definition file, for the error's location. */
  definitionFile?: string;
  /** Asks the user which of several jobs; absent (the CLI): several jobs are an error naming them. */
  pick?: (keys: string[]) => Promise<string | undefined>;
  /** Appended to "no job runs <script>" (default: the VS Code command that creates one). */
  noJobHint?: string;
}

/** No job runs the script (or the definition has no jobs): the extension offers to create one. */
export class NoJobError extends DefinitionError {}

/** The jobs that could run (at least one; throws DefinitionError when there is none). */
export function jobCandidates(def: DefinitionFile, o: JobChoiceOptions): string[] {
  const jobs = def.jobs && typeof def.jobs === 'object' ? def.jobs : {};
  if (o.jobKey) {
    if (!Object.prototype.hasOwnProperty.call(jobs, o.jobKey)) {
      throw new DefinitionError([{ path: 'jobs', message: t('no job "{0}"; defined: {1}', o.jobKey, Object.keys(jobs).join(', ') || t('none')), severity: 'error' }], o.definitionFile);
    }
    return [o.jobKey];
  }
  const keys = o.scriptPath ? jobsForScript(def, o.scriptPath, o.workspaceFolder) : Object.keys(jobs);
  if (keys.length === 0) {
    const message = o.scriptPath ? t('no job runs {0}{1}', o.scriptPath, o.noJobHint ?? t('; add one (Create Job Definition…)')) : t('defines no jobs');
    throw new NoJobError([{ path: 'jobs', message, severity: 'error' }], o.definitionFile);
  }
  return keys;
}

/** The job to run: the only candidate, or the one `pick` returns (undefined: the user cancelled). */
export async function chooseJob(def: DefinitionFile, o: JobChoiceOptions): Promise<string | undefined> {
  const keys = jobCandidates(def, o);
  if (keys.length === 1) return keys[0];
  if (!o.pick) throw new DefinitionError([{ path: 'jobs', message: t('several jobs match ({0}); name one', keys.join(', ')), severity: 'error' }], o.definitionFile);
  return o.pick(keys);
}

/** The same choice on a definition's text (parsed and validated first, like a local run reads it). */
export async function chooseJobInText(text: string, o: JobChoiceOptions & { env?: Record<string, string | undefined> }): Promise<string | undefined> {
  const def = loadDefinition(text, { workspaceFolder: o.workspaceFolder, variables: { env: o.env ?? process.env, file: o.scriptPath } }, o.definitionFile);
  return chooseJob(def, o);
}

/** The CLI's `run <job|script.py>`: a `.py` argument is a script (resolved against the working folder), else a job. */
export function cliRunTarget(what: string): Pick<JobChoiceOptions, 'jobKey' | 'scriptPath'> {
  return /\.py$/i.test(what) ? { scriptPath: path.resolve(what) } : { jobKey: what };
}
