// The whole local cloud, as the demo and the tests use it: moto, the TLS registry under the ECR host name (accepting
// moto's ECR token), a private dockerd that resolves that name to the registry, and the local SageMaker backend.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startMoto, TEST_ACCOUNT, TEST_REGION, type Moto } from '../moto';
import { DOCKER_CLI, loadBaseImage, startDockerd, type Dockerd } from '../dockerd';
import { namespaceFor, randomLoopbackIp, startRegistry, type Registry } from '../registry';
import { scratchDir } from '../paths';
import { startLocalSageMaker, type LocalSageMaker, type LocalSageMakerOptions } from './backend';
import { startEcrSync, type EcrSync } from './ecrSync';

export const ECR_HOST = `${TEST_ACCOUNT}.dkr.ecr.${TEST_REGION}.amazonaws.com`;
/** moto's GetAuthorizationToken is base64 of `AWS:<registryId>-auth-token`: the registry's htpasswd accepts it. */
export const ECR_PASSWORD = `${TEST_ACCOUNT}-auth-token`;

export interface LocalCloud {
  moto: Moto;
  /** The registry behind ECR_HOST (absent with `registry: false`). */
  registry?: Registry;
  dockerd: Dockerd;
  backend: LocalSageMaker;
  /** Puts what is pushed to the registry into moto's ECR (absent with `registry: false`). */
  ecrSync?: EcrSync;
  /** The endpoint to give the extension, the CLI or an SDK: the backend (which forwards everything else to moto). */
  endpoint: string;
  stop(): Promise<void>;
}

export interface LocalCloudOptions {
  /** Start the TLS registry under the ECR host name (default true). */
  registry?: boolean;
  /** Import the offline base image into the dockerd (default true). */
  baseImage?: boolean;
  backend?: Partial<Omit<LocalSageMakerOptions, 'motoEndpoint' | 'containerCli' | 'containerEnv' | 'workDir'>>;
  /** Progress lines. */
  say?: (line: string) => void;
}

export async function startLocalCloud(o: LocalCloudOptions = {}): Promise<LocalCloud> {
  const say = o.say ?? (() => undefined);
  const started: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const s of started.reverse()) await s().catch(() => undefined);
  };
  try {
    const moto = await startMoto();
    started.push(async () => {
      await moto.stop();
      if (moto.service) fs.rmSync(path.dirname(moto.service.logFile), { recursive: true, force: true });
    });
    say(`moto (AWS API emulator) at ${moto.endpoint}`);
    let registry: Registry | undefined;
    let ecrSync: EcrSync | undefined;
    let dockerd: Dockerd;
    if (o.registry !== false) {
      const ip = randomLoopbackIp();
      const sync = await startEcrSync({ ecrEndpoint: moto.endpoint, region: TEST_REGION, auth: { user: 'AWS', password: ECR_PASSWORD }, log: o.backend?.log });
      ecrSync = sync;
      started.push(() => sync.stop());
      registry = await startRegistry({ user: 'AWS', password: ECR_PASSWORD, tls: { host: ECR_HOST, ip }, notify: sync.url });
      const reg = registry;
      sync.attach(reg);
      started.push(() => reg.stop());
      say(`registry at https://${ECR_HOST} (${ip}:443, only inside the private dockerd's mount namespace)`);
      const ns = scratchDir('ns');
      started.push(async () => fs.rmSync(ns, { recursive: true, force: true }));
      dockerd = await startDockerd({ wrap: namespaceFor(ECR_HOST, ip, registry.caCert!, ns), baseImage: o.baseImage !== false });
    } else {
      dockerd = await startDockerd({ baseImage: o.baseImage !== false });
    }
    const d = dockerd;
    started.push(() => d.stop());
    say(`private dockerd at ${dockerd.env.DOCKER_HOST}`);
    if (o.baseImage !== false) {
      say('the offline base image (python3, pandas, scikit-learn): from the cached image store, or imported (10–40 s)…');
      await loadBaseImage(dockerd);
    }
    const workDir = scratchDir('local-sagemaker');
    started.push(async () => fs.rmSync(workDir, { recursive: true, force: true }));
    const backend = await startLocalSageMaker({
      motoEndpoint: moto.endpoint, containerCli: DOCKER_CLI, containerEnv: { DOCKER_HOST: dockerd.env.DOCKER_HOST }, workDir,
      ...(ecrSync ? { beforeForward: ecrSync.beforeForward } : {}), ...o.backend,
    });
    started.push(() => backend.stop());
    say(`local SageMaker backend at ${backend.url} (Processing jobs run in the private dockerd; everything else goes to moto)`);
    return { moto, registry, ecrSync, dockerd, backend, endpoint: backend.url, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
