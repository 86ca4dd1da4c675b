/**
 * Notebook jobs: `notebook` (a .ipynb, relative to the workspace folder) + `parameters` in a job definition. The job is
 * what a user of the SageMaker Python SDK writes for the same thing — a ScriptProcessor whose command is papermill,
 * `code` the notebook, the executed copy written into an output:
 *
 *   ScriptProcessor(command=['papermill'], image_uri=…, …).run(
 *       code='analysis.ipynb',
 *       outputs=[ProcessingOutput(output_name='notebook', source='/opt/ml/processing/notebook-output')],
 *       arguments=['/opt/ml/processing/notebook-output/analysis.ipynb', '--kernel', 'python3', '--log-output',
 *                  '-p', 'alpha', '0.5', '-r', 'region', 'eu-west-1'])
 *
 * so the request works as it is on SageMaker (the image must have papermill and a python3 kernel). Papermill injects
 * the parameters after the cell tagged `parameters`; `--log-output` puts the cells' output in the job's logs.
 */
import * as path from 'node:path';
import type { JobFields, NotebookParameter, OutputDef } from './types';

/** The output that receives the executed notebook. */
export const NOTEBOOK_OUTPUT = 'notebook';
export const NOTEBOOK_OUTPUT_DIR = '/opt/ml/processing/notebook-output';
export const PAPERMILL_COMMAND = ['papermill'];

/** A parameter name papermill can inject: a Python identifier. */
export const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * papermill's command-line options for the parameters: strings raw (`-r`, kept as str), numbers, booleans and null
 * typed (`-p`, papermill reads True/False/None/ints/floats), lists and objects as YAML (`-y`, JSON is YAML).
 */
export function papermillParameterArgs(parameters: Record<string, NotebookParameter> | undefined): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(parameters ?? {})) {
    if (typeof v === 'string') out.push('-r', k, v);
    else if (typeof v === 'boolean') out.push('-p', k, v ? 'True' : 'False');
    else if (v === null) out.push('-p', k, 'None');
    else if (typeof v === 'number') out.push('-p', k, String(v));
    else out.push('-y', JSON.stringify({ [k]: v }));
  }
  return out;
}

/** Where the executed notebook is written in the container. */
export function executedNotebookPath(notebook: string): string {
  return `${NOTEBOOK_OUTPUT_DIR}/${path.posix.basename(notebook.split(path.sep).join('/'))}`;
}

/**
 * A merged job with `notebook` → the ScriptProcessor job that runs it (script = the notebook, command papermill unless
 * the job sets one, the output folder added, papermill's arguments before the job's own). Other jobs are returned as
 * they are.
 */
export function expandNotebookJob(j: JobFields): JobFields {
  if (typeof j.notebook !== 'string') return j;
  const { notebook, parameters, ...rest } = j;
  const outputs: OutputDef[] = [...(j.outputs ?? []), { name: NOTEBOOK_OUTPUT, source: NOTEBOOK_OUTPUT_DIR }];
  return {
    ...rest,
    script: notebook,
    command: j.command ?? PAPERMILL_COMMAND,
    outputs,
    arguments: [executedNotebookPath(notebook), '--kernel', 'python3', '--log-output', ...papermillParameterArgs(parameters), ...(j.arguments ?? [])],
  };
}
