import * as vscode from 'vscode';
import { setTranslator, t } from '../core/l10n';

/**
 * `vscode.l10n.t` for a whole sentence with `{0}`-style placeholders: the English text as written, or its translation
 * from l10n/bundle.l10n.<language>.json in another display language. The same translator is installed in src/core so
 * that texts built there (relative times, durations, errors) follow the display language too. The message must be a
 * string literal (the unit test test/unit/l10n.test.ts reads the calls to check the bundle).
 */
setTranslator((message, ...args) => vscode.l10n.t(message, ...args));

export { t };
