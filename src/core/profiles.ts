/** Profiles from the shared AWS config and credentials files. Secret values are never kept, returned or shown. */
export interface AwsProfile {
  name: string;
  /** The profile's region (config file), if any. */
  region?: string;
  /** How it gets credentials: 'sso', 'role', 'process', 'static' (keys in a file), 'web-identity' or 'unknown'. */
  kind: 'sso' | 'role' | 'process' | 'static' | 'web-identity' | 'unknown';
  /** Files that define it. */
  sources: ('config' | 'credentials')[];
}

const SECRET_KEYS = /^(aws_secret_access_key|aws_session_token|aws_security_token|aws_access_key_id)$/i;

/** Sections of an INI text: name → keys (secret keys map to '' so their values never leave this function). */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  let lastKey: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\uFEFF/, '');
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const sec = /^\[\s*([^\]]+?)\s*\]\s*(?:[#;].*)?$/.exec(trimmed);
    if (sec) {
      current = sections.get(sec[1]) ?? new Map();
      sections.set(sec[1], current);
      lastKey = undefined;
      continue;
    }
    if (!current) continue;
    // Indented lines continue a nested block (e.g. `s3 =\n  max_concurrent_requests = 20`): ignore them.
    if (/^\s/.test(line) && lastKey) continue;
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(trimmed);
    if (!kv) continue;
    const key = kv[1].trim().toLowerCase();
    lastKey = key;
    current.set(key, SECRET_KEYS.test(key) ? '' : kv[2].replace(/\s+[#;].*$/, '').trim());
  }
  return sections;
}

/** All profiles of the config (`[default]`, `[profile x]`) and credentials (`[x]`) files, sorted, default first. */
export function parseProfiles(configText: string | undefined, credentialsText: string | undefined): AwsProfile[] {
  const byName = new Map<string, { keys: Map<string, string>; sources: Set<'config' | 'credentials'> }>();
  const add = (name: string, keys: Map<string, string>, source: 'config' | 'credentials') => {
    const e = byName.get(name) ?? { keys: new Map(), sources: new Set() };
    for (const [k, v] of keys) if (!e.keys.has(k) || source === 'config') e.keys.set(k, v);
    e.sources.add(source);
    byName.set(name, e);
  };
  for (const [section, keys] of parseIni(configText ?? '')) {
    if (section === 'default') add('default', keys, 'config');
    else {
      const m = /^profile\s+(.+)$/.exec(section);
      if (m) add(m[1].trim(), keys, 'config');
      // [sso-session x], [services x] are not profiles.
    }
  }
  for (const [section, keys] of parseIni(credentialsText ?? '')) add(section, keys, 'credentials');
  const profiles = [...byName].map(([name, { keys, sources }]): AwsProfile => {
    const kind: AwsProfile['kind'] = keys.has('sso_session') || keys.has('sso_start_url') || keys.has('sso_account_id') ? 'sso'
      : keys.has('role_arn') ? 'role'
        : keys.has('credential_process') ? 'process'
          : keys.has('web_identity_token_file') ? 'web-identity'
            : keys.has('aws_access_key_id') ? 'static' : 'unknown';
    const region = keys.get('region') || undefined;
    return { name, kind, sources: [...sources].sort(), ...(region ? { region } : {}) };
  });
  return profiles.sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}

/** Where the shared files are: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and ~/.aws/credentials. */
export function profileFiles(env: Record<string, string | undefined>, home: string): { config: string; credentials: string } {
  const expand = (p: string) => (p.startsWith('~/') ? `${home}/${p.slice(2)}` : p);
  return {
    config: expand(env.AWS_CONFIG_FILE || `${home}/.aws/config`),
    credentials: expand(env.AWS_SHARED_CREDENTIALS_FILE || `${home}/.aws/credentials`),
  };
}

/** Commercial, China and GovCloud regions offered by "Switch AWS Region…" (any other can be typed). */
export const KNOWN_REGIONS: readonly string[] = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-south-1', 'ap-east-1',
  'me-south-1', 'me-central-1', 'af-south-1', 'il-central-1',
  'cn-north-1', 'cn-northwest-1', 'us-gov-west-1', 'us-gov-east-1',
];
