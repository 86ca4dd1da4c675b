// A display language for code-server without the marketplace: the smallest language pack VS Code accepts.
//
// How VS Code (and so code-server 4.100) picks its display language: the locale comes from `--locale`, else from
// `"locale"` in the user-data `User/argv.json` (what "Configure Display Language" writes), else the browser. A locale
// other than English only takes effect when an installed extension contributes `localizations` for it: the server
// reads `<user-data>/languagepacks.json` (written when such an extension is installed) and, when the pack's `vscode`
// translations file exists, resolves the language to it; otherwise it falls back to English (`resolvedLanguage: "en"`),
// `vscode.env.language` stays `en`, and neither our `package.nls.ja.json` nor `l10n/bundle.l10n.ja.json` is loaded.
//
// The real Japanese pack (MS-CEINTL.vscode-language-pack-ja) lives on the marketplace, which this machine (and CI)
// cannot reach, and code-server ships none. So the e2e run installs this pack, built here: it declares
// `localizations` for `ja` with an empty `vscode` translation table. VS Code then switches its display language to
// Japanese: OUR extension's manifest and l10n bundle are read in Japanese, while VS Code's own UI keeps its English
// texts (every message falls back to the English default). That is what the Japanese workbench test checks.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './paths';
import { run } from './proc';

const NAMES: Record<string, { languageName: string; localizedLanguageName: string }> = {
  ja: { languageName: 'Japanese', localizedLanguageName: '日本語' },
};

export interface LanguagePack {
  vsix: string;
  locale: string;
  /** publisher.name */
  id: string;
  version: string;
  label: string;
  /** The folder name the pack gets in the extensions dir. */
  folder: string;
}

/** Builds `<dir>/smp-test-language-pack-<locale>.vsix` (with the project's vsce). */
export async function buildLanguagePack(locale: string, dir: string): Promise<LanguagePack> {
  const names = NAMES[locale];
  if (!names) throw new Error(`no language pack recipe for "${locale}"`);
  const src = path.join(dir, `language-pack-${locale}`);
  fs.mkdirSync(path.join(src, 'translations'), { recursive: true });
  const manifest = {
    name: `smp-test-language-pack-${locale}`,
    displayName: `Test language pack (${names.languageName}) for the SageMaker Processing e2e tests`,
    description: 'Declares the locale only: VS Code switches its display language; its own texts stay English.',
    publisher: 'smp-test',
    version: '0.0.1',
    license: 'MIT',
    engines: { vscode: '^1.90.0' },
    categories: ['Language Packs'],
    contributes: {
      localizations: [{ languageId: locale, ...names, translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] }],
    },
  };
  fs.writeFileSync(path.join(src, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(src, 'translations', 'main.i18n.json'), JSON.stringify({ version: '1.0.0', contents: {} }));
  fs.writeFileSync(path.join(src, 'README.md'), `${manifest.description}\n`);
  fs.writeFileSync(path.join(src, 'LICENSE'), 'MIT\n');
  const vsix = path.join(dir, `${manifest.name}.vsix`);
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  await run(process.execPath, [vsce, 'package', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: src });
  const id = `${manifest.publisher}.${manifest.name}`;
  return { vsix, locale, id, version: manifest.version, label: names.localizedLanguageName, folder: `${id}-${manifest.version}` };
}

/**
 * Writes `<user-data>/languagepacks.json` for an installed pack, as VS Code's language-pack cache does when a pack is
 * installed from the UI. `--install-extension` on code-server's command line installs the extension but does not run
 * that cache (the file stays absent and the language English), so the test writes the same entry: the locale → the
 * pack's id, version, md5 hash of both, and the path of its `vscode` translations.
 */
export function registerLanguagePack(userDataDir: string, extensionsDir: string, pack: LanguagePack): void {
  const translations = path.join(extensionsDir, pack.folder, 'translations', 'main.i18n.json');
  if (!fs.existsSync(translations)) throw new Error(`the language pack is not installed where expected: ${translations}`);
  const hash = crypto.createHash('md5').update(pack.id).update(pack.version).digest('hex');
  const entry = { hash, extensions: [{ extensionIdentifier: { id: pack.id }, version: pack.version }], translations: { vscode: translations }, label: pack.label };
  fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify({ [pack.locale]: entry }));
}
