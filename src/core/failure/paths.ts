// Container paths of a traceback's frames → files of the workspace. The layout is the debugger's (core/local/debug.ts's
// debugPathMappings: the code folder holds the script's folder or the sourceDir, local-folder inputs sit at their
// destinations); this only applies it the other way and picks the job of a definition a cloud job came from.
import * as path from 'node:path';

/** A local folder and where it is in the container (the shape of core/local/debug.ts's PathMapping). */
export interface PathMapping {
  localRoot: string;
  remoteRoot: string;
}

/** The workspace file a container path maps to (the most specific mapping wins), or undefined. */
export function containerToLocal(file: string, mappings: readonly PathMapping[]): string | undefined {
  const p = path.posix.normalize(file);
  let best: PathMapping | undefined;
  for (const m of mappings) {
    const root = m.remoteRoot.replace(/\/+$/, '');
    if (p !== root && !p.startsWith(root + '/')) continue;
    if (!best || root.length > best.remoteRoot.replace(/\/+$/, '').length) best = m;
  }
  if (!best) return undefined;
  const rest = p.slice(best.remoteRoot.replace(/\/+$/, '').length).replace(/^\/+/, '');
  if (rest.split('/').includes('..')) return undefined;
  return rest ? path.join(best.localRoot, ...rest.split('/')) : best.localRoot;
}

/** `census-2026-12-07-19-31-22-123` → `census`: the base a job name was generated from (the SDK's scheme). */
export function baseJobName(name: string): string {
  return name.replace(/-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-\d{3}$/, '');
}

/** A job of the definition, as a candidate for where a job's frames come from. */
export interface MappingCandidate {
  key: string;
  /** The name a run of it would get now (only its base counts). */
  jobName: string;
  mappings: PathMapping[];
}

/**
 * The mappings to try for a job, best first: the definition's jobs whose generated names share the job's base name,
 * then the others (a job submitted with another name still ran the same files).
 */
export function candidatesFor(jobName: string, candidates: readonly MappingCandidate[]): MappingCandidate[] {
  const base = baseJobName(jobName).toLowerCase();
  const same = candidates.filter((c) => baseJobName(c.jobName).toLowerCase() === base);
  return [...same, ...candidates.filter((c) => !same.includes(c))];
}

/**
 * Maps a container path with the first candidate whose mapped file exists (`exists` is the caller's look at the disk).
 * Returns the workspace file and the job key that mapped it.
 */
export function mapWithCandidates(file: string, candidates: readonly MappingCandidate[], exists: (p: string) => boolean): { local: string; key: string } | undefined {
  for (const c of candidates) {
    const local = containerToLocal(file, c.mappings);
    if (local && exists(local)) return { local, key: c.key };
  }
  return undefined;
}
