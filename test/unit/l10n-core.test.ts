// The texts src/core builds for the user (#17) come out in Japanese once a translator over l10n/bundle.l10n.ja.json is
// installed (the extension installs vscode.l10n.t, the CLI its own over the same bundle), and in English without one.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { format, setTranslator } from '../../src/core/l10n';
import { jobDetailRows } from '../../src/core/jobDetails';
import { formatSummary } from '../../src/core/logs/format';
import { planSteps, stepTitle } from '../../src/core/build/plan';
import { applyEvent, failureReasonFor, type LocalJobRecord } from '../../src/core/local/record';
import { envFileText } from '../../src/core/local/plan';
import { describeTarget } from '../../src/core/settings';
import { jobToDefinition, scriptNote } from '../../src/core/jobToDefinition';
import { planSaveAsDefinition } from '../../src/core/saveDefinition';
import { missingImageMessage, parseEcrImageUri, resolveBuildSpec } from '../../src/core/build/spec';
import { consoleTarget } from '../../src/core/console';
import { readJson } from '../support/manifest';

const bundle = readJson<Record<string, string>>('l10n/bundle.l10n.ja.json');
const english = (m: string, ...args: Array<string | number | boolean>) => format(m, args);

const T0 = new Date('2026-11-27T10:00:00.000Z');
const DESC = {
  ProcessingJobName: 'census-preprocessing-2026-11-27-10-00-00-000',
  ProcessingJobStatus: 'Failed',
  FailureReason: 'AlgorithmError: exit 1',
  CreationTime: T0,
  ProcessingStartTime: new Date(T0.getTime() + 60_000),
  ProcessingEndTime: new Date(T0.getTime() + 185_000),
  RoleArn: 'arn:aws:iam::123456789012:role/SageMakerRole',
  AppSpecification: { ImageUri: 'img:1', ContainerEntrypoint: ['python3', '/opt/ml/processing/input/code/preprocessing.py'] },
  ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 2, VolumeSizeInGB: 30 } },
  ProcessingInputs: [{ S3Input: { S3Uri: 's3://b/in', LocalPath: '/opt/ml/processing/input' } }],
  ProcessingOutputConfig: { Outputs: [{ OutputName: 'train', S3Output: { S3Uri: 's3://b/out', LocalPath: '/opt/ml/processing/train' } }] },
  Environment: { MODE: 'full' },
  StoppingCondition: { MaxRuntimeInSeconds: 3600 },
};

const record: LocalJobRecord = { name: 'prep-local', key: 'prep', workspaceDir: '/w', runId: 'r1', instanceCount: 2, status: 'InProgress', createdAt: T0.toISOString() };

describe('src/core texts in Japanese', () => {
  before(() => setTranslator((m, ...args) => format(bundle[m] ?? m, args)));
  after(() => setTranslator(english));

  test('job details rows: labels, values and children', () => {
    const rows = jobDetailRows(DESC);
    assert.deepEqual(rows.map((r) => r.label), ['失敗理由', 'イメージ', 'エントリポイント', 'インスタンス', '入力', '出力', '環境変数', 'IAM ロール', '最大実行時間', '日時']);
    const by = Object.fromEntries(rows.map((r) => [r.label, r]));
    assert.equal(by['インスタンス'].value, 'ml.m5.xlarge × 2、ボリューム 30 GB');
    assert.equal(by['入力'].children?.[0].label, '入力', 'an unnamed input');
    assert.equal(by['最大実行時間'].value, '1 時間 0 分');
    assert.deepEqual(by['日時'].children?.map((c) => c.label), ['作成日時', '開始日時', '終了日時', '所要時間', '開始までの待ち時間']);
    assert.equal(by['日時'].value, '2 分 5 秒', 'the Times row shows the duration (start → end)');
    assert.equal(by['日時'].children?.[4].value, '1 分 0 秒', 'queued: creation → start, apart');
  });

  test('the log summary line', () => {
    const end = new Date(T0.getTime() + 125_000);
    assert.equal(formatSummary('j', { status: 'Failed', startTime: T0, endTime: end, failureReason: 'AlgorithmError: exit 1' }), '--- ジョブ j: 失敗 (所要 2 分 5 秒): AlgorithmError: exit 1 ---');
    assert.equal(formatSummary('j', { status: 'Completed', creationTime: T0, startTime: T0, lastModifiedTime: new Date(T0.getTime() + 3000) }), '--- ジョブ j: 完了 (所要 3 秒) ---');
    assert.equal(formatSummary('j', { status: 'Stopped' }), '--- ジョブ j: 停止済み ---');
  });

  test('build step titles', () => {
    assert.equal(stepTitle('login'), 'ECR にログイン');
    assert.deepEqual(planSteps({ push: false }).map((s) => s.title), ['イメージをビルド']);
    assert.equal(planSteps({ push: true }).length, 7);
    assert.ok(planSteps({ push: true }).every((s) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(s.title)));
  });

  test('local run failure reasons and plan errors', () => {
    assert.equal(failureReasonFor(137, 'algo-2'), 'algo-2 のコンテナが強制終了されました (終了コード 137、SIGKILL)');
    assert.equal(failureReasonFor(1), 'AlgorithmError: スクリプトが終了コード 1 で終了しました');
    assert.equal(applyEvent(record, { type: 'stopped' }, T0).failureReason, 'ユーザーが停止しました');
    assert.throws(() => envFileText({ '1BAD': 'x' }), { message: 'environment: "1BAD" は有効な環境変数名ではありません' });
  });

  test('build spec problems, a missing image, the console at a custom endpoint', () => {
    const ref = parseEcrImageUri('123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/prep:v1')!;
    assert.equal(missingImageMessage(ref, 'no-image'), 'イメージ 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/prep:v1 は存在しません: リポジトリ "prep" にタグ "v1" のイメージがありません。先にビルドしてプッシュするか、"image" を修正してください。');
    assert.throws(() => resolveBuildSpec({ repository: 'Bad Repo' } as never, '/w'), { message: /^repository "Bad Repo" は有効な ECR リポジトリ名ではありません/ });
    assert.deepEqual(consoleTarget('j', 'us-east-1', undefined, 'http://127.0.0.1:5000'), { reason: 'j は AWS ではなくカスタムエンドポイント http://127.0.0.1:5000 (sagemakerProcessing.endpointUrl 設定または AWS_ENDPOINT_URL) にあるため、AWS コンソールでは表示できません。' });
  });

  test('AWS target and save-as-definition notes', () => {
    assert.equal(describeTarget({ region: 'ap-northeast-1', endpointUrl: 'http://127.0.0.1:5000' }), '既定の認証情報 · ap-northeast-1 · エンドポイント http://127.0.0.1:5000');
    const { notes } = jobToDefinition(DESC);
    assert.deepEqual(notes, [scriptNote('preprocessing.py')]);
    assert.match(notes[0], /^"script" は preprocessing\.py です/);
    // The note is dropped when the script is in the workspace, in Japanese too (it is matched as a whole, not by its English start).
    assert.deepEqual(planSaveAsDefinition(DESC, undefined, { workspaceFolder: '/w', fileExists: () => true }).notes, []);
    assert.equal(planSaveAsDefinition(DESC, undefined, { workspaceFolder: '/w', fileExists: () => false }).notes.length, 1);
  });
});

test('without a translator the texts are the English ones the other tests assert', () => {
  assert.equal(stepTitle('login'), 'Log in to ECR');
  assert.equal(formatSummary('j', { status: 'Stopped' }), '--- Job j Stopped ---');
  assert.equal(jobDetailRows(DESC)[0].label, 'Failure reason');
  assert.equal(describeTarget({ profile: 'dev' }), 'profile dev · default region');
});
