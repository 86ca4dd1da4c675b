import { applyEdits, modify, parse } from 'jsonc-parser';
import type { DefinitionFile, InputDef, JobDefinition, OutputDef } from './definition/types';
import type { ProcessingJobDescriptionLike } from './jobDetails';
import { t } from './l10n';

const TIMESTAMP_SUFFIX = /-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-\d{3}$/;
const CODE_DIR = '/opt/ml/processing/input/code/';
const GENERATED_INPUTS = new Set(['code', 'entrypoint']);

/** The base a job name was made from (`census-2026-11-27-10-00-00-000` → `census`). */
export function baseJobName(jobName: string): string {
  return jobName.replace(TIMESTAMP_SUFFIX, '') || jobName;
}

/** `YYYY-MM-DD-HH-MM-SS-mmm` in UTC, like the SageMaker Python SDK. */
export function nameTimestamp(now: Date): string {
  return now.toISOString().replace(/T/, '-').replace(/:/g, '-').replace(/\./, '-').replace(/Z$/, '');
}

/** A fresh job name: `base[:63-len(ts)-1]-ts` (the SDK's scheme). */
export function rerunJobName(previousName: string, now: Date): string {
  const ts = nameTimestamp(now);
  const base = baseJobName(previousName).slice(0, 63 - ts.length - 1).replace(/-+$/, '') || 'processing-job';
  return `${base}-${ts}`;
}

/** The CreateProcessingJob request that runs the same job again under a new name. */
export function rerunRequest(d: ProcessingJobDescriptionLike, now: Date): Record<string, unknown> {
  const req: Record<string, unknown> = {
    ProcessingJobName: rerunJobName(d.ProcessingJobName ?? 'processing-job', now),
    RoleArn: d.RoleArn,
    AppSpecification: d.AppSpecification,
    ProcessingResources: d.ProcessingResources,
  };
  if (d.ProcessingInputs?.length) req.ProcessingInputs = d.ProcessingInputs;
  if (d.ProcessingOutputConfig?.Outputs?.length) req.ProcessingOutputConfig = d.ProcessingOutputConfig;
  if (d.Environment && Object.keys(d.Environment).length) req.Environment = d.Environment;
  if (d.StoppingCondition) req.StoppingCondition = d.StoppingCondition;
  if (d.NetworkConfig) req.NetworkConfig = d.NetworkConfig;
  return JSON.parse(JSON.stringify(req));
}

/** The note of a saved job whose script ran from S3 (planSaveAsDefinition drops it when the script is already there). */
export function scriptNote(script: string): string {
  return t('"script" is {0}: put the script at that path in the workspace folder (it ran from S3).', script);
}

/**
 * A past job as a job definition (the `jobs.<key>` entry of .vscode/sagemaker-processing.json). The generated `code`
 * and `entrypoint` inputs become `script`/`command`; outputs at the SDK's default location lose their destination so
 * a new run writes under its own name; defaults (File, S3Prefix, FullyReplicated, EndOfJob) are left out.
 */
export function jobToDefinition(d: ProcessingJobDescriptionLike): { key: string; job: JobDefinition; notes: string[] } {
  const notes: string[] = [];
  const name = d.ProcessingJobName ?? 'processing-job';
  const base = baseJobName(name);
  const job: JobDefinition = {};
  const app = d.AppSpecification ?? {};
  const entry = [...(app.ContainerEntrypoint ?? [])];
  const last = entry[entry.length - 1];
  if (last && last.startsWith(CODE_DIR) && !last.slice(CODE_DIR.length).includes('/')) {
    job.script = last.slice(CODE_DIR.length);
    entry.pop();
    notes.push(scriptNote(job.script));
  }
  if (app.ImageUri) job.image = app.ImageUri;
  if (entry.length) job.command = entry;
  if (d.RoleArn) job.role = d.RoleArn;
  const c = d.ProcessingResources?.ClusterConfig;
  if (c?.InstanceType) job.instanceType = c.InstanceType;
  if (c?.InstanceCount) job.instanceCount = c.InstanceCount;
  if (c?.VolumeSizeInGB) job.volumeSizeGB = c.VolumeSizeInGB;
  if (c?.VolumeKmsKeyId) job.volumeKmsKeyId = c.VolumeKmsKeyId;
  if (d.StoppingCondition?.MaxRuntimeInSeconds) job.maxRuntimeSeconds = d.StoppingCondition.MaxRuntimeInSeconds;
  const inputs: InputDef[] = [];
  for (const i of d.ProcessingInputs ?? []) {
    if (i.InputName && GENERATED_INPUTS.has(i.InputName)) continue;
    const s3 = i.S3Input;
    if (!s3?.S3Uri || !s3.LocalPath) {
      notes.push(t('input {0} is not an S3 input and was left out.', i.InputName ?? '?'));
      continue;
    }
    const input: InputDef = { source: s3.S3Uri, destination: s3.LocalPath };
    if (i.InputName) input.name = i.InputName;
    if (s3.S3InputMode && s3.S3InputMode !== 'File') input.inputMode = s3.S3InputMode as InputDef['inputMode'];
    if (s3.S3DataType && s3.S3DataType !== 'S3Prefix') input.dataType = s3.S3DataType as InputDef['dataType'];
    if (s3.S3DataDistributionType && s3.S3DataDistributionType !== 'FullyReplicated') input.distribution = s3.S3DataDistributionType as InputDef['distribution'];
    if (s3.S3CompressionType && s3.S3CompressionType !== 'None') input.compression = s3.S3CompressionType as InputDef['compression'];
    inputs.push(input);
  }
  if (inputs.length) job.inputs = inputs;
  const outputs: OutputDef[] = [];
  for (const o of d.ProcessingOutputConfig?.Outputs ?? []) {
    const s3 = o.S3Output;
    if (!s3?.LocalPath) continue;
    const output: OutputDef = { source: s3.LocalPath };
    if (o.OutputName) output.name = o.OutputName;
    const isDefault = !!s3.S3Uri && new RegExp(`^s3://[^/]+/${escapeRe(name)}/output/${escapeRe(o.OutputName ?? '')}/?$`).test(s3.S3Uri);
    if (s3.S3Uri && !isDefault) output.destination = s3.S3Uri;
    if (s3.S3UploadMode && s3.S3UploadMode !== 'EndOfJob') output.uploadMode = s3.S3UploadMode as OutputDef['uploadMode'];
    outputs.push(output);
  }
  if (outputs.length) job.outputs = outputs;
  if (app.ContainerArguments?.length) job.arguments = [...app.ContainerArguments];
  if (d.Environment && Object.keys(d.Environment).length) job.environment = { ...d.Environment };
  const net = d.NetworkConfig;
  if (net && (net.VpcConfig || net.EnableNetworkIsolation || net.EnableInterContainerTrafficEncryption)) {
    job.network = {};
    if (net.VpcConfig?.Subnets?.length) job.network.subnets = [...net.VpcConfig.Subnets];
    if (net.VpcConfig?.SecurityGroupIds?.length) job.network.securityGroups = [...net.VpcConfig.SecurityGroupIds];
    if (net.EnableNetworkIsolation) job.network.enableNetworkIsolation = true;
    if (net.EnableInterContainerTrafficEncryption) job.network.enableInterContainerTrafficEncryption = true;
  }
  if (d.ProcessingOutputConfig?.KmsKeyId) job.outputKmsKeyId = d.ProcessingOutputConfig.KmsKeyId;
  job.baseJobName = base;
  return { key: base, job, notes };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A key not yet used in `jobs` (`name`, `name-2`, …). */
export function uniqueKey(existing: Iterable<string>, wanted: string): string {
  const used = new Set(existing);
  if (!used.has(wanted)) return wanted;
  for (let i = 2; ; i++) if (!used.has(`${wanted}-${i}`)) return `${wanted}-${i}`;
}

/**
 * Adds a job to the text of a definition file (JSONC; comments and formatting kept), creating the file's skeleton when
 * the text is empty. Returns the new text and the key used.
 */
export function addJobToDefinitionText(text: string | undefined, wantedKey: string, job: JobDefinition): { text: string; key: string } {
  const fmt = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };
  let src = text && text.trim() ? text : '';
  if (!src) {
    const skeleton: DefinitionFile = { version: '1', jobs: {} };
    src = JSON.stringify(skeleton, null, 2) + '\n';
  }
  const parsed = parse(src, [], { allowTrailingComma: true }) as Partial<DefinitionFile> | undefined;
  if (!parsed || typeof parsed !== 'object') throw new Error(t('The job definition file is not a JSON object.'));
  const key = uniqueKey(Object.keys(parsed.jobs ?? {}), wantedKey);
  if (!parsed.jobs || typeof parsed.jobs !== 'object') src = applyEdits(src, modify(src, ['jobs'], {}, fmt));
  if (!parsed.version) src = applyEdits(src, modify(src, ['version'], '1', fmt));
  src = applyEdits(src, modify(src, ['jobs', key], job, fmt));
  return { text: src, key };
}
