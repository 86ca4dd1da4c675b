// The `sagemaker-image` task: build and push a processing image in a pseudoterminal (no shell, so no secret ever
// reaches a command line), one task per job definition with a `build` block, plus tasks written in tasks.json.
// The "Build and Push Image" command and the Dockerfile code lens run the same task.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandFactory } from './commands';
import type { Ctx } from './context';
import { setting } from './settings';
import { parseJsonc } from '../core/definition/parse';
import { substitute } from '../core/definition/variables';
import { DEFINITION_FILE, type BuildDef, type DefinitionFile } from '../core/definition/types';
import { BuildSpecError, resolveBuildSpec, TASK_TYPE, type BuildInput, type BuildSpec } from '../core/build/spec';
import { formatDuration, toTerminal } from '../core/build/plan';
import type { ContainerCli } from '../local/containerCli';
import { containerCliFrom } from '../local/containerCliConfig';
import { awsForBuild, BuildStepError, lastPushedIfCurrent, readBuilds, runImageBuild, type BuildEvent } from '../local/imageBuilder';
import { registryHost } from '../core/build/spec';
import { registerDockerfileLens } from './dockerfileLens';
import { describeTarget } from '../core/settings';
import { t } from './l10n';

export interface ImageTaskDefinition extends vscode.TaskDefinition, BuildInput {
  type: typeof TASK_TYPE;
}

const DOCKERFILE_RE = /^(Dockerfile|.*\.Dockerfile|Containerfile)$/;

/** The container CLI from the settings (containerCli, dockerConfig). */
export function containerCliFromSettings(): ContainerCli {
  return containerCliFrom({ cli: setting<string>('containerCli', 'docker'), dockerConfig: setting<string>('dockerConfig', '') });
}

/** The `build` blocks of a folder's job definition file (job's own block, else the defaults'), variables substituted. */
export async function definitionBuilds(folder: vscode.WorkspaceFolder): Promise<{ job: string; build: BuildDef }[]> {
  let text: string;
  try {
    text = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, DEFINITION_FILE))).toString('utf8');
  } catch {
    return [];
  }
  const def = parseJsonc(text).value as Partial<DefinitionFile> | undefined;
  if (!def || typeof def !== 'object' || !def.jobs || typeof def.jobs !== 'object') return [];
  const vars = { workspaceFolder: folder.uri.fsPath, env: process.env };
  const sub = (v: unknown): unknown => (typeof v === 'string' ? substitute(v, vars).value
    : Array.isArray(v) ? v.map(sub)
      : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sub(x)])) : v);
  const out: { job: string; build: BuildDef }[] = [];
  for (const [job, j] of Object.entries(def.jobs)) {
    const build = (j && typeof j === 'object' && j.build) || def.defaults?.build;
    if (build && typeof build === 'object' && typeof build.repository === 'string') out.push({ job, build: sub(build) as BuildDef });
  }
  return out;
}

function taskName(d: BuildInput): string {
  const image = `${d.repository}:${d.tag || 'latest'}`;
  return d.job ? t('Build and push {0} ({1})', d.job, image) : t('Build and push ({0})', image);
}

function makeTask(ctx: Ctx, folder: vscode.WorkspaceFolder | vscode.TaskScope.Workspace, def: ImageTaskDefinition, name = taskName(def)): vscode.Task {
  const task = new vscode.Task(def, folder, name, TASK_TYPE, new vscode.CustomExecution(async (resolved) => {
    const ws = typeof folder === 'object' ? folder : vscode.workspace.workspaceFolders?.[0];
    return new BuildTerminal(ctx, resolved as ImageTaskDefinition, ws);
  }));
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true, echo: false };
  task.group = vscode.TaskGroup.Build;
  return task;
}

/** Fills a task's missing fields from its job's build block (tasks.json may name only `job` and `repository`). */
async function completeDefinition(def: ImageTaskDefinition, folder: vscode.WorkspaceFolder | undefined): Promise<BuildInput> {
  if (!def.job || !folder) return def;
  const found = (await definitionBuilds(folder)).find((b) => b.job === def.job);
  return found ? { ...found.build, ...stripUndefined(def) } : def;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const ESC = { bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', green: '\x1b[32m', cyan: '\x1b[36m', reset: '\x1b[0m' };

/** Past VS Code's ErrorLaunchThresholdDuration (500 ms), with a margin for a busy renderer. */
export const LAUNCH_THRESHOLD_MS = 800;

/** The task's terminal: runs the steps, shows each with its duration, exits with 0 or 1; Ctrl+C cancels. */
class BuildTerminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  private readonly abort = new AbortController();
  private total = 0;
  private index = 0;
  private closed = false;

  constructor(private readonly ctx: Ctx, private readonly def: ImageTaskDefinition, private readonly folder: vscode.WorkspaceFolder | undefined) {}

  open(): void {
    this.openedAt = performance.now();
    void this.run();
  }

  handleInput(data: string): void {
    if (data.includes('\x03')) {
      this.write(`\n${ESC.red}${t('^C — cancelling…')}${ESC.reset}\n`);
      this.abort.abort();
    }
  }

  close(): void {
    this.abort.abort();
  }

  private write(text: string): void {
    this.writer.fire(toTerminal(text));
  }

  private finish(code: number): void {
    if (this.closed) return;
    this.closed = true;
    // VS Code calls a terminal that exits within its launch threshold (500 ms) one that "failed to launch" and says
    // so in a notification: a build that fails fast (a second try, cached steps) would get that instead of its error.
    const wait = Math.max(0, this.openedAt + LAUNCH_THRESHOLD_MS - performance.now());
    if (wait > 0) setTimeout(() => this.closer.fire(code), wait);
    else this.closer.fire(code);
  }

  private openedAt = performance.now();

  private async run(): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      this.write(`${ESC.red}${t('Building images is disabled in an untrusted workspace. Trust the folder to build.')}${ESC.reset}\n`);
      return this.finish(1);
    }
    if (!this.folder) {
      this.write(`${ESC.red}${t('Open a folder to build an image.')}${ESC.reset}\n`);
      return this.finish(1);
    }
    let spec: BuildSpec;
    try {
      spec = resolveBuildSpec(await completeDefinition(this.def, this.folder), this.folder.uri.fsPath);
    } catch (err) {
      const msg = err instanceof BuildSpecError ? err.problems.map((p) => `  • ${p}`).join('\n') : String((err as Error).message ?? err);
      this.write(`${ESC.red}${ESC.bold}${t('The build is not valid:')}${ESC.reset}\n${msg}\n`);
      this.ctx.log.error(t('Image build: {0}', msg));
      return this.finish(1);
    }
    const details = [path.relative(this.folder.uri.fsPath, spec.dockerfile) || spec.dockerfile, spec.platform, ...(spec.push ? [] : [t('no push')])];
    this.write(`${ESC.bold}${t('Build and push {0}', `${spec.repository}:${spec.tag}`)}${ESC.reset} ${ESC.dim}(${details.join(', ')})${ESC.reset}\n`);
    if (spec.push) this.write(`${ESC.dim}AWS: ${describeTarget(this.ctx.aws.current)}${ESC.reset}\n`);
    const t0 = performance.now();
    try {
      const r = await runImageBuild(spec, {
        cli: containerCliFromSettings(), aws: awsForBuild(this.ctx.aws), folder: this.folder.uri.fsPath,
        signal: this.abort.signal, emit: (e) => this.onEvent(e),
      });
      const what = r.imageUri ? t('Pushed {0}', r.imageUri) : t('Built {0}', `${spec.repository}:${spec.tag}${r.imageId ? ` (${r.imageId.slice(0, 19)})` : ''}`);
      this.write(`\n${ESC.green}${ESC.bold}✔ ${what}${ESC.reset} ${ESC.dim}${t('in {0}', formatDuration(performance.now() - t0))}${ESC.reset}\n`);
      this.ctx.log.info(t('Image build: {0}', what));
      this.finish(0);
    } catch (err) {
      const e = err instanceof BuildStepError ? err : new BuildStepError('build', String((err as Error)?.message ?? err));
      const head = e.cancelled ? t('Cancelled') : t('Failed at "{0}"', e.step);
      this.write(`\n${ESC.red}${ESC.bold}✖ ${head}${ESC.reset}\n`);
      this.ctx.log.error(t('Image build {0}: {1}: {2}', `${spec.repository}:${spec.tag}`, head, e.message));
      this.finish(1);
    }
  }

  private onEvent(e: BuildEvent): void {
    switch (e.type) {
      case 'plan':
        this.total = e.steps.length;
        break;
      case 'start':
        this.index++;
        this.write(`\n${ESC.cyan}${ESC.bold}▶ [${this.index}/${this.total}] ${e.title}${ESC.reset}\n`);
        break;
      case 'output':
        this.write(e.text);
        break;
      case 'info':
        this.write(`${ESC.dim}${e.text}${ESC.reset}`);
        break;
      case 'end':
        if (e.ok) this.write(`${ESC.green}✔ ${e.title}${ESC.reset} ${ESC.dim}(${formatDuration(e.ms)})${ESC.reset}\n`);
        else this.write(`${ESC.red}✖ ${t('{0} failed after {1}:', e.title, formatDuration(e.ms))}${ESC.reset}\n${ESC.red}${e.error}${ESC.reset}\n`);
        break;
    }
  }
}

/** Provides one task per job with a `build` block in each folder's definition file; resolves tasks.json tasks. */
class ImageTaskProvider implements vscode.TaskProvider {
  constructor(private readonly ctx: Ctx) {}

  async provideTasks(): Promise<vscode.Task[]> {
    const tasks: vscode.Task[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const { job, build } of await definitionBuilds(folder)) {
        const def: ImageTaskDefinition = stripUndefined({
          type: TASK_TYPE, job, repository: build.repository, dockerfile: build.dockerfile, context: build.context,
          tag: build.tag, platform: build.platform,
        }) as ImageTaskDefinition;
        tasks.push(makeTask(this.ctx, folder, def));
      }
    }
    return tasks;
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const def = task.definition as ImageTaskDefinition;
    if (def.type !== TASK_TYPE) return undefined;
    const scope = typeof task.scope === 'object' ? task.scope : vscode.TaskScope.Workspace;
    return makeTask(this.ctx, scope as vscode.WorkspaceFolder | vscode.TaskScope.Workspace, def, task.name);
  }
}

/** Runs a task and resolves with its exit code. */
async function runTask(task: vscode.Task): Promise<number | undefined> {
  return await new Promise<number | undefined>((resolve, reject) => {
    let execution: vscode.TaskExecution | undefined;
    const sub = vscode.tasks.onDidEndTaskProcess((e) => {
      if (execution && e.execution === execution) {
        sub.dispose();
        resolve(e.exitCode);
      }
    });
    vscode.tasks.executeTask(task).then((x) => (execution = x), (err) => {
      sub.dispose();
      reject(err);
    });
  });
}

/**
 * The image a job with a `build` block should run, for the run command: `<registry>/<repo>@sha256:…`. When the
 * Dockerfile and its context are unchanged since the last push, returns that push's digest at once; otherwise runs
 * the build task (visible in its terminal) and returns the digest it pushed. Rejects if the build fails or is cancelled.
 */
export async function imageForRun(ctx: Ctx, folder: vscode.WorkspaceFolder, job: string, build: BuildDef): Promise<string> {
  const spec = resolveBuildSpec({ ...build, job, push: true }, folder.uri.fsPath);
  const who = await awsForBuild(ctx.aws).identity();
  const registry = registryHost(who.account, who.region);
  const last = lastPushedIfCurrent(spec, folder.uri.fsPath, registry);
  if (last) {
    ctx.log.info(t('The image of {0} is unchanged since its push at {1}: {2}', job, last.pushedAt, last.imageUri));
    return last.imageUri;
  }
  const def = stripUndefined({ type: TASK_TYPE, job, ...build, push: true }) as ImageTaskDefinition;
  const code = await runTask(makeTask(ctx, folder, def));
  if (code !== 0) throw new Error(t('The image build for "{0}" failed or was cancelled; see its terminal.', job));
  const rec = Object.values(readBuilds(folder.uri.fsPath).records).find((r) => r.repository === spec.repository && r.tag === spec.tag && r.registry.startsWith(`${who.account}.`));
  if (!rec) throw new Error(t('The image build for "{0}" finished but left no pushed digest.', job));
  return rec.imageUri;
}

async function pickTask(ctx: Ctx, uri: vscode.Uri | undefined): Promise<vscode.Task | undefined> {
  const tasks = (await vscode.tasks.fetchTasks({ type: TASK_TYPE }));
  let candidates = tasks;
  if (uri) {
    candidates = [];
    for (const task of tasks) {
      const folder = typeof task.scope === 'object' ? (task.scope as vscode.WorkspaceFolder) : undefined;
      if (!folder) continue;
      try {
        const spec = resolveBuildSpec(await completeDefinition(task.definition as ImageTaskDefinition, folder), folder.uri.fsPath);
        if (path.resolve(spec.dockerfile) === path.resolve(uri.fsPath)) candidates.push(task);
      } catch {
        /* an invalid task does not match */
      }
    }
    if (!candidates.length) {
      // A Dockerfile no task builds yet: ask for the repository and build it with the defaults.
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder) {
        void vscode.window.showWarningMessage(t('Open the Dockerfile\'s folder as a workspace folder to build it.'));
        return undefined;
      }
      const guess = path.basename(path.dirname(uri.fsPath)).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '') || 'processing-image';
      const repository = await vscode.window.showInputBox({
        title: t('Build and Push Image'), prompt: t('ECR repository (created if missing)'), value: guess,
        validateInput: (v) => {
          try {
            resolveBuildSpec({ repository: v }, folder.uri.fsPath);
            return undefined;
          } catch (err) {
            return (err as Error).message;
          }
        },
      });
      if (!repository) return undefined;
      const rel = (p: string) => path.relative(folder.uri.fsPath, p).split(path.sep).join('/') || '.';
      return makeTask(ctx, folder, { type: TASK_TYPE, repository, dockerfile: rel(uri.fsPath), context: rel(path.dirname(uri.fsPath)) });
    }
  }
  if (candidates.length === 1) return candidates[0];
  if (!candidates.length) {
    void vscode.window.showInformationMessage(t('No image to build: add a "build" block to a job in {0}, or a "{1}" task to tasks.json.', DEFINITION_FILE, TASK_TYPE));
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(candidates.map((task) => ({ label: task.name, description: typeof task.scope === 'object' ? (task.scope as vscode.WorkspaceFolder).name : undefined, task })), {
    title: t('Build and Push Image'), placeHolder: t('Which image?'),
  });
  return pick?.task;
}

let featureRegistered = false;

/** Commands of the image build feature. Registering them also registers the task provider and the Dockerfile lens. */
export const buildCommands: Record<string, CommandFactory> = {
  buildImage: (ctx: Ctx) => {
    if (!featureRegistered) {
      featureRegistered = true;
      ctx.push(vscode.tasks.registerTaskProvider(TASK_TYPE, new ImageTaskProvider(ctx)), { dispose: () => (featureRegistered = false) });
      registerDockerfileLens(ctx);
    }
    return async (arg?: vscode.Uri) => {
      if (!ctx.requireTrust(t('Building images is disabled in an untrusted workspace.'))) return;
      const uri = arg instanceof vscode.Uri ? arg
        : vscode.window.activeTextEditor && DOCKERFILE_RE.test(path.basename(vscode.window.activeTextEditor.document.uri.fsPath)) ? vscode.window.activeTextEditor.document.uri : undefined;
      const task = await pickTask(ctx, uri);
      if (task) await vscode.tasks.executeTask(task);
    };
  },
};
