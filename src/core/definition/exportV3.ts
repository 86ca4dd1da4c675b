import { CODE_DIR, defaultOutputUri } from './layout';
import type { ResolvedJob } from './types';
import { processorOptionLines, py } from './exportPython';

// "Copy as Python SDK Code" in the SageMaker Python SDK v3's spelling (sagemaker.core): ScriptProcessor,
// FrameworkProcessor(image_uri=…, command=…) for sourceDir jobs, PySparkProcessor for Spark; inputs and outputs as the
// API's shapes (ProcessingS3Input / ProcessingS3Output), each named, with its data type, input mode and upload mode.


export interface ExportOptions {
  baseJobName: string;
  rel: (p: string) => string;
  jobName?: string;
  workspaceFolder?: string;
}

export function toPythonSdkV3(job: ResolvedJob, o: ExportOptions): string {
  const local = (p: string) => (/^s3a?:\/\//.test(p) ? p : o.rel(p));
  const L: string[] = [];
  L.push('from sagemaker.core.helper.session_helper import Session');
  if (job.sourceDir) L.push('from sagemaker.core.processing import FrameworkProcessor');
  else if (job.spark) L.push('from sagemaker.core.spark.processing import PySparkProcessor');
  else L.push('from sagemaker.core.processing import ScriptProcessor');
  L.push('from sagemaker.core.shapes import ProcessingInput, ProcessingOutput, ProcessingS3Input, ProcessingS3Output');
  if (job.network) L.push('from sagemaker.core.network import NetworkConfig');
  L.push('');
  if (o.workspaceFolder) L.push('# Local paths are relative to the workspace folder: run this from there.');
  const sessionArgs = [job.bucketGenerated ? '' : `default_bucket=${py(job.bucket)}`, job.bucketPrefix ? `default_bucket_prefix=${py(job.bucketPrefix)}` : ''].filter(Boolean);
  L.push(`session = Session(${sessionArgs.join(', ')})`);
  L.push('');
  L.push(`processor = ${job.sourceDir ? 'FrameworkProcessor' : job.spark ? 'PySparkProcessor' : 'ScriptProcessor'}(`);
  L.push(`    image_uri=${py(job.image)},`);
  if (!job.spark) L.push(`    command=${py(job.command)},`);
  L.push(`    role=${py(job.role)},`, `    instance_type=${py(job.instanceType)},`, `    instance_count=${job.instanceCount},`, `    volume_size_in_gb=${job.volumeSizeGB},`);
  if (job.maxRuntimeSeconds) L.push(`    max_runtime_in_seconds=${job.maxRuntimeSeconds},`);
  L.push(`    base_job_name=${py(o.baseJobName)},`);
  L.push(...processorOptionLines(job));
  L.push('    sagemaker_session=session,', ')', '');
  L.push('processor.run(');
  if (job.sourceDir) {
    L.push(`    code=${py(job.scriptInSourceDir ?? job.scriptBasename)},`, `    source_dir=${py(o.rel(job.sourceDir))},`);
  } else if (job.spark) {
    const sp = job.spark;
    L.push(`    submit_app=${py(o.rel(job.scriptPath))},`);
    if (sp.pyFiles.length) L.push(`    submit_py_files=${py(sp.pyFiles.map(local))},`);
    if (sp.jars.length) L.push(`    submit_jars=${py(sp.jars.map(local))},`);
    if (sp.files.length) L.push(`    submit_files=${py(sp.files.map(local))},`);
    if (sp.configuration) L.push(`    configuration=${py(sp.configuration)},`);
    if (sp.eventLogsS3Uri) L.push(`    spark_event_logs_s3_uri=${py(sp.eventLogsS3Uri)},`);
  } else L.push(`    code=${py(o.rel(job.scriptPath))},`);
  if (job.inputs.length) {
    L.push('    inputs=[');
    for (const i of job.inputs) {
      const src = i.source.kind === 's3' ? i.source.uri : i.source.kind === 'local' ? o.rel(i.source.path) : '';
      L.push(`        ProcessingInput(input_name=${py(i.name)}, s3_input=ProcessingS3Input(s3_uri=${py(src)}, local_path=${py(i.destination)}, s3_data_type=${py(i.dataType)}, s3_input_mode=${py(i.inputMode)}, s3_data_distribution_type=${py(i.distribution)}, s3_compression_type=${py(i.compression)})),`);
    }
    L.push('    ],');
  }
  if (job.outputs.length) {
    L.push('    outputs=[');
    for (const out of job.outputs) {
      // The default location holds this run's name: given the container path, the SDK makes it for each run.
      const dest = out.destination === defaultOutputUri(job.bucket, job.bucketPrefix ? `${job.bucketPrefix}/${job.jobName}` : job.jobName, out.name) ? out.source : out.destination;
      L.push(`        ProcessingOutput(output_name=${py(out.name)}, s3_output=ProcessingS3Output(s3_uri=${py(dest)}, local_path=${py(out.source)}, s3_upload_mode=${py(out.uploadMode)})),`);
    }
    L.push('    ],');
  }
  if (job.arguments.length) L.push(`    arguments=${py(job.arguments)},`);
  if (o.jobName) L.push(`    job_name=${py(o.jobName)},`);
  if (job.experimentConfig) L.push(`    experiment_config=${py(job.experimentConfig)},`);
  if (job.kmsKey) L.push(`    kms_key=${py(job.kmsKey)},`);
  L.push('    wait=False,', '    logs=False,', ')');
  if (!job.sourceDir && !job.spark) L.push(`# The script runs as: ${[...job.command, `${CODE_DIR}/${job.scriptBasename}`].join(' ')}`);
  return L.join('\n') + '\n';
}
