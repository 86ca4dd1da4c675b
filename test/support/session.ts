// One end-to-end session: a copy of examples/census opened in code-server (with the built .vsix) and Chromium, the
// extension pointed at moto (or at the scripted proxy in front of it). The e2e files share this set-up.
import { seedEcrImage } from './ecrSeed';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Moto } from './moto';
import { startCodeServer, type CodeServer } from './codeServer';
import { openWorkbench, type Workbench } from './workbench';
import { ROOT, scratchDir } from './paths';

export interface CensusSession {
  /** The workspace folder (a fresh copy of examples/census). */
  ws: string;
  cs: CodeServer;
  wb: Workbench;
  /** Closes the browser, then code-server; services passed in stay up (their owner stops them). */
  stop(): Promise<void>;
}

/** A fresh copy of examples/census in a scratch folder. */
export function copyCensusExample(scratch = 'ws'): string {
  const ws = path.join(scratchDir(scratch), 'census');
  fs.cpSync(path.join(ROOT, 'examples', 'census'), ws, { recursive: true });
  return ws;
}

export async function openCensusSession(o: {
  moto: Moto;
  /** Where the extension sends AWS calls (the endpoint setting): moto's URL unless given (e.g. the proxy's). */
  endpoint?: string;
  /** Extra environment for the extension host (AWS_ENDPOINT_URL is cleared: the endpoint setting decides). */
  env?: Record<string, string>;
  settings?: Record<string, unknown>;
  scratch?: string;
  /** Open this folder instead of a copy of examples/census (it is removed on stop like the copy). */
  folder?: string;
  /** Display language of the workbench (e.g. `ja`); English by default. */
  locale?: string;
}): Promise<CensusSession> {
  const ws = o.folder ?? copyCensusExample(o.scratch);
  // Run looks the example's ECR image up before submitting (DescribeImages): it is in moto's ECR.
  await seedEcrImage(o.moto.endpoint, 'us-east-1', 'sagemaker-processing-census', 'latest');
  const cs = await startCodeServer({
    folder: ws,
    env: { ...o.moto.env, AWS_ENDPOINT_URL: '', ...o.env },
    // The census job has a `build` block; these sessions have no registry, so Run submits `<repo>:<tag>` as it is in
    // (moto's) ECR instead of building first (test/e2e/build.test.ts covers build then run).
    locale: o.locale,
    settings: { 'sagemakerProcessing.endpointUrl': o.endpoint ?? o.moto.endpoint, 'sagemakerProcessing.region': 'us-east-1', 'sagemakerProcessing.buildBeforeRun': false, ...o.settings },
  });
  let wb: Workbench;
  try {
    wb = await openWorkbench(cs.url);
  } catch (err) {
    await cs.stop();
    throw err;
  }
  return {
    ws, cs, wb,
    async stop() {
      await wb.close();
      await cs.stop();
      fs.rmSync(path.dirname(ws), { recursive: true, force: true });
    },
  };
}
