import type { SdkVersion } from './types';

/** The SageMaker Python SDK versions whose requests a job can follow. */
export const SDK_VERSIONS: readonly SdkVersion[] = ['v2', 'v3'];

/** Files a workspace pins its Python packages in (looked at, in this order, for a `sagemaker` requirement). */
export const REQUIREMENTS_FILES = ['requirements.txt', 'requirements-dev.txt', 'requirements/base.txt', 'pyproject.toml', 'setup.cfg', 'environment.yml'];

/** `3`, `3.27.0`, `2.257.7` → the major version number, or undefined. */
function major(v: string): number | undefined {
  const m = /^\s*(\d+)/.exec(v);
  return m ? Number(m[1]) : undefined;
}

/**
 * What a requirement specifier says about the SageMaker Python SDK's major version: `sagemaker<3`, `sagemaker==2.*`,
 * `sagemaker~=2.200`, `sagemaker>=2,<3` → v2; `sagemaker>=3`, `sagemaker==3.27.0`, `sagemaker~=3.0` → v3; anything
 * else (no version, a range across both) → undefined. Only the package `sagemaker` itself counts (not sagemaker-core).
 */
export function sdkFromSpecifier(spec: string): SdkVersion | undefined {
  let hi: number | undefined; // exclusive upper bound on the major
  let lo: number | undefined; // inclusive lower bound on the major
  for (const part of spec.split(',')) {
    const m = /^\s*(===|==|~=|!=|<=|>=|<|>)\s*([0-9][0-9A-Za-z.*+!-]*)\s*$/.exec(part);
    if (!m) continue;
    const [, op, ver] = m;
    const mj = major(ver);
    if (mj === undefined) continue;
    const exactMinorZero = /^\d+(\.0+)*$/.test(ver);
    if (op === '==' || op === '===' || op === '~=') {
      lo = Math.max(lo ?? 0, mj);
      hi = Math.min(hi ?? Infinity, mj + 1);
    } else if (op === '<') hi = Math.min(hi ?? Infinity, exactMinorZero ? mj : mj + 1);
    else if (op === '<=') hi = Math.min(hi ?? Infinity, mj + 1);
    else if (op === '>=' || op === '>') lo = Math.max(lo ?? 0, mj);
  }
  if (hi !== undefined && hi <= 3) return 'v2';
  if (lo !== undefined && lo >= 3) return 'v3';
  return undefined;
}

/**
 * The SDK a workspace pins in one requirements-like file's text (requirements.txt lines, pyproject/setup.cfg/conda
 * dependency strings): the first `sagemaker` requirement with a version that decides it. Comments are ignored.
 */
export function sdkPinnedIn(text: string): SdkVersion | undefined {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '');
    // A requirement anywhere on the line (quoted in TOML lists, after "- " in conda files): the name must stand alone.
    const re = /(?:^|[\s"'[,=-])sagemaker(?:\[[^\]]*\])?\s*((?:(?:===|==|~=|!=|<=|>=|<|>)\s*[0-9][0-9A-Za-z.*+!-]*\s*,?\s*)+)/gi;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      // `sagemaker-core`, `sagemaker_train`: another package.
      const after = line.slice(m.index + m[0].indexOf('sagemaker') + 'sagemaker'.length);
      if (/^[-_.][A-Za-z]/.test(after)) continue;
      const sdk = sdkFromSpecifier(m[1]);
      if (sdk) return sdk;
    }
  }
  return undefined;
}

/** The workspace's pin over its requirements files (`read` gives a file's text or undefined), first that decides. */
export function workspaceSdkPin(read: (relPath: string) => string | undefined): SdkVersion | undefined {
  for (const f of REQUIREMENTS_FILES) {
    const text = read(f);
    if (text === undefined) continue;
    const sdk = sdkPinnedIn(text);
    if (sdk) return sdk;
  }
  return undefined;
}

/** The `sdk` a new definition is written with: v2 where the workspace pins `sagemaker<3`, else v3. */
export function sdkForNewDefinition(read: (relPath: string) => string | undefined): SdkVersion {
  return workspaceSdkPin(read) === 'v2' ? 'v2' : 'v3';
}
