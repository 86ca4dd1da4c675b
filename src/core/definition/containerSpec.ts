import { CODE_DIR, CODE_INPUT, ENTRYPOINT_DIR, ENTRYPOINT_INPUT, RUNPROC, containerEntrypoint, runprocScript } from './layout';
import type { InputSource, ResolvedJob } from './types';

/** One input of a container run: where the data comes from and the folder it appears in inside the container. */
export interface ContainerInput {
  name: string;
  /**
   * `local`: a file (it lands in `destination/<basename>`) or a folder (its contents land in `destination`);
   * `s3`: an S3 URI (prefix) to download first; `content`: generated files (name → text) to write into `destination`.
   */
  source: InputSource;
  /** Absolute folder in the container, under /opt/ml/processing/. */
  destination: string;
}

export interface ContainerOutput {
  name: string;
  /** Folder in the container, under /opt/ml/processing/. */
  source: string;
  /** Where SageMaker would upload it (s3://…). */
  destination: string;
}

/** Everything needed to run a resolved job in a container, the way SageMaker would run it. */
export interface ContainerSpec {
  jobName: string;
  image: string;
  /** How the image is obtained; `build` carries the build block (Dockerfile, context, repository, tag, …). */
  imageSource: ResolvedJob['imageSource'];
  build?: ResolvedJob['build'];
  /** The full ContainerEntrypoint (command + script path, or bash runproc.sh for sourceDir jobs). */
  entrypoint: string[];
  /** ContainerArguments. */
  arguments: string[];
  environment: Record<string, string>;
  /** User inputs first, then the code inputs (like the SDK's request). */
  inputs: ContainerInput[];
  outputs: ContainerOutput[];
  instanceType: string;
  instanceCount: number;
  /** EnableNetworkIsolation: run without network. */
  networkIsolation: boolean;
}

/**
 * Maps a resolved job to a container spec for local runs. The code is taken from the local files (no upload): the
 * script file mounted as input `code`, or for a sourceDir job the folder unpacked plus a local runproc.sh.
 */
export function toContainerSpec(job: ResolvedJob): ContainerSpec {
  const inputs: ContainerInput[] = job.inputs.map((i) => ({ name: i.name, source: i.source, destination: i.destination }));
  if (job.sourceDir) {
    inputs.push({ name: CODE_INPUT, source: { kind: 'local', path: job.sourceDir }, destination: CODE_DIR });
    inputs.push({
      name: ENTRYPOINT_INPUT,
      source: { kind: 'content', files: { [RUNPROC]: runprocScript(job.command, job.scriptInSourceDir ?? job.scriptBasename, job.requirements, false) } },
      destination: ENTRYPOINT_DIR,
    });
  } else {
    inputs.push({ name: CODE_INPUT, source: { kind: 'local', path: job.scriptPath }, destination: CODE_DIR });
  }
  return {
    jobName: job.jobName,
    image: job.image,
    imageSource: job.imageSource,
    build: job.build,
    entrypoint: containerEntrypoint(job),
    arguments: [...job.arguments],
    environment: { ...job.environment },
    inputs,
    outputs: job.outputs.map((o) => ({ name: o.name, source: o.source, destination: o.destination })),
    instanceType: job.instanceType,
    instanceCount: job.instanceCount,
    networkIsolation: job.network?.enableNetworkIsolation === true,
  };
}
