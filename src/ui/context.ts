import * as vscode from 'vscode';
import { AwsClients } from '../aws/index';
import { t } from './l10n';
import { readTarget, SECTION } from './settings';
import type { JobLogSink, JobsView, LocalJobStore, RunMonitor } from './types';

const USED_KEY = 'sagemakerProcessing.used';

/** The services extension.ts creates after the Ctx and attaches to it (see `Ctx.attach`). */
export interface CtxServices {
  tree: JobsView;
  monitor: RunMonitor;
  localJobs: LocalJobStore;
  logs: JobLogSink;
}

/**
 * One object owns everything the extension creates: subscriptions, the AWS clients, the shared output channel, and
 * the services commands use (the jobs tree, the job monitor, local runs, job log channels). Command factories
 * receive it (`CommandFactory = (ctx: Ctx) => handler`) instead of reaching for globals.
 */
export class Ctx implements vscode.Disposable {
  readonly subscriptions: vscode.Disposable[] = [];
  readonly aws: AwsClients;
  readonly log: vscode.LogOutputChannel;
  private readonly targetChanged = new vscode.EventEmitter<void>();
  /** Fires after the profile, region or endpoint changed (the clients are already re-targeted). */
  readonly onDidChangeTarget = this.targetChanged.event;
  private usedNow: boolean;
  private readonly usedEmitter = new vscode.EventEmitter<void>();
  /** Fires once, when this workspace first uses the extension (see `used`). */
  readonly onDidUse = this.usedEmitter.event;

  private services?: CtxServices;
  constructor(readonly extension: vscode.ExtensionContext) {
    this.aws = new AwsClients(readTarget());
    this.log = vscode.window.createOutputChannel('SageMaker Processing', { log: true });
    this.usedNow = extension.workspaceState.get<boolean>(USED_KEY, false);
    this.push(this.log, this.targetChanged, this.usedEmitter, { dispose: () => this.aws.dispose() });
    this.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (['profile', 'region', 'endpointUrl'].some((k) => e.affectsConfiguration(`${SECTION}.${k}`))) {
          this.aws.retarget(readTarget());
          this.targetChanged.fire();
        }
      }),
    );
  }

  /** Attaches the services extension.ts creates right after the Ctx (they take the Ctx themselves). */
  attach(services: CtxServices): void {
    this.services = services;
  }

  private attached(): CtxServices {
    if (!this.services) throw new Error(t('Internal error: a service of the extension was used before the extension finished starting.'));
    return this.services;
  }

  /** The jobs explorer. */
  get tree(): JobsView {
    return this.attached().tree;
  }

  /** The job monitor (src/ui/jobMonitor.ts): `watch(jobName)` tracks a job, shown in the status bar and notified when it ends. */
  get monitor(): RunMonitor {
    return this.attached().monitor;
  }

  /** Jobs of local runs, shown under "Local runs" in the explorer. */
  get localJobs(): LocalJobStore {
    return this.attached().localJobs;
  }

  /** Job log channels `SageMaker: <job>`. */
  get logs(): JobLogSink {
    return this.attached().logs;
  }

  /**
   * Quiet by default: whether this workspace has used the extension (a command ran, the jobs view was opened, or a
   * definition file exists). Until then nothing calls AWS on its own: opening a Python file in some other project
   * activates the extension but sends no request. Remembered per workspace.
   */
  get used(): boolean {
    return this.usedNow;
  }

  /** `why` is a whole translated sentence (`t('The jobs view was opened.')`), written to the output channel. */
  markUsed(why: string): void {
    if (this.usedNow) return;
    this.usedNow = true;
    this.log.info(t('This workspace uses SageMaker Processing: {0} The status bar now looks for running jobs.', why));
    void this.extension.workspaceState.update(USED_KEY, true);
    this.usedEmitter.fire();
  }

  push(...d: vscode.Disposable[]): void {
    this.subscriptions.push(...d);
  }

  private readonly singles = new Map<object, vscode.Disposable>();

  /** The one instance of a service in this extension instance (keyed by its class): created on first use, disposed with the Ctx. */
  single<T extends vscode.Disposable>(key: abstract new (...args: never[]) => T, create: () => T): T {
    let s = this.singles.get(key) as T | undefined;
    if (!s) {
      s = create();
      this.singles.set(key, s);
      this.push(s);
    }
    return s;
  }

  /**
   * Running, building and stopping need a trusted workspace; browsing does not. `disabled` is the whole translated
   * sentence of the action (`t('Stopping a job is disabled in an untrusted workspace.')`), so that no language mixes in
   * another's noun phrase.
   */
  requireTrust(disabled: string): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage(t('{0} Trust the folder to run or build jobs.', disabled));
    return false;
  }

  dispose(): void {
    for (const d of this.subscriptions.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        /* keep disposing the rest */
      }
    }
  }
}
