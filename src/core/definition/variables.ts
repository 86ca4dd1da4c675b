import { t } from '../l10n';

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

export const KNOWN_VARIABLES = ['workspaceFolder', 'file', 'fileBasename', 'fileBasenameNoExtension', 'env:NAME', 'env:NAME:-default', 'region', 'accountId', 'defaultBucket', 'jobName'];

/** Variables only known once the AWS account, region and job name are (substituted last, by the resolver). */
export const LATE_VARIABLES = ['region', 'accountId', 'defaultBucket', 'jobName'] as const;

const VAR = /\$\{([^}]*)\}/g;

function basename(p: string): string {
  return p.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? p;
}

export interface SubstituteOptions {
  /** Leave these variables as they are (no problem reported): values known only later. */
  keep?: readonly string[];
  /** Substitute only these variables (leave the rest as they are). */
  only?: readonly string[];
}

/**
 * Substitutes variables; returns the text and the problems (unknown variables, unset environment variables, variables
 * with no value here). `${env:NAME}` must be set (an unset one is an error: it would silently become ""), unless it
 * gives a default: `${env:NAME:-default}` (`${env:NAME:-}` for an explicit empty value), as in the shell.
 */
export function substitute(text: string, v: VariableValues, o: SubstituteOptions = {}): { value: string; problems: string[] } {
  const problems: string[] = [];
  const value = text.replace(VAR, (whole, name: string) => {
    let out: string | undefined;
    if (o.only && !o.only.includes(name)) return whole;
    if (name.startsWith('env:')) {
      const spec = name.slice(4);
      const cut = spec.indexOf(':-');
      const key = cut >= 0 ? spec.slice(0, cut) : spec;
      const dflt = cut >= 0 ? spec.slice(cut + 2) : undefined;
      if (!key) {
        problems.push(t('"{0}": name the environment variable, e.g. {1}', whole, '${env:HOME}'));
        return whole;
      }
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
        problems.push(t('"{0}": "{1}" is not an environment variable name', whole, key));
        return whole;
      }
      const got = v.env && Object.prototype.hasOwnProperty.call(v.env, key) ? v.env[key] : undefined;
      if (got !== undefined && got !== '') return got;
      if (dflt !== undefined) return dflt;
      problems.push(t('environment variable {0} is not set or empty (used as "{1}"); set it, or give a default: {2}', key, whole, `\${env:${key}:-value}`));
      return whole;
    }
    if (o.keep?.includes(name)) return whole;
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
        problems.push(t('unknown variable "{0}"; known: {1}', whole, KNOWN_VARIABLES.map((k) => '${' + k + '}').join(', ')));
        return whole;
    }
    if (out === undefined) {
      problems.push(t('variable "{0}" has no value here', whole));
      return whole;
    }
    return out;
  });
  return { value, problems };
}

/** Deeply substitutes every string in a JSON value; problems get the field path prefix from `at`. */
export function substituteDeep<T>(value: T, v: VariableValues, at: (path: (string | number)[], msg: string) => void, path: (string | number)[] = [], o: SubstituteOptions = {}): T {
  if (typeof value === 'string') {
    const r = substitute(value, v, o);
    for (const p of r.problems) at(path, p);
    return r.value as T;
  }
  if (Array.isArray(value)) return value.map((x, i) => substituteDeep(x, v, at, [...path, i], o)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(value)) setOwn(out, k, substituteDeep(x, v, at, [...path, k], o));
    return out as T;
  }
  return value;
}

/** Sets a key as an own data property, even `__proto__` (which an assignment would turn into a prototype change). */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}
