// Content hash of a build: the Dockerfile, every context file .dockerignore keeps (path, mode and bytes), and the
// build's own inputs (platform, build args). Reading files is a port, so this stays pure.
import { createHash } from 'node:crypto';
import type { BuildSpec } from './spec';

export interface IgnoreRule {
  negate: boolean;
  re: RegExp;
}

/** Glob (Go filepath.Match style, with `**`) to a regular expression over `/`-separated relative paths. */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += '[' + glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else if (c === '\\' && i + 1 < glob.length) re += '\\' + glob[++i];
    else re += c.replace(/[.+^${}()|\]\\/]/g, '\\$&');
  }
  // A pattern matching a folder excludes everything under it.
  return new RegExp(`^${re}(?:/.*)?$`);
}

/**
 * The tool's own output folders (local runs' `.sagemaker-local/`, downloads' `outputs/`), left out of a build context
 * that has no .dockerignore of its own (top level only; a .dockerignore, even an empty one, decides alone).
 */
export const DEFAULT_CONTEXT_EXCLUDES: readonly string[] = ['.sagemaker-local', 'outputs'];

/** The rules of a context: its .dockerignore's when it has one (text given), else the tool's own output folders. */
export function contextIgnoreRules(dockerignoreText: string | undefined): IgnoreRule[] {
  return parseDockerignore(dockerignoreText ?? DEFAULT_CONTEXT_EXCLUDES.join('\n'));
}

/** Parses a .dockerignore (comments, blank lines, `!` exceptions, leading `/` and `./` stripped). */
export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1).trim();
    line = line.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
    if (!line) continue;
    rules.push({ negate, re: globToRegExp(line) });
  }
  return rules;
}

/** Whether a context-relative path is excluded (the last matching rule wins, as in docker). */
export function isIgnored(rel: string, rules: readonly IgnoreRule[]): boolean {
  let ignored = false;
  for (const r of rules) if (r.re.test(rel)) ignored = !r.negate;
  return ignored;
}

export interface ContextFile {
  /** `/`-separated path relative to the context. */
  rel: string;
  /** Mode bits that matter to the image (executable or not). */
  executable: boolean;
  /** SHA-256 hex of the content (or of the link target for symlinks). */
  sha256: string;
}

/** One hash over everything that decides what gets built. Order-independent in the file list. */
export function buildContentHash(spec: Pick<BuildSpec, 'platform' | 'buildArgs'>, dockerfileText: string, dockerfileRel: string, files: readonly ContextFile[]): string {
  const h = createHash('sha256');
  h.update('smp-build-v1\n');
  h.update(`platform=${spec.platform}\n`);
  for (const k of Object.keys(spec.buildArgs).sort()) h.update(`arg ${k}=${spec.buildArgs[k]}\n`);
  h.update(`dockerfile ${dockerfileRel}\n`);
  h.update(createHash('sha256').update(dockerfileText).digest('hex') + '\n');
  for (const f of [...files].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))) {
    h.update(`${f.rel}\0${f.executable ? 'x' : '-'}\0${f.sha256}\n`);
  }
  return 'sha256:' + h.digest('hex');
}
