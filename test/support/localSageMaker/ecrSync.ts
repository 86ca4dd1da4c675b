// moto's ECR learns what the demo's registry holds, as ECR would: a push of `repo:tag` to the registry puts the image
// (its manifest, tag and digest) into moto's ECR, so DescribeImages/ListImages/BatchGetImage find it (the extension's
// and the CLI's pre-submit check among them). Two ways, so that no read ever races a push:
//  - the registry's notifications: every manifest push is sent to this listener, which calls PutImage;
//  - before the backend forwards an ECR read of a repository to moto, that repository's tags are read from the
//    registry and whatever moto does not know yet is put (a push whose notification is still on its way).
// A repository missing in moto is created first (ECR's "create on push" repository templates do the same).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import type { Registry } from '../registry';

const MANIFEST_TYPES = new Set([
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
]);
/** The ECR reads that must see every completed push. */
const ECR_READS = new Set(['DescribeImages', 'ListImages', 'BatchGetImage']);
const ECR_PREFIX = 'AmazonEC2ContainerRegistry_V20150921.';

export interface EcrSync {
  /** The registry's notification endpoint (its config's `notifications.endpoints[].url`). */
  url: string;
  /** The registry to read manifests from (set once it runs). */
  attach(registry: Registry): void;
  /** The backend's hook before it forwards a request to moto: an ECR read first syncs that repository. */
  beforeForward(target: string, body: Buffer): Promise<void>;
  /** `repo:tag` → digest of every image put into moto's ECR so far. */
  registered(): Map<string, string>;
  stop(): Promise<void>;
}

export interface EcrSyncOptions {
  /** moto's endpoint (PutImage, CreateRepository). */
  ecrEndpoint: string;
  region: string;
  /** The registry's login (moto's ECR token user and password). */
  auth: { user: string; password: string };
  log?: (line: string) => void;
}

interface PushEvent {
  action?: string;
  target?: { mediaType?: string; digest?: string; repository?: string; tag?: string };
}

export async function startEcrSync(o: EcrSyncOptions): Promise<EcrSync> {
  const ecr = new ECRClient({
    endpoint: o.ecrEndpoint, region: o.region, maxAttempts: 3,
    credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID || 'testing', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY || 'testing' },
  });
  let registry: Registry | undefined;
  const known = new Map<string, string>();
  const repos = new Set<string>();
  // One registration at a time: PutImage of the same tag from a notification and from a read never interleave.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.then(fn, fn);
    queue = p.catch(() => undefined);
    return p;
  };

  const ensureRepository = async (repo: string) => {
    if (repos.has(repo)) return;
    try {
      await ecr.send(new CreateRepositoryCommand({ repositoryName: repo }));
      o.log?.(`ECR: created repository ${repo} on push`);
    } catch (err) {
      if ((err as Error).name !== 'RepositoryAlreadyExistsException') throw err;
    }
    repos.add(repo);
  };

  /** Puts `repo:tag` (the manifest the registry serves for `ref`, a tag or digest) into moto's ECR. */
  const register = (repo: string, tag: string, ref: string) => serial(async () => {
    if (!registry) return;
    const m = await registry.api(`/v2/${repo}/manifests/${ref}`, o.auth);
    if (m.status !== 200) throw new Error(`the registry answered ${m.status} for ${repo}@${ref}`);
    const digest = String(m.headers['docker-content-digest'] ?? '');
    const mediaType = String(m.headers['content-type'] ?? '').split(';')[0];
    if (!digest || known.get(`${repo}:${tag}`) === digest) return;
    await ensureRepository(repo);
    try {
      await ecr.send(new PutImageCommand({ repositoryName: repo, imageTag: tag, imageManifest: m.body, imageManifestMediaType: mediaType, imageDigest: digest }));
    } catch (err) {
      if ((err as Error).name !== 'ImageAlreadyExistsException') throw err;
    }
    known.set(`${repo}:${tag}`, digest);
    o.log?.(`ECR: ${repo}:${tag} is ${digest}`);
  });

  /** Every tag of a repository the registry holds that moto does not know yet (or knows at another digest). */
  const syncRepository = async (repo: string) => {
    if (!registry || !/^[a-z0-9]+(?:[._/-][a-z0-9]+)*$/.test(repo)) return;
    const r = await registry.api(`/v2/${repo}/tags/list`, o.auth);
    if (r.status !== 200) return;
    const tags = (JSON.parse(r.body) as { tags?: string[] | null }).tags ?? [];
    for (const tag of tags) await register(repo, tag, tag);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        let events: PushEvent[] = [];
        try {
          events = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events?: PushEvent[] }).events ?? [];
        } catch {
          res.writeHead(400).end();
          return;
        }
        try {
          for (const e of events) {
            const t = e.target;
            if (e.action !== 'push' || !t?.repository || !t.tag || !t.digest || !MANIFEST_TYPES.has(t.mediaType ?? '')) continue;
            await register(t.repository, t.tag, t.digest);
          }
          res.writeHead(200).end();
        } catch (err) {
          // The registry retries the events (its endpoint's threshold and backoff).
          o.log?.(`ECR: registering a push failed: ${(err as Error).message}`);
          res.writeHead(500).end();
        }
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;

  return {
    url,
    attach: (r) => {
      registry = r;
    },
    async beforeForward(target, body) {
      if (!target.startsWith(ECR_PREFIX) || !ECR_READS.has(target.slice(ECR_PREFIX.length))) return;
      let repo: unknown;
      try {
        repo = (JSON.parse(body.toString('utf8')) as { repositoryName?: unknown }).repositoryName;
      } catch {
        return;
      }
      if (typeof repo === 'string') await syncRepository(repo).catch((err) => o.log?.(`ECR: syncing ${repo} failed: ${(err as Error).message}`));
    },
    registered: () => new Map(known),
    async stop() {
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
      ecr.destroy();
    },
  };
}
