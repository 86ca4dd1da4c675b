import {
  ECRClient,
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  DescribeImagesCommand,
  GetAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr';
import type { AwsTarget } from '../core/settings';
import { clientConfig } from './clientConfig';
import { classifyAwsError, isAlreadyExists, isNotFound } from './errors';
import { t } from '../core/l10n';

export interface EcrRepository {
  name: string;
  uri: string;
  registryId: string;
}

/** A registry login: the user name and password for `docker login`, and the registry it is for. */
export interface EcrAuthorization {
  username: string;
  /** Secret: give it to the container CLI on stdin only; never log or show it. */
  password: string;
  /** `https://<account>.dkr.ecr.<region>.amazonaws.com`. */
  proxyEndpoint: string;
  expiresAt?: Date;
}

/** Thin typed wrapper over the ECR calls the image build needs. */
export class EcrApi {
  readonly client: ECRClient;
  private cached?: EcrAuthorization;
  constructor(target: AwsTarget) {
    this.client = new ECRClient(clientConfig(target, 'ecr'));
  }

  /** The repository, or undefined when it does not exist. */
  async describeRepository(name: string, signal?: AbortSignal): Promise<EcrRepository | undefined> {
    try {
      const out = await this.client.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }), { abortSignal: signal });
      const r = out.repositories?.[0];
      return r ? { name: r.repositoryName ?? name, uri: r.repositoryUri ?? '', registryId: r.registryId ?? '' } : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /**
   * Whether an image (by tag or digest) is in a repository (DescribeImages): 'present', 'no-repository', 'no-image';
   * 'unknown' when this identity may not look (another account's registry).
   */
  async imageState(ref: { registryId?: string; repository: string; tag?: string; digest?: string }, signal?: AbortSignal): Promise<'present' | 'no-repository' | 'no-image' | 'unknown'> {
    try {
      const out = await this.client.send(new DescribeImagesCommand({
        ...(ref.registryId ? { registryId: ref.registryId } : {}),
        repositoryName: ref.repository,
        imageIds: [ref.digest ? { imageDigest: ref.digest } : { imageTag: ref.tag ?? 'latest' }],
      }), { abortSignal: signal });
      return out.imageDetails?.length ? 'present' : 'no-image';
    } catch (err) {
      const c = classifyAwsError(err);
      if (c.kind === 'notFound') return c.name === 'ImageNotFoundException' ? 'no-image' : 'no-repository';
      if (c.kind === 'accessDenied') return 'unknown';
      throw err;
    }
  }

  /** Creates the repository if it is missing (scan on push on). */
  async ensureRepository(name: string, signal?: AbortSignal): Promise<EcrRepository & { created: boolean }> {
    const have = await this.describeRepository(name, signal);
    if (have) return { ...have, created: false };
    try {
      const out = await this.client.send(new CreateRepositoryCommand({
        repositoryName: name,
        imageScanningConfiguration: { scanOnPush: true },
      }), { abortSignal: signal });
      const r = out.repository;
      return { name: r?.repositoryName ?? name, uri: r?.repositoryUri ?? '', registryId: r?.registryId ?? '', created: true };
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const again = await this.describeRepository(name, signal);
      if (!again) throw err;
      return { ...again, created: false };
    }
  }

  /**
   * A registry login from GetAuthorizationToken, reused while it has more than 5 minutes left. An expiry in the past
   * (moto hands out one from 2015) only means "fetch again next time", never an error.
   */
  async authorization(signal?: AbortSignal, now = new Date()): Promise<EcrAuthorization> {
    const fresh = (a?: EcrAuthorization) => a?.expiresAt && a.expiresAt.getTime() - now.getTime() > 5 * 60_000;
    if (this.cached && fresh(this.cached)) return this.cached;
    const out = await this.client.send(new GetAuthorizationTokenCommand({}), { abortSignal: signal });
    const d = out.authorizationData?.[0];
    if (!d?.authorizationToken || !d.proxyEndpoint) throw new Error(t('ECR returned no authorization token.'));
    const decoded = Buffer.from(d.authorizationToken, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 0) throw new Error(t('ECR returned an authorization token of an unexpected form.'));
    const auth: EcrAuthorization = { username: decoded.slice(0, i), password: decoded.slice(i + 1), proxyEndpoint: d.proxyEndpoint, expiresAt: d.expiresAt };
    this.cached = fresh(auth) ? auth : undefined;
    return auth;
  }

  destroy(): void {
    this.client.destroy();
    this.cached = undefined;
  }
}
