import { IAMClient, GetRoleCommand } from '@aws-sdk/client-iam';
import type { AwsTarget } from '../core/settings';
import { clientConfig } from './clientConfig';
import { t } from '../core/l10n';

/** Thin typed wrapper over the one IAM call submission needs. */
export class IamApi {
  readonly client: IAMClient;
  constructor(target: AwsTarget) {
    this.client = new IAMClient(clientConfig(target, 'iam'));
  }

  /** The ARN of a role given by name, as the SageMaker Python SDK's Session.expand_role does (IAM GetRole). */
  async roleArn(roleName: string): Promise<string> {
    const out = await this.client.send(new GetRoleCommand({ RoleName: roleName }));
    const arn = out.Role?.Arn;
    if (!arn) throw new Error(t('IAM returned no ARN for role "{0}".', roleName));
    return arn;
  }

  destroy(): void {
    this.client.destroy();
  }
}
