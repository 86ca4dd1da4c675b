import { CODE_DIR, defaultOutputUri } from './layout';
import type { ProcessingJobRequest } from './request';
import { baseNameFromImage } from './naming';
import type { ResolvedJob } from './types';
import { toPythonSdkV3 } from './exportV3';
import { processorOptionLines, py } from './exportPython';

/** The SDK estimator class FrameworkProcessor is given per framework (it decides the default job name). */
const ESTIMATORS: Record<string, { module: string; cls: string; version: string }> = {
  sklearn: { module: 'sagemaker.sklearn.estimator', cls: 'SKLearn', version: '1.2-1' },
  xgboost: { module: 'sagemaker.xgboost.estimator', cls: 'XGBoost', version: '1.7-1' },
  pytorch: { module: 'sagemaker.pytorch.estimator', cls: 'PyTorch', version: '2.2.0' },
  tensorflow: { module: 'sagemaker.tensorflow.estimator', cls: 'TensorFlow', version: '2.14.1' },
};


/** `census-2026-11-27-10-00-00-000` → `census` (the SDK appends its own timestamp to base_job_name). */
function jobNameBase(jobName: string): string {
  return jobName.replace(/-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-\d{3}$/, '') || jobName;
}

/** A local path as the snippet writes it: relative to the workspace folder (posix), absolute only when outside it. */
export function localPath(p: string, workspaceFolder: string | undefined): string {
  if (!workspaceFolder) return p;
  const norm = (x: string) => x.replace(/\\/g, '/').replace(/\/+$/, '');
  const ws = norm(workspaceFolder);
  const f = norm(p);
  if (f === ws) return '.';
  return f.startsWith(`${ws}/`) ? f.slice(ws.length + 1) : p;
}

/**
 * A runnable SageMaker Python SDK snippet (ScriptProcessor, or FrameworkProcessor for sourceDir jobs) for the job.
 * It can run again and again: the SDK names each run from `base_job_name` (no fixed `job_name`), default output
 * locations are left to the SDK (they hold the job name), and with `workspaceFolder` local paths are relative to it.
 */
export function toPythonSdk(job: ResolvedJob, baseJobName?: string, opts: { workspaceFolder?: string; jobName?: string } = {}): string {
  const rel = (p: string) => localPath(p, opts.workspaceFolder);
  const local = (p: string) => (/^s3a?:\/\//.test(p) ? p : rel(p));
  baseJobName = baseJobName || jobNameBase(job.jobName);
  if (job.sdk === 'v3') return toPythonSdkV3(job, { baseJobName, rel, jobName: opts.jobName, workspaceFolder: opts.workspaceFolder });
  const L: string[] = [];
  const est = ESTIMATORS[job.frameworkName ?? 'sklearn'] ?? ESTIMATORS.sklearn;
  L.push('import sagemaker');
  L.push('from sagemaker.processing import ProcessingInput, ProcessingOutput' + (job.sourceDir ? ', FrameworkProcessor' : job.spark ? '' : ', ScriptProcessor'));
  if (job.spark) L.push('from sagemaker.spark.processing import PySparkProcessor');
  if (job.sourceDir) L.push(`from ${est.module} import ${est.cls}`);
  if (job.network) L.push('from sagemaker.network import NetworkConfig');
  L.push('');
  if (opts.workspaceFolder) L.push('# Local paths are relative to the workspace folder: run this from there.');
  const sessionArgs = [job.bucketGenerated ? '' : `default_bucket=${py(job.bucket)}`, job.bucketPrefix ? `default_bucket_prefix=${py(job.bucketPrefix)}` : ''].filter(Boolean);
  L.push(`session = sagemaker.Session(${sessionArgs.join(', ')})`);
  L.push('');
  const common: string[] = [
    `    role=${py(job.role)},`,
    `    instance_type=${py(job.instanceType)},`,
    `    instance_count=${job.instanceCount},`,
    `    volume_size_in_gb=${job.volumeSizeGB},`,
  ];
  if (job.maxRuntimeSeconds) common.push(`    max_runtime_in_seconds=${job.maxRuntimeSeconds},`);
  // FrameworkProcessor names jobs after its estimator's framework; give the image's name when there is no framework.
  const base = baseJobName ?? (job.sourceDir && !job.frameworkName ? baseNameFromImage(job.image) : undefined);
  if (base) common.push(`    base_job_name=${py(base)},`);
  common.push(...processorOptionLines(job));
  common.push('    sagemaker_session=session,');
  if (job.sourceDir) {
    L.push('processor = FrameworkProcessor(');
    L.push(`    estimator_cls=${est.cls},  # only packs source_dir; image_uri below is what runs`);
    L.push(`    framework_version=${py(est.version)},`);
    L.push(`    image_uri=${py(job.image)},`);
    L.push(`    command=${py(job.command)},`);
  } else if (job.spark) {
    L.push('processor = PySparkProcessor(');
    L.push(`    image_uri=${py(job.image)},`);
  } else {
    L.push('processor = ScriptProcessor(');
    L.push(`    image_uri=${py(job.image)},`);
    L.push(`    command=${py(job.command)},`);
  }
  L.push(...common, ')', '');
  L.push('processor.run(');
  if (job.sourceDir) {
    L.push(`    code=${py(job.scriptInSourceDir ?? job.scriptBasename)},`);
    L.push(`    source_dir=${py(rel(job.sourceDir))},`);
  } else if (job.spark) {
    const sp = job.spark;
    L.push(`    submit_app=${py(rel(job.scriptPath))},`);
    if (sp.pyFiles.length) L.push(`    submit_py_files=${py(sp.pyFiles.map(local))},`);
    if (sp.jars.length) L.push(`    submit_jars=${py(sp.jars.map(local))},`);
    if (sp.files.length) L.push(`    submit_files=${py(sp.files.map(local))},`);
    if (sp.configuration) L.push(`    configuration=${py(sp.configuration)},`);
    if (sp.eventLogsS3Uri) L.push(`    spark_event_logs_s3_uri=${py(sp.eventLogsS3Uri)},`);
  } else L.push(`    code=${py(rel(job.scriptPath))},`);
  if (job.inputs.length) {
    L.push('    inputs=[');
    for (const i of job.inputs) {
      const src = i.source.kind === 's3' ? i.source.uri : i.source.kind === 'local' ? rel(i.source.path) : '';
      const extra = [
        i.inputMode !== 'File' ? `, s3_input_mode=${py(i.inputMode)}` : '',
        i.dataType !== 'S3Prefix' ? `, s3_data_type=${py(i.dataType)}` : '',
        i.distribution !== 'FullyReplicated' ? `, s3_data_distribution_type=${py(i.distribution)}` : '',
        i.compression !== 'None' ? `, s3_compression_type=${py(i.compression)}` : '',
      ].join('');
      L.push(`        ProcessingInput(input_name=${py(i.name)}, source=${py(src)}, destination=${py(i.destination)}${extra}),`);
    }
    L.push('    ],');
  }
  if (job.outputs.length) {
    L.push('    outputs=[');
    for (const o of job.outputs) {
      // The default location holds this run's name: the SDK makes it for each run when destination is left out.
      const dest = o.destination === defaultOutputUri(job.bucket, job.jobName, o.name) ? '' : `, destination=${py(o.destination)}`;
      L.push(`        ProcessingOutput(output_name=${py(o.name)}, source=${py(o.source)}${dest}${o.uploadMode !== 'EndOfJob' ? `, s3_upload_mode=${py(o.uploadMode)}` : ''}),`);
    }
    L.push('    ],');
  }
  if (job.arguments.length) L.push(`    arguments=${py(job.arguments)},`);
  // Only an explicit jobName is passed: a generated (timestamped) one would clash when the code runs twice.
  if (opts.jobName) L.push(`    job_name=${py(opts.jobName)},`);
  if (job.experimentConfig) L.push(`    experiment_config=${py(job.experimentConfig)},`);
  if (job.kmsKey) L.push(`    kms_key=${py(job.kmsKey)},`);
  L.push('    wait=False,');
  L.push(')');
  if (!job.sourceDir && !job.spark) L.push(`# The script runs as: ${[...job.command, `${CODE_DIR}/${job.scriptBasename}`].join(' ')}`);
  return L.join('\n') + '\n';
}

/** `aws sagemaker create-processing-job --cli-input-json file://request.json` input: the request itself. */
export function toCliInputJson(req: ProcessingJobRequest): string {
  return JSON.stringify(req, null, 2) + '\n';
}
