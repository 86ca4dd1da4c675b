// The agent tools' context over the real AWS wrappers, for both front ends (the CLI's MCP server and the extension's
// language-model tools): definition files from the given folders, schedules, and — where writes are allowed — runs
// through the CLI's own run path (src/runPath.ts for SageMaker, src/local/cliRun.ts for Docker).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AwsClients } from './aws/index';
import { awsSchedulePorts } from './aws/schedulePorts';
import { customEndpoint } from './core/console';
import { DEFINITION_FILE } from './core/definition/types';
import { jobStateFrom } from './core/logs/run';
import { processSecrets } from './core/tools/safety';
import { pickDefinition, type DefinitionSource, type RunJobInput, type RunOutcome, type RunPlan, type RunPort, type ToolContext } from './core/tools/tools';
import { runLocalCli } from './local/cliRun';
import { definitionLocation, prepareCloudRun, submitCloudRun } from './runPath';
import { resolveLocalJob } from './core/local/definitionLite';
import { chooseJobInText } from './core/jobChoice';
import type { InputSource } from './core/definition/types';
import type { JobStatus } from './core/jobs';
import { t } from './core/l10n';
import { candidatesFor, mapWithCandidates } from './core/failure/paths';
import { cloudJobSummary, summaryLines } from './core/failure/summary';
import { definitionCandidates } from './core/local/failureMappings';

export interface AgentToolOptions {
  /** Folders whose .vscode/sagemaker-processing.json the tools see (the CLI: --folder or cwd; VS Code: the workspace). */
  folders: string[];
  /** Extra definition files (the CLI's --definition). */
  definitionFiles?: string[];
  /** Writes allowed (--allow-writes; a trusted workspace): run_job and stop_job exist. */
  allowWrites: boolean;
  role?: string;
  bucket?: string;
  allowOutsideWorkspace?: boolean;
  /** Seconds between polls when run_job waits (default 10). */
  pollSeconds?: number;
  /** Where build progress and run messages go (never to stdout: the MCP server speaks there). */
  log: (line: string) => void;
  failureSummary?: ToolContext['failureSummary'];
}

function readDefinitions(o: AgentToolOptions): DefinitionSource[] {
  const seen = new Set<string>();
  const out: DefinitionSource[] = [];
  const add = (file: string, folder: string) => {
    if (seen.has(file)) return;
    try {
      out.push({ file, folder, text: fs.readFileSync(file, 'utf8') });
      seen.add(file);
    } catch {
      // not there: not listed
    }
  };
  for (const f of o.definitionFiles ?? []) {
    const loc = definitionLocation(f, undefined);
    add(loc.definitionFile, loc.folder);
  }
  for (const folder of o.folders) add(path.join(folder, DEFINITION_FILE), folder);
  return out;
}

export function createToolContext(aws: AwsClients, o: AgentToolOptions): ToolContext {
  const ctx: ToolContext = {
    aws,
    region: async () => aws.current.region ?? (await (await aws.sts()).region()),
    endpoint: customEndpoint(aws.current.endpointUrl, process.env),
    definitions: async () => readDefinitions(o),
    env: process.env,
    fileExists: (p) => fs.existsSync(p),
    isDirectory: (p) => {
      try {
        return fs.statSync(p).isDirectory();
      } catch {
        return false;
      }
    },
    schedules: awsSchedulePorts(aws),
    secrets: processSecrets(process.env),
    failureSummary: o.failureSummary ?? ((d, logs) => toolFailureSummary(o, d, logs)),
  };
  if (o.allowWrites) ctx.runner = runPort(aws, o, ctx);
  return ctx;
}

function runPort(aws: AwsClients, o: AgentToolOptions, ctx: ToolContext): RunPort {
  const where = async (i: RunJobInput) => pickDefinition(ctx, i.definitionFile);
  return {
    async plan(i) {
      const def = await where(i);
      if (i.local) {
        const key = (await chooseJobInText(def.text, { jobKey: i.job, workspaceFolder: def.folder, definitionFile: def.file }))!;
        const r = resolveLocalJob(def.text, key, { workspaceDir: def.folder, env: process.env, region: aws.current.region, defaultBucket: o.bucket, argumentsOverride: i.arguments });
        const spec = r.spec;
        return {
          jobKey: key, definitionFile: def.file, local: true, jobName: spec.jobName, image: spec.image, instanceType: `${spec.instanceType} (played locally)`,
          instanceCount: spec.instanceCount, inputs: spec.inputs.filter((x) => x.source.kind !== 'content').map((x) => ({ name: x.name, source: sourceText(x.source) })),
          arguments: spec.arguments, builds: spec.imageSource === 'build',
        } satisfies RunPlan;
      }
      // `run --dry-run`: the same preparation, without building or submitting.
      const p = await prepareCloudRun(aws, { what: i.job, definitionFile: def.file, folder: def.folder, role: o.role, bucket: o.bucket, allowOutsideWorkspace: o.allowOutsideWorkspace, noBuild: true, argumentsOverride: i.arguments, buildWrite: () => undefined });
      if (!p) throw new Error(t('no job "{0}" in {1}', i.job, def.file));
      const c = p.request.ProcessingResources.ClusterConfig;
      return {
        jobKey: p.job.key, definitionFile: def.file, local: false, jobName: p.job.jobName, image: p.job.image,
        instanceType: c.InstanceType, instanceCount: c.InstanceCount,
        inputs: p.job.inputs.map((x) => ({ name: x.name, source: sourceText(x.source) })), arguments: p.job.arguments, builds: !!p.job.build,
      };
    },
    async run(i, signal) {
      const def = await where(i);
      if (i.local) {
        const tail: string[] = [];
        const keep = (l: string) => {
          tail.push(l);
          if (tail.length > 40) tail.shift();
        };
        let end: { jobName: string; status: string; failureReason?: string; exitMessage?: string } | undefined;
        const code = await runLocalCli({ what: i.job, definitionFile: def.file, folder: def.folder, aws, out: keep, err: keep, defaultBucket: o.bucket, allowOutsideWorkspace: o.allowOutsideWorkspace, argumentsOverride: i.arguments, onEnd: (r) => (end = r) });
        if (!end) throw new Error(t('the local run did not start (exit code {0}): {1}', code, tail.slice(-5).join(' | ')));
        return { jobName: end.jobName, status: end.status as JobStatus, failureReason: end.failureReason, exitMessage: end.exitMessage, outputTail: tail } satisfies RunOutcome;
      }
      const p = await prepareCloudRun(aws, { what: i.job, definitionFile: def.file, folder: def.folder, role: o.role, bucket: o.bucket, allowOutsideWorkspace: o.allowOutsideWorkspace, argumentsOverride: i.arguments, buildWrite: (s) => o.log(s.replace(/\n$/, '')), signal });
      if (!p) throw new Error(t('no job "{0}" in {1}', i.job, def.file));
      const r = await submitCloudRun(aws, p, { signal, onProgress: (pr) => o.log(pr.message) });
      const out: RunOutcome = { jobName: p.job.jobName, arn: r.arn };
      if (!i.wait) return out;
      const w = await (await aws.sagemaker()).waitForJobEnd(p.job.jobName, { pollSeconds: o.pollSeconds ?? 10, signal });
      if (w.state !== 'ended') return { ...out, status: 'InProgress' };
      const s = jobStateFrom(w.description);
      return { ...out, status: s.status, failureReason: s.failureReason, exitMessage: s.exitMessage };
    },
  };
}

function sourceText(s: InputSource): string {
  return s.kind === 's3' ? s.uri : s.kind === 'local' ? s.path : `${Object.keys(s.files).length} generated files`;
}

/**
 * describe_job's failure summary: the same one the CLI and the editor show (src/core/failure), its frames mapped to the
 * files of the definitions the tools read, paths relative to the first folder. The caller frames it as untrusted job
 * output and redacts secrets.
 */
async function toolFailureSummary(o: AgentToolOptions, d: Parameters<NonNullable<ToolContext['failureSummary']>>[0], logs: Parameters<NonNullable<ToolContext['failureSummary']>>[1]): Promise<string | undefined> {
  const candidates = readDefinitions(o).flatMap((src) => definitionCandidates(src.text, src.folder, process.env));
  const ordered = candidatesFor(d.ProcessingJobName ?? '', candidates);
  const isFile = (p: string) => fs.existsSync(p) && fs.statSync(p).isFile();
  const summary = await cloudJobSummary(logs, d, (f) => mapWithCandidates(f, ordered, isFile)?.local);
  const base = o.folders[0] ?? process.cwd();
  return summary ? summaryLines(summary, (p) => path.relative(base, p) || p).join('\n') : undefined;
}
