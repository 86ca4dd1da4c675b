import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsTarget } from '../core/settings';
import { clientConfig } from './clientConfig';

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

/** Thin typed wrapper over STS. */
export class StsApi {
  readonly client: STSClient;
  constructor(target: AwsTarget) {
    this.client = new STSClient(clientConfig(target, 'sts'));
  }

  async callerIdentity(): Promise<CallerIdentity> {
    const out = await this.client.send(new GetCallerIdentityCommand({}));
    return { account: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' };
  }

  /** The region the client resolved (settings, AWS_REGION or the profile). */
  async region(): Promise<string> {
    return await this.client.config.region();
  }

  destroy(): void {
    this.client.destroy();
  }
}
