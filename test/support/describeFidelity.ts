// moto's CreateProcessingJob ignores ProcessingResources and Environment, so its DescribeProcessingJob leaves them out;
// real SageMaker always returns the cluster it was given. Behind the scripted proxy, these rules remember each Create
// request and put those fields back into the Describe answer, as SageMaker would (tests of Re-run need them).
import type { ProxyRule } from './proxy';

const KEPT = ['ProcessingResources', 'Environment'] as const;

export class CreatedRequests {
  private readonly byName = new Map<string, Record<string, unknown>>();

  /** Remembers a job created another way (e.g. seeded straight into moto). */
  remember(name: string, request: Record<string, unknown>): void {
    this.byName.set(name, request);
  }

  /** Records every CreateProcessingJob that passes the proxy (never acts on it): add it before rules that answer Creates. */
  recordRule(): ProxyRule {
    return {
      match: (r) => {
        if (r.action === 'CreateProcessingJob' && r.json) this.remember(String(r.json.ProcessingJobName), r.json);
        return false;
      },
      action: { kind: 'delay', ms: 0 },
    };
  }

  /** A Describe answer with the fields moto dropped, from the request that created the job (when known). */
  complete(body: Record<string, unknown>): Record<string, unknown> {
    const req = this.byName.get(String(body.ProcessingJobName));
    if (!req) return body;
    const out = { ...body };
    for (const k of KEPT) if (out[k] === undefined && req[k] !== undefined) out[k] = req[k];
    return out;
  }

  /** Rewrites DescribeProcessingJob answers of the jobs it knows with `complete`. */
  describeRule(): ProxyRule {
    return {
      match: (r) => r.action === 'DescribeProcessingJob' && this.byName.has(String(r.json?.ProcessingJobName)),
      action: { kind: 'rewrite', rewrite: (b) => this.complete(b) },
    };
  }
}
