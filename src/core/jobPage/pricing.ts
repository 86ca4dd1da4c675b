// The on-demand hourly price of a SageMaker Processing instance, read from an AWS Price List API GetProducts answer
// (service code AmazonSageMaker). Pure: src/aws/pricing.ts asks, this reads. Never a made-up figure: when the answer
// holds no usable hourly USD price, the result says so and the page shows instance-hours instead.

/** The filters GetProducts is called with (TERM_MATCH on the product's attributes). */
export function processingPriceFilters(region: string, instanceType: string): { Field: string; Value: string }[] {
  return [
    { Field: 'regionCode', Value: region },
    { Field: 'instanceName', Value: instanceType },
    { Field: 'component', Value: 'Processing' },
  ];
}

/** The Price List API answers only in a few regions; us-east-1 serves every region's prices. */
export const PRICING_API_REGION = 'us-east-1';

export interface HourlyPrice {
  usdPerHour: number;
  /** The price's effective date, as the offer term gives it (ISO 8601). */
  effectiveDate?: string;
  region: string;
  instanceType: string;
  /** The instance's vCPUs and memory, when the product lists them (used for the right-sizing hints). */
  vcpus?: number;
  memoryGiB?: number;
}

export type PriceLookup =
  | { kind: 'found'; price: HourlyPrice }
  /** The Price List has no on-demand Processing price for this type in this region. */
  | { kind: 'notFound' }
  /** Pricing could not be asked (access denied, no network, …): `reason` is a whole translated sentence. */
  | { kind: 'unavailable'; reason: string };

interface PriceProduct {
  product?: { attributes?: Record<string, string> };
  terms?: { OnDemand?: Record<string, { effectiveDate?: string; priceDimensions?: Record<string, { unit?: string; pricePerUnit?: Record<string, string> }> }> };
}

/**
 * The hourly on-demand USD price among GetProducts' PriceList entries (each a JSON document as a string), for this
 * instance type's Processing usage. Entries of another type or component are ignored; an unparsable entry too.
 */
export function parseProcessingPrice(priceList: readonly string[], region: string, instanceType: string): HourlyPrice | undefined {
  for (const raw of priceList) {
    let p: PriceProduct;
    try {
      p = JSON.parse(raw) as PriceProduct;
    } catch {
      continue;
    }
    const a = p.product?.attributes ?? {};
    if (a.instanceName !== undefined && a.instanceName !== instanceType) continue;
    if (a.component !== undefined && a.component !== 'Processing') continue;
    if (a.regionCode !== undefined && a.regionCode !== region) continue;
    for (const term of Object.values(p.terms?.OnDemand ?? {})) {
      for (const dim of Object.values(term.priceDimensions ?? {})) {
        const usd = Number(dim.pricePerUnit?.USD);
        if (!/^hrs?$/i.test(dim.unit ?? '') || !Number.isFinite(usd) || usd <= 0) continue;
        const vcpus = Number(a.vCpu);
        const mem = Number(/^([\d.]+)\s*GiB$/i.exec(a.memory ?? '')?.[1]);
        return {
          usdPerHour: usd, effectiveDate: term.effectiveDate, region, instanceType,
          ...(Number.isFinite(vcpus) && vcpus > 0 ? { vcpus } : {}),
          ...(Number.isFinite(mem) && mem > 0 ? { memoryGiB: mem } : {}),
        };
      }
    }
  }
  return undefined;
}
