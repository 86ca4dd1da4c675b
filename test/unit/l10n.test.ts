// Localization of the manifest (#17): every user-visible string of package.json is a `%key%` placeholder, the
// English text is in package.nls.json and the Japanese in package.nls.ja.json, both files have the same keys, and
// every Japanese value is a translation (not empty, not the English text), except the proper nouns listed below.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../support/paths';
import { localize, nlsMessage, readJson, readManifest, type Nls } from '../support/manifest';

/** Keys whose Japanese text is the English one on purpose: the product name, as AWS's Japanese docs write it. */
export const UNTRANSLATED = new Set([
  'displayName', // "SageMaker Processing"
  'viewsContainer.sagemakerProcessing.title',
  'view.jobs.contextualTitle',
  'command.category',
  'config.title',
]);

/** Keys of a manifest object that VS Code shows to the user (menus, palette, views, settings UI, hovers, walkthroughs). */
const VISIBLE_KEYS = new Set([
  'title', 'shortTitle', 'category', 'label', 'contextualTitle', 'contents', 'altText', 'displayName',
  'description', 'markdownDescription', 'enumDescriptions', 'markdownEnumDescriptions', 'enumItemLabels',
  'deprecationMessage', 'markdownDeprecationMessage', 'errorMessage', 'patternErrorMessage', 'aliases',
]);

interface Found { where: string; value: string }

/** Every user-visible string of the manifest: displayName, description, the untrusted-workspace text, and all of
 *  `contributes` (a view's `name` included); JSON-schema `default`s, ids, `when` clauses and paths are not text. */
export function visibleStrings(pkg: Record<string, unknown>): Found[] {
  const found: Found[] = [];
  const walk = (v: unknown, where: string, visible: boolean): void => {
    if (typeof v === 'string') { if (visible) found.push({ where, value: v }); return; }
    if (Array.isArray(v)) { v.forEach((x, i) => walk(x, `${where}[${i}]`, visible)); return; }
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'default' || k === 'examples') continue;
      // A language-model tool's input schema is written for the model, like its modelDescription (not shown in the UI).
      if (k === 'inputSchema' && /^contributes\.languageModelTools\[\d+\]$/.test(where)) continue;
      const isViewName = k === 'name' && /^contributes\.views\.[^.]+\[\d+\]$/.test(where);
      walk(x, `${where}.${k}`, VISIBLE_KEYS.has(k) || isViewName);
    }
  };
  for (const k of ['displayName', 'description']) walk(pkg[k], k, true);
  walk((pkg.capabilities as { untrustedWorkspaces?: unknown } | undefined)?.untrustedWorkspaces, 'capabilities.untrustedWorkspaces', false);
  walk(pkg.contributes, 'contributes', false);
  return found;
}

/** Every `%key%` the manifest uses, anywhere. */
function placeholders(pkg: unknown): string[] {
  const keys = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') { const m = /^%(.+)%$/.exec(v); if (m) keys.add(m[1]); }
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(pkg);
  return [...keys];
}

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
/** Keys whose value is a file of the extension, not a text: a walkthrough step's image (`media.svg`/`media.image`,
 *  replaced like any manifest string). The Japanese value is the Japanese variant of the image, under a `ja/` folder. */
const MEDIA_KEY = /\.(svg|image)$/;
const mediaProblems = (k: string, e: string | undefined, j: string): string[] => {
  const problems: string[] = [];
  for (const [lang, file] of [['English', e], ['Japanese', j]] as const) {
    if (!file || !fs.existsSync(path.join(ROOT, file))) problems.push(`${k}: the ${lang} image ${JSON.stringify(file)} does not exist`);
  }
  if (j === e || !/(^|\/)ja\//.test(j)) problems.push(`${k}: the Japanese image is not a Japanese variant: ${JSON.stringify(j)}`);
  return problems;
};
/** What a translation must keep as it is: command links and `code` spans. */
const kept = (s: string): string[] => [...s.matchAll(/\(command:[^)\s]+\)|`[^`]+`/g)].map((m) => m[0]).sort();

/** The problems of a manifest and its two bundles (empty when localization is complete). */
export function checkL10n(pkg: Record<string, unknown>, en: Nls, ja: Nls): string[] {
  const problems: string[] = [];
  for (const { where, value } of visibleStrings(pkg)) {
    if (!/^%[\w.-]+%$/.test(value)) problems.push(`${where} is not localized: ${JSON.stringify(value)}`);
  }
  const used = placeholders(pkg);
  for (const k of used) {
    if (!(k in en)) problems.push(`%${k}% is missing from package.nls.json`);
    if (!(k in ja)) problems.push(`%${k}% is missing from package.nls.ja.json`);
  }
  for (const k of Object.keys(en)) if (!(k in ja)) problems.push(`${k} is in package.nls.json but not in package.nls.ja.json`);
  for (const k of Object.keys(ja)) if (!(k in en)) problems.push(`${k} is in package.nls.ja.json but not in package.nls.json`);
  for (const k of Object.keys(en)) if (!used.includes(k)) problems.push(`${k} is in package.nls.json but package.json does not use it`);
  for (const [k, v] of Object.entries(ja)) {
    const j = nlsMessage(v);
    const e = nlsMessage(en[k]);
    if (typeof j !== 'string' || j.trim() === '') { problems.push(`${k} has an empty Japanese text`); continue; }
    if (MEDIA_KEY.test(k)) { problems.push(...mediaProblems(k, e, j)); continue; }
    if (UNTRANSLATED.has(k)) { if (j !== e) problems.push(`${k} is listed as untranslated but differs from the English`); continue; }
    if (j === e || !JAPANESE.test(j)) problems.push(`${k} is not translated: ${JSON.stringify(j)}`);
    if (typeof e === 'string' && kept(e).join('\n') !== kept(j).join('\n')) problems.push(`${k}: the Japanese text does not keep the command links and code spans of the English`);
  }
  return problems;
}

const pkg = readJson<Record<string, unknown>>('package.json');
const en = readJson<Nls>('package.nls.json');
const ja = readJson<Nls>('package.nls.ja.json');

test('every user-visible string of package.json is localized in English and Japanese', () => {
  assert.deepEqual(checkL10n(pkg, en, ja), []);
  assert.ok(visibleStrings(pkg).length >= 130, `found the strings (${visibleStrings(pkg).length})`);
});

test('the check fails on a literal title, a missing or extra key, and an empty or untranslated Japanese text', () => {
  const literal = structuredClone(pkg) as { contributes: { commands: { title: string }[] } };
  literal.contributes.commands[0].title = 'Run as Processing Job';
  assert.deepEqual(checkL10n(literal as never, en, ja), [
    'contributes.commands[0].title is not localized: "Run as Processing Job"',
    'command.runJob.title is in package.nls.json but package.json does not use it',
  ]);
  const welcome = structuredClone(pkg) as { contributes: { viewsWelcome: { contents: string }[] } };
  welcome.contributes.viewsWelcome[0].contents = '%viewsWelcome.jobs.noCredentials% [Retry](command:sagemakerProcessing.refresh)';
  assert.match(checkL10n(welcome as never, en, ja)[0], /^contributes\.viewsWelcome\[0\]\.contents is not localized/);
  const { ['command.stopJob.title']: _gone, ...jaWithout } = ja;
  assert.deepEqual(checkL10n(pkg, en, jaWithout), [
    '%command.stopJob.title% is missing from package.nls.ja.json',
    'command.stopJob.title is in package.nls.json but not in package.nls.ja.json',
  ]);
  assert.deepEqual(checkL10n(pkg, en, { ...ja, 'command.ghost.title': '幽霊' }), ['command.ghost.title is in package.nls.ja.json but not in package.nls.json']);
  assert.deepEqual(checkL10n(pkg, en, { ...ja, 'command.stopJob.title': '' }), ['command.stopJob.title has an empty Japanese text']);
  assert.deepEqual(checkL10n(pkg, en, { ...ja, 'command.stopJob.title': 'Stop Job' }), ['command.stopJob.title is not translated: "Stop Job"']);
  const noLink = { ...ja, 'viewsWelcome.jobs.error': nlsMessage(ja['viewsWelcome.jobs.error'])!.replace(/\(command:[^)]+\)/, '(command:x)') };
  assert.deepEqual(checkL10n(pkg, en, noLink), ['viewsWelcome.jobs.error: the Japanese text does not keep the command links and code spans of the English']);
  const setting = structuredClone(pkg) as { contributes: { configuration: { properties: Record<string, { enumDescriptions?: string[] }> } } };
  setting.contributes.configuration.properties['sagemakerProcessing.containerCli'].enumDescriptions = ['Docker'];
  assert.deepEqual(checkL10n(setting as never, en, ja), ['contributes.configuration.properties.sagemakerProcessing.containerCli.enumDescriptions[0] is not localized: "Docker"']);
  // A walkthrough image: the Japanese value must be an existing Japanese variant, not the English image or a text.
  const img = 'walkthrough.gettingStarted.target.svg';
  assert.deepEqual(checkL10n(pkg, en, { ...ja, [img]: 'media/walkthrough/target.svg' }), [`${img}: the Japanese image is not a Japanese variant: "media/walkthrough/target.svg"`]);
  assert.deepEqual(checkL10n(pkg, en, { ...ja, [img]: 'media/walkthrough/ja/missing.svg' }), [`${img}: the Japanese image "media/walkthrough/ja/missing.svg" does not exist`]);
});

test('the Japanese manifest uses AWS\'s Japanese terms, and the English one is what the e2e tests click', () => {
  const jaPkg = readManifest('ja');
  const titles = new Map<string, string>(jaPkg.contributes.commands.map((c: { command: string; title: string }) => [c.command, c.title]));
  assert.equal(titles.get('sagemakerProcessing.runJob'), '処理ジョブとして実行');
  assert.equal(jaPkg.contributes.views.sagemakerProcessing[0].name, '処理ジョブ');
  assert.match(titles.get('sagemakerProcessing.switchRegion')!, /リージョン/);
  assert.match(titles.get('sagemakerProcessing.switchProfile')!, /プロファイル/);
  assert.match(jaPkg.contributes.configuration.properties['sagemakerProcessing.defaultBucket'].markdownDescription, /バケット/);
  assert.match(jaPkg.contributes.configuration.properties['sagemakerProcessing.defaultRoleArn'].markdownDescription, /IAM ロール/);
  const enPkg = readManifest();
  const enTitles = new Map<string, string>(enPkg.contributes.commands.map((c: { command: string; title: string }) => [c.command, c.title]));
  assert.equal(enTitles.get('sagemakerProcessing.runJob'), 'Run as Processing Job');
  assert.equal(enPkg.contributes.commands[0].category, 'SageMaker Processing');
  assert.deepEqual(placeholders(enPkg), []);
  assert.equal(localize('%command.stopJob.title%', ja, en), 'ジョブを停止');
});

test('both bundles are packaged in the .vsix', () => {
  const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8');
  assert.match(ignore, /^!package\.nls\.json$/m);
  assert.match(ignore, /^!package\.nls\.ja\.json$/m);
});

// ---- vscode.l10n bundles for the extension's own messages (l10n/bundle.l10n.<language>.json) ----------------------
// The files that must say every user-visible text through `t(...)`/`vscode.l10n.t(...)`: EVERY `.ts` file under src/,
// read from the folder recursively, so a new file is checked from the start. Excluded only the files that have no
// user-visible text by nature:
export const L10N_EXCLUDED = new Set([
  'src/core/l10n.ts', // the translator itself: its `message` is whatever the caller passes, no text of its own
  'src/ui/l10n.ts', // the extension's side of the translator (installs vscode.l10n.t), same reason
  'src/core/definition/instanceTypes.ts', // generated data: instance type names and their vCPU/memory, AWS API values
  'src/core/tools/specs.ts', // agent tools' descriptions and schemas, written for language models (their UI names: package.nls)
  'src/core/tools/tools.ts', // agent tools' results, written for language models in English (the UI's confirmations: src/ui/lazy/lmTools.ts)
  'src/mcp/server.ts', // MCP protocol answers to an agent (English, like the tools' results)
]);
function tsFilesUnder(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFilesUnder(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : []);
}
export const L10N_FILES = tsFilesUnder('src').filter((f) => !L10N_EXCLUDED.has(f)).sort();

/** Bundle keys whose Japanese text is the English one on purpose. */
export const UNTRANSLATED_MESSAGES = new Set<string>([]);

/** The messages a source file passes to `t('…')` / `vscode.l10n.t('…')`, and the calls whose message is no literal. */
export function messagesOf(src: string): { messages: string[]; nonLiteral: string[] } {
  const messages: string[] = [];
  const nonLiteral: string[] = [];
  for (const m of src.matchAll(/(function\s+)?\b(?:vscode\.l10n\.)?t\(\s*('(?:[^'\\\n]|\\.)*'|[^)\n]{0,40})/g)) {
    if (m[1] || m[0].includes('vscode.l10n.t(message, ...args')) continue; // the wrapper itself
    if (m[2].startsWith("'")) messages.push(m[2].slice(1, -1).replace(/\\(.)/g, '$1'));
    else nonLiteral.push(m[0]);
  }
  return { messages, nonLiteral };
}

/** Text of a literal without `${…}` substitutions, `$(icon)`s and the product names (SageMaker, AWS). */
function bareText(literal: string): string {
  let out = '';
  for (let i = 0, depth = 0; i < literal.length; i++) {
    if (depth === 0 && literal.startsWith('${', i)) { depth = 1; i++; continue; }
    if (depth > 0) { if (literal[i] === '{') depth++; else if (literal[i] === '}') depth--; continue; }
    out += literal[i];
  }
  return out.replace(/\$\([\w~-]+\)/g, '').replace(/SageMaker Processing|SageMaker|\bAWS\b/g, '');
}

/** User-visible literals that bypass `t(...)`: status bar texts, tooltips, titles, messages, markdown, and the lines
 *  written to the "SageMaker Processing" output channel (`log.info/warn/error(…)`) or to any channel (`appendLine(…)`);
 *  in src/local, src/aws and the CLI also any error (`new XxxError(…)`, its message after a step id such as
 *  `new BuildStepError('build', …)`), the `[local] …` progress lines (`onLine(…)`, `sys(…)`, `progress(…)`), a build
 *  step's output (`out(…)`), the CLI's `err(…)`, `.write(…)` and `console.*(…)`, and a `message:` property. A literal
 *  with no word outside its `${…}` holes (a tab-separated listing, `$ docker build …`, `${a} → ${b}`) is no text. */
export function bypassingLiterals(src: string): string[] {
  const at = /(\.(?:text|tooltip|name)\s*=\s*|\b(?:title|label|description|detail|placeHolder|prompt|text|message):\s*|show(?:Information|Warning|Error)Message\(\s*|appendMarkdown\(\s*|MarkdownString\(\s*|new (?:vscode\.)?TreeItem\(\s*|\bnew \w*Error\(\s*(?:'[\w-]+',\s*)?(?!'[\w-]+',)|\blog\.(?:info|warn|error)\(\s*|\bappendLine\(\s*|\b(?:onLine|sys|progress|out|err)\(\s*|\.write\(\s*(?!'[^']*',\s*\d)|\bconsole\.(?:log|info|warn|error)\(\s*)(['`])/g;
  const found: string[] = [];
  for (const m of src.matchAll(at)) {
    const start = m.index! + m[0].length;
    let end = start;
    for (let depth = 0; end < src.length; end++) {
      const c = src[end];
      if (c === '\\') { end++; continue; }
      if (m[2] === '`' && src.startsWith('${', end)) { depth++; end++; continue; }
      if (depth > 0) { if (c === '}') depth--; continue; }
      if (c === m[2]) break;
    }
    const literal = src.slice(start, end);
    // An error class naming itself (`this.name = 'ImageNotFoundError'` in `class ImageNotFoundError`) is an identifier.
    if (m[1].startsWith('.name') && /^[A-Za-z_]\w*$/.test(literal) && new RegExp(`\\bclass ${literal}\\b`).test(src)) continue;
    if (/[A-Za-z]{2,}/.test(bareText(literal))) found.push(`${m[1].trim()} ${m[2]}${literal}${m[2]}`);
  }
  return found;
}

/** The problems of the converted files against the Japanese bundle (empty when they agree). */
export function checkBundle(files: Record<string, string>, bundle: Record<string, string>, manifest: { l10n?: string }): string[] {
  const problems: string[] = [];
  if (manifest.l10n !== './l10n') problems.push('package.json has no "l10n": "./l10n"');
  const used = new Set<string>();
  for (const [file, src] of Object.entries(files)) {
    const { messages, nonLiteral } = messagesOf(src);
    for (const call of nonLiteral) problems.push(`${file}: ${call}… has no literal message (the bundle cannot hold it)`);
    for (const msg of messages) {
      used.add(msg);
      const ja = bundle[msg];
      if (ja === undefined) { problems.push(`${file}: "${msg}" is missing from l10n/bundle.l10n.ja.json`); continue; }
      if (typeof ja !== 'string' || ja.trim() === '') problems.push(`"${msg}" has an empty Japanese text`);
      else if (!UNTRANSLATED_MESSAGES.has(msg) && (ja === msg || !JAPANESE.test(ja))) problems.push(`"${msg}" is not translated: ${JSON.stringify(ja)}`);
      const holes = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((h) => h[0]).sort().join(',');
      if (typeof ja === 'string' && holes(ja) !== holes(msg)) problems.push(`"${msg}": the Japanese text has other placeholders (${holes(ja)})`);
    }
    for (const literal of bypassingLiterals(src)) problems.push(`${file}: ${literal} is shown without t(...)`);
  }
  for (const k of Object.keys(bundle)) if (!used.has(k)) problems.push(`"${k}" is in l10n/bundle.l10n.ja.json but no converted file uses it`);
  return problems;
}

const sources = Object.fromEntries(L10N_FILES.map((f) => [f, fs.readFileSync(path.join(ROOT, f), 'utf8')]));
const bundleJa = readJson<Record<string, string>>('l10n/bundle.l10n.ja.json');

test('the converted src/ui files say every message through vscode.l10n, and the Japanese bundle has each one translated', () => {
  assert.deepEqual(checkBundle(sources, bundleJa, pkg as { l10n?: string }), []);
  assert.ok(messagesOf(sources['src/ui/notifications.ts']).messages.length >= 20);
  assert.match(fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8'), /^!l10n\/\*\*$/m, 'the bundle is packaged');
});

test('the bundle check fails on a literal message, a missing, stale or untranslated entry, and changed placeholders', () => {
  const bar = 'src/ui/statusBar.ts';
  const literal = sources[bar].replace("this.item.name = t('SageMaker Processing jobs');", "this.item.name = 'SageMaker Processing jobs';");
  assert.notEqual(literal, sources[bar]);
  assert.deepEqual(checkBundle({ ...sources, [bar]: literal }, bundleJa, pkg as { l10n?: string }), [
    `${bar}: .name = 'SageMaker Processing jobs' is shown without t(...)`,
    '"SageMaker Processing jobs" is in l10n/bundle.l10n.ja.json but no converted file uses it',
  ]);
  const tree = 'src/ui/jobsTree.ts';
  const row = sources[tree].replace("new vscode.TreeItem(t('Local runs'),", "new vscode.TreeItem('Local runs',");
  assert.notEqual(row, sources[tree]);
  assert.ok(checkBundle({ ...sources, [tree]: row }, bundleJa, pkg as { l10n?: string }).includes(`${tree}: new vscode.TreeItem( 'Local runs' is shown without t(...)`));
  const file = 'src/ui/notifications.ts';
  const src = sources[file];
  const toast = src.replace("vscode.window.showErrorMessage(t('Upload failed: {0}',", 'vscode.window.showErrorMessage(`Upload failed: ${0}` + String(');
  assert.ok(checkBundle({ ...sources, [file]: toast }, bundleJa, pkg as { l10n?: string }).some((p) => /showErrorMessage\( `Upload failed: \$\{0\}` is shown without t/.test(p)));
  const added = src.replace("t('Re-run')", "t('Run again')");
  assert.deepEqual(checkBundle({ ...sources, [file]: added }, bundleJa, pkg as { l10n?: string }), [
    `${file}: "Run again" is missing from l10n/bundle.l10n.ja.json`,
    '"Re-run" is in l10n/bundle.l10n.ja.json but no converted file uses it',
  ]);
  const variable = src.replace("t('Re-run')", 't(rerunLabel)');
  assert.ok(checkBundle({ ...sources, [file]: variable }, bundleJa, pkg as { l10n?: string }).includes(`${file}: t(rerunLabel… has no literal message (the bundle cannot hold it)`));
  assert.deepEqual(checkBundle(sources, { ...bundleJa, 'Re-run': 'Re-run' }, pkg as { l10n?: string }), ['"Re-run" is not translated: "Re-run"']);
  assert.deepEqual(checkBundle(sources, { ...bundleJa, '{0} Outputs: {1}': '出力' }, pkg as { l10n?: string }), ['"{0} Outputs: {1}": the Japanese text has other placeholders ()']);
  assert.deepEqual(checkBundle(sources, bundleJa, {}), ['package.json has no "l10n": "./l10n"']);
  // A line of the "SageMaker Processing" output channel, or of any channel, is shown text too.
  const runs = 'src/ui/localJobs.ts';
  const logLine = sources[runs].replace("ctx.log.info(t('Local run {0} of job {1}', resolved.spec.jobName, jobKey));", 'ctx.log.info(`Local run ${resolved.spec.jobName} of job ${jobKey}`);');
  assert.notEqual(logLine, sources[runs]);
  assert.deepEqual(checkBundle({ ...sources, [runs]: logLine }, bundleJa, pkg as { l10n?: string }), [
    `${runs}: log.info( \`Local run \${resolved.spec.jobName} of job \${jobKey}\` is shown without t(...)`,
    '"Local run {0} of job {1}" is in l10n/bundle.l10n.ja.json but no converted file uses it',
  ]);
  for (const call of ["this.ctx.log.warn('Polling stopped');", "channel.appendLine('Log stream ended');", "ctx.log.error(`Build failed: ${msg}`);"]) {
    assert.equal(bypassingLiterals(`${call}\n`).length, 1, call);
  }
  assert.deepEqual(bypassingLiterals("ctx.log.error(`${what}: ${msg}`);\nchannel.appendLine(line);\nctx.log.info(t('Stop requested for {0}', name));\n"), []);
  assert.ok(Object.keys(sources).includes('src/ui/context.ts') && !Object.keys(sources).includes('src/ui/l10n.ts'), 'every file of src/ui but the translator is checked');
});

test('in Japanese too, every code lens reads like the command it runs (menus and lenses say the same)', () => {
  const jaTitles = new Map<string, string>(readManifest('ja').contributes.commands.map((c: { command: string; title: string }) => [c.command, c.title]));
  let checked = 0;
  for (const f of ['src/ui/codeLens.ts', 'src/ui/dockerfileLens.ts']) {
    for (const m of sources[f].matchAll(/CodeLens\([^,]+,\s*\{\s*title:\s*`\$\([a-z-]+\)\s*\$\{t\('([^']*)'[^`]*`,\s*command:\s*'([^']+)'/g)) {
      const want = jaTitles.get(m[2]);
      assert.ok(want, `${f}: ${m[2]} is a contributed command`);
      assert.ok(bundleJa[m[1]]?.startsWith(want.replace(/…$/, '')), `${f}: the Japanese lens "${bundleJa[m[1]]}" should read like the command "${want}"`);
      checked++;
    }
  }
  assert.equal(checked, 7);
});

test('the check reads every .ts file under src/ from the folder; the few excluded ones exist and are listed with a reason', () => {
  for (const f of ['src/extension.ts', 'src/cli/index.ts', 'src/cli/l10n.ts', 'src/local/localRunner.ts', 'src/local/imageBuilder.ts', 'src/aws/s3.ts', 'src/aws/ecr.ts', 'src/core/definition/export.ts', 'src/core/awsErrors.ts']) {
    assert.ok(L10N_FILES.includes(f), `${f} is checked`);
  }
  for (const f of L10N_EXCLUDED) assert.ok(fs.existsSync(path.join(ROOT, f)) && !L10N_FILES.includes(f), `${f}: a stale exclusion`);
  assert.equal(L10N_FILES.length + L10N_EXCLUDED.size, tsFilesUnder('src').length);
});

test('the check catches the user-visible literals of src/local, src/aws and the CLI, not command echoes or listings', () => {
  for (const call of [
    "throw new Error('Something broke');",
    "reject(new Error(`The debug port ${port} is in use`));",
    "throw new BuildStepError('build', `The Dockerfile does not exist: ${f}`);",
    "return new ContainerCliError('Cancelled.', 'cancelled');",
    "this.o.onLine(`Uploading ${rel} to ${uri}`);",
    "this.sys('Stopping: killing the container(s)…');",
    "progress(`Downloading ${key}`);",
    "out(`account ${who.account}, region ${who.region}\\n`, 'stdout');",
    "o.err(`error: no job definition file at ${f}`);",
    "deps.write(`Pushed ${uri}\\n`);",
    "process.stderr.write(`${name}: Completed\\n`);",
    "console.error('Oops');",
    "progress.report({ message: 'Uploading' });",
  ]) assert.equal(bypassingLiterals(`${call}\n`).length, 1, call);
  assert.deepEqual(bypassingLiterals([
    "throw new BuildStepError('build', t('The build context folder does not exist: {0}', dir));",
    "out(`$ ${cli} ${args.join(' ')}\\n`, 'stdout');",
    "out(`${localRef(spec)} → ${ref}\\n`, 'stdout');",
    "out(`${r.name}\\t${r.expression}\\t${r.state}`);",
    "this.sys(`  ${t('{0} of {1}', a, b)}`);",
    "process.stderr.write(`${t('cancelled')}\\n`);",
    "write('ustar\\0', 257, 6, 'ascii');",
  ].join('\n')), []);
});

test('an error class naming itself is no text, any other .name literal is', () => {
  const cls = "export class ImageNotFoundError extends Error {\n  constructor(m: string) {\n    super(m);\n    this.name = 'ImageNotFoundError';\n  }\n}\n";
  assert.deepEqual(bypassingLiterals(cls), []);
  assert.deepEqual(bypassingLiterals(cls.replace("this.name = 'ImageNotFoundError'", "this.name = 'Image not found'")), [".name = 'Image not found'"]);
  assert.deepEqual(bypassingLiterals("item.name = 'Jobs';"), [".name = 'Jobs'"], 'a one-word label of no class of that name');
});
