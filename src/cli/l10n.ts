// The CLI follows the locale the way other command-line tools do (#17): the language of LC_ALL, else LC_MESSAGES,
// else LANG (POSIX precedence; an empty variable counts as unset), e.g. `ja_JP.UTF-8` → `ja`; `C`, `POSIX` or none →
// English. Its texts come from the extension's own bundle, l10n/bundle.l10n.<language>.json, which the package ships
// next to dist/ (dist/cli.js → ../l10n; src/cli/index.ts run through tsx → ../../l10n).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format, setTranslator } from '../core/l10n';

/** The language a locale value names (`ja_JP.UTF-8` → `ja`), or undefined for English (`C`, `POSIX`, `C.UTF-8`, `en_US`). */
export function languageOf(locale: string | undefined): string | undefined {
  const lang = (locale ?? '').split(/[.@]/)[0].split(/[_-]/)[0].toLowerCase();
  if (!/^[a-z]{2,3}$/.test(lang) || lang === 'en') return undefined;
  return lang;
}

/** The locale category LC_MESSAGES as POSIX resolves it: LC_ALL, then LC_MESSAGES, then LANG; empty means unset. */
export function cliLanguage(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  return languageOf(locale);
}

/** The bundles' folder of the installed package: l10n/ beside dist/ (the bundle) or two up from src/cli/ (tsx). */
export const L10N_DIR = path.basename(__dirname) === 'cli' && path.basename(path.dirname(__dirname)) === 'src'
  ? path.join(__dirname, '..', '..', 'l10n')
  : path.join(__dirname, '..', 'l10n');

/**
 * Installs the translator of the environment's language for everything the CLI says (src/core's `t`). English, or a
 * language without a bundle (or an unreadable one), leaves the English texts as written. Returns the language used.
 */
export function installCliTranslator(env: NodeJS.ProcessEnv = process.env, dir = L10N_DIR): string | undefined {
  const lang = cliLanguage(env);
  if (!lang) return undefined;
  let bundle: Record<string, unknown>;
  try {
    bundle = JSON.parse(fs.readFileSync(path.join(dir, `bundle.l10n.${lang}.json`), 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  setTranslator((message, ...args) => {
    const tr = Object.prototype.hasOwnProperty.call(bundle, message) ? bundle[message] : undefined;
    return format(typeof tr === 'string' ? tr : message, args);
  });
  return lang;
}
