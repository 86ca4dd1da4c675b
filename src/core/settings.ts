import { t } from './l10n';

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

/** `profile dev · eu-west-1 · endpoint http://…`: a list of labels, each said in the user's language. */
export function describeTarget(target: AwsTarget): string {
  const parts = [target.profile ? t('profile {0}', target.profile) : t('default credentials'), target.region ?? t('default region')];
  if (target.endpointUrl) parts.push(t('endpoint {0}', target.endpointUrl));
  return parts.join(' · ');
}
