import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, httpGet, waitFor } from './net';
import { VENV, requireFile, scratchDir } from './paths';
import { startService, type Service } from './proc';

import { ACCOUNT, CREDENTIALS, REGION } from './constants';

/** Dummy credentials for the local AWS emulator (never real ones). Deprecated name: use CREDENTIALS from ./constants. */
export const TEST_CREDENTIALS = CREDENTIALS;
/** Deprecated name: use REGION from ./constants. */
export const TEST_REGION = REGION;
/** Deprecated name: use ACCOUNT from ./constants. */
export const TEST_ACCOUNT = ACCOUNT;

export interface Moto {
  endpoint: string;
  port: number;
  /** The server process, for a private moto (absent for the tier's shared one). */
  service?: Service;
  /** What the server has logged so far. */
  log(): string;
  /** Environment that points the AWS SDK (ours, boto3, the AWS CLI) at this server. */
  env: Record<string, string>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

let sharedInUse = false;

/**
 * A moto for this test file: the tier's shared server when scripts/run-tiers.mjs started one (SMP_MOTO_ENDPOINT; the
 * files of a tier run one at a time, and it is reset through moto's API on the way in, so each file starts empty), or
 * a private one when there is none or the shared one is already in use in this process.
 */
export async function startMoto(): Promise<Moto> {
  const shared = process.env.SMP_MOTO_ENDPOINT;
  if (shared && !sharedInUse) {
    sharedInUse = true;
    const logFile = process.env.SMP_MOTO_LOG;
    const m = motoAt(shared, () => (logFile ? fs.readFileSync(logFile, 'utf8') : ''), async () => {
      sharedInUse = false;
    });
    await m.reset();
    return m;
  }
  return startPrivateMoto();
}

/** Starts moto in server mode on a free loopback port (from the project venv made by scripts/setup.sh). */
export async function startPrivateMoto(): Promise<Moto> {
  const bin = requireFile(path.join(VENV, 'bin', 'moto_server'), 'moto_server');
  const port = await freePort();
  const dir = scratchDir('moto');
  const service = startService('moto', bin, ['-H', '127.0.0.1', '-p', String(port)], path.join(dir, 'moto.log'), {
    env: { ...process.env, MOTO_ACCOUNT_ID: TEST_ACCOUNT },
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitFor('moto to listen', async () => {
    if (!service.running) throw new Error(`moto exited: ${service.log()}`);
    return (await httpGet(`${endpoint}/moto-api/data.json`)).status === 200;
  }, 30_000);
  return { ...motoAt(endpoint, () => service.log(), () => service.stop()), service };
}

function motoAt(endpoint: string, log: () => string, stop: () => Promise<void>): Moto {
  return {
    endpoint,
    port: Number(new URL(endpoint).port),
    log,
    env: { ...TEST_CREDENTIALS, AWS_REGION: TEST_REGION, AWS_DEFAULT_REGION: TEST_REGION, AWS_ENDPOINT_URL: endpoint },
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`moto reset failed: ${res.status}`);
    },
    stop,
  };
}

/** Sets process.env so SDK clients created afterwards in this process reach moto; returns a restore function. */
export function useMotoEnv(moto: Moto): () => void {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(moto.env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
