// Runs a container spec locally, the way SageMaker would run it: same entrypoint, arguments, /opt/ml layout and
// config files, one container per instance (algo-1…algo-N). Everything it creates (containers, a network, a staging
// folder) is removed at the end; the workspace only ever gains `.sagemaker-local/<job>/<output>/`.
import { ContainerStatsSampler, type StatsSample } from './containerStats';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import type { ContainerSpec } from '../core/definition/containerSpec';
import { listFilesAsync } from '../core/definition/files';
import {
  effectiveBuildArgs, localImageTag, localOutputDir, outputCopyPlan, outputUploadTarget, planLocalRun, s3CacheName, s3RelativePath,
  type LocalPlan, type StagedInput,
} from '../core/local/plan';
import { applyEvent, LineSplitter, LineTail, type LocalEvent, type LocalJobRecord } from '../core/local/record';
import { parseS3Uri } from '../core/s3uri';
import { ContainerCli, ContainerCliError } from './containerCli';
import { debugEntrypoint, debugHosts, debugPathMappings, debugpyMount, debugSpec, type DebugInstances, type PathMapping } from '../core/local/debug';
import { DebugBridge, debugpyPackageDir } from './debugBridge';
import type { Attacher, Attachment } from './engineAttach';
import { t } from '../core/l10n';

/** The S3 calls a run needs for `s3://` inputs (src/aws/s3.ts's S3Api fits). */
export interface S3Port {
  listObjects(bucket: string, prefix: string, signal?: AbortSignal): Promise<{ key: string; size: number; etag?: string }[]>;
  downloadToFile(bucket: string, key: string, file: string, opts?: { onProgress?: (done: number, total?: number) => void; signal?: AbortSignal }): Promise<void>;
  /** For uploading outputs (multipart, with progress). */
  upload(bucket: string, key: string, body: { file: string }, opts?: { onProgress?: (done: number, total?: number) => void; signal?: AbortSignal }): Promise<unknown>;
}

export type LineSource = 'stdout' | 'stderr' | 'system';

/** How a line appears in a job's channel or terminal: our own lines marked `[local]`, instances `[algo-n]` when N > 1. */
export function formatLocalLine(line: string, source: LineSource, host?: string): string {
  return source === 'system' ? `[local] ${line}` : `${host ? `[${host}] ` : ''}${line}`;
}

export interface LocalRunOptions {
  spec: ContainerSpec;
  /** Key of the job in the definition (names the locally built image). */
  jobKey: string;
  workspaceDir: string;
  cli: ContainerCli;
  /** The definition allows network access; otherwise no network (an internal network between instances). */
  allowNetwork?: boolean;
  roleArn?: string;
  region?: string;
  /** Our own folder for staging and the S3 download cache (the extension's global storage, or a cache folder). */
  storageDir: string;
  s3?: () => Promise<S3Port>;
  /** Also upload the outputs to their S3 destinations once copied (what SageMaker does at the end of a job). */
  uploadOutputs?: boolean;
  /** Outputs whose S3 destination is not known locally (resolveLocalJob's `localOnlyOutputs`): never uploaded. */
  localOnlyOutputs?: string[];
  /** Every line: the containers' stdout/stderr (host given when N > 1) and our own progress lines (`system`). */
  onLine?: (line: string, source: LineSource, host?: string) => void;
  /** Each change of the job record. */
  onRecord?: (r: LocalJobRecord) => void;
  now?: () => Date;
  /** Inputs already staged per instance (host → inputs), mounted in addition to the spec's own (e.g. ShardedByS3Key). */
  hostInputs?: Record<string, StagedInput[]>;
  /** processingjobconfig.json to hand the containers as is (e.g. the CreateProcessingJob request of a backend). */
  jobConfig?: Record<string, unknown>;
  /** The plan, once made (container names, output folders), before any container starts. */
  onPlan?: (plan: LocalPlan) => void;
  /**
   * Reads each container's stdout and stderr as one ordered stream (engineAttach.ts): the container is created, attached
   * to, then started. Without it, the `run` CLI's two pipes are read, whose relative order is not kept.
   */
  attach?: Attacher;
  /**
   * Finds the attacher when the run starts (engineAttach.ts's resolveAttacher: the engine the CLI talks to, when its API
   * socket answers here); undefined: the two pipes, without a word.
   */
  resolveAttach?: (cli: ContainerCli, signal: AbortSignal) => Promise<Attacher | undefined>;
  /** Samples the containers' CPU, memory and disk while they run (src/local/containerStats.ts). */
  stats?: { intervalMs?: number; onSamples: (samples: StatsSample[]) => void };
  /** Debug mode ("Debug Locally in Docker"): the script waits in debugpy for a debugger (see src/core/local/debug.ts). */
  debug?: LocalDebugOptions;
}

export interface LocalDebugOptions {
  /** The debugpy package folder on the host (mounted read-only; nothing is installed into the image). */
  debugpyDir: string;
  /** Which instances wait for a debugger: algo-1 (default) or every one. */
  instances?: DebugInstances;
  /** Port on 127.0.0.1 for the first debugged instance, the next ones count up (default: free ports). */
  port?: number;
  /** How long to wait for debugpy to listen once the container starts (default 120 s). */
  waitSeconds?: number;
  /** An instance's debugpy listens: attach a debugger to 127.0.0.1:port with these path mappings. */
  onReady?: (e: DebugEndpoint) => void;
}

export interface DebugEndpoint {
  host: string;
  port: number;
  pathMappings: PathMapping[];
}

export class LocalRun {
  readonly runId = randomBytes(4).toString('hex');
  record: LocalJobRecord;
  readonly done: Promise<LocalJobRecord>;
  private readonly abort = new AbortController();
  private plan?: LocalPlan;
  private readonly children = new Map<string, ChildProcess>();
  private stopRequested = false;
  private image?: string;
  private readonly bridges = new Map<string, DebugBridge>();
  private readonly started = new Set<string>();
  /** How the containers' output is read: one ordered stream (the engine API), or undefined for the CLI's two pipes. */
  private attacher?: Attacher;
  /** Debug mode: the endpoints whose debugpy listens, in the order they became ready. */
  readonly debugEndpoints: DebugEndpoint[] = [];

  constructor(private readonly o: LocalRunOptions) {
    const now = (o.now ?? (() => new Date()))();
    this.record = {
      name: o.spec.jobName, key: o.jobKey, workspaceDir: o.workspaceDir, runId: this.runId,
      instanceCount: o.spec.instanceCount, status: 'InProgress', createdAt: now.toISOString(),
      ...(o.spec.outputs.length ? { outputs: o.spec.outputs.map((x) => ({ name: x.name, ...(o.localOnlyOutputs?.includes(x.name) ? {} : { destination: x.destination }) })) } : {}),
    };
    this.done = this.execute();
  }

  /** Stops the run: cancels the build/downloads, kills the containers; the run ends as Stopped. */
  async stop(): Promise<void> {
    if (this.stopRequested || this.isOver()) return;
    this.stopRequested = true;
    this.apply({ type: 'stopRequested' });
    this.sys(t('Stopping: killing the container(s)…'));
    this.abort.abort();
    await this.killContainers();
    // A container still being created when the first kill came: kill again until every `run` has returned.
    for (let i = 0; i < 20 && this.children.size > 0; i++) {
      await new Promise((r) => setTimeout(r, 500));
      if (this.children.size > 0) await this.killContainers();
    }
  }

  private isOver(): boolean {
    return ['Completed', 'Failed', 'Stopped'].includes(this.record.status);
  }

  private apply(e: LocalEvent): void {
    const next = applyEvent(this.record, e, (this.o.now ?? (() => new Date()))());
    if (next !== this.record) {
      this.record = next;
      this.o.onRecord?.(next);
    }
  }

  private sys(line: string): void {
    this.o.onLine?.(line, 'system');
  }

  private async killContainers(): Promise<void> {
    const names = this.plan?.hosts.map((h) => h.containerName) ?? [];
    if (!names.length) return;
    await this.o.cli.exec(['kill', ...names], { allowFailure: true }).catch(() => undefined);
  }

  private async execute(): Promise<LocalJobRecord> {
    const { spec, cli } = this.o;
    let stageDir: string | undefined;
    try {
      this.sys(spec.instanceCount > 1 ? t('Local run {0} ({1} instances), container CLI "{2}"', spec.jobName, spec.instanceCount, cli.command) : t('Local run {0} ({1} instance), container CLI "{2}"', spec.jobName, spec.instanceCount, cli.command));
      await cli.engineInfo(this.abort.signal);
      this.attacher = this.o.attach ?? await this.o.resolveAttach?.(cli, this.abort.signal).catch(() => undefined);
      const image = (this.image = await this.prepareImage());
      this.checkStop();
      fs.mkdirSync(path.join(this.o.storageDir, 'runs'), { recursive: true });
      stageDir = fs.mkdtempSync(path.join(this.o.storageDir, 'runs', `${this.runId}-`));
      const dbg = this.o.debug ? this.prepareDebug() : undefined;
      const inputs = await this.stageInputs(stageDir, dbg?.spec.inputs);
      this.checkStop();
      const outRoot = this.prepareOutputRoot();
      const hostInputs = this.o.hostInputs;
      const inputsByHost = hostInputs ? Object.fromEntries(Object.entries(hostInputs).map(([h, extra]) => [h, [...inputs, ...extra]])) : undefined;
      const plan = planLocalRun(dbg?.spec ?? spec, { runId: this.runId, image, stageDir, inputs, allowNetwork: !!this.o.allowNetwork, roleArn: this.o.roleArn, region: this.o.region, debug: dbg?.plan, inputsByHost, jobConfig: this.o.jobConfig });
      this.plan = plan;
      this.o.onPlan?.(plan);
      for (const w of plan.warnings) this.sys(t('warning: {0}', w));
      for (const [file, text] of Object.entries(plan.files)) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text, { mode: 0o600 });
      }
      for (const h of plan.hosts) {
        for (const d of Object.values(h.outputDirs)) {
          fs.mkdirSync(d, { recursive: true });
          fs.chmodSync(d, 0o777); // the container's user may not be ours
        }
        fs.chmodSync(h.configDir, 0o755);
        for (const f of fs.readdirSync(h.configDir)) fs.chmodSync(path.join(h.configDir, f), 0o644);
      }
      for (const d of plan.mkdirs) fs.mkdirSync(d, { recursive: true });
      if (plan.network.mode === 'private') {
        await cli.exec(['network', 'create', ...(plan.network.internal ? ['--internal'] : []), '--label', `sagemaker-processing.local=${this.runId}`, plan.network.name], { signal: this.abort.signal });
      }
      this.checkStop();
      if (dbg) await this.openBridges(plan, dbg.python);
      // The instances' CPU, memory and disk while they run (for the run's page), sampled as the backend does.
      const stats = this.o.stats ? new ContainerStatsSampler({ cli, containers: plan.hosts.map((h) => h.containerName), diskPath: stageDir, intervalMs: this.o.stats.intervalMs, onSamples: this.o.stats.onSamples }) : undefined;
      let failed: Awaited<ReturnType<LocalRun['runContainers']>>;
      try {
        failed = await this.runContainers(plan);
      } finally {
        await stats?.stop();
      }
      if (this.stopRequested) {
        this.apply({ type: 'stopped' });
      } else if (failed) {
        this.apply({ type: 'exited', code: failed.code, stderrTail: failed.tail, host: failed.host });
      } else {
        this.apply({ type: 'exited', code: 0, stderrTail: [] });
        for (const c of outputCopyPlan(plan, spec, this.o.workspaceDir)) {
          fs.mkdirSync(c.to, { recursive: true });
          fs.cpSync(c.from, c.to, { recursive: true, force: false, errorOnExist: false });
        }
        if (spec.outputs.length) this.sys(t('Outputs copied to {0}', outRoot));
        if (this.o.uploadOutputs && spec.outputs.length) {
          if (!this.o.s3) throw new Error(t('Uploading the outputs needs S3 access, and this run has none.'));
          await uploadLocalOutputs({ outputs: this.record.outputs ?? [], outputRoot: outRoot, s3: await this.o.s3(), onLine: (l) => this.sys(l), signal: this.abort.signal });
        }
        this.apply({ type: 'completed', outputDir: spec.outputs.length ? outRoot : undefined });
      }
    } catch (err) {
      if (this.stopRequested) this.apply({ type: 'stopped' });
      else this.apply({ type: 'error', message: describeError(err) });
    } finally {
      await this.cleanup(stageDir);
    }
    const r = this.record;
    this.sys(`${r.status}${r.failureReason ? `: ${r.failureReason}` : ''}`);
    return r;
  }

  private checkStop(): void {
    if (this.stopRequested) throw new ContainerCliError(t('Cancelled.'), 'cancelled');
  }

  private async prepareImage(): Promise<string> {
    const { spec, cli } = this.o;
    if (spec.imageSource === 'build' && spec.build) {
      const tag = localImageTag(this.o.jobKey);
      const args = effectiveBuildArgs(spec.build.buildArgs);
      this.sys(t('Building {0} from {1}…', tag, spec.build.dockerfile));
      const split = new LineSplitter((l) => this.o.onLine?.(l, 'system'));
      await cli.build({ dockerfile: spec.build.dockerfile, context: spec.build.context, tags: [tag], buildArgs: args }, {
        signal: this.abort.signal,
        onOutput: (t) => split.push(t),
      }).finally(() => split.end());
      return tag;
    }
    if (await cli.imageId(spec.image, this.abort.signal)) return spec.image;
    this.sys(t('Image {0} is not available locally; pulling it…', spec.image));
    const r = await cli.exec(['pull', spec.image], { signal: this.abort.signal, allowFailure: true });
    if (r.code !== 0) {
      const detail = (r.stderr || r.stdout).trim().split('\n').slice(-3).join('\n');
      throw new Error(/ecr|amazonaws/.test(spec.image)
        ? t('Image {0} is not available locally and could not be pulled (log in to ECR first, e.g. with "Build and Push Image"): {1}', spec.image, detail)
        : t('Image {0} is not available locally and could not be pulled: {1}', spec.image, detail));
    }
    return spec.image;
  }

  private async stageInputs(stageDir: string, specInputs = this.o.spec.inputs): Promise<StagedInput[]> {
    const staged: StagedInput[] = [];
    for (const input of specInputs) {
      const src = input.source;
      if (src.kind === 'local') {
        let st: fs.Stats;
        try {
          st = fs.statSync(src.path);
        } catch {
          throw new Error(t('Input "{0}": {1} does not exist.', input.name, src.path));
        }
        if (st.isDirectory()) staged.push({ name: input.name, destination: input.destination, kind: 'dir', hostPath: src.path, owned: false, entries: fs.readdirSync(src.path) });
        else staged.push({ name: input.name, destination: input.destination, kind: 'file', hostPath: src.path, owned: false });
      } else if (src.kind === 'content') {
        const dir = path.join(stageDir, 'input', input.name);
        fs.mkdirSync(dir, { recursive: true });
        for (const [f, text] of Object.entries(src.files)) fs.writeFileSync(path.join(dir, f), text, { mode: 0o755 });
        staged.push({ name: input.name, destination: input.destination, kind: 'dir', hostPath: dir, owned: true });
      } else {
        const dir = path.join(stageDir, 'input', input.name);
        fs.mkdirSync(dir, { recursive: true });
        await this.downloadS3(input.name, src.uri, dir);
        staged.push({ name: input.name, destination: input.destination, kind: 'dir', hostPath: dir, owned: true });
      }
    }
    return staged;
  }

  private async downloadS3(name: string, uri: string, dir: string): Promise<void> {
    const parsed = parseS3Uri(uri);
    if (!parsed) throw new Error(t('Input "{0}": {1} is not an s3:// URI.', name, uri));
    if (!this.o.s3) throw new Error(t('Input "{0}": {1} is in S3, and this run has no S3 access.', name, uri));
    const { bucket, key: prefix } = parsed;
    const s3 = await this.o.s3();
    const objects = (await s3.listObjects(bucket, prefix, this.abort.signal)).filter((o) => !o.key.endsWith('/'));
    // Worded as SageMaker's reason for the same case (the summary classifies it as an S3 input problem).
    if (!objects.length) throw new Error(t('ClientError: No S3 objects found under S3 URL "{0}" given in input data source "{1}". Check that the bucket exists in the region, that objects exist under that prefix, and that your credentials may list the bucket (s3:ListBucket).', uri, name));
    const cacheDir = path.join(this.o.storageDir, 's3-cache');
    fs.mkdirSync(cacheDir, { recursive: true });
    const total = objects.reduce((a, o) => a + o.size, 0);
    let done = 0;
    let cached = 0;
    for (const [i, o] of objects.entries()) {
      const cacheFile = path.join(cacheDir, s3CacheName(bucket, o.key, o.etag));
      if (fs.existsSync(cacheFile)) cached++;
      else {
        this.sys(t('Downloading {0} ({1}/{2}, {3})', `s3://${bucket}/${o.key}`, i + 1, objects.length, formatBytes(o.size)));
        let last = 0;
        await s3.downloadToFile(bucket, o.key, cacheFile, {
          signal: this.abort.signal,
          onProgress: (n) => {
            if (n - last > 8 * 1024 * 1024) {
              last = n;
              this.sys(`  ${t('{0} of {1}', formatBytes(done + n), formatBytes(total))}`);
            }
          },
        });
      }
      done += o.size;
      const target = path.join(dir, ...s3RelativePath(prefix, o.key).split('/'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      try {
        fs.linkSync(cacheFile, target);
      } catch {
        fs.copyFileSync(cacheFile, target);
      }
    }
    const what = objects.length === 1
      ? t('Input "{0}": 1 object, {1} from {2}', name, formatBytes(total), uri)
      : t('Input "{0}": {1} objects, {2} from {3}', name, objects.length, formatBytes(total), uri);
    this.sys(cached ? `${what} ${t('({0} from the cache)', cached)}` : what);
  }

  private prepareOutputRoot(): string {
    const root = localOutputDir(this.o.workspaceDir, this.o.spec.jobName);
    if (!this.o.spec.outputs.length) return root;
    try {
      fs.mkdirSync(root, { recursive: true });
      fs.accessSync(root, fs.constants.W_OK);
      const probe = path.join(root, `.write-test-${this.runId}`);
      fs.writeFileSync(probe, '');
      fs.rmSync(probe);
    } catch (err) {
      throw new Error(t('The output folder {0} is not writable: {1}', root, (err as Error).message));
    }
    return root;
  }

  /** Runs every instance; resolves with the first failure (the others are then killed), or undefined. */
  private async runContainers(plan: LocalPlan): Promise<{ host: string; code: number; tail: string[] } | undefined> {
    const multi = plan.hosts.length > 1;
    let firstFailure: { host: string; code: number; tail: string[] } | undefined;
    await Promise.all(plan.hosts.map(async (h) => {
      const tail = new LineTail(20);
      const out = new LineSplitter((l) => this.o.onLine?.(l, 'stdout', multi ? h.host : undefined));
      const err = new LineSplitter((l) => {
        tail.push(l);
        this.o.onLine?.(l, 'stderr', multi ? h.host : undefined);
      });
      const outDec = new TextDecoder();
      const errDec = new TextDecoder();
      const onOut = (d: Buffer) => out.push(outDec.decode(d, { stream: true }));
      const onErr = (d: Buffer) => err.push(errDec.decode(d, { stream: true }));
      // With an attacher: create, attach (one ordered stream of both), then `start -a` only for the exit code.
      let attachment: Attachment | undefined;
      let args = h.runArgs;
      if (this.attacher) {
        const created = await this.o.cli.exec(['create', ...h.runArgs.slice(1)], { signal: this.abort.signal, allowFailure: true }).catch((e: Error) => ({ code: 127, stderr: e.message, stdout: '' }));
        if (created.code !== 0) {
          for (const l of (created.stderr || created.stdout).trim().split('\n').filter(Boolean)) tail.push(l);
          if (!firstFailure) firstFailure = { host: h.host, code: created.code ?? 125, tail: tail.get() };
          return;
        }
        try {
          attachment = await this.attacher(h.containerName, (stream, d) => (stream === 'stdout' ? onOut(d) : onErr(d)));
        } catch (e) {
          this.sys(t('warning: {0}', `${h.host}: ${(e as Error).message}`));
        }
        args = ['start', '-a', h.containerName];
        if (this.stopRequested) {
          attachment?.close();
          return;
        }
      }
      await new Promise<void>((resolve) => {
        const child = this.o.cli.spawn(args);
        this.children.set(h.host, child);
        this.started.add(h.host);
        if (this.bridges.has(h.host)) this.watchDebug(h.host);
        // Attached through the API: the CLI's own copies of the output are read and dropped.
        child.stdout!.on('data', attachment ? () => undefined : onOut);
        child.stderr!.on('data', attachment ? () => undefined : onErr);
        child.stdin!.on('error', () => undefined); // the container may exit before stdin closes (EPIPE)
        child.stdin!.end();
        let spawnError: Error | undefined;
        child.on('error', (e) => (spawnError = e));
        child.on('close', (code) => {
          // The engine closes the attach connection once the container stopped: its last frames come before that.
          const drained = attachment ? Promise.race([attachment.ended, new Promise<void>((r) => setTimeout(r, 10_000).unref())]) : Promise.resolve();
          void drained.then(() => {
            attachment?.close();
            out.end();
            err.end();
            this.children.delete(h.host);
            const c = spawnError ? 127 : code ?? 137;
            if (spawnError) tail.push(spawnError.message);
            if (c !== 0 && !firstFailure) {
              firstFailure = { host: h.host, code: c, tail: tail.get() };
              // SageMaker ends the whole job when one instance fails.
              if (multi && !this.stopRequested) void this.killContainers();
            }
            resolve();
          });
        });
      });
    }));
    return firstFailure;
  }

  /** Debug mode: the debugpy entrypoint, the spec with its runproc variant, the hosts that wait, the debugpy mount. */
  private prepareDebug(): { spec: ContainerSpec; python: string; plan: NonNullable<Parameters<typeof planLocalRun>[1]['debug']> } {
    const d = this.o.debug!;
    const dir = debugpyPackageDir(d.debugpyDir);
    if (!dir) throw new Error(t('No debugpy package at {0} (a folder with debugpy\'s __main__.py).', d.debugpyDir));
    let ep: ReturnType<typeof debugEntrypoint>;
    try {
      ep = debugEntrypoint(this.o.spec);
    } catch (err) {
      throw new Error(t('Cannot debug this job: {0}.', (err as Error).message));
    }
    const hosts = debugHosts(Array.from({ length: Math.max(1, this.o.spec.instanceCount) }, (_, i) => `algo-${i + 1}`), d.instances ?? 'first');
    this.sys(hosts.length === 1
      ? t('Debug mode: {0} starts the script under debugpy ({1}, mounted read-only) and waits for a debugger', hosts.join(', '), dir)
      : t('Debug mode: {0} start the script under debugpy ({1}, mounted read-only) and wait for a debugger', hosts.join(', '), dir));
    return { spec: debugSpec(this.o.spec, ep), python: ep.python, plan: { hosts, entrypoint: ep.entrypoint, mounts: [debugpyMount(dir)] } };
  }

  private async openBridges(plan: LocalPlan, python: string): Promise<void> {
    const d = this.o.debug!;
    const hosts = plan.hosts.filter((h) => d.instances === 'all' || h.host === 'algo-1');
    for (const [i, h] of hosts.entries()) {
      const bridge = await DebugBridge.open({
        cli: this.o.cli, container: h.containerName, python, port: d.port ? d.port + i : 0, waitSeconds: d.waitSeconds ?? 120,
        onLine: (l) => this.sys(l), gone: () => this.isOver() || (this.started.has(h.host) && !this.children.has(h.host)), started: () => this.started.has(h.host), signal: this.abort.signal,
      });
      this.bridges.set(h.host, bridge);
    }
  }

  /** Tells when an instance's debugpy listens (or why it never will). */
  private watchDebug(host: string): void {
    const bridge = this.bridges.get(host)!;
    bridge.waitReady().then(() => {
      const e: DebugEndpoint = { host, port: bridge.port, pathMappings: debugPathMappings(this.o.spec) };
      this.debugEndpoints.push(e);
      this.sys(t('{0}: debugpy is waiting for a debugger on {1}', host, `127.0.0.1:${bridge.port}`));
      this.o.debug?.onReady?.(e);
    }, (err: Error) => {
      if (!this.stopRequested && !this.isOver()) this.sys(t('warning: {0}', `${host}: ${err.message}`));
    });
  }

  private async cleanup(stageDir: string | undefined): Promise<void> {
    const { cli } = this.o;
    for (const b of this.bridges.values()) b.close();
    const plan = this.plan;
    if (plan) {
      const names = plan.hosts.map((h) => h.containerName);
      await cli.exec(['rm', '-f', ...names], { allowFailure: true }).catch(() => undefined);
      if (plan.network.mode === 'private') await cli.exec(['network', 'rm', plan.network.name], { allowFailure: true }).catch(() => undefined);
    }
    if (!stageDir) return;
    const runs = path.join(this.o.storageDir, 'runs') + path.sep;
    if (!stageDir.startsWith(runs)) return; // only ever delete our own staging folder
    try {
      fs.rmSync(stageDir, { recursive: true, force: true });
    } catch {
      // Files the container wrote as another user (root): let a container delete them, then retry.
      if (this.image) {
        await cli.exec(['run', '--rm', '--network', 'none', '--mount', `type=bind,source=${stageDir},target=/stage`, '--entrypoint', 'rm', this.image, '-rf', '/stage/output'], { allowFailure: true }).catch(() => undefined);
      }
      fs.rmSync(stageDir, { recursive: true, force: true });
    }
  }
}

/**
 * Uploads a local run's outputs (`<outputRoot>/<output>/…`) to their S3 destinations, as SageMaker does at the end of
 * a job: key = the destination's prefix + the file's path in the output folder. Outputs without a known destination
 * are reported as kept locally only. Throws on the first failed upload.
 */
export async function uploadLocalOutputs(o: { outputs: { name: string; destination?: string }[]; outputRoot: string; s3: S3Port; onLine: (line: string) => void; signal?: AbortSignal }): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const out of o.outputs) {
    const dir = path.join(o.outputRoot, out.name);
    if (!out.destination || !outputUploadTarget(out.destination, 'x')) {
      o.onLine(t('Output "{0}": its S3 destination is not known locally (it needs the account or the default bucket); kept locally only in {1}', out.name, dir));
      continue;
    }
    // Walked without blocking; links and special files the container left are not uploaded.
    const rels = fs.existsSync(dir) ? (await listFilesAsync(dir, () => false)).map((r) => r.split('/').join(path.sep)) : [];
    let total = 0;
    for (const [i, rel] of rels.entries()) {
      const file = path.join(dir, rel);
      const target = outputUploadTarget(out.destination, rel.split(path.sep).join('/'))!;
      const size = (await fs.promises.stat(file)).size;
      o.onLine(t('Uploading {0} to {1} ({2}/{3}, {4})', rel.split(path.sep).join('/'), `s3://${target.bucket}/${target.key}`, i + 1, rels.length, formatBytes(size)));
      let last = 0;
      try {
        await o.s3.upload(target.bucket, target.key, { file }, {
          signal: o.signal,
          onProgress: (n) => {
            if (n - last > 8 * 1024 * 1024) {
              last = n;
              o.onLine(`  ${t('{0} of {1}', formatBytes(n), formatBytes(size))}`);
            }
          },
        });
      } catch (err) {
        if (o.signal?.aborted) throw err;
        // Said as SageMaker says a failed output upload: which output, where, and what to check.
        const e = err as { name?: string; message?: string };
        const detail = e?.name && e.name !== 'Error' ? `${e.name}: ${e.message ?? ''}` : (e?.message ?? String(err));
        throw new Error(t('Failed to upload the output "{0}" to {1} ({2}). Check that the bucket exists in the region and that the role (locally: your credentials) has s3:PutObject on it.', out.name, out.destination, detail));
      }
      total += size;
    }
    files += rels.length;
    bytes += total;
    o.onLine(rels.length === 1
      ? t('Output "{0}": 1 file, {1} uploaded to {2}', out.name, formatBytes(total), out.destination)
      : t('Output "{0}": {1} files, {2} uploaded to {3}', out.name, rels.length, formatBytes(total), out.destination));
  }
  return { files, bytes };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

function describeError(err: unknown): string {
  if (err instanceof ContainerCliError) {
    if (err.kind === 'missing' || err.kind === 'stopped') return t('No container engine: {0}', err.message);
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Removes whatever a run left behind when its window went away mid-run (containers and network, by label). */
export async function cleanupRun(cli: ContainerCli, runId: string): Promise<void> {
  const ps = await cli.exec(['ps', '-aq', '--filter', `label=sagemaker-processing.local=${runId}`], { allowFailure: true }).catch(() => undefined);
  const ids = ps?.code === 0 ? ps.stdout.split(/\s+/).filter(Boolean) : [];
  if (ids.length) await cli.exec(['rm', '-f', ...ids], { allowFailure: true }).catch(() => undefined);
  await cli.exec(['network', 'rm', `smp-${runId}`], { allowFailure: true }).catch(() => undefined);
}

/** Starts a local run; `done` resolves with the final record (never rejects). */
export function startLocalRun(o: LocalRunOptions): LocalRun {
  return new LocalRun(o);
}
