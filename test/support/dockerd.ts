import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitFor } from './net';
import { BASE_IMAGE, BASE_IMAGE_TAR, requireFile, scratchDir } from './paths';
import { run, startService, type Service } from './proc';

export interface Dockerd {
  /** DOCKER_HOST and DOCKER_CONFIG for this private daemon; never the user's ~/.docker or system daemon. */
  env: { DOCKER_HOST: string; DOCKER_CONFIG: string };
  dir: string;
  service: Service;
  docker(args: string[], input?: string): Promise<{ stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

export const DOCKER_CLI = fs.existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';

/**
 * Starts a private dockerd (Debian docker.io) with its own data root, exec root and socket in a scratch folder.
 * It uses no default bridge and touches no iptables, so it coexists with other daemons on the machine.
 */
export async function startDockerd(opts: { insecureRegistries?: string[]; extraArgs?: string[]; wrap?: string[] } = {}): Promise<Dockerd> {
  const dockerdBin = ['/usr/sbin/dockerd', '/usr/bin/dockerd'].find((p) => fs.existsSync(p));
  if (!dockerdBin) throw new Error('dockerd is missing: run `npm run setup` (Debian package docker.io).');
  if (process.getuid?.() !== 0) throw new Error('the private dockerd needs root');
  const dir = scratchDir('dockerd');
  const sock = path.join(dir, 'docker.sock');
  const config = path.join(dir, 'config');
  fs.mkdirSync(config);
  const args = [
    '--data-root', path.join(dir, 'data'), '--exec-root', path.join(dir, 'exec'), '--pidfile', path.join(dir, 'dockerd.pid'),
    '-H', `unix://${sock}`, '--bridge=none', '--iptables=false', '--ip6tables=false', '--ip-masq=false',
    ...(opts.insecureRegistries ?? []).flatMap((r) => ['--insecure-registry', r]),
    ...(opts.extraArgs ?? []),
  ];
  const [cmd, ...pre] = opts.wrap?.length ? [...opts.wrap, dockerdBin] : [dockerdBin];
  const service = startService('dockerd', cmd, [...pre, ...args], path.join(dir, 'dockerd.log'));
  const env = { DOCKER_HOST: `unix://${sock}`, DOCKER_CONFIG: config };
  const docker = (a: string[], input?: string) => run(DOCKER_CLI, a, { env: { ...process.env, ...env }, input });
  await waitFor('dockerd to answer', async () => {
    if (!service.running) throw new Error(`dockerd exited: ${service.log().slice(-2000)}`);
    await docker(['version', '--format', '{{.Server.Version}}']);
    return true;
  }, 30_000, 200);
  return {
    env, dir, service, docker,
    async stop() {
      try {
        const ids = (await docker(['ps', '-aq'])).stdout.split(/\s+/).filter(Boolean);
        if (ids.length) await docker(['rm', '-f', ...ids]);
      } catch {
        /* daemon may already be gone */
      }
      await service.stop('SIGTERM', 10_000);
      await run('rm', ['-rf', dir]).catch(() => undefined);
    },
  };
}

/** Imports the offline base image (debootstrap bookworm + python3, pandas, scikit-learn) built by setup. */
export async function loadBaseImage(d: Dockerd): Promise<string> {
  const tar = requireFile(BASE_IMAGE_TAR, 'the offline base image');
  const have = await d.docker(['image', 'inspect', BASE_IMAGE]).then(() => true, () => false);
  if (!have) await d.docker(['import', '--change', 'ENV PYTHONUNBUFFERED=TRUE', tar, BASE_IMAGE]);
  return BASE_IMAGE;
}
