// The path mappings of every job of a definition file: where each job's local files (script folder or sourceDir,
// local-folder inputs) are in the container — the debugger's layout (core/local/debug.ts), for the frames of a job
// that ran from this workspace (cloud or local).
import { debugPathMappings } from './debug';
import { resolveLocalJob } from './definitionLite';
import { parseJsonc } from '../definition/parse';
import type { ContainerSpec } from '../definition/containerSpec';
import type { MappingCandidate } from '../failure/paths';

/** The candidate of one resolved job (a local run's own spec). */
export function candidateOf(key: string, spec: ContainerSpec): MappingCandidate {
  return { key, jobName: spec.jobName, mappings: debugPathMappings(spec) };
}

/** Every job of the definition text that resolves (jobs with problems are skipped: they map nothing). */
export function definitionCandidates(text: string, workspaceDir: string, env: Record<string, string | undefined> = {}): MappingCandidate[] {
  const def = parseJsonc(text).value as { jobs?: Record<string, unknown> } | undefined;
  const keys = def && typeof def.jobs === 'object' && def.jobs ? Object.keys(def.jobs) : [];
  const out: MappingCandidate[] = [];
  for (const key of keys) {
    try {
      out.push(candidateOf(key, resolveLocalJob(text, key, { workspaceDir, env }).spec));
    } catch {
      // a job with problems, or one whose files are gone
    }
  }
  return out;
}
