/** `${…}` variables in definition values, like launch.json. */
export interface VariableValues {
  workspaceFolder?: string;
  /** The script being run (absolute). */
  file?: string;
  region?: string;
  accountId?: string;
  defaultBucket?: string;
  jobName?: string;
  env?: Record<string, string | undefined>;
}

export const KNOWN_VARIABLES = ['workspaceFolder', 'file', 'fileBasename', 'fileBasenameNoExtension', 'env:NAME', 'region', 'accountId', 'defaultBucket', 'jobName'];

const VAR = /\$\{([^}]*)\}/g;

function basename(p: string): string {
  return p.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? p;
}

/** Substitutes variables; returns the text and the problems (unknown or unavailable variables). */
export function substitute(text: string, v: VariableValues): { value: string; problems: string[] } {
  const problems: string[] = [];
  const value = text.replace(VAR, (whole, name: string) => {
    let out: string | undefined;
    if (name.startsWith('env:')) {
      const key = name.slice(4);
      if (!key) problems.push(`"${whole}": name the environment variable, e.g. \${env:HOME}`);
      return key ? v.env?.[key] ?? '' : whole;
    }
    switch (name) {
      case 'workspaceFolder': out = v.workspaceFolder; break;
      case 'file': out = v.file; break;
      case 'fileBasename': out = v.file && basename(v.file); break;
      case 'fileBasenameNoExtension': out = v.file && basename(v.file).replace(/\.[^.]*$/, ''); break;
      case 'region': out = v.region; break;
      case 'accountId': out = v.accountId; break;
      case 'defaultBucket': out = v.defaultBucket; break;
      case 'jobName': out = v.jobName; break;
      default:
        problems.push(`unknown variable "${whole}"; known: ${KNOWN_VARIABLES.map((k) => '${' + k + '}').join(', ')}`);
        return whole;
    }
    if (out === undefined) {
      problems.push(`variable "${whole}" has no value here`);
      return whole;
    }
    return out;
  });
  return { value, problems };
}

export function hasVariables(text: string): boolean {
  return /\$\{[^}]*\}/.test(text);
}

/** Deeply substitutes every string in a JSON value; problems get the field path prefix from `at`. */
export function substituteDeep<T>(value: T, v: VariableValues, at: (path: (string | number)[], msg: string) => void, path: (string | number)[] = []): T {
  if (typeof value === 'string') {
    const r = substitute(value, v);
    for (const p of r.problems) at(path, p);
    return r.value as T;
  }
  if (Array.isArray(value)) return value.map((x, i) => substituteDeep(x, v, at, [...path, i])) as T;
  if (value && typeof value === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(value)) o[k] = substituteDeep(x, v, at, [...path, k]);
    return o as T;
  }
  return value;
}
