/**
 * The one translator every layer says its user-visible text through. `src/core` cannot import `vscode`, so the
 * extension installs `vscode.l10n.t` here at activation (src/ui/l10n.ts) and the CLI installs a translator over the
 * same bundle, l10n/bundle.l10n.<language>.json, chosen from LANG (src/cli/l10n.ts). Until then the English text is
 * formatted as written. The message must be a string literal: test/unit/l10n.test.ts reads the calls to check the
 * bundle.
 */
export type Translator = (message: string, ...args: Array<string | number | boolean>) => string;

/** `{0}`, `{1}`… replaced by the arguments, as vscode.l10n.t does. */
export function format(message: string, args: ReadonlyArray<string | number | boolean>): string {
  return message.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));
}

let translator: Translator = (message, ...args) => format(message, args);

export function setTranslator(tr: Translator): void {
  translator = tr;
}

/** A whole sentence with `{0}`-style placeholders, in the user's language. */
export function t(message: string, ...args: Array<string | number | boolean>): string {
  return translator(message, ...args);
}
