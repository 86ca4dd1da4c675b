// Installing debugpy for "Debug Locally in Docker" when neither the setting sagemakerProcessing.debugpyPath nor the
// Python Debugger extension provides it: the user's own Python runs pip to put debugpy into a folder the extension
// owns (its global storage). This file plans it and reads the outcome; src/local/debugpyInstaller.ts runs it.
import { t } from '../l10n';

/** The debugpy the extension installs (the version the project's tests run, scripts/setup.sh DEBUGPY_VERSION). */
export const DEBUGPY_VERSION = '1.8.22';

/** The Python commands tried, in order, when none is configured. */
export const PYTHON_CANDIDATES = process.platform === 'win32' ? ['py', 'python', 'python3'] : ['python3', 'python'];

export interface DebugpyInstallPlan {
  /** The folder pip writes into (a fresh one beside the target; renamed to the target once debugpy is there). */
  staging: string;
  /** The argument list after the Python command (never a shell string). */
  args: string[];
}

/**
 * `python -m pip install --target <staging> debugpy==<version>`: no dependencies (debugpy has none), no cache, no
 * version check; `findLinks` installs offline from a folder of wheels (--no-index --find-links).
 */
export function debugpyInstallPlan(target: string, o: { version?: string; findLinks?: string; staging?: string } = {}): DebugpyInstallPlan {
  const staging = o.staging ?? `${target}.partial`;
  return {
    staging,
    args: [
      '-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--no-cache-dir', '--no-deps', '--upgrade',
      ...(o.findLinks ? ['--no-index', '--find-links', o.findLinks] : []),
      '--target', staging, `debugpy==${o.version ?? DEBUGPY_VERSION}`,
    ],
  };
}

/** The most telling line of pip's output: its last ERROR line, else the last line. */
export function pipFailureLine(output: string): string {
  const lines = output.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return [...lines].reverse().find((l) => /^ERROR:/.test(l)) ?? lines.at(-1) ?? '';
}

/** One sentence saying exactly what failed: the command as run, and how it ended. */
export function debugpyInstallFailure(python: string, plan: DebugpyInstallPlan, outcome: { code?: number | null; spawnError?: string; output?: string; missing?: boolean }): string {
  const command = [python, ...plan.args].join(' ');
  if (outcome.spawnError) return t('Could not start {0}: {1}', python, outcome.spawnError);
  if (outcome.missing) return t('{0} ended without error, but no debugpy package is in {1}.', command, plan.staging);
  const line = pipFailureLine(outcome.output ?? '');
  return line ? t('{0} exited with code {1}: {2}', command, String(outcome.code ?? '?'), line) : t('{0} exited with code {1}.', command, String(outcome.code ?? '?'));
}
