// The path mappings of every job of a definition file: where each job's local files (script folder or sourceDir,
// local-folder inputs) are in the container — the debugger's layout (core/local/debug.ts), for the frames of a job
// that ran from this workspace (cloud or local).
import { debugPathMappings } from './debug';
import { resolveLocalJob } from './definitionLite';
import { parseJsonc } from '../definition/parse';
import type { ContainerSpec } from '../definition/containerSpec';
import { mapWithCandidates, type MappingCandidate } from '../failure/paths';
import { buildFailureSummary, type FailureSummary, type InstanceLog } from '../failure/summary';
import type { LocalJobRecord } from './record';

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

/**
 * The failure summary of a local run from its record and what the run printed (per instance): the frames mapped with
 * the run's own spec (then `fallback`, e.g. the workspace's definitions). No output at all: it failed before its
 * container wrote anything. undefined unless the run Failed or was Stopped.
 */
export function localFailureSummary(
  r: Pick<LocalJobRecord, 'name' | 'key' | 'status' | 'failureReason' | 'exitMessage' | 'exitCode' | 'instanceCount'>,
  out: { spec?: ContainerSpec; logs?: InstanceLog[] },
  exists: (p: string) => boolean,
  fallback?: (file: string) => string | undefined,
): FailureSummary | undefined {
  if (r.status !== 'Failed' && r.status !== 'Stopped') return undefined;
  const own = out.spec ? [candidateOf(r.key, out.spec)] : [];
  const empty = out.logs && !out.logs.some((l) => l.events.length);
  return buildFailureSummary({
    jobName: r.name, status: r.status, local: true, failureReason: r.failureReason, exitMessage: r.exitMessage, exitCode: r.exitCode, instanceCount: r.instanceCount,
    ...(empty ? { logsProblem: { kind: 'noStreams' as const } } : { logs: out.logs }),
    mapPath: (f) => mapWithCandidates(f, own, exists)?.local ?? fallback?.(f),
  });
}
