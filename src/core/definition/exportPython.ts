// What "Copy as Python SDK Code" writes alike in the SDK v2 and v3 spellings (export.ts, exportV3.ts): Python literals,
// and the processor's keyword arguments both SDKs name the same (env, tags, KMS keys, network config).
import type { ResolvedJob } from './types';

/** A JSON-like value as a Python literal. */
export function py(v: unknown): string {
  if (v === undefined || v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(py).join(', ')}]`;
  return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)}: ${py(x)}`).join(', ')}}`;
}

/** The processor's `env=`, `tags=`, KMS and `network_config=` lines (indented), for what the job sets. */
export function processorOptionLines(job: ResolvedJob): string[] {
  const L: string[] = [];
  if (Object.keys(job.environment).length) L.push(`    env=${py(job.environment)},`);
  if (Object.keys(job.tags).length) L.push(`    tags=${py(Object.entries(job.tags).map(([Key, Value]) => ({ Key, Value })))},`);
  if (job.volumeKmsKeyId) L.push(`    volume_kms_key=${py(job.volumeKmsKeyId)},`);
  if (job.outputKmsKeyId) L.push(`    output_kms_key=${py(job.outputKmsKeyId)},`);
  if (job.network) {
    const n = job.network;
    const args = [
      n.enableNetworkIsolation !== undefined ? `enable_network_isolation=${py(n.enableNetworkIsolation)}` : '',
      n.enableInterContainerTrafficEncryption !== undefined ? `encrypt_inter_container_traffic=${py(n.enableInterContainerTrafficEncryption)}` : '',
      n.subnets?.length ? `subnets=${py(n.subnets)}` : '',
      n.securityGroups?.length ? `security_group_ids=${py(n.securityGroups)}` : '',
    ].filter(Boolean);
    L.push(`    network_config=NetworkConfig(${args.join(', ')}),`);
  }
  return L;
}
