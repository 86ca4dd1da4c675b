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

/** sagemakerProcessing.sdk: the user's choice of SDK for jobs without an `sdk` field; undefined for `auto`. */
export function sdkSetting(): 'v2' | 'v3' | undefined {
  const v = setting<string>('sdk', 'auto');
  return v === 'v2' || v === 'v3' ? v : undefined;
}
