// A local SageMaker Processing backend in front of moto, for the demo and the tests (never part of the extension):
// it answers CreateProcessingJob, DescribeProcessingJob, ListProcessingJobs and StopProcessingJob itself and really
// runs the job in containers with the project's own local runner (the /opt/ml contract, N instances on one network,
// ShardedByS3Key, network isolation), pulling the image from the registry the build pushed to, reading s3:// inputs
// from moto's S3, uploading outputs to it and shipping the containers' output to CloudWatch Logs in moto. Every other
// request goes to moto unchanged.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { AwsClients } from '../../../src/aws/index';
import { ContainerCli } from '../../../src/local/containerCli';
import { startLocalRun, type LocalRun } from '../../../src/local/localRunner';
import { hostNames, outputUploadTarget, s3RelativePath, type LocalPlan, type StagedInput } from '../../../src/core/local/plan';
import type { ContainerSpec } from '../../../src/core/definition/containerSpec';
import { ApiError, JOB_NAME, unsupported, validateCreate, type CreateRequest } from './validate';
import { CloudWatchWriter } from './logWriter';
import { engineAttacher } from '../../../src/local/engineAttach';
import { LocalPipelines } from './pipelines';
import { LiveTail, type LiveTailOptions } from './liveTail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { MetricsSampler } from './metrics';
import { PRICE_TARGET, getProducts, type PricingMode } from './pricing';
import { writableInput } from './inputCopies';

export type JobStatus = 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';

export interface LocalSageMakerOptions {
  /** moto's endpoint: every request the backend does not answer itself goes there unchanged. */
  motoEndpoint: string;
  region?: string;
  account?: string;
  /** The container engine the jobs run on (e.g. a private dockerd whose /etc/hosts resolves the ECR host name). */
  containerCli: string;
  /** Environment for the container CLI (DOCKER_HOST). The backend logs in to registries with its own DOCKER_CONFIG. */
  containerEnv?: NodeJS.ProcessEnv;
  /** Folder for the jobs' staging (inputs, outputs); each job's folder is removed when it ends. */
  workDir: string;
  /** How often container output is sent to CloudWatch Logs (default 1000 ms). */
  logBatchMs?: number;
  /** How old a line must be before it is sent (default 2000 ms): lines keep landing after the job ended. */
  logIngestionDelayMs?: number;
  /** How often Continuous outputs are scanned and uploaded (default 1000 ms). */
  continuousUploadMs?: number;
  /** Port on 127.0.0.1 (default: a free one). */
  port?: number;
  /** The backend's own progress lines (never secrets). */
  log?: (line: string) => void;
  /** How often moto's EventBridge Scheduler schedules are read to fire pipeline runs (default 10 s; false: never). */
  scheduleTickMs?: number | false;
  /** CloudWatch Logs Live Tail (liveTail.ts): session length, update cadence, sampling threshold. */
  liveTail?: Omit<LiveTailOptions, 'motoEndpoint'>;
  /** How often the containers' stats are sampled and put to CloudWatch metrics (default 1000 ms). */
  metricsIntervalMs?: number;
  /** Called before a request is forwarded to moto (the stack's ECR sync: reads see every completed push). */
  beforeForward?: (target: string, body: Buffer) => Promise<void>;
}

interface Job {
  req: CreateRequest;
  name: string;
  arn: string;
  status: JobStatus;
  creationTime: number;
  lastModifiedTime: number;
  startTime?: number;
  endTime?: number;
  failureReason?: string;
  exitMessage?: string;
  abort: AbortController;
  stopRequested: boolean;
  run?: LocalRun;
  /** Container names of the run (known once planned). */
  containers: string[];
  streams: string[];
  done: Promise<void>;
}

class JobFailure extends Error {}

const OURS = new Set(['CreateProcessingJob', 'DescribeProcessingJob', 'ListProcessingJobs', 'StopProcessingJob']);
const TERMINAL: JobStatus[] = ['Completed', 'Failed', 'Stopped'];

export class LocalSageMaker {
  readonly region: string;
  readonly account: string;
  url = '';
  private server!: http.Server;
  private readonly jobs = new Map<string, Job>();
  private readonly aws: AwsClients;
  private readonly cli: ContainerCli;
  private readonly logs: CloudWatchWriter;
  private readonly logsClient: CloudWatchLogsClient;
  private readonly dockerConfig: string;
  /** Pipeline executions (pipelines.ts): Processing steps run as this backend's jobs; schedules fire them. */
  readonly pipelines: LocalPipelines;
  /** StartLiveTail over moto's CloudWatch Logs (test hooks: dropSessions, refuse, sessionMaxMs). */
  readonly liveTail: LiveTail;
  private readonly metricsClient: CloudWatchClient;
  /** How GetProducts (the Price List API, which moto lacks) is answered: from the fixture, or AccessDenied. */
  pricingMode: PricingMode = 'fixture';

  constructor(private readonly o: LocalSageMakerOptions) {
    this.region = o.region ?? 'us-east-1';
    this.account = o.account ?? '123456789012';
    // The backend talks only to moto: dummy credentials unless the caller set some.
    process.env.AWS_ACCESS_KEY_ID ||= 'testing';
    process.env.AWS_SECRET_ACCESS_KEY ||= 'testing';
    this.aws = new AwsClients({ endpointUrl: o.motoEndpoint, region: this.region });
    fs.mkdirSync(o.workDir, { recursive: true });
    this.dockerConfig = fs.mkdtempSync(path.join(o.workDir, 'dockercfg-'));
    this.cli = new ContainerCli({ cli: o.containerCli, env: o.containerEnv, dockerConfig: this.dockerConfig });
    this.logsClient = new CloudWatchLogsClient({ endpoint: o.motoEndpoint, region: this.region, maxAttempts: 5 });
    this.liveTail = new LiveTail({ region: this.region, account: this.account, ...o.liveTail, motoEndpoint: o.motoEndpoint });
    this.metricsClient = new CloudWatchClient({ endpoint: o.motoEndpoint, region: this.region, maxAttempts: 5 });
    this.logs = new CloudWatchWriter({
      client: this.logsClient,
      batchIntervalMs: o.logBatchMs ?? 1000,
      ingestionDelayMs: o.logIngestionDelayMs ?? 2000,
      onError: (err) => this.say(`CloudWatch Logs: ${(err as Error).message}`),
    });
    this.pipelines = new LocalPipelines({ region: this.region, account: this.account, aws: this.aws, scheduleTickMs: o.scheduleTickMs, say: (l) => this.say(l),
      createJob: (req) => this.create(req), describeJob: (n) => this.describe(this.find(n)), settled: (n) => this.settled(n), stopJob: (n) => this.stopJob(this.find(n)) });
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(this.o.port ?? 0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.pipelines.startClock();
    return this;
  }

  /** Stops every running job (containers removed), sends the logs still buffered, closes the server. */
  async stop(): Promise<void> {
    await this.pipelines.stop();
    const running = [...this.jobs.values()].filter((j) => !TERMINAL.includes(j.status));
    await Promise.all(running.map((j) => this.requestStop(j)));
    await Promise.all(running.map((j) => j.done));
    await this.logs.close();
    this.liveTail.close();
    this.server?.closeAllConnections?.();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.aws.dispose();
    this.logsClient.destroy();
    this.metricsClient.destroy();
    fs.rmSync(this.dockerConfig, { recursive: true, force: true });
  }

  /** The container names of a job's run (for tests: they must be gone once it ended). */
  containersOf(name: string): string[] {
    return [...(this.jobs.get(name.toLowerCase())?.containers ?? [])];
  }

  /** Log streams of a job (`<job>/algo-<n>-<epoch>`). */
  streamsOf(name: string): string[] {
    return [...(this.jobs.get(name.toLowerCase())?.streams ?? [])];
  }

  /** Resolves when the job has ended (terminal status). */
  async settled(name: string): Promise<JobStatus | undefined> {
    const j = this.jobs.get(name.toLowerCase());
    await j?.done;
    return j?.status;
  }

  /** Log lines not yet sent to CloudWatch. */
  pendingLogLines(): number {
    return this.logs.pendingCount();
  }

  private say(line: string): void {
    this.o.log?.(line);
  }

  // ---- HTTP -----------------------------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const target = String(req.headers['x-amz-target'] ?? '');
    if (LiveTail.matches(req)) return this.liveTail.handle(req, res, raw);
    const op = target === PRICE_TARGET ? 'GetProducts' : target.startsWith('SageMaker.') ? target.slice('SageMaker.'.length) : '';
    if (!OURS.has(op) && op !== 'GetProducts' && !this.pipelines.handles(op)) {
      await this.o.beforeForward?.(target, raw).catch(() => undefined);
      return this.forward(req, res, raw);
    }
    const send = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `local-${Date.now()}`, 'content-length': String(Buffer.byteLength(text)), ...extra });
      res.end(text);
    };
    try {
      let input: Record<string, unknown>;
      try {
        input = raw.length ? JSON.parse(raw.toString('utf8')) : {};
      } catch {
        throw new ApiError('SerializationException', 'The request body is not valid JSON');
      }
      let out: unknown;
      if (this.pipelines.handles(op)) out = await this.pipelines.handle(op, input);
      else if (op === 'CreateProcessingJob') out = this.create(input as CreateRequest);
      else if (op === 'DescribeProcessingJob') out = this.describe(this.find(input.ProcessingJobName));
      else if (op === 'ListProcessingJobs') out = this.list(input);
      else if (op === 'GetProducts') out = getProducts(input, this.pricingMode);
      else out = await this.stopJob(this.find(input.ProcessingJobName));
      send(200, out);
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError('InternalFailure', (err as Error).message, 500);
      send(e.status, { __type: e.type, Message: e.message }, { 'x-amzn-errortype': e.type });
    }
  }

  /** Everything else reaches moto unchanged (S3, Logs, ECR, STS, other SageMaker calls). */
  private forward(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): void {
    const upstream = new URL(req.url ?? '/', this.o.motoEndpoint);
    const fwd = http.request(upstream, { method: req.method, headers: { ...req.headers, host: upstream.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    fwd.on('error', () => res.destroy());
    fwd.end(raw);
  }

  private find(name: unknown): Job {
    if (typeof name !== 'string' || !JOB_NAME.test(name)) {
      throw new ApiError('ValidationException', `1 validation error detected: Value '${String(name)}' at 'processingJobName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${JOB_NAME.source}`);
    }
    const j = this.jobs.get(name.toLowerCase());
    if (!j) throw new ApiError('ValidationException', `Could not find requested job with name ${name}`);
    return j;
  }

  // ---- API --------------------------------------------------------------------------------------------------------

  private create(req: CreateRequest): { ProcessingJobArn: string } {
    validateCreate(req);
    const name = req.ProcessingJobName!;
    const arn = `arn:aws:sagemaker:${this.region}:${this.account}:processing-job/${name.toLowerCase()}`;
    if (this.jobs.has(name.toLowerCase())) {
      throw new ApiError('ResourceInUse', `Job name must be unique within an AWS account and region, and a job with this name already exists (${arn})`);
    }
    const now = Date.now();
    const job: Job = {
      req, name, arn, status: 'InProgress', creationTime: now, lastModifiedTime: now,
      abort: new AbortController(), stopRequested: false, containers: [], streams: [], done: Promise.resolve(),
    };
    this.jobs.set(name.toLowerCase(), job);
    job.done = this.execute(job);
    this.say(`${name}: created`);
    return { ProcessingJobArn: arn };
  }

  private describe(j: Job): Record<string, unknown> {
    const r = j.req;
    const secs = (t?: number) => (t === undefined ? undefined : t / 1000);
    return strip({
      ProcessingInputs: (r.ProcessingInputs ?? []).map((i) => ({
        InputName: i.InputName,
        AppManaged: i.AppManaged ?? false,
        ...(i.S3Input ? {
          S3Input: {
            S3Uri: i.S3Input.S3Uri, LocalPath: i.S3Input.LocalPath, S3DataType: i.S3Input.S3DataType,
            S3InputMode: i.S3Input.S3InputMode ?? 'File', S3DataDistributionType: i.S3Input.S3DataDistributionType ?? 'FullyReplicated',
            S3CompressionType: i.S3Input.S3CompressionType ?? 'None',
          },
        } : {}),
        ...(i.DatasetDefinition ? { DatasetDefinition: i.DatasetDefinition } : {}),
      })),
      ProcessingOutputConfig: r.ProcessingOutputConfig ? {
        Outputs: (r.ProcessingOutputConfig.Outputs ?? []).map((o) => ({ ...o, AppManaged: o.AppManaged ?? false })),
        ...(r.ProcessingOutputConfig.KmsKeyId ? { KmsKeyId: r.ProcessingOutputConfig.KmsKeyId } : {}),
      } : undefined,
      ProcessingJobName: j.name,
      ProcessingResources: r.ProcessingResources,
      StoppingCondition: { MaxRuntimeInSeconds: r.StoppingCondition?.MaxRuntimeInSeconds ?? 86400 },
      AppSpecification: r.AppSpecification,
      Environment: r.Environment,
      NetworkConfig: r.NetworkConfig,
      RoleArn: r.RoleArn,
      ExperimentConfig: r.ExperimentConfig,
      ProcessingJobArn: j.arn,
      ProcessingJobStatus: j.status,
      ExitMessage: j.exitMessage,
      FailureReason: j.failureReason,
      ProcessingEndTime: secs(j.endTime),
      ProcessingStartTime: secs(j.startTime),
      LastModifiedTime: secs(j.lastModifiedTime),
      CreationTime: secs(j.creationTime),
    });
  }

  private list(input: Record<string, unknown>): Record<string, unknown> {
    const max = input.MaxResults === undefined ? 10 : Number(input.MaxResults);
    if (!Number.isInteger(max) || max < 1 || max > 100) {
      throw new ApiError('ValidationException', `1 validation error detected: Value '${String(input.MaxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100`);
    }
    const sortBy = (input.SortBy as string | undefined) ?? 'CreationTime';
    const order = (input.SortOrder as string | undefined) ?? 'Descending';
    if (!['Name', 'CreationTime', 'Status'].includes(sortBy)) throw new ApiError('ValidationException', `1 validation error detected: Value '${sortBy}' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [Name, CreationTime, Status]`);
    if (!['Ascending', 'Descending'].includes(order)) throw new ApiError('ValidationException', `1 validation error detected: Value '${order}' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [Ascending, Descending]`);
    const ms = (v: unknown) => (typeof v === 'number' ? v * 1000 : undefined);
    const after = ms(input.CreationTimeAfter);
    const before = ms(input.CreationTimeBefore);
    const modAfter = ms(input.LastModifiedTimeAfter);
    const modBefore = ms(input.LastModifiedTimeBefore);
    const contains = typeof input.NameContains === 'string' ? input.NameContains.toLowerCase() : undefined;
    const status = input.StatusEquals as string | undefined;
    const jobs = [...this.jobs.values()].filter((j) =>
      (!contains || j.name.toLowerCase().includes(contains))
      && (!status || j.status === status)
      && (after === undefined || j.creationTime > after)
      && (before === undefined || j.creationTime < before)
      && (modAfter === undefined || j.lastModifiedTime > modAfter)
      && (modBefore === undefined || j.lastModifiedTime < modBefore));
    const key = (j: Job) => (sortBy === 'Name' ? j.name : sortBy === 'Status' ? j.status : j.creationTime);
    jobs.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      const c = typeof ka === 'number' ? ka - (kb as number) : String(ka).localeCompare(String(kb));
      return (order === 'Ascending' ? c : -c) || a.name.localeCompare(b.name);
    });
    let offset = 0;
    if (typeof input.NextToken === 'string' && input.NextToken) {
      offset = Number(Buffer.from(input.NextToken, 'base64').toString('utf8').replace(/^offset:/, ''));
      if (!Number.isInteger(offset) || offset < 0) throw new ApiError('ValidationException', 'Invalid pagination token');
    }
    const page = jobs.slice(offset, offset + max);
    const next = offset + max < jobs.length ? Buffer.from(`offset:${offset + max}`).toString('base64') : undefined;
    return strip({
      ProcessingJobSummaries: page.map((j) => strip({
        ProcessingJobName: j.name, ProcessingJobArn: j.arn, CreationTime: j.creationTime / 1000,
        ProcessingEndTime: j.endTime === undefined ? undefined : j.endTime / 1000, LastModifiedTime: j.lastModifiedTime / 1000,
        ProcessingJobStatus: j.status, FailureReason: j.failureReason, ExitMessage: j.exitMessage,
      })),
      NextToken: next,
    });
  }

  private async stopJob(j: Job): Promise<Record<string, never>> {
    if (j.status !== 'InProgress') throw new ApiError('ValidationException', `The request was rejected because the processing job is in status ${j.status}.`);
    await this.requestStop(j);
    return {};
  }

  private async requestStop(j: Job): Promise<void> {
    if (j.stopRequested || TERMINAL.includes(j.status)) return;
    j.stopRequested = true;
    this.setStatus(j, 'Stopping');
    j.abort.abort();
    // The runner kills the containers; its run then ends as Stopped.
    void j.run?.stop();
  }

  private setStatus(j: Job, status: JobStatus, extra: { failureReason?: string; exitMessage?: string } = {}): void {
    if (TERMINAL.includes(j.status)) return;
    const now = Date.now();
    j.status = status;
    j.lastModifiedTime = now;
    if (TERMINAL.includes(status)) j.endTime = now;
    if (extra.failureReason !== undefined) j.failureReason = extra.failureReason.slice(0, 1024);
    if (extra.exitMessage !== undefined) j.exitMessage = extra.exitMessage.slice(0, 1024);
    this.say(`${j.name}: ${status}${extra.failureReason ? ` (${extra.failureReason})` : ''}`);
  }

  // ---- the job ------------------------------------------------------------------------------------------------------

  private async execute(j: Job): Promise<void> {
    await Promise.resolve(); // answer Create first
    const dir = fs.mkdtempSync(path.join(this.o.workDir, `job-${j.name.slice(0, 40)}-`));
    let stopUploads: (() => Promise<void>) | undefined;
    let sampler: MetricsSampler | undefined;
    try {
      const why = unsupported(j.req);
      if (why) throw new JobFailure(`ClientError: ${why}`);
      const image = j.req.AppSpecification!.ImageUri!;
      await this.pullImage(image, j.abort.signal);
      if (j.stopRequested) return this.setStatus(j, 'Stopped');
      const cluster = j.req.ProcessingResources!.ClusterConfig!;
      const hosts = hostNames(cluster.InstanceCount!);
      const hostInputs = await this.stageInputs(j, hosts, path.join(dir, 'inputs'));
      if (j.stopRequested) return this.setStatus(j, 'Stopped');
      j.startTime = Date.now();
      j.lastModifiedTime = j.startTime;
      const epoch = Math.floor(j.startTime / 1000);
      j.streams = hosts.map((h) => `${j.name}/${h}-${epoch}`);
      await Promise.all(j.streams.map((s) => this.logs.openStream(s)));
      const outputs = (j.req.ProcessingOutputConfig?.Outputs ?? []).filter((o) => o.S3Output);
      const spec: ContainerSpec = {
        jobName: j.name,
        image,
        imageSource: 'image',
        entrypoint: [...(j.req.AppSpecification!.ContainerEntrypoint ?? [])],
        arguments: [...(j.req.AppSpecification!.ContainerArguments ?? [])],
        environment: { ...(j.req.Environment ?? {}) },
        inputs: [],
        outputs: outputs.map((o) => ({ name: o.OutputName!, source: o.S3Output!.LocalPath!, destination: o.S3Output!.S3Uri! })),
        instanceType: cluster.InstanceType!,
        instanceCount: hosts.length,
        networkIsolation: j.req.NetworkConfig?.EnableNetworkIsolation === true,
      };
      const jobConfig = { ...this.describe(j), ProcessingJobStatus: undefined, CreationTime: undefined, LastModifiedTime: undefined, ProcessingStartTime: undefined };
      const s3 = await this.aws.s3();
      const run = startLocalRun({
        spec,
        jobKey: j.name,
        workspaceDir: path.join(dir, 'ws'),
        cli: this.cli,
        allowNetwork: !spec.networkIsolation,
        roleArn: j.req.RoleArn,
        region: this.region,
        storageDir: path.join(dir, 'storage'),
        s3: async () => s3,
        uploadOutputs: outputs.length > 0,
        hostInputs,
        jobConfig: strip(jobConfig),
        // One ordered stream of stdout+stderr per instance, as the container wrote it (src/local/engineAttach.ts).
        attach: engineAttacher(this.o.containerEnv?.DOCKER_HOST),
        onPlan: (plan) => {
          j.containers = plan.hosts.map((h) => h.containerName);
          sampler = new MetricsSampler({ client: this.metricsClient, cli: this.cli, jobName: j.name, containers: j.containers, diskPath: dir, intervalMs: this.o.metricsIntervalMs, onError: (err) => this.say(`metrics: ${(err as Error).message}`) });
          const continuous = outputs.filter((o) => o.S3Output!.S3UploadMode === 'Continuous').map((o) => ({ name: o.OutputName!, destination: o.S3Output!.S3Uri! }));
          if (continuous.length) stopUploads = this.uploadContinuously(plan, continuous, s3);
        },
        onLine: (line, source, host) => {
          if (source === 'system') return this.say(`${j.name}: ${line}`);
          const n = host ? hosts.indexOf(host) : 0;
          this.logs.write(j.streams[n], line);
        },
      });
      j.run = run;
      if (j.stopRequested) void run.stop();
      const rec = await run.done;
      await sampler?.stop();
      await stopUploads?.();
      stopUploads = undefined;
      if (rec.status === 'Completed') this.setStatus(j, 'Completed');
      else if (rec.status === 'Stopped' || j.stopRequested) this.setStatus(j, 'Stopped');
      else {
        const reason = rec.exitCode !== undefined && rec.exitCode !== 0
          ? `AlgorithmError: ${rec.failureReason?.replace(/^AlgorithmError: /, '') ?? 'the script failed'}. See job logs for more information`
          : `ClientError: ${rec.failureReason ?? 'the job failed'}`;
        this.setStatus(j, 'Failed', { failureReason: reason, exitMessage: rec.exitMessage });
      }
    } catch (err) {
      if (j.stopRequested) this.setStatus(j, 'Stopped');
      else this.setStatus(j, 'Failed', { failureReason: err instanceof JobFailure ? err.message : `InternalServerError: ${(err as Error).message}` });
    } finally {
      await stopUploads?.().catch(() => undefined);
      await sampler?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /** SageMaker pulls the image on every run: log in to ECR-shaped registries with moto's token, then pull. */
  private async pullImage(image: string, signal: AbortSignal): Promise<void> {
    const first = image.split('/')[0];
    const hasRegistry = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
    if (!hasRegistry) {
      // No Docker Hub here: an image without a registry host is taken from the engine when it has it.
      if (await this.cli.imageId(image, signal)) return;
      throw new JobFailure(`ClientError: Cannot pull the image ${image}: it names no registry and the container engine does not have it`);
    }
    if (/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$/.test(first)) {
      const auth = await (await this.aws.ecr()).authorization(signal);
      const login = await this.cli.login(first, auth.username, auth.password, { signal, allowFailure: true });
      if (login.code !== 0) throw new JobFailure(`ClientError: Cannot log in to the registry ${first} with the role's ECR credentials: ${lastLine(login.stderr || login.stdout)}`);
    }
    this.say(`pulling ${image}`);
    const r = await this.cli.exec(['pull', image], { signal, allowFailure: true });
    if (r.code !== 0) {
      const detail = lastLine(r.stderr || r.stdout);
      if (/manifest unknown|not found|does not exist/i.test(detail)) throw new JobFailure(`ClientError: Requested image ${image} not found.`);
      throw new JobFailure(`ClientError: Cannot pull the image ${image}: ${detail}`);
    }
  }

  /** Downloads every s3:// input: once for FullyReplicated, a 1/N share of the keys per instance for ShardedByS3Key. */
  private async stageInputs(j: Job, hosts: string[], root: string): Promise<Record<string, StagedInput[]>> {
    const s3 = await this.aws.s3();
    const byHost: Record<string, StagedInput[]> = Object.fromEntries(hosts.map((h) => [h, []]));
    for (const input of j.req.ProcessingInputs ?? []) {
      const s = input.S3Input!;
      const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(s.S3Uri!)!;
      const [, bucket, prefix] = m;
      let objects: { key: string; size: number }[];
      try {
        objects = (await s3.listObjects(bucket, prefix, j.abort.signal)).filter((o) => !o.key.endsWith('/')).sort((a, b) => (a.key < b.key ? -1 : 1));
      } catch (err) {
        if (j.abort.signal.aborted) throw err;
        objects = [];
      }
      if (!objects.length) {
        throw new JobFailure(`ClientError: No S3 objects found under S3 URL "${s.S3Uri}" given in input data source. Please ensure that the bucket exists in the selected region (${this.region}), that objects exist under that S3 prefix, and that the role "${j.req.RoleArn}" has "s3:ListBucket" permissions on bucket "${bucket}".`);
      }
      const sharded = s.S3DataDistributionType === 'ShardedByS3Key';
      const shares = sharded ? hosts.map((_h, n) => objects.filter((_o, i) => i % hosts.length === n)) : [objects];
      for (const [n, share] of shares.entries()) {
        const dir = path.join(root, input.InputName!, sharded ? hosts[n] : 'all');
        fs.mkdirSync(dir, { recursive: true });
        for (const o of share) {
          const target = path.join(dir, ...s3RelativePath(prefix, o.key).split('/'));
          fs.mkdirSync(path.dirname(target), { recursive: true });
          await s3.downloadToFile(bucket, o.key, target, { signal: j.abort.signal });
        }
        // Input folders are writable, one copy per instance, as SageMaker's are (inputCopies.ts).
        for (const h of sharded ? [hosts[n]] : hosts) byHost[h].push(writableInput(input.InputName!, s.LocalPath!, dir, h, sharded || h === hosts[0]));
      }
      this.say(`${j.name}: input ${input.InputName}: ${objects.length} object(s) from ${s.S3Uri}${sharded ? ` sharded over ${hosts.length} instances` : ''}`);
    }
    return byHost;
  }

  /** Continuous outputs: files are uploaded as they appear or change while the job runs. */
  private uploadContinuously(plan: LocalPlan, outputs: { name: string; destination: string }[], s3: Awaited<ReturnType<AwsClients['s3']>>): () => Promise<void> {
    const seen = new Map<string, string>();
    let busy = Promise.resolve();
    const scan = async () => {
      for (const h of plan.hosts) {
        for (const o of outputs) {
          const dir = h.outputDirs[o.name];
          if (!dir || !fs.existsSync(dir)) continue;
          for (const rel of fs.readdirSync(dir, { recursive: true }) as string[]) {
            const file = path.join(dir, rel);
            let st: fs.Stats;
            try {
              st = fs.statSync(file);
            } catch {
              continue;
            }
            if (!st.isFile()) continue;
            const stamp = `${st.size}:${st.mtimeMs}`;
            if (seen.get(file) === stamp) continue;
            const t = outputUploadTarget(o.destination, rel.split(path.sep).join('/'));
            if (!t) continue;
            await s3.upload(t.bucket, t.key, { file });
            seen.set(file, stamp);
          }
        }
      }
    };
    const timer = setInterval(() => {
      busy = busy.then(scan).catch((err) => this.say(`continuous upload: ${(err as Error).message}`));
    }, this.o.continuousUploadMs ?? 1000);
    return async () => {
      clearInterval(timer);
      await busy;
    };
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).pop() ?? '';
}

/** Drops undefined fields (JSON would drop them anyway; this keeps the objects tidy for comparisons). */
function strip<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export async function startLocalSageMaker(o: LocalSageMakerOptions): Promise<LocalSageMaker> {
  return new LocalSageMaker(o).start();
}
