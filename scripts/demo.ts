// The demo: a whole local cloud and the extension on a fresh copy of examples/census in code-server.
//  - as root with dockerd installed: moto, the TLS registry behind the ECR host name (accepting moto's ECR token), a
//    private dockerd that resolves that name, and the local SageMaker backend in front of moto, so "Build and Push"
//    pushes and "Run as Processing Job" really runs (logs, status, Stop, outputs in S3);
//  - otherwise: moto alone (jobs are Completed at once and run nothing) and a running container engine if any.
// Ctrl+C, SIGINT, SIGTERM or SIGHUP to the command the user typed (or its parent going away) stops everything it
// started (and nothing else) and removes its temporary folders.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startPrivateMoto, type Moto } from '../test/support/moto';
import { seedEcrImage } from '../test/support/ecrSeed';
import { startCodeServer, type CodeServer } from '../test/support/codeServer';
import { DOCKER_CLI } from '../test/support/dockerd';
import { run } from '../test/support/proc';
import { BASE_IMAGE, BASE_IMAGE_TAR, CACHE, ROOT, scratchDir } from '../test/support/paths';
import { ECR_HOST, startLocalCloud, type LocalCloud } from '../test/support/localSageMaker/stack';

const PUBLIC_BASE = 'python:3.12-slim';

function log(msg: string): void {
  console.log(`\x1b[1;34m[demo]\x1b[0m ${msg}`);
}

/** The variables the CLI needs beside the demo, in the order they are printed. */
const ENV_KEYS = ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'DOCKER_HOST', 'DOCKER_CONFIG', 'SMP_BASE_IMAGE', 'SMP_CONTAINER_CLI'];

/**
 * The ready-to-paste block for a shell beside the demo: the endpoint, region, the demo's dummy credentials (moto's;
 * never real ones), the private dockerd, a DOCKER_CONFIG inside the demo's folder (so `docker login` writes nothing
 * under ~/.docker) and the offline base image. Values are single-quoted for sh.
 */
export function envBlock(env: Record<string, string>): string {
  const q = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  return ENV_KEYS.filter((k) => env[k]).map((k) => `export ${k}=${q(env[k])}`).join('\n') + '\n';
}

/** Where running demos leave their environment block (`npm run demo -- --env` prints the newest live one). */
export function demoStateDir(): string {
  return process.env.SMP_DEMO_STATE_DIR || path.join(CACHE, 'demo');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The environment block of the newest running demo (its state file `<pid>.env`), or undefined when none runs. */
export function runningDemoEnv(): string | undefined {
  const dir = demoStateDir();
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => /^\d+\.env$/.test(f));
  } catch {
    return undefined;
  }
  const live = files
    .map((f) => ({ file: path.join(dir, f), pid: Number(f.split('.')[0]) }))
    .filter((x) => alive(x.pid))
    .map((x) => ({ ...x, mtime: fs.statSync(x.file).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  return live.length ? fs.readFileSync(live[0].file, 'utf8') : undefined;
}

/** The debugpy folder setup caches for the demo and the tests, when it is there. */
export function demoDebugpy(): string | undefined {
  const libs = path.join(CACHE, 'debugpy', 'libs');
  return fs.existsSync(path.join(libs, 'debugpy', '__main__.py')) ? libs : undefined;
}

export interface Demo {
  /** The census copy the workbench opens. */
  workspace: string;
  /** The AWS endpoint the extension uses (the backend, or moto without one). */
  endpoint: string;
  cloud?: LocalCloud;
  moto: Moto;
  codeServer?: CodeServer;
  /** DOCKER_CONFIG the extension's build task logs in with. */
  dockerConfig?: string;
  /** Environment of the extension host. */
  env: Record<string, string>;
  settings: Record<string, unknown>;
  url?: string;
  /** The environment block for the CLI beside the demo (also in the state file `npm run demo -- --env` prints). */
  envBlock: string;
  stop(): Promise<void>;
}

async function engineAnswers(env: NodeJS.ProcessEnv): Promise<boolean> {
  return run(DOCKER_CLI, ['version', '--format', '{{.Server.Version}}'], { env }).then(() => true, () => false);
}

/** Without root: moto alone, and the running engine (if any) for "Run locally". */
async function fallbackEngine(): Promise<{ env: Record<string, string>; describe: string }> {
  if (!(await engineAnswers(process.env))) return { env: {}, describe: 'none ("Run locally" will say so)' };
  const docker = (args: string[]) => run(DOCKER_CLI, args, { env: process.env });
  if (await docker(['image', 'inspect', PUBLIC_BASE]).then(() => false, () => true)) {
    const pulled = await Promise.race([
      docker(['pull', PUBLIC_BASE]).then(() => true, () => false),
      new Promise<boolean>((r) => setTimeout(() => r(false), 90_000)),
    ]);
    if (!pulled && fs.existsSync(BASE_IMAGE_TAR)) {
      if (await docker(['image', 'inspect', BASE_IMAGE]).then(() => false, () => true)) await docker(['import', '--change', 'ENV PYTHONUNBUFFERED=TRUE', BASE_IMAGE_TAR, BASE_IMAGE]);
      return { env: { SMP_BASE_IMAGE: BASE_IMAGE }, describe: `the running container engine (${process.env.DOCKER_HOST ?? 'default socket'})` };
    }
  }
  return { env: {}, describe: `the running container engine (${process.env.DOCKER_HOST ?? 'default socket'})` };
}

/**
 * Starts the demo's parts. `codeServer: false` starts the cloud only (the tests use it); `port` is code-server's.
 * The returned stop() ends everything this started, in reverse order, and removes the temporary folders.
 */
export async function startDemo(o: { port?: number; codeServer?: boolean; say?: (l: string) => void; cleanups?: (() => Promise<void>)[] } = {}): Promise<Demo> {
  const say = o.say ?? log;
  // The caller may own the list, so that a signal during start-up stops what was started so far.
  const cleanups = o.cleanups ?? [];
  const stop = async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  };
  try {
    const scratch = scratchDir('demo');
    cleanups.push(async () => fs.rmSync(scratch, { recursive: true, force: true }));
    const workspace = path.join(scratch, 'census');
    fs.cpSync(path.join(ROOT, 'examples', 'census'), workspace, { recursive: true });
    let cloud: LocalCloud | undefined;
    let moto: Moto;
    let env: Record<string, string>;
    let settings: Record<string, unknown>;
    let engineText: string;
    let dockerConfig: string | undefined;
    const canRoot = process.getuid?.() === 0 && ['/usr/sbin/dockerd', '/usr/bin/dockerd'].some((p) => fs.existsSync(p)) && process.env.SMP_DEMO_NO_BACKEND !== '1';
    if (canRoot) {
      cloud = await startLocalCloud({ say });
      cleanups.push(() => cloud!.stop());
      moto = cloud.moto;
      dockerConfig = path.join(scratch, 'dockercfg');
      fs.mkdirSync(dockerConfig);
      env = {
        ...moto.env, AWS_ENDPOINT_URL: cloud.endpoint, DOCKER_HOST: cloud.dockerd.env.DOCKER_HOST, DOCKER_CONFIG: dockerConfig, SMP_BASE_IMAGE: BASE_IMAGE,
        ...(DOCKER_CLI !== 'docker' ? { SMP_CONTAINER_CLI: DOCKER_CLI } : {}),
      };
      settings = {
        'sagemakerProcessing.endpointUrl': cloud.endpoint,
        'sagemakerProcessing.region': 'us-east-1',
        'sagemakerProcessing.containerCli': DOCKER_CLI,
        'sagemakerProcessing.dockerConfig': dockerConfig,
      };
      engineText = `a private dockerd at ${cloud.dockerd.env.DOCKER_HOST}`;
    } else {
      say('not root (or no dockerd): moto alone — cloud jobs are Completed at once and run nothing; no registry for Build and Push');
      const privateMoto = await startPrivateMoto();
      moto = privateMoto;
      cleanups.push(async () => {
        await moto.stop();
        fs.rmSync(path.dirname(privateMoto.service!.logFile), { recursive: true, force: true });
      });
      const e = await fallbackEngine();
      env = { ...moto.env, ...e.env };
      // No registry to push to: Run submits the census image as it is in (moto's) ECR, without building first.
      await seedEcrImage(moto.endpoint, 'us-east-1', 'sagemaker-processing-census', 'latest');
      settings = { 'sagemakerProcessing.endpointUrl': moto.endpoint, 'sagemakerProcessing.region': 'us-east-1', 'sagemakerProcessing.buildBeforeRun': false };
      engineText = e.describe;
    }
    // Debug Locally works out of the box: the debugpy setup caches (scripts/setup.sh --only debugpy), mounted
    // read-only into the job's container, so neither the Python Debugger extension nor a setting change is needed.
    const debugpy = demoDebugpy();
    if (debugpy) settings['sagemakerProcessing.debugpyPath'] = debugpy;
    else say(`no debugpy under ${CACHE}/debugpy (scripts/setup.sh --only debugpy): Debug Locally will offer to install it`);
    // Machine-overridable settings also in the workspace: code-server's window is a remote one.
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
    const block = envBlock(env);
    const stateDir = demoStateDir();
    fs.mkdirSync(stateDir, { recursive: true });
    const stateFile = path.join(stateDir, `${process.pid}.env`);
    fs.writeFileSync(stateFile, block, { mode: 0o600 });
    cleanups.push(async () => fs.rmSync(stateFile, { force: true }));
    const demo: Demo = { workspace, endpoint: cloud?.endpoint ?? moto.endpoint, cloud, moto, dockerConfig, env, settings, envBlock: block, stop };
    if (o.codeServer !== false) {
      const cs = await startCodeServer({ folder: workspace, port: o.port, env, settings });
      cleanups.push(() => cs.stop());
      demo.codeServer = cs;
      demo.url = `${cs.url}/?folder=${encodeURIComponent(workspace)}`;
    }
    say(`ready: workspace ${workspace}, AWS endpoint ${demo.endpoint}, container engine ${engineText}`);
    return demo;
  } catch (err) {
    await stop();
    throw err;
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--env')) {
    const block = runningDemoEnv();
    if (!block) {
      console.error('No demo is running (start one with `npm run demo`; this prints its environment block while it runs).');
      process.exit(1);
    }
    process.stdout.write(block);
    return;
  }
  const port = Number(process.env.SMP_DEMO_PORT ?? 8080);
  let demo: Demo | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  let stopping = false;
  const parent = process.ppid;
  const stop = async (code: number, why: string) => {
    if (stopping) return;
    stopping = true;
    log(`${why}: stopping everything the demo started (removing the private dockerd's data can take a minute)…`);
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
    log('stopped');
    process.exit(code);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void stop(0, sig));
  // npm does not pass a SIGTERM on to us: when the process that started us (npm) goes away, stop too.
  setInterval(() => {
    if (process.ppid !== parent) void stop(0, 'the npm process ended');
  }, 500).unref();
  try {
    demo = await startDemo({ port, cleanups });
    if (stopping) return;
    const backend = !!demo.cloud;
    console.log(`
SageMaker Processing demo is ready:

    ${demo.url}

  workspace          ${demo.workspace}
  AWS endpoint       ${demo.endpoint} (${backend ? 'the local SageMaker backend in front of moto' : 'moto'}; dummy credentials, account 123456789012)
${backend ? `  ECR registry       https://${ECR_HOST} (a local registry; moto's ECR token logs in)\n` : ''}
${backend ? `Open preprocessing.py and right-click it → "Run as Processing Job": the image is built and pushed, the job
runs in the local backend (status bar, live logs in its channel, Stop), and once Completed its context menu in the
explorer has "Download Outputs". "Run Locally in Docker" gives the same files in .sagemaker-local/.` : `Open preprocessing.py: "Run locally" (Docker; outputs in .sagemaker-local/) and "Run as Processing job"
(submitted to moto, which marks it Completed at once).`}
The CLI beside the demo: paste this into another shell at ${ROOT}, then e.g.
\`npx sagemaker-processing run census-preprocessing --folder ${demo.workspace} --wait\`
(\`npm run demo -- --env\` prints this block again while the demo runs):

${demo.envBlock}
Ctrl+C stops everything the demo started.
`);
    void demo.codeServer?.service.exit.then(() => {
      if (!stopping) void stop(1, 'code-server exited');
    });
  } catch (e) {
    console.error(`demo failed: ${e instanceof Error ? e.message : String(e)}`);
    await stop(1, 'failed');
  }
}

if (require.main === module) void main();
