// The CLI follows the locale (#17): LC_ALL, else LC_MESSAGES, else LANG picks l10n/bundle.l10n.<language>.json of
// the installed package; `C`/`POSIX`/unset is English. Spawned for real: through tsx (src/cli/index.ts) and as the bundle
// (dist/cli.js) copied into a package layout elsewhere, so the bundle is found next to the script, not the cwd.
import { before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { requireFile, ROOT, scratchDir } from '../support/paths';
import { cliLanguage, languageOf } from '../../src/cli/l10n';

type Locale = { LC_ALL?: string; LC_MESSAGES?: string; LANG?: string };

/** The CLI with exactly the given locale variables (the test's own LC_ALL/LC_MESSAGES/LANG are not inherited). */
function cli(script: string[], args: string[], locale: Locale, cwd: string): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_MAX_ATTEMPTS: '1' };
  delete env.LC_ALL;
  delete env.LC_MESSAGES;
  delete env.LANG;
  Object.assign(env, locale);
  const r = spawnSync(process.execPath, [...script, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.error, undefined, String(r.error));
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the CLI speaks the language of LC_ALL / LC_MESSAGES / LANG', () => {
  let pkg: string;
  let bare: string;
  before(() => {
    // The built bundle, installed as the package lays it out (dist/cli.js and l10n/), outside the checkout.
    const built = requireFile(path.join(ROOT, 'dist', 'cli.js'), 'the CLI bundle (npm run build)');
    pkg = scratchDir('cli-l10n-pkg');
    fs.mkdirSync(path.join(pkg, 'dist'));
    fs.copyFileSync(built, path.join(pkg, 'dist', 'cli.js'));
    fs.cpSync(path.join(ROOT, 'l10n'), path.join(pkg, 'l10n'), { recursive: true });
    // The same bundle without l10n/: English whatever the locale.
    bare = scratchDir('cli-l10n-bare');
    fs.mkdirSync(path.join(bare, 'dist'));
    fs.copyFileSync(built, path.join(bare, 'dist', 'cli.js'));
  });

  const variants = (): Array<{ name: string; script: string[] }> => [
    { name: 'src/cli/index.ts', script: ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'index.ts')] },
    { name: 'dist/cli.js', script: [path.join(pkg, 'dist', 'cli.js')] },
  ];

  it('help and a usage error in Japanese with LANG=ja_JP.UTF-8, in English with LANG=C', () => {
    const cwd = scratchDir('cli-l10n-cwd');
    for (const { name, script } of variants()) {
      const jaHelp = cli(script, ['--help'], { LANG: 'ja_JP.UTF-8' }, cwd);
      assert.equal(jaHelp.status, 0, `${name}: ${jaHelp.stderr}`);
      assert.match(jaHelp.stdout, /^使い方: sagemaker-processing <command> \[options\]$/m, name);
      assert.match(jaHelp.stdout, /^コマンド:$/m, name);
      assert.match(jaHelp.stdout, /^ {2}stop <name> {8}実行中のジョブを停止します$/m, name);
      assert.match(jaHelp.stdout, /^ {2}--region R {7}AWS リージョン/m, name);
      assert.doesNotMatch(jaHelp.stdout, /stop a running job|Run options:/, name);

      const enHelp = cli(script, ['--help'], { LANG: 'C' }, cwd);
      assert.equal(enHelp.status, 0, `${name}: ${enHelp.stderr}`);
      assert.match(enHelp.stdout, /^Usage: sagemaker-processing <command> \[options\]$/m, name);
      assert.match(enHelp.stdout, /^ {2}stop <name> {8}stop a running job$/m, name);
      assert.doesNotMatch(enHelp.stdout, /[\u3040-\u30ff]/, name);

      const jaErr = cli(script, ['stop'], { LANG: 'ja_JP.UTF-8' }, cwd);
      assert.equal(jaErr.status, 2, name);
      assert.equal(jaErr.stderr, 'エラー: stop にはジョブ名が必要です\n(sagemaker-processing --help でコマンドとオプションを表示できます)\n', name);
      const enErr = cli(script, ['stop'], { LANG: 'C' }, cwd);
      assert.equal(enErr.status, 2, name);
      assert.equal(enErr.stderr, 'error: stop needs a job name\n(sagemaker-processing --help shows the commands and options)\n', name);

      const jaBad = cli(script, ['jobs', '--max', 'x'], { LANG: 'ja_JP.UTF-8' }, cwd);
      assert.equal(jaBad.status, 2, name);
      assert.match(jaBad.stderr, /^エラー: --max には 1 以上の整数を指定してください \("x" は指定できません\)$/m, name);
      const enBad = cli(script, ['jobs', '--max', 'x'], {}, cwd);
      assert.match(enBad.stderr, /^error: --max takes a whole number ≥ 1, not "x"$/m, name);
    }
  });

  it('a job definition\'s problems in Japanese / English (refused before any AWS call)', () => {
    const ws = scratchDir('cli-l10n-def');
    fs.mkdirSync(path.join(ws, '.vscode'));
    fs.writeFileSync(path.join(ws, '.vscode', 'sagemaker-processing.json'), JSON.stringify({
      version: '1', jobs: { j: { script: 'x.py', image: 'i', role: 'arn:aws:iam::123456789012:role/R', instancetype: 'ml.m5.xlarge', instanceCount: '2' } },
    }));
    // An endpoint nothing listens on: a definition error must come first.
    const args = ['run', 'j', '--dry-run', '--endpoint-url', 'http://127.0.0.1:1', '--region', 'us-east-1'];
    for (const { name, script } of variants()) {
      const ja = cli(script, args, { LANG: 'ja_JP.UTF-8' }, ws);
      assert.equal(ja.status, 2, `${name}: ${ja.stderr}`);
      assert.match(ja.stderr, /^エラー: ジョブ定義に問題があります:$/m, name);
      assert.match(ja.stderr, /: jobs\.j\.instancetype: 不明なフィールド "instancetype" \("instanceType" の誤りではありませんか\?\)$/m, name);
      assert.match(ja.stderr, /: jobs\.j\.instanceCount: 整数である必要があります \(文字列ではありません\)$/m, name);
      assert.match(ja.stderr, /: jobs\.j\.script: スクリプトが見つかりません: .*x\.py$/m, name);
      const en = cli(script, args, { LANG: 'C' }, ws);
      assert.equal(en.status, 2, `${name}: ${en.stderr}`);
      assert.match(en.stderr, /^error: the job definition has problems:$/m, name);
      assert.match(en.stderr, /: jobs\.j\.instancetype: unknown field "instancetype" \(did you mean "instanceType"\?\)$/m, name);
      assert.match(en.stderr, /: jobs\.j\.instanceCount: must be a whole number, not a string$/m, name);
    }
  });

  it('LC_ALL beats LC_MESSAGES beats LANG; an empty one counts as unset', () => {
    const cwd = scratchDir('cli-l10n-cwd');
    const [{ script }] = variants().slice(1);
    const says = (locale: Locale) => (cli(script, ['stop'], locale, cwd).stderr.startsWith('エラー:') ? 'ja' : 'en');
    assert.equal(says({ LC_ALL: 'C', LANG: 'ja_JP.UTF-8' }), 'en');
    assert.equal(says({ LC_MESSAGES: 'POSIX', LANG: 'ja_JP.UTF-8' }), 'en');
    assert.equal(says({ LC_MESSAGES: 'ja_JP.UTF-8', LANG: 'C' }), 'ja');
    assert.equal(says({ LC_ALL: '', LC_MESSAGES: '', LANG: 'ja_JP.eucJP' }), 'ja');
    assert.equal(says({ LC_ALL: 'ja_JP.UTF-8', LC_MESSAGES: 'C', LANG: 'C' }), 'ja');
    assert.equal(says({}), 'en');
  });

  it('a package without the bundle, or a language without one, stays in English', () => {
    const cwd = scratchDir('cli-l10n-cwd');
    const noBundle = cli([path.join(bare, 'dist', 'cli.js')], ['stop'], { LANG: 'ja_JP.UTF-8' }, cwd);
    assert.equal(noBundle.status, 2);
    assert.match(noBundle.stderr, /^error: stop needs a job name$/m);
    const french = cli([path.join(pkg, 'dist', 'cli.js')], ['stop'], { LANG: 'fr_FR.UTF-8' }, cwd);
    assert.match(french.stderr, /^error: stop needs a job name$/m);
  });

  it('reads the language as POSIX names it', () => {
    assert.equal(languageOf('ja_JP.UTF-8'), 'ja');
    assert.equal(languageOf('ja'), 'ja');
    assert.equal(languageOf('ja_JP@euro'), 'ja');
    for (const l of ['C', 'POSIX', 'C.UTF-8', 'en_US.UTF-8', '', undefined]) assert.equal(languageOf(l), undefined, String(l));
    assert.equal(cliLanguage({ LC_ALL: '', LC_MESSAGES: 'ja_JP.UTF-8', LANG: 'C' }), 'ja');
    assert.equal(cliLanguage({ LC_ALL: 'C.UTF-8', LANG: 'ja_JP.UTF-8' }), undefined);
  });
});
