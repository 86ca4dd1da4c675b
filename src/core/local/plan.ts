// The container layout of a local run, planned without touching the disk or the engine: which host folders are
// mounted where, the /opt/ml/config files SageMaker provides, the `run` arguments per instance and the output copies.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { ContainerSpec } from '../definition/containerSpec';
import { t } from '../l10n';
import { parseS3Uri } from '../s3uri';

export const LOCAL_LABEL = 'sagemaker-processing.local';
export const CONFIG_DIR = '/opt/ml/config';
export const LOCAL_OUTPUT_ROOT = '.sagemaker-local';

/** An input as it sits on the host once staged: a file, or a folder (with its entries, for nested mounts). */
export interface StagedInput {
  name: string;
  destination: string;
  kind: 'file' | 'dir';
  hostPath: string;
  /** true for folders we made (downloads, generated content): mount points may be created in them. */
  owned: boolean;
  /** Entry names of a folder (needed only when another mount lands inside it). */
  entries?: string[];
  /** A private copy the job may write to, as SageMaker's input folders are (the local SageMaker backend's downloads). */
  writable?: boolean;
}

export interface Mount {
  source: string;
  target: string;
  readonly: boolean;
}

export interface HostPlan {
  host: string;
  containerName: string;
  /** Staged /opt/ml/config for this host. */
  configDir: string;
  /** Staged output folders of this host, by output name. */
  outputDirs: Record<string, string>;
  mounts: Mount[];
  /** Full argument list for the container CLI (`run …`). */
  runArgs: string[];
}

export interface LocalPlan {
  runId: string;
  network: { mode: 'none' } | { mode: 'private'; name: string; internal: boolean } | { mode: 'default' };
  hosts: HostPlan[];
  /** Folders to create inside staged (owned) folders so that nested mount points exist. */
  mkdirs: string[];
  /** Files to write before the run (config JSON, env file). */
  files: Record<string, string>;
  envFile: string;
  warnings: string[];
}

export interface PlanOptions {
  runId: string;
  image: string;
  /** Our staging folder for this run (config, outputs, env file). */
  stageDir: string;
  inputs: StagedInput[];
  /** Allow network access (the definition asks for it); otherwise `none`, or an internal network for N > 1. */
  allowNetwork: boolean;
  roleArn?: string;
  region?: string;
  account?: string;
  /** Debug mode ("Debug Locally in Docker"): these hosts run this entrypoint, with these extra mounts (debugpy). */
  debug?: { hosts: string[]; entrypoint: string[]; mounts: Mount[] };
  /** Per-instance inputs (e.g. ShardedByS3Key): a host listed here gets these instead of `inputs`. */
  inputsByHost?: Record<string, StagedInput[]>;
  /** processingjobconfig.json as given (e.g. the real CreateProcessingJob request) instead of one derived from the spec. */
  jobConfig?: Record<string, unknown>;
}

export function hostNames(count: number): string[] {
  return Array.from({ length: Math.max(1, count) }, (_, i) => `algo-${i + 1}`);
}

/** /opt/ml/config/resourceconfig.json as SageMaker writes it on each instance. */
export function resourceConfig(current: string, hosts: string[], instanceType: string): Record<string, unknown> {
  return {
    current_host: current,
    current_instance_type: instanceType,
    current_group_name: 'homogeneousCluster',
    hosts,
    instance_groups: [{ instance_group_name: 'homogeneousCluster', instance_type: instanceType, hosts }],
    network_interface_name: 'eth0',
  };
}

/** /opt/ml/config/processingjobconfig.json: the job's description, as SageMaker hands it to the container. */
export function processingJobConfig(spec: ContainerSpec, opts: { roleArn?: string; region?: string; account?: string }): Record<string, unknown> {
  const arn = `arn:aws:sagemaker:${opts.region ?? 'local'}:${opts.account ?? '000000000000'}:processing-job/${spec.jobName.toLowerCase()}`;
  return {
    ProcessingJobArn: arn,
    ProcessingJobName: spec.jobName,
    AppSpecification: {
      ImageUri: spec.image,
      ContainerEntrypoint: spec.entrypoint,
      ...(spec.arguments.length ? { ContainerArguments: spec.arguments } : {}),
    },
    Environment: spec.environment,
    ProcessingInputs: spec.inputs.map((i) => ({
      InputName: i.name,
      AppManaged: false,
      S3Input: {
        LocalPath: i.destination,
        S3Uri: i.source.kind === 's3' ? i.source.uri : i.source.kind === 'local' ? `file://${i.source.path}` : 'generated://',
        S3DataType: 'S3Prefix',
        S3InputMode: 'File',
        S3DataDistributionType: 'FullyReplicated',
        S3CompressionType: 'None',
      },
    })),
    ProcessingOutputConfig: {
      Outputs: spec.outputs.map((o) => ({
        OutputName: o.name,
        AppManaged: false,
        S3Output: { S3Uri: o.destination, LocalPath: o.source, S3UploadMode: 'EndOfJob' },
      })),
    },
    ProcessingResources: { ClusterConfig: { InstanceCount: spec.instanceCount, InstanceType: spec.instanceType, VolumeSizeInGB: 30 } },
    NetworkConfig: { EnableNetworkIsolation: spec.networkIsolation, EnableInterContainerTrafficEncryption: false },
    ...(opts.roleArn ? { RoleArn: opts.roleArn } : {}),
    StoppingCondition: { MaxRuntimeInSeconds: 86400 },
  };
}

function normTarget(p: string): string {
  const n = path.posix.normalize(p);
  return n.length > 1 ? n.replace(/\/+$/, '') : n;
}

function isUnder(child: string, parent: string): boolean {
  const rel = path.posix.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.posix.isAbsolute(rel);
}

/** `KEY=VALUE` lines for `--env-file` (values stay off the command line). Multi-line values cannot be expressed. */
export function envFileText(env: Record<string, string>): string {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(t('environment: "{0}" is not a valid variable name', k));
    if (/[\r\n]/.test(v)) throw new Error(t('environment: the value of {0} has a line break, which a local run cannot pass', k));
    lines.push(`${k}=${v}`);
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}

/** One `--mount` value; fields with commas or quotes are CSV-quoted, as the CLI parses them. */
export function mountArg(m: Mount): string {
  const q = (s: string) => (/[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [`type=bind`, q(`source=${m.source}`), q(`target=${m.target}`), ...(m.readonly ? ['readonly'] : [])].join(',');
}

/**
 * Plans the mounts: inputs read-only at their destinations (private writable copies excepted) (a file lands in `destination/<basename>`), outputs as
 * writable empty folders, /opt/ml/config read-only. A read-only folder with another mount inside it cannot get the
 * inner mount point, so a user folder in that position is mounted entry by entry instead, and in folders we staged
 * the mount point is created beforehand.
 */
export function planMounts(inputs: StagedInput[], outputs: { target: string; source: string }[], configDir: string): { mounts: Mount[]; mkdirs: string[]; warnings: string[] } {
  type Cand = Mount & { input?: StagedInput };
  const cands: Cand[] = [];
  for (const i of inputs) {
    const target = normTarget(i.kind === 'file' ? path.posix.join(i.destination, path.basename(i.hostPath)) : i.destination);
    cands.push({ source: i.hostPath, target, readonly: !(i.owned && i.writable), input: i });
  }
  for (const o of outputs) cands.push({ source: o.source, target: normTarget(o.target), readonly: false });
  cands.push({ source: configDir, target: CONFIG_DIR, readonly: true });

  const seen = new Map<string, Cand>();
  for (const c of cands) {
    const prev = seen.get(c.target);
    if (prev) throw new Error(t('two mounts land at {0} ({1} and {2})', c.target, prev.input?.name ?? prev.source, c.input?.name ?? c.source));
    seen.set(c.target, c);
  }
  const mounts: Mount[] = [];
  const mkdirs: string[] = [];
  const warnings: string[] = [];
  for (const c of cands) {
    const inner = cands.filter((o) => o !== c && isUnder(o.target, c.target));
    const userDir = c.input && c.input.kind === 'dir' && !c.input.owned;
    if (!inner.length || !c.readonly) {
      mounts.push({ source: c.source, target: c.target, readonly: c.readonly });
      // A writable staged folder gets its inner mount points created by the runtime; nothing to do.
      continue;
    }
    if (!userDir) {
      // Our own staged folder: create the inner mount points in it before the run.
      for (const o of inner) mkdirs.push(path.join(c.source, ...path.posix.relative(c.target, o.target).split('/')));
      mounts.push({ source: c.source, target: c.target, readonly: c.readonly });
      continue;
    }
    // A user folder: mount its entries one by one, so the folder itself is a plain folder in the container.
    const blocked = new Set(inner.map((o) => path.posix.relative(c.target, o.target).split('/')[0]));
    for (const e of c.input!.entries ?? []) {
      if (blocked.has(e)) {
        warnings.push(t('input {0}: "{1}" is hidden by another mount at {2}', c.input!.name, e, path.posix.join(c.target, e)));
        continue;
      }
      mounts.push({ source: path.join(c.source, e), target: path.posix.join(c.target, e), readonly: true });
    }
  }
  // Parents before children (the engine sorts too; this keeps the plan readable and deterministic).
  mounts.sort((a, b) => a.target.split('/').length - b.target.split('/').length || a.target.localeCompare(b.target));
  return { mounts, mkdirs, warnings };
}

export function containerName(runId: string, host: string): string {
  return `smp-${runId}-${host}`;
}

/** The whole plan of a local run: per-instance mounts, config files and `run` arguments. */
export function planLocalRun(spec: ContainerSpec, opts: PlanOptions): LocalPlan {
  const hosts = hostNames(spec.instanceCount);
  const multi = hosts.length > 1;
  const network: LocalPlan['network'] = multi
    ? { mode: 'private', name: `smp-${opts.runId}`, internal: !opts.allowNetwork }
    : opts.allowNetwork ? { mode: 'default' } : { mode: 'none' };
  const files: Record<string, string> = {};
  const envFile = path.join(opts.stageDir, 'env');
  files[envFile] = envFileText(spec.environment);
  const jobConfig = JSON.stringify(opts.jobConfig ?? processingJobConfig(spec, opts), null, 2) + '\n';
  const allMkdirs: string[] = [];
  const warnings = new Set<string>();
  const plans: HostPlan[] = hosts.map((host) => {
    const configDir = path.join(opts.stageDir, 'config', host);
    files[path.join(configDir, 'processingjobconfig.json')] = jobConfig;
    files[path.join(configDir, 'resourceconfig.json')] = JSON.stringify(resourceConfig(host, hosts, spec.instanceType), null, 2) + '\n';
    const outputDirs: Record<string, string> = {};
    for (const o of spec.outputs) outputDirs[o.name] = path.join(opts.stageDir, 'output', host, o.name);
    const { mounts, mkdirs, warnings: w } = planMounts(opts.inputsByHost?.[host] ?? opts.inputs, spec.outputs.map((o) => ({ target: o.source, source: outputDirs[o.name] })), configDir);
    allMkdirs.push(...mkdirs);
    w.forEach((x) => warnings.add(x));
    const name = containerName(opts.runId, host);
    const debugged = opts.debug?.hosts.includes(host) ? opts.debug : undefined;
    const [entry, ...rest] = debugged ? debugged.entrypoint : spec.entrypoint;
    const runArgs = [
      'run', '--rm', '--name', name, '--label', `${LOCAL_LABEL}=${opts.runId}`, '--hostname', host,
      ...(network.mode === 'none' ? ['--network', 'none'] : network.mode === 'private' ? ['--network', network.name, '--network-alias', host] : []),
      '--env-file', envFile,
      ...mounts.flatMap((m) => ['--mount', mountArg(m)]),
      ...(debugged?.mounts ?? []).flatMap((m) => ['--mount', mountArg(m)]),
      ...(entry !== undefined ? ['--entrypoint', entry] : []),
      opts.image,
      ...rest,
      ...spec.arguments,
    ];
    return { host, containerName: name, configDir, outputDirs, mounts, runArgs };
  });
  return { runId: opts.runId, network, hosts: plans, mkdirs: [...new Set(allMkdirs)], files, envFile, warnings: [...warnings] };
}

/** Where each output lands in the workspace: `.sagemaker-local/<job>/<output>/`, every instance merged into it. */
export function outputCopyPlan(plan: LocalPlan, spec: ContainerSpec, workspaceDir: string): { from: string; to: string; output: string }[] {
  const copies: { from: string; to: string; output: string }[] = [];
  for (const o of spec.outputs) {
    for (const h of plan.hosts) copies.push({ from: h.outputDirs[o.name], to: localOutputDir(workspaceDir, spec.jobName, o.name), output: o.name });
  }
  return copies;
}

export function localOutputDir(workspaceDir: string, jobName: string, output?: string): string {
  return output ? path.join(workspaceDir, LOCAL_OUTPUT_ROOT, jobName, output) : path.join(workspaceDir, LOCAL_OUTPUT_ROOT, jobName);
}

/** Docker image tag for a definition's `build` block in local runs. */
export function localImageTag(jobKey: string): string {
  const clean = jobKey.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-._]+|[-._]+$/g, '') || 'job';
  return `sagemaker-local/${clean}:latest`;
}

/** Build arguments to pass; an empty value (e.g. an unset `${env:…}`) is left out so the Dockerfile's default applies. */
export function effectiveBuildArgs(args: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(args ?? {}).filter(([, v]) => v !== ''));
}

/** Where an object under an S3Prefix input lands, relative to the input's destination (the prefix is stripped). */
export function s3RelativePath(prefix: string, key: string): string {
  const rel = key.startsWith(prefix) ? key.slice(prefix.length).replace(/^\/+/, '') : key;
  const out = rel === '' ? key.split('/').pop() ?? key : rel;
  const parts = out.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw new Error(t('S3 key {0} would land outside its input folder', key));
  return parts.join('/');
}

/** A cache file name for one S3 object version, keyed by its ETag. */
export function s3CacheName(bucket: string, key: string, etag: string | undefined): string {
  const h = createHash('sha256').update(`${bucket}/${key}`).digest('hex').slice(0, 24);
  const safeKey = key.split('/').pop()!.replace(/[^A-Za-z0-9._-]+/g, '_').slice(-80);
  return `${h}-${(etag ?? 'noetag').replace(/[^A-Za-z0-9-]+/g, '')}-${safeKey}`;
}

/** Where one file of an output goes in S3: the destination prefix + the file's path relative to the output folder. */
export function outputUploadTarget(destination: string, relPath: string): { bucket: string; key: string } | undefined {
  const d = parseS3Uri(destination);
  if (!d || !d.bucket) return undefined;
  const prefix = d.key.replace(/\/+$/, '');
  const rel = relPath.split(/[\\/]+/).filter((p) => p !== '' && p !== '.').join('/');
  return { bucket: d.bucket, key: prefix ? `${prefix}/${rel}` : rel };
}
