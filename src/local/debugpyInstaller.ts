// Runs the debugpy install planned in src/core/local/debugpyInstall.ts: the user's Python (spawned with an argument
// list, no shell) runs pip into a staging folder, which replaces `<target>` once it holds debugpy's __main__.py.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { debugpyInstallFailure, debugpyInstallPlan, PYTHON_CANDIDATES } from '../core/local/debugpyInstall';
import { debugpyPackageDir } from './debugBridge';
import { t } from '../core/l10n';

export type DebugpyInstallResult = { ok: true; dir: string; python: string; output: string } | { ok: false; python: string; error: string; output: string };

interface Ran { code: number | null; output: string; spawnError?: string }

function runPython(python: string, args: string[], o: { signal?: AbortSignal; onLine?: (line: string) => void; timeoutMs?: number } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    let output = '';
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(python, args, { shell: false, windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' }, signal: o.signal });
    } catch (err) {
      resolve({ code: null, output, spawnError: (err as Error).message });
      return;
    }
    const timer = o.timeoutMs ? setTimeout(() => child.kill(), o.timeoutMs) : undefined;
    const take = (b: Buffer) => {
      const text = b.toString('utf8');
      output += text;
      for (const l of text.split(/\r?\n/)) if (l.trim()) o.onLine?.(l);
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: null, output, spawnError: (err as NodeJS.ErrnoException).code === 'ENOENT' ? t('{0} was not found on the PATH', python) : err.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The first Python command that runs pip (`-m pip --version`), from `preferred` or the usual names. */
export async function findPythonWithPip(preferred?: string, signal?: AbortSignal): Promise<string | undefined> {
  for (const py of preferred ? [preferred] : PYTHON_CANDIDATES) {
    const r = await runPython(py, ['-m', 'pip', '--version'], { signal, timeoutMs: 30_000 });
    if (r.code === 0) return py;
  }
  return undefined;
}

/**
 * Installs debugpy into `target` (…/debugpy-lib: debugpy's package lands in `target/debugpy`) with `python -m pip`.
 * On success the returned dir is the debugpy package folder (what sagemakerProcessing.debugpyPath takes).
 */
export async function installDebugpy(o: { python: string; target: string; version?: string; findLinks?: string; signal?: AbortSignal; onLine?: (line: string) => void }): Promise<DebugpyInstallResult> {
  const plan = debugpyInstallPlan(o.target, { version: o.version, findLinks: o.findLinks });
  fs.mkdirSync(path.dirname(o.target), { recursive: true });
  fs.rmSync(plan.staging, { recursive: true, force: true });
  const r = await runPython(o.python, plan.args, { signal: o.signal, onLine: o.onLine, timeoutMs: 10 * 60_000 });
  const fail = (error: string): DebugpyInstallResult => {
    fs.rmSync(plan.staging, { recursive: true, force: true });
    return { ok: false, python: o.python, error, output: r.output };
  };
  if (r.spawnError || r.code !== 0) return fail(debugpyInstallFailure(o.python, plan, { code: r.code, spawnError: r.spawnError, output: r.output }));
  if (!debugpyPackageDir(plan.staging)) return fail(debugpyInstallFailure(o.python, plan, { missing: true }));
  fs.rmSync(o.target, { recursive: true, force: true });
  fs.renameSync(plan.staging, o.target);
  return { ok: true, dir: debugpyPackageDir(o.target)!, python: o.python, output: r.output };
}
