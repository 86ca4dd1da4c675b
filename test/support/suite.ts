// The one harness of a test suite that talks to AWS: call `awsSuite()` inside `describe` and it registers the hooks that
// start moto (the tier's shared one, reset through moto's API, or a private one: test/support/moto.ts), point this
// process's SDK environment at it, start the scripted proxy in front of it when asked, and make the clients: `aws`
// through the proxy (what the code under test uses) and `direct` straight to moto (set-up and checks the proxy does
// not see). With `resetEach`, every test starts from an empty moto, no proxy rule but those `rules` adds, an empty
// request log and new clients; `seed` runs after each reset (or once, without `resetEach`).
//
// Older helpers (startMoto + useMotoEnv + startProxy by hand, proxiedSubmitSuite) keep working; new tests use this.
import { after, before, beforeEach } from 'node:test';
import { startMoto, useMotoEnv, type Moto } from './moto';
import { startProxy, type ScriptedProxy } from './proxy';
import { REGION } from './constants';
import { AwsClients } from '../../src/aws/index';

export interface AwsSuite {
  moto: Moto;
  /** The scripted proxy in front of moto (only with `proxy: true`). */
  proxy: ScriptedProxy;
  /** Clients through the proxy when there is one, else straight to moto. */
  aws: AwsClients;
  /** Clients straight to moto. */
  direct: AwsClients;
  /** Where the code under test should send its requests: the proxy's URL, or moto's endpoint. */
  endpoint: string;
}

export interface AwsSuiteOptions {
  proxy?: boolean;
  /** Reset moto, the proxy's rules and log, and the clients before each test (default false: once for the suite). */
  resetEach?: boolean;
  /** Fills moto (after each reset with `resetEach`, else once). */
  seed?: (s: AwsSuite) => Promise<unknown>;
  /** Proxy rules every test starts with. */
  rules?: (proxy: ScriptedProxy) => void;
}

export function awsSuite(o: AwsSuiteOptions = {}): AwsSuite {
  const s = {} as AwsSuite;
  let restore: (() => void) | undefined;
  const fresh = async () => {
    if (s.proxy) {
      s.proxy.clearRules();
      o.rules?.(s.proxy);
      s.proxy.requests.length = 0;
      s.proxy.onRequest = undefined;
    }
    s.aws?.dispose();
    s.direct?.dispose();
    s.aws = new AwsClients({ endpointUrl: s.endpoint, region: REGION });
    s.direct = new AwsClients({ endpointUrl: s.moto.endpoint, region: REGION });
  };
  before(async () => {
    s.moto = await startMoto();
    restore = useMotoEnv(s.moto);
    if (o.proxy) s.proxy = await startProxy(s.moto.endpoint);
    s.endpoint = s.proxy?.url ?? s.moto.endpoint;
    if (!o.resetEach) {
      await fresh();
      await o.seed?.(s);
    }
  });
  if (o.resetEach) {
    beforeEach(async () => {
      await s.moto.reset();
      await fresh();
      await o.seed?.(s);
    });
  }
  after(async () => {
    s.aws?.dispose();
    s.direct?.dispose();
    restore?.();
    await s.proxy?.stop();
    await s.moto?.stop();
  });
  return s;
}
