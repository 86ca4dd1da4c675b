// The jobs' status bar item and the job rows at a normal width: what they say, in English and Japanese. Every expected
// text is written by hand.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JobSummary } from '../../src/core/jobs';
import { endedStatusText, formatElapsed, runningStatusModel, runningSince } from '../../src/core/statusBarModel';
import { formatAge, jobItemModel } from '../../src/core/jobItem';
import { format, setTranslator } from '../../src/core/l10n';

const ROOT = path.join(__dirname, '..', '..');
const T0 = new Date('2026-12-08T03:36:00.000Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const SDK_NAME = 'census-preprocessing-2026-12-08-03-36-00-000';
const job = (extra: Partial<JobSummary> = {}): JobSummary => ({ name: SDK_NAME, arn: '', status: 'InProgress', creationTime: T0, ...extra });

describe('status bar: a running job, short', () => {
  test('compact running times', () => {
    assert.equal(formatElapsed(0), '0s');
    assert.equal(formatElapsed(45_900), '45s');
    assert.equal(formatElapsed(72_000), '1m 12s');
    assert.equal(formatElapsed(3_900_000), '1h 05m');
    assert.equal(formatElapsed(-1), '');
  });

  test('a listed job (no ProcessingStartTime) counts from its creation, and the tooltip says so', () => {
    const m = runningStatusModel({ running: 1, focus: { job: job(), local: false }, now: at(72) });
    assert.equal(m.text, '$(sync~spin) census-preprocessing · 1m 12s');
    assert.ok(m.text.length <= 45, `${m.text.length} characters`);
    const tip = m.tooltip.join('\n');
    assert.match(tip, /\*\*census-preprocessing-2026-12-08-03-36-00-000\*\*/);
    assert.match(tip, /Status: \*\*InProgress\*\*/);
    assert.match(tip, /Running for 1 min 12 s, counted from its creation at 2026-12-08T03:36:00.000Z \(its start time is not known yet\)/);
    assert.deepEqual(runningSince(job()), { since: T0, from: 'creation' });
  });

  test('once DescribeProcessingJob told the start, the running time counts from it', () => {
    const m = runningStatusModel({ running: 1, focus: { job: job({ startTime: at(60) }), local: false }, now: at(72) });
    assert.equal(m.text, '$(sync~spin) census-preprocessing · 12s');
    assert.match(m.tooltip.join('\n'), /Running for 12 s, since it started at 2026-12-08T03:37:00.000Z/);
  });

  test('Stopping is said; other running jobs are counted; a local run is marked in the tooltip', () => {
    const m = runningStatusModel({
      running: 3, focus: { job: job({ status: 'Stopping', startTime: T0 }), local: true }, now: at(72),
      others: [{ job: job({ startTime: T0 }), local: true }, { job: job({ name: 'other-job', creationTime: at(12) }), local: false }, { job: job({ name: 'third' }), local: true }],
    });
    assert.equal(m.text, '$(sync~spin) census-preprocessing · Stopping · 1m 12s · +2');
    const tip = m.tooltip.join('\n');
    assert.match(tip, /\*\*census-preprocessing-2026-12-08-03-36-00-000\*\* \(local run\)/);
    assert.match(tip, /- other-job · 1m 0s/);
    assert.match(tip, /- third — local \(1m 12s\)/);
    assert.doesNotMatch(tip, /- census-preprocessing-2026/, 'the followed job is not listed twice');
  });

  test('without a followed job: the count; a job no poll has seen yet: starting', () => {
    assert.equal(runningStatusModel({ running: 2, now: T0 }).text, '$(sync~spin) SageMaker: 2 running');
    assert.equal(runningStatusModel({ running: 0, pending: SDK_NAME, now: T0 }).text, '$(sync~spin) census-preprocessing: starting');
  });

  test('how the last run ended', () => {
    assert.equal(endedStatusText(job({ status: 'Completed' }), 'pass', '4.9 s'), '$(pass) census-preprocessing · Completed · 4.9 s');
  });

  test('job rows: the status first, then a compact age (same roundings as the long one)', () => {
    assert.equal(formatAge(at(-10), T0), 'now');
    assert.equal(formatAge(at(-300), T0), '5m ago');
    assert.equal(formatAge(at(-3 * 3600), T0), '3h ago');
    assert.equal(formatAge(at(-3 * 86400), T0), '3d ago');
    const m = jobItemModel(job({ status: 'Completed', endTime: at(5) }), at(20));
    assert.equal(m.label, 'census-preprocessing');
    assert.equal(m.description, 'Completed · now');
    assert.match(m.tooltip, /Created: 2026-12-08T03:36:00.000Z \(just now\)/);
  });
});

describe('status bar and rows in Japanese (the bundle through src/core/l10n)', () => {
  const bundle = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n/bundle.l10n.ja.json'), 'utf8')) as Record<string, string>;
  before(() => setTranslator((m, ...args) => format(bundle[m] ?? m, args)));
  after(() => setTranslator((m, ...args) => format(m, args)));

  test('the item and its tooltip', () => {
    const m = runningStatusModel({ running: 2, focus: { job: job({ status: 'Stopping' }), local: true }, now: at(72) });
    assert.equal(m.text, '$(sync~spin) census-preprocessing · 停止中 · 1分12秒 · +1');
    const tip = m.tooltip.join('\n');
    assert.match(tip, /2 件実行中/);
    assert.match(tip, /\(ローカル実行\)/);
    assert.match(tip, /ステータス: \*\*停止中\*\*/);
    assert.match(tip, /実行時間: 1 分 12 秒 \(開始日時がまだ不明なため、作成日時 2026-12-08T03:36:00.000Z から数えています\)/);
    assert.equal(formatElapsed(3_900_000), '1時間05分');
    assert.equal(endedStatusText(job({ status: 'Completed' }), 'pass', '4.9 秒'), '$(pass) census-preprocessing · 完了 · 4.9 秒');
  });

  test('rows', () => {
    assert.equal(jobItemModel(job({ status: 'Completed' }), at(20)).description, '完了 · 今');
    assert.equal(jobItemModel(job({ status: 'Failed' }), at(300)).description, '失敗 · 5 分前');
  });
});
