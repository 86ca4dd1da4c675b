// "Why did it fail?" for the CLI: the failure summary of a cloud job (describe, logs, run --wait), with its frames
// mapped to the files of the definition in the current folder when the job ran from it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AwsClients } from '../aws/index';
import type { ProcessingJobDescriptionLike } from '../core/jobDetails';
import { DEFINITION_FILE } from '../core/definition/types';
import { candidatesFor, mapWithCandidates, type MappingCandidate } from '../core/failure/paths';
import { cloudJobSummary, summaryJson, summaryLines, type FailureSummary } from '../core/failure/summary';
import { definitionCandidates } from '../core/local/failureMappings';
import { definitionLocation } from '../runPath';

/** The jobs of the definition file (default: ./.vscode/sagemaker-processing.json), as mapping candidates. */
export function definitionCandidatesAt(definitionFile = path.resolve(DEFINITION_FILE), folder?: string): MappingCandidate[] {
  let text: string;
  try {
    text = fs.readFileSync(definitionFile, 'utf8');
  } catch {
    return [];
  }
  const ws = folder ?? definitionLocation(definitionFile, undefined).folder;
  return definitionCandidates(text, ws, process.env);
}

/** The summary of a Failed or Stopped job (undefined for any other status): its description, its logs, the mapping. */
export async function cloudFailureSummary(aws: Pick<AwsClients, 'logs'>, d: ProcessingJobDescriptionLike, candidates: MappingCandidate[]): Promise<FailureSummary | undefined> {
  const status = d.ProcessingJobStatus ?? '';
  if (status !== 'Failed' && status !== 'Stopped') return undefined;
  const ordered = candidatesFor(d.ProcessingJobName ?? '', candidates);
  return cloudJobSummary(await aws.logs(), d, (f) => mapWithCandidates(f, ordered, (p) => fs.existsSync(p) && fs.statSync(p).isFile())?.local);
}

/** The summary block as the CLI prints it (workspace paths relative to the current folder). */
export function cliSummaryLines(s: FailureSummary): string[] {
  return summaryLines(s, (p) => path.relative(process.cwd(), p) || p);
}

export { summaryJson };
