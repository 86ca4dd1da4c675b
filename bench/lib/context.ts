import type { Moto } from '../../test/support/moto';
import type { BenchOutput, RunPlan } from './figures';

export interface BenchContext {
  /** The moto server every contender talks to (AWS_ENDPOINT_URL in `env`). */
  moto: Moto;
  plan: RunPlan;
  /** process.env plus moto's endpoint, region and dummy credentials: given to every contender alike. */
  env: NodeJS.ProcessEnv;
  /** How many jobs the List benchmark seeds. */
  listJobs: number;
  log(msg: string): void;
}

export interface Benchmark {
  name: string;
  run(ctx: BenchContext): Promise<BenchOutput>;
}
