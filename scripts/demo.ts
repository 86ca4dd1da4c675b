// The demo: moto as the AWS endpoint, a container engine for "Run locally" (a running one, or a private dockerd we
// start as root), and code-server with the built .vsix on a fresh copy of examples/census. Prints the URL; Ctrl+C stops
// everything this script started (and nothing else).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startMoto, type Moto } from '../test/support/moto';
import { seedEcrImage } from '../test/support/ecrSeed';
import { startCodeServer, type CodeServer } from '../test/support/codeServer';
import { DOCKER_CLI, loadBaseImage, startDockerd, type Dockerd } from '../test/support/dockerd';
import { run } from '../test/support/proc';
import { BASE_IMAGE, BASE_IMAGE_TAR, ROOT, CACHE } from '../test/support/paths';

const PUBLIC_BASE = 'python:3.12-slim';

function log(msg: string): void {
  console.log(`\x1b[1;34m[demo]\x1b[0m ${msg}`);
}

interface Engine {
  /** Environment for code-server's extension host (DOCKER_HOST of a private daemon, the base image override). */
  env: Record<string, string>;
  settings: Record<string, unknown>;
  dockerd?: Dockerd;
  describe: string;
}

async function engineAnswers(env: NodeJS.ProcessEnv): Promise<boolean> {
  return run(DOCKER_CLI, ['version', '--format', '{{.Server.Version}}'], { env }).then(() => true, () => false);
}

/** A running engine if there is one; else, as root with dockerd installed, a private daemon of our own. */
async function containerEngine(): Promise<Engine> {
  if (process.env.SMP_DEMO_PRIVATE_DOCKERD !== '1' && (await engineAnswers(process.env))) {
    const docker = (args: string[]) => run(DOCKER_CLI, args, { env: process.env });
    let env: Record<string, string> = {};
    if (await docker(['image', 'inspect', PUBLIC_BASE]).then(() => false, () => true)) {
      log(`pulling ${PUBLIC_BASE} for the census image…`);
      const pulled = await Promise.race([
        docker(['pull', PUBLIC_BASE]).then(() => true, () => false),
        new Promise<boolean>((r) => setTimeout(() => r(false), 90_000)),
      ]);
      if (!pulled) {
        if (!fs.existsSync(BASE_IMAGE_TAR)) throw new Error(`cannot pull ${PUBLIC_BASE} and the offline base image (${BASE_IMAGE_TAR}) is missing: run scripts/setup.sh as root`);
        log(`cannot pull ${PUBLIC_BASE}: importing the offline base image as ${BASE_IMAGE}`);
        if (await docker(['image', 'inspect', BASE_IMAGE]).then(() => false, () => true)) {
          await docker(['import', '--change', 'ENV PYTHONUNBUFFERED=TRUE', BASE_IMAGE_TAR, BASE_IMAGE]);
        }
        env = { SMP_BASE_IMAGE: BASE_IMAGE };
      }
    }
    return { env, settings: {}, describe: `the running container engine (${process.env.DOCKER_HOST ?? 'default socket'})` };
  }
  if (process.getuid?.() === 0 && ['/usr/sbin/dockerd', '/usr/bin/dockerd'].some((p) => fs.existsSync(p))) {
    log('no running container engine: starting a private dockerd (own data root and socket, no iptables)…');
    const dockerd = await startDockerd();
    log('importing the offline base image (python3, pandas, scikit-learn; 10–40 s)…');
    await loadBaseImage(dockerd);
    return {
      env: { ...dockerd.env, SMP_BASE_IMAGE: BASE_IMAGE },
      settings: { 'sagemakerProcessing.containerCli': DOCKER_CLI },
      dockerd,
      describe: `a private dockerd at ${dockerd.env.DOCKER_HOST}`,
    };
  }
  log('warning: no container engine, and not root to start one: "Run locally" will say so (cloud runs against moto still work)');
  return { env: {}, settings: {}, describe: 'none' };
}

async function main(): Promise<void> {
  const port = Number(process.env.SMP_DEMO_PORT ?? 8080);
  let moto: Moto | undefined;
  let cs: CodeServer | undefined;
  let engine: Engine | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping code-server, moto and the private dockerd (if started)…');
    await cs?.stop().catch(() => undefined);
    await moto?.stop().catch(() => undefined);
    await engine?.dockerd?.stop().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  try {
    // A fresh copy of the example each time (the demo's own folder under .cache; the example itself is never touched).
    const ws = path.join(CACHE, 'demo-workspace', 'census');
    fs.rmSync(ws, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(ws), { recursive: true });
    fs.cpSync(path.join(ROOT, 'examples', 'census'), ws, { recursive: true });

    engine = await containerEngine();
    moto = await startMoto();
    log(`moto (AWS API emulator) at ${moto.endpoint}`);
    // The demo has no ECR registry to push to: Run submits the census image as it is in (moto's) ECR.
    await seedEcrImage(moto.endpoint, 'us-east-1', 'sagemaker-processing-census', 'latest');
    cs = await startCodeServer({
      folder: ws,
      port,
      env: { ...moto.env, ...engine.env },
      settings: { 'sagemakerProcessing.endpointUrl': moto.endpoint, 'sagemakerProcessing.region': 'us-east-1', 'sagemakerProcessing.buildBeforeRun': false, ...engine.settings },
    });
    const url = `${cs.url}/?folder=${encodeURIComponent(ws)}`;
    console.log(`
SageMaker Processing demo is ready:

    ${url}

  workspace          ${ws}
  AWS endpoint       ${moto.endpoint} (moto; dummy credentials, account 123456789012)
  container engine   ${engine.describe}

Open preprocessing.py: its code lens has "Run locally" (Docker; outputs in .sagemaker-local/) and
"Run as Processing job" (submitted to moto). Ctrl+C stops everything the demo started.
`);
    void cs.service.exit.then(() => {
      if (!stopping) {
        log('code-server exited');
        void stop(1);
      }
    });
  } catch (e) {
    console.error(`demo failed: ${e instanceof Error ? e.message : String(e)}`);
    await stop(1);
  }
}

void main();
