// What the submission-fault tests share (submit-faults, rerun): moto behind the scripted proxy, a census copy, clients
// through the proxy (`aws`) and straight to moto (`direct`), the census job definition, and SageMaker's answer to a
// Create for a name that exists.
import { after, before } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Moto } from './moto';
import { seedEcrImage } from './ecrSeed';
import type { ProxyAction, ScriptedProxy } from './proxy';
import { awsSuite, type AwsSuite } from './suite';
import { censusCopy } from './workspace';
import type { AwsClients } from '../../src/aws/index';

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
 * clients. The returned object's fields are set by the hooks. Built on awsSuite (test/support/suite.ts).
 */
export function proxiedSubmitSuite(prefix: string, rules: (proxy: ScriptedProxy) => void = () => {}): ProxiedSubmit {
  // Submitting looks the image up in ECR first (DescribeImages): it is in moto's ECR.
  const s = awsSuite({ proxy: true, resetEach: true, rules, seed: (x) => seedEcrImage(x.moto.endpoint, 'us-east-1', 'census', 'latest') }) as AwsSuite & { ws: string };
  before(() => {
    s.ws = censusCopy(prefix);
  });
  after(() => {
    if (s.ws) fs.rmSync(path.dirname(s.ws), { recursive: true, force: true });
  });
  return s;
}
