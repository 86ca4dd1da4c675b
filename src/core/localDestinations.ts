// "Upload Outputs to S3" after a local run: a local run makes no AWS call, so an output bound for the SDK's default
// location (s3://sagemaker-<region>-<account>/<job>/output/<name>) has no destination yet. When the user asks to
// upload, the account is looked up and those outputs get the destination a cloud run of the same job would use.
import { parse } from 'jsonc-parser';
import { defaultOutputUri } from './definition/layout';
import { mergeDefaults } from './definition/validate';
import type { DefinitionFile } from './definition/types';

/**
 * The outputs of a local run with the default destinations filled in: an output without a destination gets
 * `s3://<bucket>/<jobName>/output/<name>` when its definition states no `destination` and the job no `bucket` of its
 * own (then the default bucket is where SageMaker would write it). Others stay as they are (kept locally only).
 */
export function withDefaultDestinations(
  outputs: readonly { name: string; destination?: string }[],
  definitionText: string | undefined,
  jobKey: string,
  o: { bucket: string; jobName: string },
): { name: string; destination?: string }[] {
  const def = definitionText ? (parse(definitionText, [], { allowTrailingComma: true }) as DefinitionFile | undefined) : undefined;
  const raw = def?.jobs?.[jobKey];
  if (!def || !raw || typeof raw !== 'object') return outputs.map((x) => ({ ...x }));
  const merged = mergeDefaults(def.defaults, raw);
  const rawOutputs = Array.isArray(merged.outputs) ? merged.outputs : [];
  return outputs.map((out, i) => {
    if (out.destination) return { ...out };
    const r = (rawOutputs.find((x) => (x as { name?: unknown })?.name === out.name) ?? rawOutputs[i]) as { destination?: unknown } | undefined;
    const usesDefault = r !== undefined && r.destination === undefined && merged.bucket === undefined;
    return usesDefault ? { ...out, destination: defaultOutputUri(o.bucket, o.jobName, out.name) } : { ...out };
  });
}
