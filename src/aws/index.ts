import type { AwsTarget } from '../core/settings';
import type { SageMakerApi } from './sagemaker';
import type { S3Api } from './s3';
import type { StsApi } from './sts';
import type { LogsApi } from './logs';
import type { EcrApi } from './ecr';

type Sdk = typeof import('./sdk');
let sdk: Promise<Sdk> | undefined;
/** Loads the AWS SDK wrappers once (a separate bundle in the extension, so activation does not parse them). */
export function loadSdk(): Promise<Sdk> {
  return (sdk ??= import('./sdk'));
}

/**
 * Lazily created AWS API wrappers for one target. The SDK modules are loaded on first use, so activating the
 * extension does not pay for them. Call `retarget` when the profile/region/endpoint changes.
 */
export class AwsClients {
  private sm?: Promise<SageMakerApi>;
  private s3c?: Promise<S3Api>;
  private stsc?: Promise<StsApi>;
  private logsc?: Promise<LogsApi>;
  private ecrc?: Promise<EcrApi>;
  constructor(private target: AwsTarget) {}

  get current(): AwsTarget {
    return this.target;
  }

  private readonly memos = new Map<string, Promise<unknown>>();

  /** Caches a successful lookup (account id, a bucket known to exist) until the target changes; failures are retried. */
  memo<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = this.memos.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fn();
      this.memos.set(key, p);
      p.catch(() => this.memos.delete(key));
    }
    return p;
  }

  isMemoized(key: string): boolean {
    return this.memos.has(key);
  }

  retarget(target: AwsTarget): void {
    this.memos.clear();
    this.dispose();
    this.target = target;
  }

  sagemaker(): Promise<SageMakerApi> {
    const target = this.target;
    return (this.sm ??= loadSdk().then((m) => new m.SageMakerApi(target)));
  }

  s3(): Promise<S3Api> {
    const target = this.target;
    return (this.s3c ??= loadSdk().then((m) => new m.S3Api(target)));
  }

  sts(): Promise<StsApi> {
    const target = this.target;
    return (this.stsc ??= loadSdk().then((m) => new m.StsApi(target)));
  }

  logs(): Promise<LogsApi> {
    const target = this.target;
    return (this.logsc ??= loadSdk().then((m) => new m.LogsApi(target)));
  }

  ecr(): Promise<EcrApi> {
    const target = this.target;
    return (this.ecrc ??= loadSdk().then((m) => new m.EcrApi(target)));
  }

  dispose(): void {
    for (const c of [this.sm, this.s3c, this.stsc, this.logsc, this.ecrc]) void c?.then((x) => x.destroy(), () => undefined);
    this.sm = this.s3c = this.stsc = undefined;
    this.logsc = undefined;
    this.ecrc = undefined;
  }
}
