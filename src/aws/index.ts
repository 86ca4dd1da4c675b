import type { AwsTarget } from '../core/settings';
import type { SageMakerApi } from './sagemaker';

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
  constructor(private target: AwsTarget) {}

  get current(): AwsTarget {
    return this.target;
  }

  retarget(target: AwsTarget): void {
    this.dispose();
    this.target = target;
  }

  sagemaker(): Promise<SageMakerApi> {
    const target = this.target;
    return (this.sm ??= loadSdk().then((m) => new m.SageMakerApi(target)));
  }

  dispose(): void {
    const sm = this.sm;
    this.sm = undefined;
    void sm?.then((c) => c.destroy(), () => undefined);
  }
}
