// Submit: the census definition, from "run" to CreateProcessingJob returned (code and input upload included):
// ours (src/core/submit.ts over the AWS wrappers, bundled as it ships) vs the SageMaker Python SDK's
// ScriptProcessor(...).run(wait=False, logs=False) with the same arguments, both against moto.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Benchmark, BenchContext } from './lib/context';
import { capped, emptyOutput, interleaved, type BenchOutput } from './lib/figures';
import { lastJson, runMeasured } from './lib/measure';
import { median, pairRatios } from './lib/stats';
import { BENCH_TMP, PEER_PYTHON, ROOT, WORKERS } from './lib/paths';
import { scratchDir } from '../test/support/paths';
import { seedEcrImage } from '../test/support/ecrSeed';
import { startProxy } from '../test/support/proxy';
import type { ResolvedJob } from '../src/core/definition/types';

const JOB_KEY = 'census-preprocessing';
const AIM = 5;
/** Added to every call by the scripted proxy for the round-trip figures: a real region's round trip. */
const RTT_MS = 50;
const RTT_AIM = 3;

interface Sample { ms: number; warmMs: number; wallMs: number; rssMb: number; job: string }

/** The same job for the SDK, from the job ours resolved (so both send the same arguments). */
function sdkSpec(job: ResolvedJob): Record<string, unknown> {
  const local = job.inputs.filter((i) => i.source.kind !== 'content');
  if (local.length !== job.inputs.length) throw new Error('the census job has inline-content inputs, which ScriptProcessor cannot take');
  return {
    role: job.role,
    image: job.image,
    command: job.command,
    instanceType: job.instanceType,
    instanceCount: job.instanceCount,
    baseJobName: job.jobName.replace(/-\d{4}(?:-\d{2}){5}-\d{3}$/, ''),
    code: job.scriptPath,
    arguments: job.arguments,
    inputs: job.inputs.map((i) => ({ name: i.name, source: i.source.kind === 's3' ? i.source.uri : i.source.kind === 'local' ? i.source.path : '', destination: i.destination })),
    // No destination: the SDK picks its default, s3://<bucket>/<job>/output/<name>, as ours does.
    outputs: job.outputs.map((o) => ({ name: o.name, source: o.source })),
  };
}

export const submitBenchmark: Benchmark = {
  name: 'Submit',
  async run(ctx: BenchContext): Promise<BenchOutput> {
    const out = emptyOutput();
    await ctx.moto.reset();
    // Ours looks the image up in ECR before submitting: the example's image is there.
    await seedEcrImage(ctx.moto.endpoint, ctx.env.AWS_REGION ?? ctx.env.AWS_DEFAULT_REGION ?? 'us-east-1', 'sagemaker-processing-census', 'latest');
    const ws = path.join(scratchDir('bench-submit'), 'census');
    fs.cpSync(path.join(ROOT, 'examples', 'census'), ws, { recursive: true });
    const env = { ...ctx.env, SMP_BASE_IMAGE: '' };
    try {
      const ours = async (): Promise<Sample> => {
        const m = await runMeasured(process.execPath, [path.join(WORKERS, 'submitOurs.js'), ws, JOB_KEY], { env, cwd: ws });
        const r = lastJson<{ ms: number; warmMs: number; job: ResolvedJob }>(m, 'submitOurs');
        lastJob = r.job;
        return { ms: r.ms, warmMs: r.warmMs, wallMs: m.wallMs, rssMb: m.maxRssMb, job: r.job.jobName };
      };
      // One submission of ours first: its request gives the SDK the same arguments (role, image, command, I/O).
      let lastJob: ResolvedJob | undefined;
      await ours();
      const spec = sdkSpec(lastJob!);
      const specFile = path.join(BENCH_TMP, 'submit-spec.json');
      fs.writeFileSync(specFile, JSON.stringify(spec, null, 2));
      const sdk = async (): Promise<Sample> => {
        const m = await runMeasured(PEER_PYTHON, [path.join(__dirname, 'peers', 'submit_sdk.py'), specFile], { env, cwd: ws });
        const r = lastJson<{ ms: number; warm_ms: number; job: string }>(m, 'submit_sdk.py');
        return { ms: r.ms, warmMs: r.warm_ms, wallMs: m.wallMs, rssMb: m.maxRssMb, job: r.job };
      };
      const kept = await interleaved(capped(ctx.plan, 5), [{ label: 'ours', run: ours }, { label: 'sdk', run: sdk }],
        (label, i, r) => ctx.log(`submit #${i + 1} ${label}: ${r.ms.toFixed(0)} ms in-process (then ${r.warmMs.toFixed(0)} ms warm), ${r.wallMs.toFixed(0)} ms process, job ${r.job}`));
      const o = kept.get('ours')!;
      const s = kept.get('sdk')!;
      const inProc = { ours: o.map((x) => x.ms), sdk: s.map((x) => x.ms) };
      const warm = { ours: o.map((x) => x.warmMs), sdk: s.map((x) => x.warmMs) };
      const whole = { ours: o.map((x) => x.wallMs), sdk: s.map((x) => x.wallMs) };
      const aim = (a: number[], b: number[]) => median(pairRatios(a, b)) >= AIM;
      out.figures.push(
        { group: 'Submit', name: 'census definition → CreateProcessingJob returned: whole command, start to exit (2 submissions)', unit: 'ms',
          ours: { label: 'node (bundled core + SDK)', values: whole.ours }, peers: [{ label: 'python + sagemaker SDK', values: whole.sdk }],
          aim: `≥ ${AIM}× faster`, aimMet: aim(whole.ours, whole.sdk),
          note: 'a fresh process each run that submits twice (cold, then warm), as a script would: for the SDK this includes `import sagemaker`, the bulk of its time.' },
        { group: 'Submit', name: 'first submission in a process, in-process (upload included)', unit: 'ms',
          ours: { label: 'core submitJob', values: inProc.ours }, peers: [{ label: 'Session() + ScriptProcessor.run(wait=False)', values: inProc.sdk }],
          aim: `≥ ${AIM}× faster`, aimMet: aim(inProc.ours, inProc.sdk),
          note: 'timing starts after the imports: ours at submitJob (parse, validate, STS, bucket, uploads, create; the SDK bundle is parsed at start-up), the SDK at Session() + ScriptProcessor(...) through run(). Same role, image, command, inputs, outputs and arguments (from the job ours resolved). Dominated by the emulator\'s answers to the same six calls.' },
        { group: 'Submit', name: 'next submission in the same process (the editor\'s and notebook\'s usual case)', unit: 'ms',
          ours: { label: 'core submitJob', values: warm.ours }, peers: [{ label: 'ScriptProcessor.run(wait=False), same Session', values: warm.sdk }],
          aim: `≥ ${AIM}× faster`, aimMet: aim(warm.ours, warm.sdk) },
        { group: 'Submit', name: 'whole command: peak memory (process RSS)', unit: 'MB',
          ours: { label: 'node worker (bundled)', values: o.map((x) => x.rssMb) }, peers: [{ label: 'python script', values: s.map((x) => x.rssMb) }] },
      );
      // The same two contenders through the scripted proxy, which holds every call for RTT_MS before passing it on:
      // what a real region's round trips cost, which loopback hides. Sequential calls show up, parallel ones do not.
      const proxy = await startProxy(ctx.moto.endpoint);
      proxy.add({ match: () => true, action: { kind: 'delay', ms: RTT_MS } });
      try {
        const slowEnv = { ...env, AWS_ENDPOINT_URL: proxy.url };
        const oursSlow = async (): Promise<Sample> => {
          const m = await runMeasured(process.execPath, [path.join(WORKERS, 'submitOurs.js'), ws, JOB_KEY], { env: slowEnv, cwd: ws });
          const r = lastJson<{ ms: number; warmMs: number; job: ResolvedJob }>(m, 'submitOurs');
          return { ms: r.ms, warmMs: r.warmMs, wallMs: m.wallMs, rssMb: m.maxRssMb, job: r.job.jobName };
        };
        const sdkSlow = async (): Promise<Sample> => {
          const m = await runMeasured(PEER_PYTHON, [path.join(__dirname, 'peers', 'submit_sdk.py'), specFile], { env: slowEnv, cwd: ws });
          const r = lastJson<{ ms: number; warm_ms: number; job: string }>(m, 'submit_sdk.py');
          return { ms: r.ms, warmMs: r.warm_ms, wallMs: m.wallMs, rssMb: m.maxRssMb, job: r.job };
        };
        const slow = await interleaved(capped(ctx.plan, 5), [{ label: 'ours', run: oursSlow }, { label: 'sdk', run: sdkSlow }],
          (label, i, r) => ctx.log(`submit +${RTT_MS} ms/call #${i + 1} ${label}: ${r.ms.toFixed(0)} ms first, ${r.warmMs.toFixed(0)} ms next`));
        const so = slow.get('ours')!;
        const ss = slow.get('sdk')!;
        const rttAim = (a: number[], b: number[]) => median(pairRatios(a, b)) >= RTT_AIM;
        out.figures.push(
          { group: 'Submit', name: `next submission in the same process, ${RTT_MS} ms added to every call`, unit: 'ms',
            ours: { label: 'core submitJob', values: so.map((x) => x.warmMs) }, peers: [{ label: 'ScriptProcessor.run(wait=False), same Session', values: ss.map((x) => x.warmMs) }],
            aim: `≥ ${RTT_AIM}× faster`, aimMet: rttAim(so.map((x) => x.warmMs), ss.map((x) => x.warmMs)),
            note: `through the scripted proxy holding every call ${RTT_MS} ms (a region's round trip). Ours: account, bucket and a found image cached per target, the uploads in parallel, then CreateProcessingJob (2 round trips). The SDK asks STS for the account before each upload to its default bucket (ExpectedBucketOwner) and uploads one file after the other (5 round trips). Why the ${RTT_AIM}× aim is out of reach without giving up something users rely on: each call costs the ${RTT_MS} ms plus the emulator's own time (a 180 KB PutObject about 35 ms, CreateProcessingJob about 20 ms, GetCallerIdentity about 15 ms, from the proxy's request log), so the SDK's five calls cost about 370 ms and our two about 155 ms before any work of ours: a ceiling near 2.4×. Going further means either creating the job before its code is uploaded (a failed upload would leave a started job behind) or storing code and local inputs under content-addressed keys reused across runs (no re-upload, but not the SDK's s3://<bucket>/<job>/input/… layout, which the parity test holds us to). We keep both promises and miss the aim.` },
          { group: 'Submit', name: `first submission in a process, ${RTT_MS} ms added to every call`, unit: 'ms',
            ours: { label: 'core submitJob', values: so.map((x) => x.ms) }, peers: [{ label: 'Session() + ScriptProcessor.run(wait=False)', values: ss.map((x) => x.ms) }],
            aim: `≥ ${RTT_AIM}× faster`, aimMet: rttAim(so.map((x) => x.ms), ss.map((x) => x.ms)),
            note: 'ours: STS, then the bucket probe beside the ECR image lookup, the uploads in parallel, CreateProcessingJob; the SDK: STS, ListBuckets, HeadBucket (twice), then STS + PutObject per file, CreateProcessingJob.' },
        );
      } finally {
        await proxy.stop();
      }
    } finally {
      fs.rmSync(path.dirname(ws), { recursive: true, force: true });
    }
    return out;
  },
};
