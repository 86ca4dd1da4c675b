// package.json as VS Code shows it: every `%key%` string replaced from package.nls.json (English) or
// package.nls.<locale>.json, falling back to English for a missing key, as the workbench does.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './paths';

export type Nls = Record<string, string | { message: string; comment?: string[] }>;

export function readJson<T = any>(file: string): T { // eslint-disable-line @typescript-eslint/no-explicit-any
  return JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as T;
}

export function nlsMessage(v: Nls[string] | undefined): string | undefined {
  return typeof v === 'string' ? v : v?.message;
}

/** Replaces every string that is exactly `%key%` (VS Code replaces whole strings only). */
export function localize<T>(value: T, ...bundles: Nls[]): T {
  const sub = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const m = /^%(.+)%$/.exec(v);
      if (!m) return v;
      for (const b of bundles) { const t = nlsMessage(b[m[1]]); if (t !== undefined) return t; }
      return v;
    }
    if (Array.isArray(v)) return v.map(sub);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sub(x)]));
    return v;
  };
  return sub(value) as T;
}

/** The manifest in English (the default) or in `locale` (`ja`). */
export function readManifest(locale?: string): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  const en = readJson<Nls>('package.nls.json');
  const bundles = locale && locale !== 'en' ? [readJson<Nls>(`package.nls.${locale}.json`), en] : [en];
  return localize(readJson('package.json'), ...bundles);
}
