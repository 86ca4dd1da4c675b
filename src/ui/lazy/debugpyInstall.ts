// "Install debugpy with pip" (Debug Locally in Docker without the Python Debugger extension or the debugpyPath
// setting, e.g. when the marketplace is unreachable): the user's own Python installs debugpy into the extension's
// global storage, with a progress notification and the outcome said; on failure, exactly what failed and a way to set
// the path instead. Loaded at first use (dist/lazy-debugpyInstall.js).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEBUGPY_VERSION, PYTHON_CANDIDATES } from '../../core/local/debugpyInstall';
import { findPythonWithPip, installDebugpy, type DebugpyInstallResult } from '../../local/debugpyInstaller';
import { t } from '../l10n';

/** Where the installed copy lives: `<globalStorage>/debugpy` (the package itself in `…/debugpy/debugpy`). */
export function installedDebugpyTarget(globalStorage: string): string {
  return path.join(globalStorage, 'debugpy');
}

/** The Python interpreter the Python extension is set to, when it names one (else the usual commands are tried). */
function configuredPython(): string | undefined {
  const v = vscode.workspace.getConfiguration('python').get<string>('defaultInterpreterPath', '').trim();
  return v && v !== 'python' ? v : undefined;
}

/** Installs debugpy with progress; returns the debugpy package folder, or undefined (the failure was said). */
export async function installDebugpyWithProgress(globalStorage: string, log: vscode.LogOutputChannel): Promise<string | undefined> {
  const target = installedDebugpyTarget(globalStorage);
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: t('Installing debugpy {0}', DEBUGPY_VERSION), cancellable: true }, async (progress, token): Promise<DebugpyInstallResult> => {
    const ac = new AbortController();
    token.onCancellationRequested(() => ac.abort());
    progress.report({ message: t('looking for Python with pip…') });
    const preferred = configuredPython();
    const python = await findPythonWithPip(preferred, ac.signal);
    if (!python) return { ok: false, python: preferred ?? PYTHON_CANDIDATES.join(', '), error: t('No Python with pip was found (tried {0}).', preferred ?? PYTHON_CANDIDATES.join(', ')), output: '' };
    progress.report({ message: t('{0} -m pip install debugpy=={1} into {2}', python, DEBUGPY_VERSION, target) });
    log.info(t('Installing debugpy {0} with {1} into {2}', DEBUGPY_VERSION, python, target));
    return installDebugpy({ python, target, signal: ac.signal, onLine: (l) => log.info(l) });
  });
  if (result.ok) {
    log.info(t('debugpy {0} is installed in {1}', DEBUGPY_VERSION, result.dir));
    void vscode.window.showInformationMessage(t('debugpy {0} is installed (with {1}) in {2}. Debug Locally in Docker uses it from now on.', DEBUGPY_VERSION, result.python, result.dir));
    return result.dir;
  }
  log.error(t('Installing debugpy failed: {0}', result.error));
  const setPath = t('Set debugpy Path…');
  const showLog = t('Show Output');
  const choice = await vscode.window.showErrorMessage(t('Installing debugpy failed: {0}', result.error), setPath, showLog);
  if (choice === setPath) await vscode.commands.executeCommand('workbench.action.openSettings', 'sagemakerProcessing.debugpyPath');
  if (choice === showLog) log.show(true);
  return undefined;
}
