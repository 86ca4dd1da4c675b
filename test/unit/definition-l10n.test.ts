// The definition diagnostics (Problems panel, CLI errors) in Japanese (#17): with the translator over
// l10n/bundle.l10n.ja.json installed, as the extension (vscode.l10n) and the CLI (LANG=ja_JP.UTF-8) do, the messages a
// user hits most read in Japanese, keep their field paths, and the English ones come back without a translator.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDefinitionText } from '../../src/core/definition/resolve';
import { confinePaths } from '../../src/core/definition/confine';
import { format, setTranslator } from '../../src/core/l10n';
import { installCliTranslator } from '../../src/cli/l10n';
import { ROOT } from '../support/paths';
import { definitionWorkspace } from '../support/workspace';

type Def = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROLE = 'arn:aws:iam::123456789012:role/SageMakerProcessingRole';

function good(): Def {
  return {
    version: '1',
    defaults: { role: ROLE, instanceType: 'ml.m5.xlarge' },
    jobs: { census: { script: 'preprocessing.py', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/census:latest', inputs: [{ name: 'census', source: 'data/census.csv', destination: '/opt/ml/processing/input' }] } },
  };
}

/** [what, change, expected path, expected Japanese message, expected English message]. */
const CASES: [string, (d: Def) => void, string, RegExp, RegExp][] = [
  ['unknown field', (d) => (d.jobs.census.instancetype = 'ml.m5.xlarge'), 'jobs.census.instancetype', /^不明なフィールド "instancetype" \("instanceType" の誤りではありませんか\?\)$/, /^unknown field "instancetype" \(did you mean "instanceType"\?\)$/],
  ['missing required field', (d) => delete d.jobs.census.inputs[0].destination, 'jobs.census.inputs[0]', /^必須フィールド "destination" がありません$/, /^missing required field "destination"$/],
  ['missing script', (d) => delete d.jobs.census.script, 'jobs.census', /^"script" がありません: /, /^missing "script"/],
  ['wrong type', (d) => (d.jobs.census.instanceCount = '2'), 'jobs.census.instanceCount', /^整数である必要があります \(文字列ではありません\)$/, /^must be a whole number, not a string$/],
  ['out of range', (d) => (d.jobs.census.instanceCount = 0), 'jobs.census.instanceCount', /^1 から 100 の範囲である必要があります \(0 が指定されています\)$/, /between 1 and 100 \(got 0\)/],
  ['bad instance type', (d) => (d.jobs.census.instanceType = 'm5.xlarge'), 'jobs.census.instanceType', /^"m5\.xlarge" は無効です \(必要な形式: ml\.m5\.xlarge のような ML インスタンスタイプ\)$/, /^"m5\.xlarge" is not an ML instance type like ml\.m5\.xlarge$/],
  ['unknown instance type', (d) => (d.jobs.census.instanceType = 'ml.m5.huge'), 'jobs.census.instanceType', /^"ml\.m5\.huge" は無効です \(必要な形式: SageMaker Processing のインスタンスタイプ/, /is not a SageMaker Processing instance type/],
  ['unset environment variable', (d) => (d.jobs.census.arguments = ['${env:SMP_L10N_TEST_UNSET}']), 'jobs.census.arguments[0]', /^環境変数 SMP_L10N_TEST_UNSET が設定されていないか空です \("\$\{env:SMP_L10N_TEST_UNSET\}" で使用\)。.*\$\{env:SMP_L10N_TEST_UNSET:-value\}$/, /^environment variable SMP_L10N_TEST_UNSET is not set or empty/],
  ['unknown variable', (d) => (d.jobs.census.arguments = ['${workspace}']), 'jobs.census.arguments[0]', /^不明な変数 "\$\{workspace\}"。使用できる変数: /, /^unknown variable "\$\{workspace\}"/],
  ['script not found', (d) => (d.jobs.census.script = 'nope.py'), 'jobs.census.script', /^スクリプトが見つかりません: .*nope\.py$/, /^script not found: .*nope\.py$/],
  ['no role', (d) => delete d.defaults.role, 'jobs.census', /^"role" がありません: .*設定 sagemakerProcessing\.defaultRoleArn/, /^no "role": .*in the sagemakerProcessing\.defaultRoleArn setting$/],
  ['two image sources', (d) => (d.jobs.census.framework = { name: 'sklearn', version: '1.2-1' }), 'jobs.census', /\("image" と "framework" があります\)$/, /\(found "image" and "framework"\)$/],
  ['framework version', (d) => { delete d.jobs.census.image; d.jobs.census.framework = { name: 'sklearn', version: '9.9' }; }, 'jobs.census.framework.version', /^sklearn のバージョン "9\.9" は不明です。/, /^unknown sklearn version "9\.9"/],
  ['framework python version', (d) => { delete d.jobs.census.image; d.jobs.census.framework = { name: 'pytorch', version: '2.0.1', pythonVersion: 'py27' }; }, 'jobs.census.framework.pythonVersion', /^pytorch の Python バージョン "py27" は不明です。/, /^unknown pytorch python version "py27"/],
  ['schedule expression', (d) => (d.jobs.census.schedule = { expression: 'every day' }), 'jobs.census.schedule.expression', /^"every day" はスケジュール式ではありません: /, /^"every day" is not a schedule expression: /],
  ['schedule time zone', (d) => (d.jobs.census.schedule = { expression: 'rate(1 day)', timezone: 'Mars/Olympus' }), 'jobs.census.schedule.timezone', /^"Mars\/Olympus" は既知のタイムゾーンではありません: /, /^"Mars\/Olympus" is not a known time zone/],
  ['container path', (d) => (d.jobs.census.inputs[0].destination = '/tmp/x'), 'jobs.census.inputs[0].destination', /^"\/tmp\/x" は \/opt\/ml\/processing\/ の下のフォルダーである必要があります$/, /must be a folder under/],
];

describe('definition diagnostics in Japanese', () => {
  let ws: string;
  const opts = () => ({ workspaceFolder: ws, fileExists: (p: string) => fs.existsSync(p), requireRole: true, variables: { env: {} } });
  const problemOf = (change: (d: Def) => void, at: string): string => {
    const d = good();
    change(d);
    const r = checkDefinitionText(JSON.stringify(d, null, 2), opts());
    const p = r.problems.find((x) => x.path === at);
    assert.ok(p, `a problem at ${at}: ${JSON.stringify(r.problems)}`);
    return p.message;
  };
  before(() => {
    ws = definitionWorkspace();
  });
  after(() => {
    setTranslator((m, ...a) => format(m, a));
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('in English without a translator (the default of src/core)', () => {
    for (const [what, change, at, , en] of CASES) assert.match(problemOf(change, at), en, what);
  });

  it('in Japanese with the bundle installed (LANG=ja_JP.UTF-8), at the same field paths', () => {
    assert.equal(installCliTranslator({ LANG: 'ja_JP.UTF-8' }, path.join(ROOT, 'l10n')), 'ja');
    try {
      for (const [what, change, at, ja] of CASES) assert.match(problemOf(change, at), ja, what);
    } finally {
      setTranslator((m, ...a) => format(m, a));
    }
  });

  it('a path outside the workspace folder, and a folder where a file belongs, in Japanese', async () => {
    installCliTranslator({ LANG: 'ja_JP.UTF-8' }, path.join(ROOT, 'l10n'));
    try {
      const outside = path.dirname(ws);
      const problems = await confinePaths([
        { segments: ['jobs', 'census', 'inputs', 0, 'source'], path: outside, expect: 'any' },
        { segments: ['jobs', 'census', 'script'], path: path.join(ws, 'data'), expect: 'file' },
      ] as Parameters<typeof confinePaths>[0], { workspaceFolder: ws });
      assert.equal(problems.length, 2, JSON.stringify(problems));
      assert.match(problems[0].message, /^.+ はワークスペースフォルダー .+ の外にあります。.*\(許可するには 設定 sagemakerProcessing\.allowPathsOutsideWorkspace をオンにしてください\)$/);
      assert.match(problems[1].message, /^.+data はフォルダーです。ファイルではありません$/);
    } finally {
      setTranslator((m, ...a) => format(m, a));
    }
  });
});
