import { PricingClient, GetProductsCommand } from '@aws-sdk/client-pricing';
import type { AwsTarget } from '../core/settings';
import { clientConfig } from './clientConfig';
import { PRICING_API_REGION, parseProcessingPrice, processingPriceFilters, type HourlyPrice, type PriceLookup } from '../core/jobPage/pricing';
import { t } from '../core/l10n';
import { explainAwsError } from './errors';

/**
 * Thin typed wrapper over the AWS Price List API (GetProducts, service code AmazonSageMaker). The API answers in
 * us-east-1 for every region's prices. Answers are cached per region and instance type for the life of the client
 * (a price changes rarely and carries its effective date); failures are not cached.
 */
export class PricingApi {
  readonly client: PricingClient;
  private readonly cache = new Map<string, Promise<HourlyPrice | undefined>>();
  constructor(target: AwsTarget) {
    this.client = new PricingClient({ ...clientConfig(target, 'pricing'), region: PRICING_API_REGION });
  }

  /** The on-demand hourly price of a Processing instance type in a region, or undefined when the Price List has none. */
  processingPrice(region: string, instanceType: string, signal?: AbortSignal): Promise<HourlyPrice | undefined> {
    const key = `${region}\n${instanceType}`;
    let p = this.cache.get(key);
    if (!p) {
      p = this.ask(region, instanceType, signal);
      this.cache.set(key, p);
      p.catch(() => this.cache.delete(key));
    }
    return p;
  }

  private async ask(region: string, instanceType: string, signal?: AbortSignal): Promise<HourlyPrice | undefined> {
    let token: string | undefined;
    do {
      const out = await this.client.send(new GetProductsCommand({
        ServiceCode: 'AmazonSageMaker',
        Filters: processingPriceFilters(region, instanceType).map((f) => ({ Type: 'TERM_MATCH', ...f })),
        FormatVersion: 'aws_v1',
        MaxResults: 100,
        NextToken: token,
      }), { abortSignal: signal });
      const price = parseProcessingPrice(out.PriceList ?? [], region, instanceType);
      if (price) return price;
      token = out.NextToken;
    } while (token);
    return undefined;
  }

  destroy(): void {
    this.client.destroy();
  }
}

/** The price as the job page shows it: found, not in the Price List, or why it could not be asked. */
export async function lookupProcessingPrice(api: PricingApi, region: string, instanceType: string, signal?: AbortSignal): Promise<PriceLookup> {
  try {
    const price = await api.processingPrice(region, instanceType, signal);
    return price ? { kind: 'found', price } : { kind: 'notFound' };
  } catch (err) {
    return { kind: 'unavailable', reason: t('The price could not be read from the AWS Price List API: {0}', explainAwsError(err)) };
  }
}
