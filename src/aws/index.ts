import type { AwsTarget } from '../core/settings';
import type { SageMakerApi } from './sagemaker';
import type { S3Api } from './s3';
import type { StsApi } from './sts';
import type { LogsApi } from './logs';
import type { EcrApi } from './ecr';
import type { SchedulerApi } from './scheduler';
import type { PipelinesApi } from './pipelines';
import type { IamApi } from './iam';
import type { CloudWatchApi } from './cloudwatch';
import type { PricingApi } from './pricing';

type Sdk = typeof import('./sdk');
type SdkExtra = typeof import('./sdkExtra');
type SdkPage = typeof import('./sdkPage');
let sdk: Promise<Sdk> | undefined;
let sdkExtra: Promise<SdkExtra> | undefined;
let sdkPage: Promise<SdkPage> | undefined;
/** Loads the AWS SDK wrappers once (a separate bundle in the extension, so activation does not parse them). */
export function loadSdk(): Promise<Sdk> {
  return (sdk ??= import('./sdk'));
}
/** Loads the wrappers only some features use (schedules, IAM), from their own bundle, once. */
export function loadSdkExtra(): Promise<SdkExtra> {
  return (sdkExtra ??= import('./sdkExtra'));
}
/** Loads the job page's wrappers (CloudWatch metrics, Price List), from their own bundle, once. */
export function loadSdkPage(): Promise<SdkPage> {
  return (sdkPage ??= import('./sdkPage'));
}

/**
 * Lazily created AWS API wrappers for one target. The SDK modules are loaded on first use, so activating the
 * extension does not pay for them. Call `retarget` when the profile/region/endpoint changes.
 */
/** The API wrappers AwsClients creates, by key. */
interface Apis {
  sagemaker: SageMakerApi;
  s3: S3Api;
  sts: StsApi;
  logs: LogsApi;
  ecr: EcrApi;
  scheduler: SchedulerApi;
  pipelines: PipelinesApi;
  iam: IamApi;
  cloudwatch: CloudWatchApi;
  pricing: PricingApi;
}

const CTORS: { [K in keyof Apis]: (t: AwsTarget) => Promise<Apis[K]> } = {
  sagemaker: async (t) => new (await loadSdk()).SageMakerApi(t),
  s3: async (t) => new (await loadSdk()).S3Api(t),
  sts: async (t) => new (await loadSdk()).StsApi(t),
  logs: async (t) => new (await loadSdk()).LogsApi(t),
  ecr: async (t) => new (await loadSdk()).EcrApi(t),
  scheduler: async (t) => new (await loadSdkExtra()).SchedulerApi(t),
  pipelines: async (t) => new (await loadSdkExtra()).PipelinesApi(t),
  iam: async (t) => new (await loadSdkExtra()).IamApi(t),
  cloudwatch: async (t) => new (await loadSdkPage()).CloudWatchApi(t),
  pricing: async (t) => new (await loadSdkPage()).PricingApi(t),
};

/** How long clients of a previous target live on, so calls already in flight can finish instead of being cut. */
const RETIRE_AFTER_MS = 60_000;

/**
 * Lazily created AWS API wrappers for one target. The SDK modules are loaded on first use, so activating the
 * extension does not pay for them. Call `retarget` when the profile/region/endpoint changes.
 */
export class AwsClients {
  private clients: { [K in keyof Apis]?: Promise<Apis[K]> } = {};
  private readonly retiring = new Map<ReturnType<typeof setTimeout>, Promise<{ destroy(): void }>[]>();
  private gen = 0;
  constructor(private target: AwsTarget) {}

  get current(): AwsTarget {
    return this.target;
  }

  /** Changes with every retarget: work started under an older generation answers for the old account/region. */
  get generation(): number {
    return this.gen;
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
    this.gen++;
    // Not destroyed at once: that would abort requests in flight (a download, a poll) with a socket error.
    const old = this.take();
    const timer = setTimeout(() => {
      this.retiring.delete(timer);
      destroyAll(old);
    }, RETIRE_AFTER_MS);
    timer.unref?.();
    this.retiring.set(timer, old);
    this.target = target;
  }

  sagemaker(): Promise<SageMakerApi> {
    return this.get('sagemaker');
  }

  s3(): Promise<S3Api> {
    return this.get('s3');
  }

  sts(): Promise<StsApi> {
    return this.get('sts');
  }

  logs(): Promise<LogsApi> {
    return this.get('logs');
  }

  ecr(): Promise<EcrApi> {
    return this.get('ecr');
  }

  scheduler(): Promise<SchedulerApi> {
    return this.get('scheduler');
  }

  pipelines(): Promise<PipelinesApi> {
    return this.get('pipelines');
  }

  iam(): Promise<IamApi> {
    return this.get('iam');
  }

  /** CloudWatch metrics (the job page's charts). */
  cloudwatch(): Promise<CloudWatchApi> {
    return this.get('cloudwatch');
  }

  /** The AWS Price List API (the job page's cost). */
  pricing(): Promise<PricingApi> {
    return this.get('pricing');
  }

  private get<K extends keyof Apis>(key: K): Promise<Apis[K]> {
    const target = this.target;
    const existing = this.clients[key] as Promise<Apis[K]> | undefined;
    if (existing) return existing;
    const created = CTORS[key](target);
    (this.clients as Record<K, Promise<Apis[K]>>)[key] = created;
    return created;
  }

  private take(): Promise<{ destroy(): void }>[] {
    const all = Object.values(this.clients) as Promise<{ destroy(): void }>[];
    this.clients = {};
    return all;
  }

  dispose(): void {
    for (const [timer, old] of this.retiring) {
      clearTimeout(timer);
      destroyAll(old);
    }
    this.retiring.clear();
    destroyAll(this.take());
  }
}

function destroyAll(clients: Promise<{ destroy(): void }>[]): void {
  for (const c of clients) void c.then((x) => x.destroy(), () => undefined);
}
