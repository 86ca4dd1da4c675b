// "Debug Locally in Docker": the local run of Run Locally, with the job's script started under debugpy in its
// container (instance 1, or every instance), and a VS Code debug session attached to each waiting instance.
// The session is the Python Debugger extension's `debugpy` type when it is installed; otherwise our own debug type,
// for which VS Code talks DAP straight to the container's debugpy (a debug adapter server on 127.0.0.1).
// Stopping a session stops the run; the run's output stays in its channel; outputs land as for a local run.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { attachArguments, debugEntrypoint, type DebugInstances } from '../core/local/debug';
import { bundledDebugpy, debugpyPackageDir } from '../local/debugBridge';
import type { DebugEndpoint } from '../local/localRunner';
import type { CommandFactory } from './commands';
import type { Ctx } from './context';
import { localJobStore } from './localJobs';
import { prepareLocalRun, runTarget, type PreparedLocalRun, type RunTarget } from './runPipeline';
import { t } from './l10n';
import { setting } from './settings';

/** Our debug type: VS Code connects to debugpy in the container as a debug adapter server (no Python extension needed). */
export const DEBUG_TYPE = 'sagemaker-debugpy';
export const PYTHON_DEBUGGER = 'ms-python.debugpy';
/** Marks our sessions' configurations with the local run's job name. */
const RUN_KEY = 'sagemakerLocalRun';

/**
 * Where debugpy comes from: the setting when set, else the Python Debugger extension's bundled copy, else the copy
 * "Install debugpy with pip" put into the extension's global storage (`<globalStorage>/debugpy`).
 */
export function findDebugpy(globalStorage?: string): { dir?: string; problem?: string; misconfigured?: boolean } {
  const configured = setting<string>('debugpyPath', '').trim();
  if (configured) {
    const dir = debugpyPackageDir(configured);
    return dir ? { dir } : { misconfigured: true, problem: t('The setting sagemakerProcessing.debugpyPath ({0}) is not a debugpy package folder (one holding debugpy\'s __main__.py, or its parent).', configured) };
  }
  const dir = bundledDebugpy(vscode.extensions.getExtension(PYTHON_DEBUGGER)?.extensionPath)
    ?? (globalStorage ? debugpyPackageDir(path.join(globalStorage, 'debugpy')) : undefined);
  return dir ? { dir } : { problem: t('Debugging in the container needs debugpy, which is mounted into it read-only (nothing is installed into your image): install it here with your Python\'s pip, install the Python Debugger extension, or point the setting sagemakerProcessing.debugpyPath at a debugpy folder.') };
}

/** The debug configuration attaching to one waiting instance. */
export function attachConfiguration(jobName: string, e: DebugEndpoint, pythonDebugger: boolean): vscode.DebugConfiguration {
  return {
    type: pythonDebugger ? 'debugpy' : DEBUG_TYPE,
    request: 'attach',
    name: t('{0} ({1}, local)', jobName, e.host),
    ...attachArguments(e.port, e.pathMappings),
    [RUN_KEY]: jobName,
  };
}

/**
 * Sessions of debug runs; a session that ends while its debuggee still runs (the user's Stop) stops the run. In an
 * attach session debugpy sends `terminated` first when the script ends; when the user stops, VS Code sends
 * `disconnect` (or `terminate`) first.
 */
class LocalDebugSessions implements vscode.Disposable {
  private readonly endedByDebuggee = new Set<string>();
  private readonly endedByUser = new Set<string>();
  private readonly sessions = new Map<string, vscode.DebugSession>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    const tracker: vscode.DebugAdapterTrackerFactory = {
      createDebugAdapterTracker: (session) => {
        if (!session.configuration[RUN_KEY]) return undefined;
        return {
          onDidSendMessage: (m: { type?: string; event?: string }) => {
            if (m.type === 'event' && (m.event === 'terminated' || m.event === 'exited') && !this.endedByUser.has(session.id)) this.endedByDebuggee.add(session.id);
          },
          onWillReceiveMessage: (m: { type?: string; command?: string }) => {
            if (m.type === 'request' && (m.command === 'disconnect' || m.command === 'terminate') && !this.endedByDebuggee.has(session.id)) this.endedByUser.add(session.id);
          },
        };
      },
    };
    this.disposables.push(
      vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
        createDebugAdapterDescriptor: (session) => {
          const port = Number((session.configuration.connect as { port?: unknown } | undefined)?.port);
          if (!Number.isInteger(port) || port <= 0) throw new Error(t('This configuration has no connect.port to attach to.'));
          return new vscode.DebugAdapterServer(port, '127.0.0.1');
        },
      }),
      vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, tracker),
      vscode.debug.registerDebugAdapterTrackerFactory('debugpy', tracker),
      vscode.debug.onDidStartDebugSession((session) => {
        if (session.configuration[RUN_KEY]) this.sessions.set(session.id, session);
      }),
      vscode.debug.onDidTerminateDebugSession((session) => {
        const job = session.configuration[RUN_KEY] as string | undefined;
        this.sessions.delete(session.id);
        if (!job) return;
        const byDebuggee = this.endedByDebuggee.delete(session.id);
        this.endedByUser.delete(session.id);
        const store = localJobStore(this.ctx);
        // The user stopped (or detached from) a debuggee that still runs, or the connection broke: stop the run.
        if (!byDebuggee && store.isRunning(job)) {
          this.ctx.log.info(t('The debug session of {0} ended: stopping the local run', job));
          void store.stop(job).catch(() => undefined);
        }
      }),
    );
  }

  /** Ends the sessions of a run that is over (it failed or was stopped while a debugger was attached). */
  endSessionsOf(job: string): void {
    for (const session of this.sessions.values()) if (session.configuration[RUN_KEY] === job) void vscode.debug.stopDebugging(session);
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

function sessions(ctx: Ctx): LocalDebugSessions {
  return ctx.single(LocalDebugSessions, () => new LocalDebugSessions(ctx));
}

/** Registers our debug type (call once at activation). */
export function registerLocalDebug(ctx: Ctx): void {
  sessions(ctx);
}

type DebugArg = vscode.Uri | { kind: 'job'; job: { name: string }; local?: boolean } | { prepared: PreparedLocalRun } | undefined;

/**
 * No usable debugpy: offers to install it with the user's own pip (no marketplace needed), the Python Debugger
 * extension, or the setting. Returns the debugpy folder when the pip install worked (the run goes on with it).
 */
async function offerDebugpy(ctx: Ctx, found: { problem?: string; misconfigured?: boolean }): Promise<string | undefined> {
  const pip = t('Install debugpy with pip');
  const install = t('Install Python Debugger');
  const settings = t('Open Settings');
  const choice = await vscode.window.showErrorMessage(found.problem!, ...(found.misconfigured ? [settings] : [pip, install, settings]));
  if (choice === pip) {
    const { installDebugpyWithProgress } = await import('./lazy/debugpyInstall');
    return installDebugpyWithProgress(ctx.extension.globalStorageUri.fsPath, ctx.log);
  }
  if (choice === install) {
    // The marketplace may be unreachable (an offline or air-gapped machine): say so instead of doing nothing.
    try {
      await vscode.commands.executeCommand('workbench.extensions.installExtension', PYTHON_DEBUGGER);
    } catch (err) {
      void vscode.window.showErrorMessage(t('Could not install the Python Debugger extension ({0}): {1}', PYTHON_DEBUGGER, err instanceof Error ? err.message : String(err)));
    }
  }
  if (choice === settings) await vscode.commands.executeCommand('workbench.action.openSettings', 'sagemakerProcessing.debugpyPath');
  return undefined;
}

/**
 * "Debug Locally in Docker": from the code lens `(uri, jobKey?)`, the editor or explorer context menu `(uri)`, or a
 * local run in the explorer (debugs that job again). A third argument 'all' debugs every instance without asking.
 */
export const localDebugCommands: Record<string, CommandFactory> = {
  debugLocally: (ctx: Ctx) => async (arg?: DebugArg, key?: string, instances?: DebugInstances) => {
    if (!ctx.requireTrust(t('Debugging a job locally is disabled in an untrusted workspace.'))) return;
    const store = localJobStore(ctx);
    let uri: vscode.Uri | undefined;
    // A run already prepared (Debug at the Failing Line from a job's own request, src/ui/lazy/failure.ts).
    const given = arg && !(arg instanceof vscode.Uri) && 'prepared' in arg ? arg.prepared : undefined;
    if (given) uri = vscode.Uri.file(given.workspaceDir);
    else if (arg && !(arg instanceof vscode.Uri) && 'kind' in arg && arg.kind === 'job') {
      const rec = store.get(arg.job.name);
      if (!rec?.key) {
        void vscode.window.showErrorMessage(t('The local run {0} does not say which job of the definition it ran.', arg.job.name));
        return;
      }
      uri = vscode.Uri.file(rec.workspaceDir);
      key = rec.key;
    } else uri = arg instanceof vscode.Uri ? arg : undefined;
    const target = given ? { folder: vscode.workspace.getWorkspaceFolder(uri!) } : runTarget(uri, key);
    if (!target?.folder) return;
    const found = findDebugpy(ctx.extension.globalStorageUri.fsPath);
    if (!found.dir) {
      found.dir = await offerDebugpy(ctx, found);
      if (!found.dir) return;
    }
    const folder = target.folder;
    try {
      // The run pipeline's prepare step, the same as Run Locally's (runPipeline.ts): confined to the workspace too.
      const prepared = given ?? await prepareLocalRun(ctx, target as RunTarget, t('Debug Locally in Docker'));
      if (!prepared) return;
      const { jobKey, resolved, workspaceDir: ws } = prepared;
      debugEntrypoint(resolved.spec); // says at once when this job cannot run under debugpy
      let which: DebugInstances = instances === 'all' ? 'all' : 'first';
      if (resolved.spec.instanceCount > 1 && !instances) {
        const pick = await vscode.window.showQuickPick([
          { label: t('algo-1 only'), description: t('the other instances run without a debugger'), which: 'first' as const },
          { label: t('Every instance ({0} debug sessions)', resolved.spec.instanceCount), which: 'all' as const },
        ], { title: t('Debug Locally in Docker'), placeHolder: t('{0} runs {1} instances: which wait for the debugger?', jobKey, resolved.spec.instanceCount) });
        if (!pick) return;
        which = pick.which;
      }
      const name = resolved.spec.jobName;
      const pythonDebugger = !!vscode.extensions.getExtension(PYTHON_DEBUGGER);
      const dbg = sessions(ctx);
      ctx.log.info(pythonDebugger ? t('Local debug run {0} of job {1} (debugpy {2}; Python Debugger)', name, jobKey, found.dir) : t('Local debug run {0} of job {1} (debugpy {2}; built-in debug adapter)', name, jobKey, found.dir));
      const { done } = store.start({
        spec: resolved.spec, jobKey, workspaceDir: ws, allowNetwork: resolved.allowNetwork, roleArn: resolved.roleArn, localOnlyOutputs: resolved.localOnlyOutputs,
        debug: {
          debugpyDir: found.dir,
          instances: which,
          onReady: (e) => {
            void vscode.debug.startDebugging(folder, attachConfiguration(name, e, pythonDebugger)).then((ok) => {
              if (!ok) void vscode.window.showErrorMessage(t('Could not start the debug session for {0} ({1}); the script waits for a debugger on 127.0.0.1:{2}.', name, e.host, e.port));
            });
          },
        },
      });
      void done.then(() => dbg.endSessionsOf(name));
      ctx.monitor.watchLocal(name);
    } catch (err) {
      void vscode.window.showErrorMessage(t('Cannot debug locally: {0}', err instanceof Error ? err.message : String(err)));
    }
  },
};
