// CLI commands for scheduled jobs: `schedule <job>` and `schedules [list|pause|resume|delete|run|runs] [name]`.
// Independent of how the CLI parses its arguments: it gets the positionals and a flag lookup.
import * as fs from 'node:fs';
import type { AwsClients } from '../aws/index';
import { awsSchedulePorts } from '../aws/schedulePorts';
import type { BuildInput } from '../core/build/spec';
import { buildForRun } from '../local/imageBuilder';
import { definitionLocation } from '../runPath';
import { t } from '../core/l10n';
import { SCHEDULE_GROUP } from '../core/schedule/pipeline';
import { deleteSchedule, listManagedSchedules, nextRunOf, prepareSchedule, runNow, scheduleJob, setScheduleState } from '../core/schedule/service';

export interface CliArgs {
  positional: string[];
  get(flag: string): string | undefined;
  has(flag: string): boolean;
}

/** The `schedule` and `schedules` lines of the help text, in the user's language. */
export function scheduleUsage(): string {
  const d = (l: string): string => `                     ${l}`;
  return [
    '  schedule <job> [--definition F] [--schedule-role ARN] [--dry-run] [--no-build]',
    d(t('create or update the job\'s pipeline and its EventBridge schedule (the job\'s "schedule" block);')),
    d(t('a job with "build" is built and pushed first when its context changed, and the step runs the pushed digest;')),
    d(t('--dry-run prints the pipeline definition and schedule without calling AWS for them')),
    `  schedules [list]   ${t('the schedules this tool manages: name, expression, time zone, state, next run')}`,
    '  schedules pause|resume|run|runs|delete <name>',
    d(t('pause or resume a schedule, start its pipeline now, list its runs (pipeline executions and their processing jobs),')),
    d(t('or delete the schedule and its pipeline')),
  ].join('\n');
}

const definitionPaths = (a: CliArgs) => definitionLocation(a.get('definition'), a.get('folder'));

/** `schedule <job>`. Returns the exit code. */
export async function scheduleCommand(a: CliArgs, aws: AwsClients, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const key = a.positional[0];
  if (!key) {
    err(t('schedule needs a job name (a key of "jobs" with a "schedule" block)'));
    return 2;
  }
  const { definitionFile, folder } = definitionPaths(a);
  let text: string;
  try {
    text = fs.readFileSync(definitionFile, 'utf8');
  } catch {
    err(t('error: no job definition file at {0}', definitionFile));
    return 2;
  }
  const ports = awsSchedulePorts(aws);
  const opts = {
    definitionText: text,
    definitionFile,
    workspaceFolder: folder,
    jobKey: key,
    defaultRoleArn: a.get('role') ?? process.env.SAGEMAKER_ROLE_ARN,
    defaultBucket: a.get('bucket'),
    scheduleRoleArn: a.get('schedule-role'),
    // Build then schedule, as `run` does: the step is pinned to the pushed digest (progress to stderr).
    resolveBuildImage: a.has('dry-run') || a.has('no-build') ? undefined
      : (build: BuildInput, c: { key?: string }) => buildForRun(build, { aws, folder, job: c.key ?? key, write: (s) => err(s.replace(/\n$/, '')) }),
  };
  if (a.has('dry-run')) {
    const p = await prepareSchedule(ports, opts);
    if (!p) return 2;
    out(JSON.stringify({ pipelineName: p.plan.pipelineName, definition: p.plan.definition, schedule: p.schedule, uploads: p.plan.uploads.map((u) => `s3://${u.bucket}/${u.key}`) }, null, 2));
    return 0;
  }
  let last = '';
  const r = await scheduleJob(ports, {
    ...opts,
    onProgress: (pr) => {
      if (pr.message !== last && !a.has('json')) err(pr.message);
      last = pr.message;
    },
  });
  if (!r) return 2;
  if (a.has('json')) {
    out(JSON.stringify({ pipelineName: r.pipelineName, pipelineArn: r.pipelineArn, scheduleArn: r.scheduleArn, pipeline: r.pipeline, schedule: r.schedule, nextRun: r.nextRun?.toISOString() }));
  } else {
    out(`${r.pipelineName}\t${t('pipeline {0}, schedule {1}', r.pipeline, r.schedule)}\t${t('next run {0}', r.nextRun?.toISOString() ?? '—')}`);
  }
  return 0;
}

/** `schedules [list|pause|resume|delete|run|runs] [name]`. */
export async function schedulesCommand(a: CliArgs, aws: AwsClients, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const [sub = 'list', name] = a.positional;
  const ports = awsSchedulePorts(aws);
  if (sub === 'list') {
    const list = await listManagedSchedules(ports);
    const rows = list.map((s) => ({ name: s.name, expression: s.expression, timezone: s.timezone, state: s.state, nextRun: nextRunOf(s)?.toISOString(), pipeline: s.pipelineName, arn: s.arn }));
    if (a.has('json')) out(JSON.stringify(rows, null, 2));
    else for (const r of rows) out(`${r.name}\t${r.expression}\t${r.timezone}\t${r.state}\t${r.nextRun ?? '—'}`);
    return 0;
  }
  if (!name) {
    err(t('schedules {0} needs a schedule name (see "schedules list")', sub));
    return 2;
  }
  switch (sub) {
    case 'pause':
    case 'resume': {
      const s = await setScheduleState(ports, name, sub === 'resume');
      out(`${s.name}\t${s.state}`);
      return 0;
    }
    case 'delete': {
      const r = await deleteSchedule(ports, name);
      out(r.pipelineDeleted ? t('Deleted schedule {0} and its pipeline', `${SCHEDULE_GROUP}/${name}`) : t('Deleted schedule {0}', `${SCHEDULE_GROUP}/${name}`));
      return 0;
    }
    case 'run': {
      const arn = await runNow(ports, name);
      out(arn);
      return 0;
    }
    case 'runs': {
      const s = await ports.getSchedule(SCHEDULE_GROUP, name);
      const runs = await ports.listPipelineExecutions(s?.pipelineName ?? name);
      const rows = await Promise.all(runs.map(async (r) => ({ ...r, startTime: r.startTime?.toISOString(), jobs: await ports.executionJobs(r.arn) })));
      if (a.has('json')) out(JSON.stringify(rows, null, 2));
      else for (const r of rows) out(`${r.arn}\t${r.status}\t${r.startTime ?? ''}\t${r.jobs.map((j) => j.split('/').pop()).join(',')}`);
      return 0;
    }
    default:
      err(t('unknown schedules command "{0}": list, pause, resume, run, runs or delete', sub));
      return 2;
  }
}
