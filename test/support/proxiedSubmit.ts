// What the submission-fault tests share (submit-faults, rerun): moto behind the scripted proxy, a census copy, clients
// through the proxy (`aws`) and straight to moto (`direct`), the census job definition, and SageMaker's answer to a
// Create for a name that exists.
import { after, before, beforeEach } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startMoto, useMotoEnv, type Moto } from './moto';
import { seedEcrImage } from './ecrSeed';
import { startProxy, type ProxyAction, type ScriptedProxy } from './proxy';
import { censusCopy } from './workspace';
import { AwsClients } from '../../src/aws/index';

import { ROLE } from './constants';

/** Deprecated here: import ROLE from ./constants. */
export { ROLE };

/** What SageMaker answers a CreateProcessingJob for a name that exists. */
export const resourceInUse = (): ProxyAction => ({
  kind: 'respond',
  respond: (req) => ({
    status: 400,
    body: { __type: 'ResourceInUse', message: `Job name must be unique within an AWS account and region, and a job with this name already exists (arn:aws:sagemaker:us-east-1:123456789012:processing-job/${String(req.json?.ProcessingJobName).toLowerCase()})` },
  }),
});

/** The census job (`census`) of a definition, its image in moto's ECR; `job` adds or replaces fields. */
export function censusDefinition(job: Record<string, unknown> = {}): string {
  return JSON.stringify({
    version: '1',
    defaults: { role: ROLE, instanceType: 'ml.m5.xlarge' },
    jobs: {
      census: {
        script: 'preprocessing.py', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/census:latest', baseJobName: 'census',
        inputs: [{ name: 'census', source: 'data/census-income.csv', destination: '/opt/ml/processing/input' }],
        ...job,
      },
    },
  });
}

export interface ProxiedSubmit {
  moto: Moto;
  proxy: ScriptedProxy;
  /** Clients through the proxy (what the code under test uses). */
  aws: AwsClients;
  /** Clients straight to moto (setup and checks, not seen by the proxy). */
  direct: AwsClients;
  /** The census copy. */
  ws: string;
}

/**
 * Registers the suite's hooks (call it inside `describe`): moto and the proxy for the suite, then before each test a
 * reset moto with the census image in ECR, no proxy rules but those `rules()` gives, an empty request log and new
 * clients. The returned object's fields are set by the hooks.
 */
export function proxiedSubmitSuite(prefix: string, rules: (proxy: ScriptedProxy) => void = () => {}): ProxiedSubmit {
  const s = {} as ProxiedSubmit;
  let restore: (() => void) | undefined;
  before(async () => {
    s.moto = await startMoto();
    restore = useMotoEnv(s.moto);
    s.proxy = await startProxy(s.moto.endpoint);
    s.ws = censusCopy(prefix);
  });
  after(async () => {
    s.aws?.dispose();
    s.direct?.dispose();
    restore?.();
    await s.proxy?.stop();
    await s.moto?.stop();
    if (s.ws) fs.rmSync(path.dirname(s.ws), { recursive: true, force: true });
  });
  beforeEach(async () => {
    await s.moto.reset();
    // Submitting looks the image up in ECR first (DescribeImages): it is in moto's ECR.
    await seedEcrImage(s.moto.endpoint, 'us-east-1', 'census', 'latest');
    s.proxy.clearRules();
    rules(s.proxy);
    s.proxy.requests.length = 0;
    s.aws?.dispose();
    s.direct?.dispose();
    s.aws = new AwsClients({ endpointUrl: s.proxy.url, region: 'us-east-1' });
    s.direct = new AwsClients({ endpointUrl: s.moto.endpoint, region: 'us-east-1' });
  });
  return s;
}
