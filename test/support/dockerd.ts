import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitFor } from './net';
import { BASE_IMAGE, BASE_IMAGE_TAR, CACHE, requireFile, scratchDir } from './paths';
import { run, startService, type Service } from './proc';

export interface Dockerd {
  /** DOCKER_HOST and DOCKER_CONFIG for this private daemon; never the user's ~/.docker or system daemon. */
  env: { DOCKER_HOST: string; DOCKER_CONFIG: string };
  dir: string;
  service: Service;
  docker(args: string[], input?: string): Promise<{ stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

/** What `docker import` of the base image sets (the template's key includes it). */
const IMPORT_CHANGES = ['--change', 'ENV PYTHONUNBUFFERED=TRUE'];

export const DOCKER_CLI = fs.existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';

/**
 * Starts a private dockerd (Debian docker.io) with its own data root, exec root and socket in a scratch folder.
 * It uses no default bridge and touches no iptables, so it coexists with other daemons on the machine.
 */
export async function startDockerd(opts: {
  insecureRegistries?: string[]; extraArgs?: string[]; wrap?: string[];
  /** Start with the offline base image already in the image store (see seedBaseImage); loadBaseImage then finds it. */
  baseImage?: boolean;
} = {}): Promise<Dockerd> {
  const dockerdBin = ['/usr/sbin/dockerd', '/usr/bin/dockerd'].find((p) => fs.existsSync(p));
  if (!dockerdBin) throw new Error('dockerd is missing: run `npm run setup` (Debian package docker.io).');
  if (process.getuid?.() !== 0) throw new Error('the private dockerd needs root');
  const dir = scratchDir('dockerd');
  if (opts.baseImage) await seedBaseImage(dockerdBin, path.join(dir, 'data'));
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
      // The folder (with the base image's ~40,000 layer files) is removed in the background, so that the next test
      // file need not wait for it: moved aside first, so that nothing uses it again.
      try {
        const removed = `${dir}.removed`;
        fs.renameSync(dir, removed);
        spawn('rm', ['-rf', removed], { detached: true, stdio: 'ignore' }).unref();
      } catch {
        await run('rm', ['-rf', dir]).catch(() => undefined);
      }
    },
  };
}

/** Imports the offline base image (debootstrap bookworm + python3, pandas, scikit-learn) built by setup. */
export async function loadBaseImage(d: Dockerd): Promise<string> {
  const tar = requireFile(BASE_IMAGE_TAR, 'the offline base image');
  const have = await d.docker(['image', 'inspect', BASE_IMAGE]).then(() => true, () => false);
  if (!have) await d.docker(['import', ...IMPORT_CHANGES, tar, BASE_IMAGE]);
  return BASE_IMAGE;
}

// `docker import` of the base image tarball (~1 GB, ~40,000 files) takes 20–50 s on a loaded 2-core machine, and
// removing the daemon's copy again several more: once per test file that needs it. Instead, the first daemon that
// needs it imports it into a data root kept under .cache/dockerd-base/<key> (key: the tarball, its setup stamp and the
// dockerd binary), and each later daemon starts from a copy of that image store whose image layer files are hard
// links. Image layers are overlayfs lower layers, which nothing writes: a container or a build step writes to its own
// upper layer (copy-up), and removing an image or the daemon's folder only unlinks its links.

function baseTemplateDir(dockerdBin: string): string {
  const tar = fs.statSync(requireFile(BASE_IMAGE_TAR, 'the offline base image'));
  const bin = fs.statSync(dockerdBin);
  let stamp = '';
  try { stamp = fs.readFileSync(path.join(path.dirname(BASE_IMAGE_TAR), '.smp-stamp'), 'utf8'); } catch { /* none */ }
  const key = createHash('sha256').update(JSON.stringify([tar.size, tar.mtimeMs, stamp, bin.size, bin.mtimeMs, BASE_IMAGE, IMPORT_CHANGES])).digest('hex').slice(0, 16);
  return path.join(CACHE, 'dockerd-base', key);
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** The template data root (image/ and overlay2/ with the base image imported), made once per key. */
async function baseTemplate(dockerdBin: string): Promise<string> {
  const dir = baseTemplateDir(dockerdBin);
  const ready = path.join(dir, 'ready');
  if (fs.existsSync(ready)) return dir;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const lock = `${dir}.lock`;
  // One maker at a time (another lane's file may be making it): the lock is a folder holding the maker's pid.
  const mine = await waitFor('the base image template, made by another test process', () => {
    if (fs.existsSync(ready)) return 'ready';
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      return 'mine';
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let pid = 0;
    try { pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8')); } catch { /* being written */ }
    const since = fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if ((pid && !alive(pid)) || (!pid && Date.now() - since > 60_000)) fs.rmSync(lock, { recursive: true, force: true }); // its maker died
    return false;
  }, 900_000, 500);
  if (mine === 'ready') return dir;
  try {
    if (fs.existsSync(ready)) return dir;
    const d = await startDockerd();
    try {
      await d.docker(['import', ...IMPORT_CHANGES, BASE_IMAGE_TAR, BASE_IMAGE]);
    } catch (e) {
      await d.stop();
      throw e;
    }
    await d.service.stop('SIGTERM', 60_000);
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(tmp);
    for (const part of ['image', 'overlay2']) fs.renameSync(path.join(d.dir, 'data', part), path.join(tmp, part));
    await run('rm', ['-rf', d.dir]);
    fs.writeFileSync(path.join(tmp, 'ready'), `${BASE_IMAGE}\n`);
    fs.renameSync(tmp, dir);
    // Templates of an older tarball or dockerd are of no more use.
    for (const old of fs.readdirSync(path.dirname(dir))) {
      const p = path.join(path.dirname(dir), old);
      if (p !== dir && p !== lock && !old.includes('.lock') && !old.includes('.tmp-')) fs.rmSync(p, { recursive: true, force: true });
    }
    return dir;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Fills an empty data root with the base image (from the template); on any failure leaves it empty (loadBaseImage imports). */
async function seedBaseImage(dockerdBin: string, data: string): Promise<void> {
  try {
    const tpl = await baseTemplate(dockerdBin);
    fs.mkdirSync(path.join(data, 'overlay2'), { recursive: true });
    await run('cp', ['-a', path.join(tpl, 'image'), path.join(data, 'image')]);
    for (const entry of fs.readdirSync(path.join(tpl, 'overlay2'))) {
      const from = path.join(tpl, 'overlay2', entry);
      const to = path.join(data, 'overlay2', entry);
      if (entry === 'l') { await run('cp', ['-a', from, to]); continue; } // the layers' short-name symlinks
      fs.mkdirSync(to);
      for (const f of fs.readdirSync(from)) await run('cp', [f === 'diff' ? '-al' : '-a', path.join(from, f), path.join(to, f)]);
    }
  } catch (err) {
    process.stderr.write(`[dockerd] could not start from the base image template (${(err as Error).message.slice(0, 500)}); importing it instead\n`);
    fs.rmSync(data, { recursive: true, force: true });
  }
}
