// The cost of finished runs for the jobs tree's detail and the status bar's tooltip. The price comes from the AWS Price
// List API (dist/aws-sdk-page.js, loaded at the first lookup), asked only when a finished job's cost is shown, only in
// a workspace that uses the extension, only while the setting sagemakerProcessing.showCost is on, and once per region
// and instance type (found and not-found answers are kept until the account or region changes; a failure is said for
// a minute, then asked again). The arithmetic and the wording are src/core/jobPage/cost.ts.
import type { Ctx } from './context';
import type { PriceLookup } from '../core/jobPage/pricing';
import { setting } from './settings';
import { loadSdkPage } from '../aws/index';
import { runCost, runCostFacts, runCostText } from '../core/jobPage/cost';

export function costShown(): boolean {
  return setting<boolean>('showCost', true);
}

/** A failed lookup (denied, offline) is said for this long before it is asked again. */
const RETRY_FAILED_MS = 60_000;
// Kept once per extension host: the activation bundle and the lazy ones (Compare Runs) each have a copy of this module
// and must not ask the Price List again for what the other already knows.
interface PriceCache { settled: Map<string, PriceLookup & { at?: number }>; asking: Map<string, Promise<PriceLookup | undefined>>; hooked?: Ctx }
const SHARED = Symbol.for('sagemakerProcessing.priceCache');
const cache: PriceCache = ((globalThis as { [SHARED]?: PriceCache })[SHARED] ??= { settled: new Map(), asking: new Map() });
const { settled, asking } = cache;

function regionOf(ctx: Ctx): string | undefined {
  return ctx.tree.resolvedRegion ?? (ctx.aws.current.region || undefined);
}

function hook(ctx: Ctx): void {
  if (cache.hooked === ctx) return;
  cache.hooked = ctx;
  ctx.push(ctx.onDidChangeTarget(() => {
    settled.clear();
    asking.clear();
  }));
}

/** The price already known for this instance type in the current region, without asking. */
export function knownPrice(ctx: Ctx, instanceType: string | undefined): PriceLookup | undefined {
  const region = regionOf(ctx);
  const known = region && instanceType ? settled.get(`${region}\n${instanceType}`) : undefined;
  if (known?.at !== undefined && Date.now() - known.at > RETRY_FAILED_MS) return undefined;
  return known;
}

/** Whether the price of this type may be asked now (see lookupPrice). */
export function mayAsk(ctx: Ctx, instanceType: string | undefined): boolean {
  return !!regionOf(ctx) && !!instanceType && ctx.used && costShown();
}

/**
 * The price of an instance type in the current region: undefined when it may not be asked (the workspace has not used
 * the extension, cost is hidden, no region or type is known).
 */
export function lookupPrice(ctx: Ctx, instanceType: string | undefined): Promise<PriceLookup | undefined> {
  const region = regionOf(ctx);
  if (!region || !instanceType || !mayAsk(ctx, instanceType)) return Promise.resolve(undefined);
  hook(ctx);
  const key = `${region}\n${instanceType}`;
  const known = knownPrice(ctx, instanceType);
  if (known) return Promise.resolve(known);
  let p = asking.get(key);
  if (!p) {
    p = (async () => {
      const { lookupProcessingPrice } = await loadSdkPage();
      const r = await lookupProcessingPrice(await ctx.aws.pricing(), region, instanceType);
      if (asking.get(key) === p) settled.set(key, r.kind === 'unavailable' ? { ...r, at: Date.now() } : r);
      return r;
    })().finally(() => {
      if (asking.get(key) === p) asking.delete(key);
    });
    asking.set(key, p);
  }
  return p;
}

/**
 * The status bar's cost line of a cloud job that just ended (one DescribeProcessingJob, then the price): undefined
 * when cost is hidden, the workspace has not used the extension, or the run never started.
 */
export async function endedRunCostText(ctx: Ctx, name: string): Promise<string | undefined> {
  if (!costShown() || !ctx.used) return undefined;
  const d = await (await ctx.aws.sagemaker()).describeProcessingJob(name);
  const facts = runCostFacts(d);
  if (!facts) return undefined;
  return runCostText(runCost(facts, await lookupPrice(ctx, facts.instanceType)), false);
}
