/** Processing job names: the SageMaker Python SDK's scheme `base[:63-len(ts)-1]-YYYY-MM-DD-HH-MM-SS-mmm` (UTC). */
export const JOB_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
export const MAX_JOB_NAME = 63;
export const DEFAULT_BASE_NAME = 'processing-job';

export function timestamp(now: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${now.getUTCFullYear()}-${p(now.getUTCMonth() + 1)}-${p(now.getUTCDate())}-${p(now.getUTCHours())}-${p(now.getUTCMinutes())}-${p(now.getUTCSeconds())}-${p(now.getUTCMilliseconds(), 3)}`;
}

/** The repository name of an image URI (`…/repo:tag` → `repo`), like the SDK's base_name_from_image. */
export function baseNameFromImage(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const m = /^(.+\/)?([^:/@]+)(:[^:/]+|@sha256:[0-9a-f]+)?$/.exec(image);
  return m ? m[2] : undefined;
}

export function jobNameFrom(base: string, now: Date): string {
  const ts = timestamp(now);
  const trimmed = base.slice(0, MAX_JOB_NAME - ts.length - 1);
  return `${trimmed}-${ts}`;
}

/** Chooses the base like the SDK: baseJobName, else the image repository name, else `processing-job`. */
export function generateJobName(opts: { baseJobName?: string; image?: string }, now = new Date()): string {
  let base = opts.baseJobName || baseNameFromImage(opts.image) || DEFAULT_BASE_NAME;
  // Repository names may hold characters job names do not (`_`, `.`): keep the name valid.
  base = base.replace(/[^a-zA-Z0-9-]+/g, '-').replace(/^-+/, '') || DEFAULT_BASE_NAME;
  return jobNameFrom(base, now);
}
