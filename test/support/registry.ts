import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, waitFor } from './net';
import { scratchDir } from './paths';
import { run, startService, type Service } from './proc';
import * as https from 'node:https';
import * as http from 'node:http';

export interface Registry {
  /** host[:port] as docker names it. */
  host: string;
  /** Base URL of the registry HTTP API. */
  url: string;
  /** CA certificate (PEM) when served with TLS. */
  caCert?: string;
  service: Service;
  /** GET on the registry API with basic auth; returns status, headers and body. */
  api(pathname: string, auth?: { user: string; password: string }, method?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  /** htpasswd user and password (the password is given to htpasswd on stdin, never in argv). */
  user: string;
  password: string;
  /** Serve TLS under this host name on ip:443 (an ECR-shaped name mapped to loopback in the dockerd namespace). */
  tls?: { host: string; ip: string };
  /** A notification endpoint: the registry POSTs its events (pushes, pulls) there (distribution's `notifications`). */
  notify?: string;
}

/** Debian's docker-registry (distribution 2.x) with htpasswd auth, on loopback, optionally with TLS. */
export async function startRegistry(opts: RegistryOptions): Promise<Registry> {
  const dir = scratchDir('registry');
  const htpasswd = path.join(dir, 'htpasswd');
  const { stdout } = await run('htpasswd', ['-niB', opts.user], { input: opts.password + '\n' });
  fs.writeFileSync(htpasswd, stdout);
  let caCert: string | undefined;
  let listen: string;
  let host: string;
  let tlsConf = '';
  if (opts.tls) {
    const key = path.join(dir, 'tls.key');
    const crt = path.join(dir, 'tls.crt');
    await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${opts.tls.host}`,
      '-addext', `subjectAltName=DNS:${opts.tls.host}`, '-keyout', key, '-out', crt]);
    caCert = fs.readFileSync(crt, 'utf8');
    listen = `${opts.tls.ip}:443`;
    host = opts.tls.host;
    tlsConf = `  tls:\n    certificate: ${crt}\n    key: ${key}\n`;
  } else {
    const port = await freePort();
    listen = `127.0.0.1:${port}`;
    host = listen;
  }
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(config, [
    'version: 0.1',
    'log:\n  level: info',
    `storage:\n  filesystem:\n    rootdirectory: ${path.join(dir, 'data')}\n  delete:\n    enabled: true`,
    `http:\n  addr: ${listen}\n  secret: ${Math.random().toString(36).slice(2)}\n${tlsConf}`,
    `auth:\n  htpasswd:\n    realm: test-registry\n    path: ${htpasswd}`,
    ...(opts.notify ? [`notifications:\n  endpoints:\n    - name: ecr-sync\n      url: ${opts.notify}\n      timeout: 5s\n      threshold: 3\n      backoff: 1s`] : []),
    '',
  ].join('\n'));
  const service = startService('docker-registry', 'docker-registry', ['serve', config], path.join(dir, 'registry.log'));
  const url = `${opts.tls ? 'https' : 'http'}://${listen}`;
  const api: Registry['api'] = (pathname, auth, method = 'GET') => new Promise((resolve, reject) => {
    const mod = opts.tls ? https : http;
    const req = mod.request(`${url}${pathname}`, {
      method,
      headers: {
        ...(auth ? { authorization: 'Basic ' + Buffer.from(`${auth.user}:${auth.password}`).toString('base64') } : {}),
        accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json',
        ...(opts.tls ? { host: opts.tls.host } : {}),
      },
      ...(opts.tls ? { ca: caCert, servername: opts.tls.host } : {}),
    }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
  await waitFor('docker-registry to answer', async () => {
    if (!service.running) throw new Error(`docker-registry exited: ${service.log().slice(-2000)}`);
    return (await api('/v2/')).status === 401;
  }, 20_000, 100);
  return {
    host, url, caCert, service, api,
    async stop() {
      await service.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A random loopback address other than 127.0.0.1, so a TLS registry on :443 never collides with another run. */
export function randomLoopbackIp(): string {
  const b = () => 1 + Math.floor(Math.random() * 250);
  return `127.${b()}.${b()}.${b()}`;
}

/**
 * Files for a dockerd in its own mount namespace: an /etc/hosts mapping `host` to `ip`, and a certs.d that trusts
 * `caCert` for `host`. Returns the wrapper command for startDockerd({ wrap }).
 */
export function namespaceFor(host: string, ip: string, caCert: string, dir: string): string[] {
  const hosts = path.join(dir, 'hosts');
  fs.writeFileSync(hosts, `127.0.0.1 localhost\n::1 localhost\n${ip} ${host}\n`);
  const certs = path.join(dir, 'certs.d');
  fs.mkdirSync(path.join(certs, host), { recursive: true });
  fs.writeFileSync(path.join(certs, host, 'ca.crt'), caCert);
  return ['unshare', '--mount', '--propagation', 'private', '--', 'sh', path.join(__dirname, 'ns-exec.sh'), hosts, certs];
}
