// Compare Runs: two processing jobs (or a job and the current definition) as normalised JSON, so a diff editor shows
// only what changed between them: image, arguments, inputs, outputs, environment, resources and the code objects.
import type { ProcessingJobDescriptionLike } from './jobDetails';
import type { JobSummary } from './jobs';
import { baseJobName } from './jobToDefinition';
import { parseS3Uri } from './s3uri';

/** What is known beyond the request itself: code objects' ETags by S3 URI (HeadObject, or the MD5 of a local file). */
export interface CompareExtras {
  etags?: Record<string, string>;
  /**
   * How the run went (duration, cost, peak CPU and memory: src/core/jobPage/cost.ts runNumbers), shown first under
   * `run` so the numbers sit side by side above the request's diff. Not part of the request; absent for a definition.
   */
  run?: Record<string, unknown>;
}

/** The inputs holding the job's code (the script, or sourcedir + runproc.sh): their S3 objects get an ETag. */
export const CODE_INPUTS = ['code', 'entrypoint'] as const;

/** The S3 URIs of a request's code objects (to HeadObject for their ETags). */
export function codeObjectUris(r: ProcessingJobDescriptionLike): string[] {
  return (r.ProcessingInputs ?? [])
    .filter((i) => (CODE_INPUTS as readonly string[]).includes(i.InputName ?? '') && i.S3Input?.S3Uri && parseS3Uri(i.S3Input.S3Uri)?.key)
    .map((i) => i.S3Input!.S3Uri!);
}

/**
 * The job's script when its code is one text file (the `code` input of a script job; a `sourceDir` job's code is an
 * archive, which is not shown as text): its S3 URI and file name. undefined otherwise.
 */
export function scriptCodeObject(r: ProcessingJobDescriptionLike): { uri: string; fileName: string } | undefined {
  const code = (r.ProcessingInputs ?? []).find((i) => i.InputName === 'code');
  const uri = code?.S3Input?.S3Uri;
  const key = uri ? parseS3Uri(uri)?.key : undefined;
  if (!uri || !key || /\.(tar\.gz|tgz|zip|tar)$/i.test(key) || key.endsWith('/')) return undefined;
  return { uri, fileName: key.slice(key.lastIndexOf('/') + 1) };
}

/** What reads an S3 object's text (src/aws/s3.ts S3Api.getObjectText). */
export interface ObjectTextReader {
  getObjectText(bucket: string, key: string, maxBytes?: number): Promise<string | undefined>;
}

/** The script a job ran, as text from its uploaded code object; undefined when it is not one text file or is gone. */
export async function jobScriptText(s3: ObjectTextReader, r: ProcessingJobDescriptionLike): Promise<{ fileName: string; text: string } | undefined> {
  const code = scriptCodeObject(r);
  const loc = code ? parseS3Uri(code.uri) : undefined;
  if (!code || !loc) return undefined;
  const text = await s3.getObjectText(loc.bucket, loc.key);
  return text === undefined ? undefined : { fileName: code.fileName, text };
}

/** An image URI's digest when it names one (`…@sha256:…`); a tag says nothing about what ran. */
export function imageDigest(uri: string | undefined): string | undefined {
  const m = /@(sha256:[0-9a-f]{64})$/.exec(uri ?? '');
  return m?.[1];
}

function sortedObject<T>(o: Record<string, T> | undefined): Record<string, T> | undefined {
  if (!o || !Object.keys(o).length) return undefined;
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

function strip<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * A request (CreateProcessingJob input or DescribeProcessingJob output) in a form meant for diffing: the job's own
 * name inside S3 URIs and paths becomes `${jobName}` (every run has another), inputs and outputs are keyed by name
 * and sorted, defaults stay visible (a changed default is a change), keys are in a fixed order.
 */
export function normaliseRequest(r: ProcessingJobDescriptionLike, extras: CompareExtras = {}): Record<string, unknown> {
  const name = r.ProcessingJobName;
  const generic = (s: string | undefined): string | undefined => (s && name ? s.split(name).join('${jobName}') : s);
  const app = r.AppSpecification ?? {};
  const cluster = r.ProcessingResources?.ClusterConfig ?? {};
  const inputs: Record<string, unknown> = {};
  for (const i of r.ProcessingInputs ?? []) {
    const s3 = i.S3Input ?? {};
    const key = i.InputName ?? `#${Object.keys(inputs).length + 1}`;
    inputs[key] = strip({
      source: generic(s3.S3Uri),
      destination: s3.LocalPath,
      inputMode: s3.S3InputMode,
      dataType: s3.S3DataType,
      distribution: s3.S3DataDistributionType,
      compression: s3.S3CompressionType,
      etag: s3.S3Uri ? extras.etags?.[s3.S3Uri] : undefined,
      datasetDefinition: i.DatasetDefinition ? 'yes' : undefined,
    });
  }
  const outputs: Record<string, unknown> = {};
  for (const o of r.ProcessingOutputConfig?.Outputs ?? []) {
    const key = o.OutputName ?? `#${Object.keys(outputs).length + 1}`;
    outputs[key] = strip({ source: o.S3Output?.LocalPath, destination: generic(o.S3Output?.S3Uri), uploadMode: o.S3Output?.S3UploadMode, featureStore: o.FeatureStoreOutput ? 'yes' : undefined });
  }
  const net = r.NetworkConfig;
  return strip({
    run: extras.run,
    image: strip({ uri: app.ImageUri, digest: imageDigest(app.ImageUri) }),
    entrypoint: app.ContainerEntrypoint ?? [],
    arguments: (app.ContainerArguments ?? []).map((a) => generic(a) ?? a),
    inputs: sortedObject(inputs) ?? {},
    outputs: sortedObject(outputs) ?? {},
    outputKmsKeyId: r.ProcessingOutputConfig?.KmsKeyId,
    environment: sortedObject(r.Environment) ?? {},
    resources: strip({
      instanceType: cluster.InstanceType,
      instanceCount: cluster.InstanceCount,
      volumeSizeGB: cluster.VolumeSizeInGB,
      volumeKmsKeyId: cluster.VolumeKmsKeyId,
      maxRuntimeSeconds: r.StoppingCondition?.MaxRuntimeInSeconds,
    }),
    role: r.RoleArn,
    network: net ? strip({
      enableNetworkIsolation: net.EnableNetworkIsolation,
      enableInterContainerTrafficEncryption: net.EnableInterContainerTrafficEncryption,
      subnets: net.VpcConfig?.Subnets ? [...net.VpcConfig.Subnets].sort() : undefined,
      securityGroups: net.VpcConfig?.SecurityGroupIds ? [...net.VpcConfig.SecurityGroupIds].sort() : undefined,
    }) : undefined,
  });
}

/** The normalised request as the text of a diff side. */
export function comparisonText(r: ProcessingJobDescriptionLike, extras: CompareExtras = {}): string {
  return JSON.stringify(normaliseRequest(r, extras), null, 2) + '\n';
}

/**
 * The run to compare a (failed) job with: the newest Completed job with the same base name (the definition's
 * `baseJobName`, i.e. the name without the SDK's timestamp) created before it. undefined when there is none.
 */
export function lastSuccessfulRun(job: Pick<JobSummary, 'name' | 'creationTime'>, jobs: readonly JobSummary[]): JobSummary | undefined {
  const base = baseJobName(job.name);
  let best: JobSummary | undefined;
  for (const j of jobs) {
    if (j.name === job.name || j.status !== 'Completed' || baseJobName(j.name) !== base) continue;
    if (j.creationTime.getTime() >= job.creationTime.getTime()) continue;
    if (!best || j.creationTime.getTime() > best.creationTime.getTime()) best = j;
  }
  return best;
}

/**
 * The definition jobs a past job most likely ran from: those whose `baseJobName` (or key) is the job's base name;
 * all jobs when none matches (the user picks).
 */
export function definitionJobsFor(jobName: string, jobs: Record<string, { baseJobName?: unknown } | undefined>, defaults?: { baseJobName?: unknown }): { keys: string[]; exact: boolean } {
  const base = baseJobName(jobName);
  const all = Object.keys(jobs);
  const exact = all.filter((k) => (jobs[k]?.baseJobName ?? defaults?.baseJobName ?? k) === base);
  if (exact.length) return { keys: exact, exact: true };
  return { keys: all, exact: false };
}
