import { toPythonSdk } from '../definition/export';
import type { ResolvedJob, ScheduleDef } from '../definition/types';
import { parseScheduleExpression } from './expression';

const py = (s: string) => JSON.stringify(s);

function pyDate(iso: string): string {
  const d = new Date(iso);
  return `datetime(${d.getUTCFullYear()}, ${d.getUTCMonth() + 1}, ${d.getUTCDate()}, ${d.getUTCHours()}, ${d.getUTCMinutes()}, ${d.getUTCSeconds()}, tzinfo=timezone.utc)`;
}

/**
 * "Copy as Python SDK Code" for a scheduled job: the same processor, run inside a PipelineSession as a
 * ProcessingStep of a Pipeline, upserted, then `put_triggers([PipelineSchedule(...)])`. What "Schedule Job…" creates.
 */
export function toPipelinePython(job: ResolvedJob, o: { pipelineName: string; stepName: string; schedule: ScheduleDef; scheduleRoleArn?: string; workspaceFolder?: string }): string {
  // Local paths relative to the workspace folder, run from there: the code's S3 key hashes the path as given.
  // (In v2's spelling for every job: the v3 pipeline classes are not exported yet, see README "SDK v2 and v3".)
  let code = toPythonSdk({ ...job, sdk: 'v2' }, undefined, { workspaceFolder: o.workspaceFolder });
  code = code.replace(/^session = sagemaker\.Session\(/m, 'session = PipelineSession(');
  code = code.replace(/^processor\.run\(/m, 'step_args = processor.run(');
  code = code.replace(/^ {4}job_name=.*\n/m, '').replace(/^ {4}wait=False,\n/m, '');
  // Outputs without a destination of their own: the SDK gives each execution its own prefix.
  for (const out of job.outputs) {
    if (out.destination.startsWith(`s3://${job.bucket}/${job.jobName}/output/`)) code = code.replace(`, destination=${py(out.destination)}`, '');
  }
  const s = o.schedule;
  const e = parseScheduleExpression(s.expression);
  const when = e.kind === 'cron' ? `cron=${py(e.text.trim().slice(5, -1))}` : e.kind === 'rate' ? `rate=(${e.value}, ${py(e.value === 1 ? e.unit : `${e.unit}s`)})` : `at=${pyDate(`${e.text.trim().slice(3, -1)}Z`)}`;
  const trigger = [`name=${py(o.pipelineName)}`, when, `enabled=${s.enabled === false ? 'False' : 'True'}`, ...(s.start ? [`start_date=${pyDate(s.start)}`] : [])].join(', ');
  const L = [
    code.trimEnd(),
    '',
    `step = ProcessingStep(name=${py(o.stepName)}, step_args=step_args)`,
    `pipeline = Pipeline(name=${py(o.pipelineName)}, steps=[step], sagemaker_session=session)`,
    `pipeline.upsert(role_arn=${py(job.role)})`,
    '',
    '# EventBridge Scheduler starts the pipeline; this role must allow sagemaker:StartPipelineExecution.',
    `pipeline.put_triggers([PipelineSchedule(${trigger})], role_arn=${py(o.scheduleRoleArn ?? s.role ?? job.role)})`,
  ];
  if ((s.timezone && s.timezone !== 'UTC') || s.end) {
    L.push(
      '',
      '# PipelineSchedule has no time zone or end date: set them on the schedule put_triggers created.',
      'scheduler = boto3.client("scheduler", region_name=session.boto_region_name)',
      `current = scheduler.get_schedule(Name=${py(o.pipelineName)})`,
      'scheduler.update_schedule(',
      '    Name=current["Name"],',
      '    ScheduleExpression=current["ScheduleExpression"],',
      ...(s.timezone && s.timezone !== 'UTC' ? [`    ScheduleExpressionTimezone=${py(s.timezone)},`] : []),
      ...(s.end ? [`    EndDate=${pyDate(s.end)},`] : []),
      '    FlexibleTimeWindow=current["FlexibleTimeWindow"],',
      '    Target=current["Target"],',
      '    State=current["State"],',
      '    StartDate=current["StartDate"],',
      ')',
    );
  }
  const imports = [
    ...(L.some((l) => l.includes('boto3.')) ? ['import boto3'] : []),
    ...(L.some((l) => l.includes('datetime(')) ? ['from datetime import datetime, timezone'] : []),
    'from sagemaker.workflow.pipeline import Pipeline',
    'from sagemaker.workflow.pipeline_context import PipelineSession',
    'from sagemaker.workflow.steps import ProcessingStep',
    'from sagemaker.workflow.triggers import PipelineSchedule',
  ];
  const text = L.join('\n');
  return text.replace(/^import sagemaker\n/, `import sagemaker\n${imports.join('\n')}\n`) + '\n';
}
