import * as vscode from 'vscode';

/**
 * `vscode.l10n.t` for a whole sentence with `{0}`-style placeholders: the English text as written, or its translation
 * from l10n/bundle.l10n.<language>.json in another display language. The message must be a string literal (the unit
 * test test/unit/l10n.test.ts reads the calls to check the bundle).
 */
export function t(message: string, ...args: Array<string | number | boolean>): string {
  return vscode.l10n.t(message, ...args);
}
