import * as vscode from 'vscode';
import { AwsClients } from '../aws/index';
import { readTarget, SECTION } from './settings';

/**
 * One object owns everything the extension creates: subscriptions, the AWS clients, the shared output channel.
 * Commands and views receive it instead of reaching for globals.
 */
export class Ctx implements vscode.Disposable {
  readonly subscriptions: vscode.Disposable[] = [];
  readonly aws: AwsClients;
  readonly log: vscode.LogOutputChannel;
  private readonly targetChanged = new vscode.EventEmitter<void>();
  /** Fires after the profile, region or endpoint changed (the clients are already re-targeted). */
  readonly onDidChangeTarget = this.targetChanged.event;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.aws = new AwsClients(readTarget());
    this.log = vscode.window.createOutputChannel('SageMaker Processing', { log: true });
    this.push(this.log, this.targetChanged, { dispose: () => this.aws.dispose() });
    this.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (['profile', 'region', 'endpointUrl'].some((k) => e.affectsConfiguration(`${SECTION}.${k}`))) {
          this.aws.retarget(readTarget());
          this.targetChanged.fire();
        }
      }),
    );
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

  /** Running, building and stopping need a trusted workspace; browsing does not. */
  requireTrust(action: string): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage(`${action} is disabled in an untrusted workspace. Trust the folder to run or build jobs.`);
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
