import * as vscode from 'vscode';
import { normalizeTarget, type AwsTarget } from '../core/settings';

export const SECTION = 'sagemakerProcessing';

export function readTarget(): AwsTarget {
  const c = vscode.workspace.getConfiguration(SECTION);
  return normalizeTarget({
    profile: c.get<string>('profile'),
    region: c.get<string>('region'),
    endpointUrl: c.get<string>('endpointUrl'),
  });
}

export function setting<T>(key: string, fallback: T): T {
  return vscode.workspace.getConfiguration(SECTION).get<T>(key) ?? fallback;
}

/** Only the user's own (global) value counts: a cloned repository's settings cannot open the workspace up. */
export function allowOutsideWorkspace(): boolean {
  return vscode.workspace.getConfiguration(SECTION).inspect<boolean>('allowPathsOutsideWorkspace')?.globalValue === true;
}
