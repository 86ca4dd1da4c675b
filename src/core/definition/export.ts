import { CODE_DIR } from './layout';
import type { ProcessingJobRequest } from './request';
import { baseNameFromImage } from './naming';
import type { ResolvedJob } from './types';

/** The SDK estimator class FrameworkProcessor is given per framework (it decides the default job name). */
const ESTIMATORS: Record<string, { module: string; cls: string; version: string }> = {
  sklearn: { module: 'sagemaker.sklearn.estimator', cls: 'SKLearn', version: '1.2-1' },
  xgboost: { module: 'sagemaker.xgboost.estimator', cls: 'XGBoost', version: '1.7-1' },
  pytorch: { module: 'sagemaker.pytorch.estimator', cls: 'PyTorch', version: '2.2.0' },
  tensorflow: { module: 'sagemaker.tensorflow.estimator', cls: 'TensorFlow', version: '2.14.1' },
};

function py(v: unknown): string {
  if (v === undefined || v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(py).join(', ')}]`;
  return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)}: ${py(x)}`).join(', ')}}`;
}

/** A runnable SageMaker Python SDK snippet (ScriptProcessor, or FrameworkProcessor for sourceDir jobs) for the job. */
export function toPythonSdk(job: ResolvedJob, baseJobName?: string): string {
  const L: string[] = [];
  const est = ESTIMATORS[job.frameworkName ?? 'sklearn'] ?? ESTIMATORS.sklearn;
  L.push('import sagemaker');
  L.push('from sagemaker.processing import ProcessingInput, ProcessingOutput' + (job.sourceDir ? ', FrameworkProcessor' : job.spark ? '' : ', ScriptProcessor'));
  if (job.spark) L.push('from sagemaker.spark.processing import PySparkProcessor');
  if (job.sourceDir) L.push(`from ${est.module} import ${est.cls}`);
  if (job.network) L.push('from sagemaker.network import NetworkConfig');
  L.push('');
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
  if (Object.keys(job.environment).length) common.push(`    env=${py(job.environment)},`);
  if (Object.keys(job.tags).length) common.push(`    tags=${py(Object.entries(job.tags).map(([Key, Value]) => ({ Key, Value })))},`);
  if (job.volumeKmsKeyId) common.push(`    volume_kms_key=${py(job.volumeKmsKeyId)},`);
  if (job.outputKmsKeyId) common.push(`    output_kms_key=${py(job.outputKmsKeyId)},`);
  if (job.network) {
    const n = job.network;
    const args = [
      n.enableNetworkIsolation !== undefined ? `enable_network_isolation=${py(n.enableNetworkIsolation)}` : '',
      n.enableInterContainerTrafficEncryption !== undefined ? `encrypt_inter_container_traffic=${py(n.enableInterContainerTrafficEncryption)}` : '',
      n.subnets?.length ? `subnets=${py(n.subnets)}` : '',
      n.securityGroups?.length ? `security_group_ids=${py(n.securityGroups)}` : '',
    ].filter(Boolean);
    common.push(`    network_config=NetworkConfig(${args.join(', ')}),`);
  }
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
    L.push(`    source_dir=${py(job.sourceDir)},`);
  } else if (job.spark) {
    const sp = job.spark;
    L.push(`    submit_app=${py(job.scriptPath)},`);
    if (sp.pyFiles.length) L.push(`    submit_py_files=${py(sp.pyFiles)},`);
    if (sp.jars.length) L.push(`    submit_jars=${py(sp.jars)},`);
    if (sp.files.length) L.push(`    submit_files=${py(sp.files)},`);
    if (sp.configuration) L.push(`    configuration=${py(sp.configuration)},`);
    if (sp.eventLogsS3Uri) L.push(`    spark_event_logs_s3_uri=${py(sp.eventLogsS3Uri)},`);
  } else L.push(`    code=${py(job.scriptPath)},`);
  if (job.inputs.length) {
    L.push('    inputs=[');
    for (const i of job.inputs) {
      const src = i.source.kind === 's3' ? i.source.uri : i.source.kind === 'local' ? i.source.path : '';
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
      L.push(`        ProcessingOutput(output_name=${py(o.name)}, source=${py(o.source)}, destination=${py(o.destination)}${o.uploadMode !== 'EndOfJob' ? `, s3_upload_mode=${py(o.uploadMode)}` : ''}),`);
    }
    L.push('    ],');
  }
  if (job.arguments.length) L.push(`    arguments=${py(job.arguments)},`);
  L.push(`    job_name=${py(job.jobName)},`);
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
