// A local run built from a processing job's own request (its DescribeProcessingJob answer), for a job that did not
// come from this workspace's definition file (the SageMaker Python SDK, the console, another person): the same image,
// entrypoint, arguments, environment, S3 inputs at their container paths and outputs, one container per instance.
// What a local container cannot reproduce is said, never silently dropped. Pure: the S3 listing and the choice
// between a workspace file and a download of the code are src/local/replayJob.ts's.
import * as path from 'node:path';
import type { ContainerInput, ContainerSpec } from '../definition/containerSpec';
import { CODE_INPUT, ENTRYPOINT_INPUT } from '../definition/layout';
import type { ProcessingJobDescriptionLike } from '../jobDetails';
import { t } from '../l10n';

export interface ReplayPlan {
  /** Every S3 input as an `s3` source; the code inputs are replaced by src/local/replayJob.ts. */
  spec: ContainerSpec;
  /** The inputs holding the job's code: named code/entrypoint, or the folder an entrypoint element lies in. */
  codeInputs: string[];
  /** What the local run does not reproduce, one sentence each. */
  notes: string[];
  /** The job let its containers reach the network (no EnableNetworkIsolation). */
  allowNetwork: boolean;
  roleArn?: string;
}

function under(file: string, dir: string): boolean {
  const d = dir.replace(/\/+$/, '');
  return file.startsWith(d + '/');
}

/**
 * The local run of a described job, named `localName`. Throws when the request has nothing to run (no image).
 */
export function replayPlan(d: ProcessingJobDescriptionLike, localName: string): ReplayPlan {
  const app = d.AppSpecification ?? {};
  const job = d.ProcessingJobName ?? '?';
  if (!app.ImageUri) throw new Error(t('The request of {0} names no image, so there is nothing to run locally.', job));
  const notes: string[] = [];
  const cluster = d.ProcessingResources?.ClusterConfig ?? {};
  const entry = [...(app.ContainerEntrypoint ?? []), ...(app.ContainerArguments ?? [])];
  const inputs: ContainerInput[] = [];
  const codeInputs: string[] = [];
  for (const i of d.ProcessingInputs ?? []) {
    const name = i.InputName ?? `input-${inputs.length + 1}`;
    const s3 = i.S3Input;
    if (!s3?.S3Uri || !s3.LocalPath) {
      notes.push(i.DatasetDefinition
        ? t('Input "{0}" is a dataset definition (an Athena or Redshift query): it is not run locally, so the input is missing.', name)
        : t('Input "{0}" has no S3 location: it is left out.', name));
      continue;
    }
    if (s3.S3DataType === 'ManifestFile') {
      notes.push(t('Input "{0}" is a manifest file ({1}): the objects it lists are not fetched locally, so the input is missing.', name, s3.S3Uri));
      continue;
    }
    if (s3.S3InputMode === 'Pipe') notes.push(t('Input "{0}" is read in Pipe mode on SageMaker; locally its objects are downloaded as files to {1} (no FIFO).', name, s3.LocalPath));
    else if (s3.S3InputMode === 'FastFile') notes.push(t('Input "{0}" is streamed (FastFile) on SageMaker; locally its objects are downloaded before the script starts.', name));
    if (s3.S3DataDistributionType === 'ShardedByS3Key' && (cluster.InstanceCount ?? 1) > 1) notes.push(t('Input "{0}" is sharded by S3 key across instances on SageMaker; locally every instance gets all of it.', name));
    if (s3.S3CompressionType === 'Gzip') notes.push(t('Input "{0}" is Gzip-compressed for Pipe mode; locally the objects are not decompressed.', name));
    const isCode = name === CODE_INPUT || name === ENTRYPOINT_INPUT || entry.some((e) => under(e, s3.LocalPath!));
    if (isCode) codeInputs.push(name);
    inputs.push({ name, source: { kind: 's3', uri: s3.S3Uri }, destination: s3.LocalPath.replace(/\/+$/, '') });
  }
  const outputs: ContainerSpec['outputs'] = [];
  for (const o of d.ProcessingOutputConfig?.Outputs ?? []) {
    const name = o.OutputName ?? `output-${outputs.length + 1}`;
    if (!o.S3Output?.LocalPath) {
      notes.push(o.FeatureStoreOutput
        ? t('Output "{0}" goes to a Feature Store feature group: it is not written locally.', name)
        : t('Output "{0}" has no local path: it is left out.', name));
      continue;
    }
    outputs.push({ name, source: o.S3Output.LocalPath, destination: o.S3Output.S3Uri ?? '' });
    if (o.S3Output.S3UploadMode === 'Continuous') notes.push(t('Output "{0}" is uploaded continuously on SageMaker; locally it is copied once the run ends.', name));
  }
  if (outputs.length) notes.push(t('The outputs stay on this machine (under .sagemaker-local): they are not uploaded to the job\'s S3 destinations, so the job\'s own outputs are left as they are.'));
  notes.push(t('It runs on this machine\'s CPU and memory, not on {0} × {1}.', cluster.InstanceType ?? '?', cluster.InstanceCount ?? 1));
  if (d.RoleArn) notes.push(t('AWS calls made by the script use this machine\'s credentials, not the job\'s role {0}.', d.RoleArn));
  const net = d.NetworkConfig;
  if (net?.VpcConfig?.Subnets?.length) notes.push(t('The job ran in a VPC (subnets {0}); locally the container has this machine\'s network, so VPC-only endpoints may not be reachable.', net.VpcConfig.Subnets.join(', ')));
  if (cluster.VolumeKmsKeyId || d.ProcessingOutputConfig?.KmsKeyId) notes.push(t('KMS keys of the job (volume or outputs) are not used locally.'));
  if (d.StoppingCondition?.MaxRuntimeInSeconds) notes.push(t('The maximum runtime ({0} s) is not enforced locally.', d.StoppingCondition.MaxRuntimeInSeconds));
  const isolated = net?.EnableNetworkIsolation === true;
  return {
    spec: {
      jobName: localName,
      image: app.ImageUri,
      imageSource: 'image',
      entrypoint: [...(app.ContainerEntrypoint ?? [])],
      arguments: [...(app.ContainerArguments ?? [])],
      environment: { ...(d.Environment ?? {}) },
      inputs,
      outputs,
      instanceType: cluster.InstanceType ?? 'local',
      instanceCount: Math.max(1, cluster.InstanceCount ?? 1),
      networkIsolation: isolated,
    },
    codeInputs,
    notes,
    allowNetwork: !isolated,
    ...(d.RoleArn ? { roleArn: d.RoleArn } : {}),
  };
}

/**
 * The workspace root that holds a code input's objects: each object (its path relative to the input) found at
 * `root/<relative>` by `locate`, all under the same root. undefined when any object has no workspace counterpart.
 */
export function workspaceRootFor(objects: { relative: string; size: number }[], locate: (relative: string, size: number) => string | undefined): string | undefined {
  let root: string | undefined;
  for (const o of objects) {
    const file = locate(o.relative, o.size);
    if (!file) return undefined;
    const parts = o.relative.split('/');
    let r = file;
    for (let n = 0; n < parts.length; n++) r = path.dirname(r);
    if (path.join(r, ...parts) !== path.normalize(file)) return undefined;
    if (root !== undefined && root !== r) return undefined;
    root = r;
  }
  return root;
}
