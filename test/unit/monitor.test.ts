import { test, describe, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatDuration, formatJobDuration, formatQueuedTime, formatRelative, jobDurationMs, jobTiming, msUntilRelativeChange, type JobSummary } from '../../src/core/jobs';
import { jobDetailRows, summaryFromDescription } from '../../src/core/jobDetails';
import { formatSummary } from '../../src/core/logs/format';
import { jobStateFrom } from '../../src/core/logs/run';
import { describeFilter, jobItemModel } from '../../src/core/jobItem';
import { format, setTranslator, t } from '../../src/core/l10n';
import { WatchedLocalRuns } from '../../src/core/watchedRuns';

const ROOT = path.join(__dirname, '..', '..');
const T0 = new Date('2026-01-01T12:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const job = (name: string, status: JobSummary['status'], extra: Partial<JobSummary> = {}): JobSummary => ({ name, arn: '', status, creationTime: T0, ...extra });

describe('the job monitor: local runs it watches', () => {
  test('a watched local run ends once, when the store shows it ended; the newest running one is followed', () => {
    const w = new WatchedLocalRuns();
    w.watch('a');
    w.watch('b');
    const running = [job('a', 'InProgress'), job('b', 'InProgress')];
    assert.deepEqual(w.ended(running), []);
    assert.equal(w.focus(running)?.name, 'b', 'the newest watched run is followed');
    const bEnded = [job('a', 'InProgress'), job('b', 'Failed', { failureReason: 'exit 1' })];
    assert.deepEqual(w.ended(bEnded).map((j) => [j.name, j.status]), [['b', 'Failed']]);
    assert.deepEqual(w.ended(bEnded), [], 'an ended run is reported once');
    assert.equal(w.focus(bEnded.filter((j) => j.status === 'InProgress'))?.name, 'a');
    assert.deepEqual(w.names, ['a']);
    // A run the store no longer lists (history trimmed) is dropped without an end to report.
    assert.deepEqual(w.ended([]), []);
    assert.deepEqual(w.names, []);
  });

  test('a run not watched never ends (started from another window: no notification here)', () => {
    const w = new WatchedLocalRuns();
    assert.deepEqual(w.ended([job('x', 'Completed')]), []);
  });
});

describe('one duration, one job-duration helper (src/core/jobs.ts)', () => {
  test('from ProcessingStartTime to ProcessingEndTime; running: to now; queued time apart; nothing when the start is not known', () => {
    const started = { startTime: at(20) };
    assert.equal(jobDurationMs(job('r', 'InProgress', started), at(185)), 165_000);
    assert.equal(jobDurationMs(job('r', 'Stopping', started), at(185)), 165_000, 'Stopping still runs');
    assert.equal(jobDurationMs(job('r', 'InProgress', started)), undefined, 'running and no now: not known');
    assert.equal(jobDurationMs(job('r', 'InProgress', { ...started, lastModifiedTime: at(25) }), at(60)), 40_000, 'a running job is not over at its last modification');
    assert.equal(jobDurationMs(job('c', 'Completed', { ...started, endTime: at(90), lastModifiedTime: at(95) }), at(500)), 70_000, 'an end time wins; now does not count for an ended job');
    assert.equal(jobDurationMs(job('c', 'Completed', { ...started, lastModifiedTime: at(95) }), at(500)), 75_000, 'ended without an end time: its last modification');
    assert.equal(jobDurationMs(job('c', 'Completed', { ...started }), at(500)), undefined, 'ended, no end known: not the time until now');
    assert.equal(jobDurationMs({ status: 'Failed', creationTime: T0, startTime: at(10), endTime: at(130) }), 120_000);
    assert.equal(jobDurationMs({ status: 'Failed' }), undefined);
    // A list's summary has no start: no number, rather than one that counts the queue (the tree said 3.3 s, details 2.2 s).
    assert.equal(jobDurationMs(job('c', 'Completed', { endTime: at(90) }), at(500)), undefined);
    assert.equal(jobDurationMs(job('r', 'InProgress'), at(185)), undefined);
    assert.deepEqual(jobTiming(job('c', 'Completed', { startTime: at(1.1), endTime: at(3.3) })), { runMs: 2200, queuedMs: 1100 });
    assert.equal(formatJobDuration(job('c', 'Completed', { startTime: at(1.1), endTime: at(3.3) })), '2.2 s');
    assert.equal(formatQueuedTime(job('c', 'Completed', { startTime: at(1.1), endTime: at(3.3) })), '1.1 s');
    assert.equal(formatJobDuration(job('c', 'Completed', { ...started, endTime: at(145) })), '2 min 5 s');
    assert.equal(formatJobDuration(job('r', 'InProgress', started)), '');
  });

  test('every view of one job says the same duration: details, log summary, tree tooltip, the job summary of a description', () => {
    const desc = { ProcessingJobName: 'j', ProcessingJobStatus: 'Failed', CreationTime: T0, ProcessingStartTime: at(0.4), ProcessingEndTime: at(2.2), LastModifiedTime: at(2.6), FailureReason: 'x' };
    const expected = '1.8 s'; // 2.2 s − 0.4 s, by hand
    const times = jobDetailRows(desc).find((r) => r.label === 'Times');
    assert.equal(times?.children?.find((c) => c.label === 'Duration')?.value, expected);
    assert.equal(times?.children?.find((c) => c.label === 'Queued before start')?.value, '400 ms');
    assert.match(formatSummary('j', jobStateFrom(desc)), new RegExp(`after ${expected}:`));
    const summary = summaryFromDescription(desc);
    assert.equal(formatJobDuration(summary, at(100)), expected);
    assert.match(jobItemModel(summary, at(100)).tooltip, new RegExp(`Duration: ${expected} \\(queued 400 ms`));
    // A list summary of the same job (no ProcessingStartTime) merged over the described one keeps the start.
    const listed = summaryFromDescription({ ...desc, ProcessingStartTime: undefined });
    assert.equal({ ...summary, ...listed }.startTime?.getTime(), at(0.4).getTime());
  });

  test('no second copy in src/ (a deliberate copy is found)', () => {
    const copies = (name: string, extra: Record<string, string> = {}) => {
      const out: string[] = [];
      const walk = (dir: string) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
          const p = path.join(dir, e.name);
          if (e.isDirectory()) walk(p);
          else if (p.endsWith('.ts') && new RegExp(`function ${name}\\b|const ${name}\\s*=`).test(fs.readFileSync(p, 'utf8'))) out.push(path.relative(ROOT, p));
        }
      };
      walk(path.join(ROOT, 'src'));
      for (const [f, src] of Object.entries(extra)) if (new RegExp(`function ${name}\\b`).test(src)) out.push(f);
      return out;
    };
    assert.deepEqual(copies('formatDuration'), ['src/core/jobs.ts']);
    assert.deepEqual(copies('jobDurationMs'), ['src/core/jobs.ts']);
    assert.deepEqual(copies('formatDuration', { 'src/core/build/plan.ts': 'export function formatDuration(ms: number) {}' }), ['src/core/jobs.ts', 'src/core/build/plan.ts']);
  });
});

describe('only the job monitor polls; only the notifications module tells a run ended', () => {
  const UI = ['statusBar.ts', 'jobsTree.ts', 'notifications.ts', 'jobMonitor.ts', 'localJobs.ts', 'relativeTimes.ts', 'logChannels.ts', 'jobActions.ts', 'runCommands.ts', 'localDebug.ts'];
  const read = (f: string) => fs.readFileSync(path.join(ROOT, 'src/ui', f), 'utf8');
  /** The files that poll (make a scheduler or a running-jobs tracker) and those that say a run ended. */
  const owners = (sources: Record<string, string>) => ({
    polling: Object.keys(sources).filter((f) => /new (PollScheduler|RunningJobsTracker)\b/.test(sources[f])),
    endNotices: Object.keys(sources).filter((f) => /t\('(Processing job|Local run) \{0\} (completed|failed|stopped)/.test(sources[f])),
  });
  const sources = Object.fromEntries(UI.filter((f) => fs.existsSync(path.join(ROOT, 'src/ui', f))).map((f) => [f, read(f)]));

  test('the status bar and the tree only render what the monitor says', () => {
    assert.deepEqual(owners(sources), { polling: ['jobMonitor.ts'], endNotices: ['notifications.ts'] });
    assert.doesNotMatch(sources['statusBar.ts'], /\.poll(Now)?\(|ctx\.aws|setActive|setNeeded/, 'the status bar calls no AWS and drives no poll');
    assert.doesNotMatch(sources['jobsTree.ts'], /PollScheduler|RunningJobsTracker|pollNow/, 'the tree drives no poll');
  });

  test('a deliberate second poller or a second end notice is found', () => {
    const bad = { ...sources, 'statusBar.ts': sources['statusBar.ts'] + "\nconst s = new PollScheduler({} as never);\nt('Local run {0} completed.', 'x');\n" };
    assert.deepEqual(owners(bad), { polling: ['statusBar.ts', 'jobMonitor.ts'], endNotices: ['statusBar.ts', 'notifications.ts'] });
  });
});

describe('relative times and durations in Japanese (the bundle through src/core/l10n)', () => {
  const bundle = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n/bundle.l10n.ja.json'), 'utf8')) as Record<string, string>;
  before(() => setTranslator((m, ...args) => format(bundle[m] ?? m, args)));
  after(() => setTranslator((m, ...args) => format(m, args)));

  test('"たった今", "5 分前", "3 分 5 秒"; and the tree row says its status as the console does', () => {
    assert.equal(formatRelative(at(-10), T0), 'たった今');
    assert.equal(formatRelative(at(-300), T0), '5 分前');
    assert.equal(formatRelative(at(-3 * 3600), T0), '3 時間前');
    assert.equal(formatRelative(at(-3 * 86400), T0), '3 日前');
    assert.equal(formatDuration(850), '850 ミリ秒');
    assert.equal(formatDuration(4210), '4.2 秒');
    assert.equal(formatDuration(185_000), '3 分 5 秒');
    assert.equal(formatDuration(3_900_000), '1 時間 5 分');
    const m = jobItemModel(job('j', 'InProgress', { startTime: at(60) }), at(300));
    assert.equal(m.description, '進行中 · 5 分前');
    assert.match(m.tooltip, /所要時間: 4 分 0 秒 \(開始までの待ち時間 1 分 0 秒\)/);
    assert.match(m.tooltip, /ステータス: \*\*進行中\*\*/);
    assert.equal(jobItemModel(job('j', 'Failed', { endTime: at(30) }), at(300), 'local').tooltip.split('\n')[2], 'ステータス: **失敗** (ローカル実行)');
    assert.equal(describeFilter({ status: 'Failed', nameContains: 'x' }), 'フィルター: 失敗, 名前 ~ "x"');
    assert.equal(t('Local runs'), 'ローカル実行');
  });

  test('the tree redraws when the Japanese label changes, as it does in English', () => {
    // Labels change at the same instants in every language: 45 s after creation "たった今" becomes "1 分前".
    assert.equal(msUntilRelativeChange(T0, at(10)), 34_500);
  });
});
