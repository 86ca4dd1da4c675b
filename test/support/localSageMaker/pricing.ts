// The AWS Price List API for the local SageMaker backend: moto has no pricing service, so the backend answers
// GetProducts (target AWSPriceListService.GetProducts) itself, from the small fixture below, in the documented
// response shape (FormatVersion aws_v1; PriceList = product documents as JSON strings with product.attributes and
// terms.OnDemand.<offer>.priceDimensions.<rate>.pricePerUnit.USD, unit Hrs, and the offer's effectiveDate).
// The figures are the fixture's, for the demo and the tests: not a price quote.
import { ApiError } from './validate';

export const PRICE_TARGET = 'AWSPriceListService.GetProducts';

/** Fixture prices: on-demand USD per hour of Processing instances in us-east-1, with their vCPUs and memory. */
export const FIXTURE_PRICES: { region: string; instanceName: string; usd: string; vCpu: string; memory: string }[] = [
  { region: 'us-east-1', instanceName: 'ml.m5.xlarge', usd: '0.2300000000', vCpu: '4', memory: '16 GiB' },
  { region: 'us-east-1', instanceName: 'ml.m5.large', usd: '0.1150000000', vCpu: '2', memory: '8 GiB' },
  { region: 'us-east-1', instanceName: 'ml.c5.2xlarge', usd: '0.4080000000', vCpu: '8', memory: '16 GiB' },
];
export const FIXTURE_EFFECTIVE_DATE = '2026-11-01T00:00:00Z';

export type PricingMode = 'fixture' | 'denied';

function product(p: (typeof FIXTURE_PRICES)[number], i: number): string {
  const sku = `LOCALSKU${i + 1}`;
  return JSON.stringify({
    product: {
      productFamily: 'ML Instance',
      attributes: { servicecode: 'AmazonSageMaker', regionCode: p.region, instanceName: p.instanceName, component: 'Processing', vCpu: p.vCpu, memory: p.memory, usagetype: `USE1-Processing:${p.instanceName}`, operation: 'RunInstance' },
      sku,
    },
    serviceCode: 'AmazonSageMaker',
    terms: {
      OnDemand: {
        [`${sku}.JRTCKXETXF`]: {
          offerTermCode: 'JRTCKXETXF', sku, effectiveDate: FIXTURE_EFFECTIVE_DATE,
          priceDimensions: { [`${sku}.JRTCKXETXF.6YS6EN2CT7`]: { unit: 'Hrs', description: `$${Number(p.usd)} per hour for Processing on ${p.instanceName}`, pricePerUnit: { USD: p.usd } } },
          termAttributes: {},
        },
      },
    },
    version: 'local', publicationDate: FIXTURE_EFFECTIVE_DATE,
  });
}

/** GetProducts over the fixture: TERM_MATCH filters on the product attributes, as the API applies them. */
export function getProducts(input: Record<string, unknown>, mode: PricingMode): Record<string, unknown> {
  if (mode === 'denied') {
    throw new ApiError('AccessDeniedException', 'User: arn:aws:iam::123456789012:user/local is not authorized to perform: pricing:GetProducts because no identity-based policy allows the pricing:GetProducts action', 400);
  }
  if (input.ServiceCode !== 'AmazonSageMaker') return { FormatVersion: 'aws_v1', PriceList: [] };
  const filters = (Array.isArray(input.Filters) ? input.Filters : []) as { Type?: string; Field?: string; Value?: string }[];
  const list = FIXTURE_PRICES.map((p, i) => ({ p, doc: product(p, i) })).filter(({ doc }) => {
    const attrs = (JSON.parse(doc) as { product: { attributes: Record<string, string> } }).product.attributes;
    return filters.every((f) => f.Type !== 'TERM_MATCH' || attrs[f.Field ?? ''] === f.Value);
  });
  return { FormatVersion: 'aws_v1', PriceList: list.map((x) => x.doc) };
}
