/** Where AWS calls go: resolved from the extension settings, the CLI flags or the environment. */
export interface AwsTarget {
  /** Shared config/credentials profile; undefined → the SDK default chain. */
  profile?: string;
  /** Region; undefined → AWS_REGION or the profile's region. */
  region?: string;
  /** One endpoint for every service (e.g. a local emulator); undefined → AWS_ENDPOINT_URL[_<SERVICE>] or AWS. */
  endpointUrl?: string;
}

/** Empty strings in settings mean "not set". */
export function normalizeTarget(t: { profile?: string; region?: string; endpointUrl?: string }): AwsTarget {
  const clean = (v: string | undefined) => (v && v.trim() ? v.trim() : undefined);
  return { profile: clean(t.profile), region: clean(t.region), endpointUrl: clean(t.endpointUrl) };
}

export function describeTarget(t: AwsTarget): string {
  const parts = [t.profile ? `profile ${t.profile}` : 'default credentials', t.region ?? 'default region'];
  if (t.endpointUrl) parts.push(`endpoint ${t.endpointUrl}`);
  return parts.join(' · ');
}
